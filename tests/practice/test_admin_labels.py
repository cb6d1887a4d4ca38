"""Admin boxes a screen reader can name: the lists edited in place, and the two-box pickers' icons."""

import re

import pytest
from django.urls import reverse

from intake.models import Concern

pytestmark = pytest.mark.django_db


def test_each_box_of_a_list_edited_in_place_names_its_column_and_row(admin_client):
    concern = Concern.objects.order_by("order", "pk").first()
    html = admin_client.get(reverse("admin:intake_concern_changelist")).content.decode()
    order = re.search(r'<input[^>]*name="form-0-order"[^>]*>', html).group(0)
    shown = re.search(r'<input[^>]*name="form-0-active"[^>]*>', html).group(0)
    assert f'aria-label="Order, {concern}"' in order
    assert 'aria-label="Show on the form, ' in shown


def test_every_admin_page_loads_the_script_that_names_the_pickers_icons(admin_client):
    html = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert re.search(r'<script src="/static/js/admin-a11y\.[0-9a-f]+\.js" defer>', html)


@pytest.mark.parametrize("model", ["referral", "replytemplate", "concern"])
def test_a_list_edited_in_place_opens_when_it_is_empty(admin_client, model):
    """Django draws the formset's empty form (index None) for an empty list: it was a 500."""
    url = reverse(f"admin:intake_{model}_changelist")
    admin_client.get(url).context["cl"].model.objects.all().delete()
    response = admin_client.get(url)
    assert response.status_code == 200
