"""Admin's "Compare versions" page (pages/compare_view.py): which versions, named how, and who may see it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.models import Page, PageRevision
from tests.accounts.signing_in import sign_in
from tests.html import texts
from tests.pages.factories import make_page

SAVED = datetime(2026, 11, 27, 20, 4, tzinfo=UTC)


def compare_url(page, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("admin:pages_page_compare", args=[page.pk]) + (f"?{query}" if query else "")


def save_version(page, minutes_later, user=None, **changes):
    """Another revision of the page, `minutes_later` than SAVED, its first section's text and fields changed."""
    content = dict(page.revisions.first().content)
    text = changes.pop("text", None)
    if text is not None:
        content["sections"] = [dict(content["sections"][0], text=text), *content["sections"][1:]]
    revision = PageRevision.objects.create(page=page, created_by=user, content=content | changes)
    PageRevision.objects.filter(pk=revision.pk).update(created_at=SAVED + timedelta(minutes=minutes_later))
    return revision


@pytest.fixture
def page_with_versions(db):
    """A live page saved three times: live first, then two drafts; the draft revision is the last."""
    page = make_page(title="Anxiety", sections=[("Fees", "Sessions cost $150.")])
    first = page.revisions.get()
    PageRevision.objects.filter(pk=first.pk).update(created_at=SAVED)
    second = save_version(page, 10, text="Sessions cost $160.")
    third = save_version(page, 20, text="Sessions cost $160, paid by card.", title="Anxiety help")
    Page.objects.filter(pk=page.pk).update(live_revision=first, draft_revision=third)
    return page, first, second, third


def shown(html):
    """The compared text as a person reads it, the hidden words for screen readers included."""
    return [text for _, text in texts(html, "ins", "del")]


def test_by_default_compares_the_draft_with_the_version_saved_before_it(admin_client, page_with_versions):
    """Without choices: the draft, against the version saved just before it."""
    page, first, second, third = page_with_versions
    response = admin_client.get(compare_url(page))
    assert response.status_code == 200
    assert (response.context["older"].pk, response.context["newer"].pk) == (second.pk, third.pk)
    html = response.content.decode()
    assert shown(html) == ["added: help", "added: , paid by card"]
    assert "3 words added" in html
    assert "Heading" not in [text for _, text in texts(html, "p")], "an unchanged heading is not shown twice"


def test_without_a_draft_compares_the_live_version_with_the_one_before(admin_client, page_with_versions):
    """No draft: the live version is the newer side, even when later versions exist."""
    page, first, second, third = page_with_versions
    Page.objects.filter(pk=page.pk).update(live_revision=second, draft_revision=None)
    response = admin_client.get(compare_url(page))
    assert (response.context["older"].pk, response.context["newer"].pk) == (first.pk, second.pk)
    assert "1 word added, 1 removed" in response.content.decode()


def test_neither_live_nor_draft_compares_the_newest_two(admin_client, page_with_versions):
    """A page never published compares its newest version with the one before."""
    page, first, second, third = page_with_versions
    Page.objects.filter(pk=page.pk).update(live_revision=None, draft_revision=None)
    response = admin_client.get(compare_url(page))
    assert (response.context["older"].pk, response.context["newer"].pk) == (second.pk, third.pk)


def test_chosen_versions_are_compared_and_selected_in_the_form(admin_client, page_with_versions):
    """?from= and ?to= pick the versions; the selects show them chosen."""
    page, first, second, third = page_with_versions
    html = admin_client.get(compare_url(page, **{"from": first.pk, "to": third.pk})).content.decode()
    assert shown(html) == ["added: help", "removed: 150", "added: 160, paid by card"]
    assert f'<option value="{first.pk}" selected>' in html
    assert f'<option value="{third.pk}" selected>' in html
    assert '<label for="compare-from">' in html and '<label for="compare-to">' in html


def test_the_first_version_has_nothing_earlier_to_compare(admin_client, page_with_versions):
    """Choosing the first version shows that there is nothing before it, not an error."""
    page, first, *_ = page_with_versions
    response = admin_client.get(compare_url(page, to=first.pk))
    assert response.status_code == 200
    assert "there is no earlier one to compare it with" in response.content.decode()


def test_the_same_version_twice_says_no_changes(admin_client, page_with_versions):
    """A version compared with itself: "No changes"."""
    page, first, *_ = page_with_versions
    html = admin_client.get(compare_url(page, **{"from": first.pk, "to": first.pk})).content.decode()
    assert "No changes" in html
    assert shown(html) == []


def test_live_and_draft_versions_are_marked(admin_client, page_with_versions):
    """Each side says whether it is the live version or the draft, and the selects do too."""
    page, first, second, third = page_with_versions
    html = admin_client.get(compare_url(page, **{"from": first.pk, "to": third.pk})).content.decode()
    markers = [text for _, text in texts(html, "span") if text in {"live", "draft"}]
    assert markers == ["live", "draft"]
    assert "27 November 2026, 3:04 pm · live</option>" in html, "no one to name: left out"


