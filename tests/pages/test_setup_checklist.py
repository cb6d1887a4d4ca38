"""The admin home lists what the practice settings still lack, each a link to the field, until it is filled in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages.models import Page, PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.html import texts
from tests.intake.factories import make_reviewer

SETTINGS_FORM = "/admin/pages/practicesettings/1/change/"
EVERYTHING_MISSING = [
    ("Your practice's name, for the site's header and the browser tab", "practice_name"),
    ("Your name as clients should see it", "clinician_name"),
    ("A way to reach you: a public email or phone number", "email"),
    ("The states where you are licensed", "licensed_states"),
    ("A published privacy notice, linked next to the form's send button", "privacy_page"),
]


@pytest.fixture
def fresh_settings(db):
    """The record as a new install's first visit makes it: the defaults, nothing filled in."""
    PracticeSettings.objects.all().delete()
    return PracticeSettings.load()


def filled_in(practice):
    practice.practice_name = "Wells Couples Therapy"
    practice.clinician_name = "Dr. Jordan Wells"
    practice.email = "hello@practice.example"
    practice.licensed_states = "NY,NJ"
    practice.privacy_page = Page.objects.get(slug="privacy")
    practice.save()
    return practice


def checklist(html):
    if 'class="module setup-checklist"' not in html:
        return None
    return html.split('class="module setup-checklist"')[1].split("</section>")[0]


def test_on_a_first_run_the_admin_home_lists_everything_missing_with_links_to_each_field(
    admin_client, fresh_settings
):
    html = admin_client.get("/admin/").content.decode()
    found = checklist(html)
    assert [text.strip() for _, text in texts(found, "a")] == [label for label, _ in EVERYTHING_MISSING]
    for _, field in EVERYTHING_MISSING:
        assert f'href="{SETTINGS_FORM}#id_{field}"' in found


def test_each_link_lands_on_its_field_in_the_settings_form(admin_client, fresh_settings):
    form = admin_client.get(SETTINGS_FORM).content.decode()
    for _, field in EVERYTHING_MISSING:
        assert f'id="id_{field}"' in form, field


def test_the_checklist_comes_first_on_the_admin_home(admin_client, fresh_settings):
    html = admin_client.get("/admin/").content.decode()
    assert html.index("setup-checklist") < html.index("intake-summary") < html.index("Requests and replies")


def test_once_everything_is_filled_in_the_checklist_is_gone(admin_client, fresh_settings):
    filled_in(fresh_settings)
    assert checklist(admin_client.get("/admin/").content.decode()) is None


@pytest.mark.parametrize(("email", "phone"), [("hello@practice.example", ""), ("", "(555) 010-2000")])
def test_an_email_or_a_phone_is_contact_enough(admin_client, fresh_settings, email, phone):
    practice = filled_in(fresh_settings)
    practice.email, practice.phone = email, phone
    practice.save()
    assert checklist(admin_client.get("/admin/").content.decode()) is None


@pytest.mark.parametrize("missing", ["practice_name", "clinician_name", "email", "licensed_states"])
def test_each_missing_detail_is_listed_alone(admin_client, fresh_settings, missing):
    practice = filled_in(fresh_settings)
    setattr(practice, missing, "")
    practice.save()
    assert f"#id_{missing}" in checklist(admin_client.get("/admin/").content.decode())
    assert checklist(admin_client.get("/admin/").content.decode()).count("<li>") == 1


def test_a_privacy_notice_that_is_not_published_counts_as_missing(admin_client, fresh_settings):
    practice = filled_in(fresh_settings)
    Page.objects.filter(slug="privacy").update(status=Page.Status.DRAFT)
    assert "#id_privacy_page" in checklist(admin_client.get("/admin/").content.decode())
    practice.privacy_page = None
    practice.save()
    assert "#id_privacy_page" in checklist(admin_client.get("/admin/").content.decode())


def test_staff_who_cannot_change_the_settings_see_no_checklist(client, fresh_settings):
    sign_in(client, make_reviewer())
    html = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200
    assert checklist(html) is None


def test_the_checklist_costs_no_query_of_its_own(admin_client, fresh_settings):
    with CaptureQueriesContext(connection) as with_checklist:
        assert checklist(admin_client.get("/admin/").content.decode())
    filled_in(fresh_settings)
    with CaptureQueriesContext(connection) as without:
        assert checklist(admin_client.get("/admin/").content.decode()) is None
    assert len(with_checklist) == len(without)
