"""The shipped privacy notice tells visitors they can withdraw a request themselves."""

from importlib import import_module

import pytest
from django.apps import apps

from pages.models import Page, PageRevision

pytestmark = pytest.mark.django_db
migration = import_module("pages.migrations.0005_privacy_notice_withdraw_link")


def deletion_section():
    return Page.objects.get(slug="privacy").sections.get(heading=migration.HEADING)


def test_the_shipped_notice_says_the_confirmation_email_has_a_withdraw_link(client):
    html = client.get("/privacy/").content.decode()
    assert "If you received an email confirming that your request arrived, it has a link to withdraw" in html
    assert "I am told only its number" in html
    assert "by phone or email using the contact details" in html


def test_the_migration_adds_the_link_to_the_shipped_text_and_keeps_a_version():
    section = deletion_section()
    section.text = migration.SHIPPED_TEXT
    section.save()
    versions = PageRevision.objects.filter(page=section.page).count()
    migration.mention_the_link(apps, None)
    section.refresh_from_db()
    assert section.text == migration.NEW_TEXT
    assert "withdraw the request yourself" in section.page.body_html
    assert PageRevision.objects.filter(page=section.page).count() == versions + 1


def test_the_migration_leaves_a_section_the_therapist_has_edited_alone():
    section = deletion_section()
    section.text = "Write to me and I will delete it."
    section.save()
    migration.mention_the_link(apps, None)
    section.refresh_from_db()
    assert section.text == "Write to me and I will delete it."
