"""The therapist's admin for pages: smoke tests, saving, sanitising, history and redirects."""

from datetime import UTC, datetime, time

import pytest
from django.contrib import admin
from django.urls import reverse

from pages.models import Page, PageRevision, Photo, PracticeSettings, SlugRedirect
from tests.html import form_values
from tests.pages.factories import make_page
from tests.pages.photo_helpers import make_photo

PAGES_MODELS = [model for model in admin.site._registry if model._meta.app_label == "pages"]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", PAGES_MODELS, ids=lambda model: model.__name__)
def test_admin_list_add_and_change_pages_answer(admin_client, media_root, model):
    instance = model.objects.first() or (
        make_photo()
        if model is Photo
        else SlugRedirect.objects.create(old_slug="old", page=Page.objects.first())
    )
    list_response = admin_client.get(admin_url(model, "changelist"), follow=True)
    assert list_response.status_code == 200
    add_response = admin_client.get(admin_url(model, "add"))
    assert add_response.status_code == (403 if model is PracticeSettings else 200)
    assert admin_client.get(admin_url(model, "change", instance.pk)).status_code == 200


def test_page_list_shows_status_last_change_and_a_link(admin_client):
    make_page(slug="later-page", title="Later", publish_at=datetime(2099, 1, 1, tzinfo=UTC))
    html = admin_client.get(admin_url(Page, "changelist")).content.decode()
    for shown in [
        "draft",
        "scheduled",
        "published",
        "Last changed",
        f'href="{admin_url(Page, "preview", Page.objects.get(slug="later-page").pk)}"',
        "Preview",
        "View",
    ]:
        assert shown in html


def edit_page(admin_client, page, button="_publish", **changes):
    """Submit the page's change form as the browser would, with some fields changed, by Publish unless told."""
    url = admin_url(Page, "change", page.pk)
    data = form_values(admin_client.get(url).content.decode())
    data.update(changes)
    data[button] = "Publish"
    return admin_client.post(url, data)


def test_saving_in_admin_renders_the_body_once_and_keeps_a_revision(admin_client):
    page = Page.objects.get(slug="privacy")
    revisions_before = page.revisions.count()
    response = edit_page(admin_client, page, **{"sections-0-text": "New *first* words."})
    assert response.status_code == 302
    page.refresh_from_db()
    assert "<p>New <em>first</em> words.</p>" in page.body_html
    assert page.revisions.count() == revisions_before + 1
    assert page.revisions.first().created_by.is_superuser


def test_sanitising_strips_scripts_event_handlers_and_javascript_links(admin_client):
    page = Page.objects.get(slug="privacy")
    hostile = (
        "<script>alert('x')</script> Hello <b onclick=\"alert(1)\">you</b> "
        '<a href="javascript:alert(2)">a</a> [b](javascript:alert(3)) <img src=x onerror=alert(4)>'
    )
    edit_page(admin_client, page, **{"sections-0-text": hostile, "sections-0-heading": "<i>Heading</i>"})
    page.refresh_from_db()
    for dangerous in ["<script", "alert(", "onclick", "onerror", "javascript:", "<img", "<i>"]:
        assert dangerous not in page.body_html
    assert "&lt;i&gt;Heading&lt;/i&gt;" in page.body_html, "headings are plain text"


def test_restoring_an_earlier_revision_in_one_action(admin_client, client):
    page = Page.objects.get(slug="privacy")
    original = page.revisions.first()
    versions = page.revisions.count()
    edit_page(admin_client, page, title="Changed title", **{"sections-0-text": "Changed words."})
    assert "Changed words." in client.get("/privacy/").content.decode()

    url = admin_url(Page, "restore", page.pk, original.pk)
    response = admin_client.post(url)
    assert response.status_code == 302
    assert "Changed words." in client.get("/privacy/").content.decode(), "a restore is a draft, not live"
    assert page.revisions.count() == versions + 2, "the restore is itself a revision"

    edit_page(admin_client, Page.objects.get(pk=page.pk))
    page.refresh_from_db()
    assert page.title == "Privacy notice"
    html = client.get("/privacy/").content.decode()
    assert "Changed words." not in html
    assert "Only what you type into the consultation request form" in html


def test_restore_needs_a_post(admin_client):
    page = Page.objects.get(slug="privacy")
    assert admin_client.get(admin_url(Page, "restore", page.pk, page.revisions.first().pk)).status_code == 405


def test_page_history_is_shown_with_restore_buttons(admin_client):
    page = Page.objects.get(slug="privacy")
    html = admin_client.get(admin_url(Page, "change", page.pk)).content.decode()
    assert "Versions of this page" in html
    assert admin_url(Page, "restore", page.pk, page.revisions.first().pk) in html


def test_changing_a_slug_keeps_the_old_address_with_a_permanent_redirect(admin_client, client):
    page = Page.objects.get(slug="relationship-issues")
    edit_page(admin_client, page, slug="relationships")
    response = client.get("/relationship-issues/")
    assert response.status_code == 301
    assert response["Location"] == "/relationships/"
    assert client.get("/relationships/").status_code == 200

    edit_page(admin_client, Page.objects.get(pk=page.pk), slug="relationship-issues")
    assert client.get("/relationship-issues/").status_code == 200, "a page can take back its old address"
    assert client.get("/relationships/").status_code == 301


def test_practice_settings_edit_licensed_states_as_checkboxes(admin_client):
    url = admin_url(PracticeSettings, "change", 1)
    data = form_values(admin_client.get(url).content.decode())
    data.update(licensed_states=["NY", "NJ"], practice_name="Calm Harbor", _save="Save")
    assert admin_client.post(url, data).status_code == 302
    practice = PracticeSettings.load()
    assert practice.licensed_state_codes == ["NY", "NJ"]
    assert practice.practice_name == "Calm Harbor"


def test_practice_settings_list_goes_straight_to_the_one_record(admin_client):
    response = admin_client.get(admin_url(PracticeSettings, "changelist"))
    assert response.status_code == 302
    assert response["Location"] == admin_url(PracticeSettings, "change", 1)


def test_revisions_are_kept_per_save(db):
    page = make_page()
    assert PageRevision.objects.filter(page=page).count() == 1


def test_the_daily_summary_time_is_set_in_practice_settings_and_names_the_time_zone(admin_client, settings):
    settings.TIME_ZONE = "America/Chicago"
    url = admin_url(PracticeSettings, "change", 1)
    html = admin_client.get(url).content.decode()
    assert 'name="digest_time"' in html
    assert "Counts only, and only on days with something to say." in html
    assert "The practice's time zone is America/Chicago." in html
    data = form_values(html)
    data.update(digest_time="07:15", _save="Save")
    assert admin_client.post(url, data).status_code == 302
    assert PracticeSettings.load().digest_time == time(7, 15)
