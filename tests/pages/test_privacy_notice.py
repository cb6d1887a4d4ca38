"""The privacy notice shows how long requests are kept from the setting the purge uses, never a fixed number."""

from importlib import import_module

import pytest
from django.apps import apps

from pages.models import RETENTION_DAYS_PLACEHOLDER, Page, PageRevision
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
migration = import_module("pages.migrations.0003_privacy_notice_retention_days")


def retention_section():
    return Page.objects.get(slug="privacy").sections.get(heading=migration.HEADING)


def test_the_shipped_privacy_notice_shows_the_retention_setting(client, settings):
    settings.INTAKE_RETENTION_DAYS = 45
    html = client.get("/privacy/").content.decode()
    assert "deleted from this website automatically 45 days later" in html
    assert "180" not in html and RETENTION_DAYS_PLACEHOLDER not in html


def test_the_shipped_notice_states_the_one_retention_rule():
    text = retention_section().text
    for outcome in ("we begin working together", "refer you", "not the right fit", "hear back", "spam"):
        assert outcome in text, outcome
    assert "in progress" in text and "kept until it is closed" in text
    assert RETENTION_DAYS_PLACEHOLDER in text and "180" not in text


def test_a_change_of_setting_shows_without_saving_the_page_again(client, settings):
    page = make_page(slug="kept", sections=[("", f"Kept **{RETENTION_DAYS_PLACEHOLDER} days**.")])
    settings.INTAKE_RETENTION_DAYS = 30
    assert "<strong>30 days</strong>" in client.get("/kept/").content.decode()
    settings.INTAKE_RETENTION_DAYS = 365
    assert "<strong>365 days</strong>" in client.get("/kept/").content.decode()
    assert RETENTION_DAYS_PLACEHOLDER in Page.objects.get(pk=page.pk).body_html


def test_a_draft_preview_fills_it_in_too(admin_client, settings):
    settings.INTAKE_RETENTION_DAYS = 90
    page = make_page(slug="draft", status=Page.Status.DRAFT, sections=[(RETENTION_DAYS_PLACEHOLDER, "Days.")])
    assert "<h2>90</h2>" in admin_client.get(f"/admin/pages/page/{page.pk}/preview/").content.decode()


def test_the_section_help_text_tells_the_therapist_about_the_placeholder(admin_client):
    page = Page.objects.get(slug="privacy")
    html = admin_client.get(f"/admin/pages/page/{page.pk}/change/").content.decode()
    assert f"Write {RETENTION_DAYS_PLACEHOLDER} where the number of days" in html


def test_the_migration_replaces_the_shipped_text_and_keeps_a_version():
    section = retention_section()
    section.text = migration.SHIPPED_TEXT
    section.save()
    versions = PageRevision.objects.filter(page=section.page).count()
    migration.use_the_setting(apps, None)
    section.refresh_from_db()
    assert section.text == migration.NEW_TEXT
    assert RETENTION_DAYS_PLACEHOLDER in section.page.body_html and "180 days" not in section.page.body_html
    assert PageRevision.objects.filter(page=section.page).count() == versions + 1


def test_the_migration_leaves_a_section_the_therapist_has_edited_alone():
    section = retention_section()
    section.text = "I keep requests for 180 days, and longer if you ask me to."
    section.save()
    migration.use_the_setting(apps, None)
    section.refresh_from_db()
    assert section.text == "I keep requests for 180 days, and longer if you ask me to."
