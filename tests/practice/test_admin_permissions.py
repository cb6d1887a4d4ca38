"""Permissions on the group and staff pages in plain words, and only this site's own (practice/admin_words.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.html import form_values
from tests.intake.factories import REVIEWERS

pytestmark = pytest.mark.django_db


def test_a_permission_reads_as_what_it_lets_someone_do():
    assert str(Permission.objects.get(codename="view_failedsignin")) == "Staff sign-in: see failed sign-ins"
    assert str(Permission.objects.get(codename="add_page")) == "Website pages: add pages"
    assert (
        str(Permission.objects.get(codename="export_consultationrequest"))
        == "Requests and replies: export consultation requests as CSV"
    )


def test_the_picker_offers_only_the_sections_this_site_shows(admin_client):
    html = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert "Website pages: see pages" in html
    for library in ("axes", "otp_totp", "otp_static", "sessions", "contenttypes", "admin"):
        hidden = Permission.objects.filter(content_type__app_label=library).first()
        assert hidden is not None and f'value="{hidden.pk}"' not in html, library


def test_saving_the_reviewers_group_keeps_every_permission_it_had(admin_client):
    group = Group.objects.get(name=REVIEWERS)
    before = set(group.permissions.all())
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = admin_client.post(url, form_values(admin_client.get(url).content.decode()))
    assert response.status_code == 302
    assert set(group.permissions.all()) == before and before
