"""
Two tabs on every list edited in place (pages/list_conflicts.py): a row saved over someone else's
newer save is refused with what changed and what was typed kept; a row not typed in is not
written back over someone else's change.
"""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from intake.models import Concern, Referral, Relationship, ReplyTemplate
from tests.html import form_values

pytestmark = pytest.mark.django_db

EDITED_IN_PLACE = [model for model, model_admin in admin.site._registry.items() if model_admin.list_editable]


def test_these_are_the_lists_edited_in_place():
    assert set(EDITED_IN_PLACE) == {Concern, Relationship, ReplyTemplate, Referral}


def list_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def two_rows(model):
    """The list's first two rows, made if the seed content has fewer."""
    for n in range(2 - model.objects.count()):
        if model is Referral:
            Referral.objects.create(name=f"Harbor Counseling {n}", how_to_reach="555-0100")
        else:
            model.objects.create(**{"label" if model in (Concern, Relationship) else "name": f"Row {n}"})
    return list(model.objects.all()[:2])


def opened(client, model):
    values = form_values(client.get(list_url(model)).content.decode())
    return values | {"_save": "Save"}


def row(values, obj):
    """The form prefix of this record's row in a list as opened."""
    return next(
        key.removesuffix("-id")
        for key, value in values.items()
        if key.endswith("-id") and value == str(obj.pk)
    )


@pytest.mark.parametrize("model", EDITED_IN_PLACE, ids=lambda model: model.__name__)
def test_a_row_saved_in_another_tab_since_is_refused_and_what_was_typed_kept(admin_client, model):
    first_row, _ = two_rows(model)
    first, second = opened(admin_client, model), opened(admin_client, model)
    prefix = row(first, first_row)
    assert admin_client.post(list_url(model), second | {f"{prefix}-order": "30000"}).status_code == 302

    response = admin_client.post(list_url(model), first | {f"{prefix}-order": "42"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Not saved: someone saved “{first_row}” since you opened this list" in html
    assert "They changed: order (now “30000”)." in html
    assert model.objects.get(pk=first_row.pk).order == 30000
    # What was typed is in the box of the row it was typed in, though that row now sorts last.
    typed = re.search(
        rf'<tr>(?:(?!</tr>).)*name="{prefix}-order"(?:(?!</tr>).)*</tr>', html, re.DOTALL
    ).group()
    assert 'value="42"' in typed and f">{escape(first_row)}</a>" in typed

    # Saving the refused list again replaces the other save, on purpose.
    again = form_values(html) | {"_save": "Save"}
    assert admin_client.post(list_url(model), again).status_code == 302
    assert model.objects.get(pk=first_row.pk).order == 42


@pytest.mark.parametrize("model", EDITED_IN_PLACE, ids=lambda model: model.__name__)
def test_a_row_not_typed_in_is_not_written_back_over_another_save(admin_client, model):
    first_row, second_row = two_rows(model)
    first, second = opened(admin_client, model), opened(admin_client, model)
    assert (
        admin_client.post(list_url(model), second | {f"{row(second, first_row)}-order": "41"}).status_code
        == 302
    )
    assert (
        admin_client.post(list_url(model), first | {f"{row(first, second_row)}-order": "43"}).status_code
        == 302
    )
    assert model.objects.get(pk=first_row.pk).order == 41
    assert model.objects.get(pk=second_row.pk).order == 43


def test_a_refused_list_shows_the_other_rows_as_they_are_now(admin_client):
    first_row, second_row = two_rows(Concern)
    first, second = opened(admin_client, Concern), opened(admin_client, Concern)
    untouched, typed = row(first, second_row), row(first, first_row)
    second.pop(f"{untouched}-active", None)  # unticked in the other tab
    second[f"{typed}-order"] = "41"
    assert admin_client.post(list_url(Concern), second).status_code == 302

    html = admin_client.post(list_url(Concern), first | {f"{typed}-order": "42"}).content.decode()
    assert "They changed: order (now “41”)." in html
    again = form_values(html) | {"_save": "Save"}
    assert f"{untouched}-active" not in again  # shown unticked, as the other tab left it
    assert admin_client.post(list_url(Concern), again).status_code == 302
    assert not Concern.objects.get(pk=second_row.pk).active
    assert Concern.objects.get(pk=first_row.pk).order == 42


def test_a_list_with_its_check_altered_is_refused_not_saved(admin_client):
    first_row, _ = two_rows(Referral)
    values = opened(admin_client, Referral)
    values["form-edit_token"] = "altered"
    response = admin_client.post(list_url(Referral), values | {f"{row(values, first_row)}-order": "42"})
    assert "Not saved: someone saved" in response.content.decode()
    assert Referral.objects.get(pk=first_row.pk).order != 42


def test_a_row_deleted_since_the_list_was_opened_is_said_plainly(admin_client):
    first_row, second_row = two_rows(Referral)
    values = opened(admin_client, Referral)
    second_row.delete()
    response = admin_client.post(list_url(Referral), values | {f"{row(values, first_row)}-order": "42"})
    assert "Not saved: a row on this list was deleted since you opened it." in response.content.decode()
    assert Referral.objects.get(pk=first_row.pk).order != 42
