"""History the therapist controls: discard a draft, remove a version (never the live one), audited by number."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from pages.models import Page, PageRevision
from tests.html import form_values
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def save_draft(admin_client, page, **changes):
    data = form_values(admin_client.get(change_url(page)).content.decode()) | changes | {"_continue": "yes"}
    response = admin_client.post(change_url(page), data)
    assert response.status_code == 302
    return Page.objects.get(pk=page.pk)


def live_page():
    return make_page(title="About", slug="about-me", sections=[("Hello", "Live words.")])


def test_discard_draft_brings_the_live_version_back_to_the_form_and_removes_the_draft(admin_client):
    page = live_page()
    page = save_draft(admin_client, page, **{"sections-0-text": "Call Jane Doe on 555-201-3344."})
    draft = page.draft_revision
    form = admin_client.get(change_url(page)).content.decode()
    assert "Discard draft" in form
    url = reverse("admin:pages_page_discard_draft", args=[page.pk])
    response = admin_client.post(url, follow=True)
    html = response.content.decode()
    assert f"The draft (version {draft.number}) is discarded" in html
    assert "Live words." in html and "Jane Doe" not in html
    assert not PageRevision.objects.filter(pk=draft.pk).exists()
    page.refresh_from_db()
    assert page.draft_revision_id is None
    assert page.sections.get().text == "Live words."
    assert "Live words." in Client().get("/about-me/").content.decode()
    entry = LogEntry.objects.filter(object_id=str(page.pk)).latest("action_time")
    assert entry.get_change_message() == f"Discarded the draft (version {draft.number})."


def test_a_kept_version_is_removed_after_a_question_and_the_history_names_its_number(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT)
    page = save_draft(admin_client, page, **{"sections-0-text": "Jane Doe paid."})
    slip = page.revisions.first()
    page = save_draft(admin_client, page, **{"sections-0-text": "Fees are listed."})
    url = reverse("admin:pages_page_remove_version", args=[page.pk, slip.pk])
    question = admin_client.get(url).content.decode()
    assert f"Remove version {slip.number} of “Fees”?" in question
    admin_client.post(url)
    assert not PageRevision.objects.filter(pk=slip.pk).exists()
    history = admin_client.get(reverse("admin:pages_page_history", args=[page.pk])).content.decode()
    assert f"Removed version {slip.number} (a kept version)." in history


def test_the_live_version_cannot_be_removed(admin_client):
    page = live_page()
    live = Page.objects.get(pk=page.pk).live_revision
    form = admin_client.get(change_url(page)).content.decode()
    assert reverse("admin:pages_page_remove_version", args=[page.pk, live.pk]) not in form
    response = admin_client.post(
        reverse("admin:pages_page_remove_version", args=[page.pk, live.pk]), follow=True
    )
    assert f"Version {live.number} is what visitors see, so it stays." in response.content.decode()
    assert PageRevision.objects.filter(pk=live.pk).exists()


def test_removing_the_draft_version_discards_the_draft(admin_client):
    page = save_draft(admin_client, live_page(), **{"sections-0-text": "Drafted."})
    admin_client.post(reverse("admin:pages_page_remove_version", args=[page.pk, page.draft_revision_id]))
    page.refresh_from_db()
    assert page.draft_revision_id is None and page.sections.get().text == "Live words."


def test_the_checks_name_the_version_that_still_holds_a_flagged_detail(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT)
    page = save_draft(admin_client, page, **{"sections-0-text": "Write to jane.doe@example.net today."})
    slip = page.revisions.first()
    page = save_draft(admin_client, page, **{"sections-0-text": "Fees are listed."})
    form = admin_client.get(change_url(page)).content.decode()
    assert (
        f"<strong>Version {slip.number}:</strong> The email address jane.doe@example.net is still kept in "
        "this version. Remove it under “Versions of this page” if it should not be kept." in form
    )
    admin_client.post(reverse("admin:pages_page_remove_version", args=[page.pk, slip.pk]))
    assert "jane.doe@example.net" not in admin_client.get(change_url(page)).content.decode()


def test_two_versions_saved_in_one_minute_read_differently(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT)
    save_draft(admin_client, page, **{"sections-0-text": "One."})
    save_draft(admin_client, page, **{"sections-0-text": "Two."})
    labels = [str(revision) for revision in page.revisions.all()]
    assert len(labels) == len(set(labels)) == 3
    numbers = sorted(revision.number for revision in page.revisions.all())
    assert numbers == [1, 2, 3]


def test_the_checks_name_each_detail_a_live_version_holds_in_plain_words(admin_client):
    page = make_page(title="Fees", slug="fees-page", sections=[("Cost", "Jessica Alvarez: 555-201-3344.")])
    live = Page.objects.get(pk=page.pk).live_revision
    page = save_draft(admin_client, page, **{"sections-0-text": "Fees are listed."})
    form = admin_client.get(change_url(page)).content.decode()
    assert (
        f"<strong>Version {live.number}:</strong> The phone number 555-201-3344 and the name “Jessica Alvarez” "
        "are still kept in this version. It is what visitors see: publish a version without them, then remove "
        "this one." in form
    )