def test_saved_times_are_in_the_practices_time_zone_with_who_saved(
    admin_client, page_with_versions, settings
):
    """Times are shown in settings.TIME_ZONE, not UTC, with the saver's full name or username."""
    settings.TIME_ZONE = "America/Los_Angeles"
    page, first, second, third = page_with_versions
    therapist = User.objects.create_user("drwells", first_name="Ann", last_name="Wells")
    helper = User.objects.create_user("helper")
    PageRevision.objects.filter(pk=second.pk).update(created_by=therapist)
    PageRevision.objects.filter(pk=third.pk).update(created_by=helper)
    html = admin_client.get(compare_url(page)).content.decode()
    assert "Saved 27 November 2026, 12:14 pm" in html
    assert "Saved 27 November 2026, 12:24 pm" in html
    assert "By Ann Wells" in html and "By helper" in html
    assert "8:14 pm" not in html, "UTC is not the practice's time"


def test_a_version_of_another_page_is_not_found(admin_client, page_with_versions):
    """A revision id from another page (or not a number) gives a 404, never a 500."""
    page, first, *_ = page_with_versions
    other = make_page(title="Other")
    foreign = other.revisions.get()
    assert admin_client.get(compare_url(page, to=foreign.pk)).status_code == 404
    assert admin_client.get(compare_url(page, **{"from": foreign.pk})).status_code == 404
    assert admin_client.get(compare_url(page, to="abc")).status_code == 404
    assert admin_client.get(reverse("admin:pages_page_compare", args=[999999])).status_code == 404


def test_staff_without_permission_to_view_pages_are_refused(client, page_with_versions):
    """A staff member who may neither view nor change pages gets 403; given the view permission, the page."""
    page, *_ = page_with_versions
    helper = User.objects.create_user("helper", is_staff=True)
    sign_in(client, helper)
    assert client.get(compare_url(page)).status_code == 403
    helper.user_permissions.add(Permission.objects.get(codename="view_page"))
    assert client.get(compare_url(page)).status_code == 200


def test_staff_who_may_change_pages_may_compare_them(client, page_with_versions):
    """Change permission includes viewing, as everywhere in Django's admin."""
    page, *_ = page_with_versions
    editor = User.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_page"))
    sign_in(client, editor)
    assert client.get(compare_url(page)).status_code == 200


def test_section_text_is_escaped(admin_client, page_with_versions):
    """What a section says is shown as text: a script in it never runs."""
    page, first, second, third = page_with_versions
    hostile = save_version(page, 30, text="<script>alert(1)</script> and <b>bold</b>", title="<i>T</i>")
    html = admin_client.get(compare_url(page, to=hostile.pk)).content.decode()
    assert "<script>alert" not in html and "<b>bold" not in html and "<i>T" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_breadcrumbs_lead_back_to_the_page(admin_client, page_with_versions):
    """Home › Website pages › the page › Compare versions, each a link but the last."""
    page, *_ = page_with_versions
    html = admin_client.get(compare_url(page)).content.decode()
    crumbs = [text for _, text in texts(html, "li") if text.strip()][:4]
    assert crumbs == ["Home", "Pages", "Anxiety", "Compare versions"]
    assert reverse("admin:pages_page_change", args=[page.pk]) in html


def test_a_page_without_versions_says_so(admin_client):
    """A page no save has kept a version of yet: a sentence, not an error."""
    page = Page.objects.create(title="Bare", slug="bare", summary="s")
    response = admin_client.get(compare_url(page))
    assert response.status_code == 200
    assert "no saved versions yet" in response.content.decode()


def test_photos_are_named_by_their_titles(admin_client, page_with_versions, media_root):
    """A section's new photo is named by its title, looked up for the page."""
    from tests.pages.photo_helpers import make_photo

    page, first, *_ = page_with_versions
    office = make_photo(title="Office")
    content = first.content | {"sections": [dict(first.content["sections"][0], photo_id=office.pk)]}
    with_photo = PageRevision.objects.create(page=page, content=content)
    html = admin_client.get(compare_url(page, **{"from": first.pk, "to": with_photo.pk})).content.decode()
    assert "Photo added: “Office”." in html


def test_the_queries_do_not_grow_with_the_number_of_versions(admin_client, page_with_versions):
    """Every version is listed, but only the two compared are read whole: a long history costs no more queries."""
    page, first, *_ = page_with_versions
    admin_client.get(compare_url(page))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(compare_url(page))
    for minutes in range(30, 40):
        save_version(page, minutes, text=f"Version {minutes}.")
    admin_client.get(
        compare_url(page)
    )  # the edits moved the content version: what is kept per version is read again
    with CaptureQueriesContext(connection) as many:
        admin_client.get(compare_url(page))
    assert len(many) == len(few)
    versions = admin_client.get(compare_url(page)).context["versions"]
    assert len(versions) == page.revisions.count()
    assert all("content" in version.revision.get_deferred_fields() for version in versions)
