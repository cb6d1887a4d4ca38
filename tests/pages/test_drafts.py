"""A live page stays live and unchanged for visitors while its draft is edited, previewed, scheduled and published."""

import importlib
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from pages import drafts
from pages.models import Page, PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.html import form_values
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def change_url(page):
    return reverse("admin:pages_page_change", args=[page.pk])


def submit(admin_client, page, button, **changes):
    """The page's change form as the browser sends it, with some fields changed, by one of its buttons."""
    data = form_values(admin_client.get(change_url(page)).content.decode())
    data.update(changes)
    data[button] = "x"
    return admin_client.post(change_url(page), data, follow=True)


def in_a_day():
    """The form's "publish at" date and time, a day from now on the practice's clock."""
    at = timezone.localtime() + timedelta(days=1)
    return {"publish_at_0": at.strftime("%Y-%m-%d"), "publish_at_1": at.strftime("%H:%M:%S")}


def live_service(**kwargs):
    return make_page(
        slug="couples",
        title="Couples therapy",
        kind=Page.Kind.SERVICE,
        show_in_menu=True,
        sections=[("How it works", "We meet weekly.")],
        **kwargs,
    )


def test_saving_a_draft_of_a_live_page_changes_nothing_visitors_see(admin_client, client):
    page = live_service()
    before = client.get("/couples/").content
    response = submit(
        admin_client,
        page,
        "_continue",
        title="Couples counselling",
        **{"sections-0-text": "We meet fortnightly."},
    )
    assert "Live, with a draft: visitors see the published version until you press Publish." in (
        response.content.decode()
    )
    assert client.get("/couples/").content == before
    page.refresh_from_db()
    assert page.title == "Couples therapy" and "weekly" in page.body_html
    form = admin_client.get(change_url(page)).content.decode()
    assert "Couples counselling" in form and "We meet fortnightly." in form, "the form shows the draft"
    assert (
        "published, with a draft" in admin_client.get(reverse("admin:pages_page_changelist")).content.decode()
    )


def test_publish_puts_the_draft_live_and_it_becomes_the_live_version(admin_client, client):
    page = live_service()
    submit(admin_client, page, "_continue", **{"sections-0-text": "We meet fortnightly."})
    draft = Page.objects.get(pk=page.pk).draft_revision
    response = submit(admin_client, page, "_publish")
    assert "Live: visitors see this version." in response.content.decode()
    assert "fortnightly" in client.get("/couples/").content.decode()
    page.refresh_from_db()
    assert page.live_revision == draft and page.draft_revision is None


def test_saving_without_changes_keeps_no_draft(admin_client):
    page = live_service()
    versions = page.revisions.count()
    submit(admin_client, page, "_continue")
    page.refresh_from_db()
    assert page.draft_revision is None and page.revisions.count() == versions


def test_a_scheduled_draft_goes_live_at_its_time_on_the_next_request_without_any_job(admin_client, client):
    page = live_service()
    response = submit(
        admin_client,
        page,
        "_publish",
        **in_a_day(),
        **{"sections-0-text": "We meet fortnightly."},
    )
    assert "Live, with changes scheduled: visitors see the new version from" in response.content.decode()
    assert "weekly" in client.get("/couples/").content.decode()
    assert Page.objects.next_change_at() is not None

    Page.objects.filter(pk=page.pk).update(draft_publish_at=timezone.now() - timedelta(seconds=1))
    assert "fortnightly" in client.get("/couples/").content.decode()
    page.refresh_from_db()
    assert page.draft_revision is None and page.draft_publish_at is None and page.is_live


def test_a_scheduled_draft_changes_its_title_in_the_menu_of_the_page_that_brings_it_live(client):
    page = live_service()
    page.title = "Couples counselling"
    drafts.save_draft(page, user=None)
    Page.objects.filter(pk=page.pk).update(draft_publish_at=timezone.now() - timedelta(seconds=1))
    assert "Couples counselling" in client.get("/").content.decode()


def test_editing_a_scheduled_draft_calls_the_schedule_off(admin_client, client):
    page = live_service()
    submit(admin_client, page, "_publish", **in_a_day(), **{"sections-0-text": "Fortnightly."})
    response = submit(admin_client, page, "_continue", **{"sections-0-text": "Monthly."})
    page.refresh_from_db()
    assert page.draft_publish_at is None, "what goes live at a time is what was approved"
    assert "until you press Publish" in response.content.decode()


def test_editing_a_page_scheduled_for_its_first_publication_calls_that_off_too(admin_client):
    page = make_page(slug="soon", publish_at=timezone.now() + timedelta(days=2))
    submit(admin_client, page, "_continue", title="Soon, changed")
    page.refresh_from_db()
    assert page.status == Page.Status.DRAFT and not page.is_live


def test_publishing_a_new_page_with_a_future_time_schedules_it(admin_client, client):
    page = make_page(slug="new", status=Page.Status.DRAFT)
    response = submit(
        admin_client,
        page,
        "_publish",
        **in_a_day(),
    )
    assert "Scheduled: it goes live" in response.content.decode()
    assert client.get("/new/").status_code == 404
    submit(admin_client, page, "_publish", publish_at_0="", publish_at_1="")
    assert client.get("/new/").status_code == 200


def test_a_drafted_address_change_takes_effect_only_when_published(admin_client, client):
    page = live_service()
    submit(admin_client, page, "_continue", slug="couples-therapy")
    assert client.get("/couples/").status_code == 200
    assert client.get("/couples-therapy/").status_code == 404
    submit(admin_client, page, "_publish")
    assert client.get("/couples-therapy/").status_code == 200
    assert client.get("/couples/")["Location"] == "/couples-therapy/"


def test_publishing_an_address_another_page_took_meanwhile_is_refused_by_the_form(admin_client, client):
    page = live_service()
    submit(admin_client, page, "_continue", slug="together")
    make_page(slug="together", title="Together")
    response = submit(admin_client, page, "_publish")
    assert "Another page already has this address." in response.content.decode()
    assert client.get("/couples/").status_code == 200


def test_a_scheduled_draft_whose_address_was_taken_stays_a_draft_and_the_page_stays_live(client):
    page = live_service()
    page.slug = "together"
    drafts.save_draft(page, user=None)
    Page.objects.filter(pk=page.pk).update(draft_publish_at=timezone.now() - timedelta(seconds=1))
    make_page(slug="together", title="Together")
    assert client.get("/couples/").status_code == 200
    page.refresh_from_db()
    assert page.slug == "couples" and page.draft_revision and page.draft_publish_at is None


def test_preview_shows_the_draft_with_the_visitors_template_under_a_banner(admin_client, client):
    page = live_service()
    submit(
        admin_client, page, "_continue", **{"sections-0-text": "We meet fortnightly. [click here](/fees/)"}
    )
    response = admin_client.get(reverse("admin:pages_page_preview", args=[page.pk]))
    html = response.content.decode()
    assert "fortnightly" in html and "<strong>Preview.</strong>" in html
    assert "Request a free consultation" in html, "a service page's own template"
    assert "A link says “click here”" in html, "the checks are shown in the preview"
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert response["X-Robots-Tag"] == "noindex"
    assert "fortnightly" not in client.get("/couples/").content.decode()


def test_preview_is_for_staff_only(client, django_user_model):
    page = live_service()
    url = reverse("admin:pages_page_preview", args=[page.pk])
    assert client.get(url).status_code == 302, "signed-out visitors are sent to sign in"
    staff = django_user_model.objects.create_user("helper", password="x", is_staff=True)
    sign_in(client, staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_page"))
    assert client.get(url).status_code == 200


def test_the_form_opens_preview_in_a_new_tab_and_enter_saves_a_draft(admin_client):
    page = live_service()
    html = admin_client.get(change_url(page)).content.decode()
    preview = reverse("admin:pages_page_preview", args=[page.pk])
    assert f'href="{preview}" target="_blank" rel="noopener"' in html
    assert "(opens in a new tab)" in html
    assert html.index('value="Save draft"') < html.index('value="Publish"'), "Enter sends the first button"


def test_unpublish_is_its_own_step_listing_what_links_to_the_page(admin_client, client):
    page = live_service()
    make_page(slug="about-me", title="About me", sections=[("", "See [couples work](/couples/).")])
    PracticeSettings.objects.update_or_create(pk=1, defaults={"privacy_page": page})
    url = reverse("admin:pages_page_unpublish", args=[page.pk])
    html = admin_client.get(url).content.decode()
    for warning in [
        "The menu at the top of every page.",
        "The list of services on the home page.",
        "The privacy link in the footer",
        "The page “About me” links to it in its text.",
    ]:
        assert warning in html
    assert client.get("/couples/").status_code == 200, "nothing happens on GET"
    admin_client.post(url)
    assert client.get("/couples/").status_code == 404
    page.refresh_from_db()
    assert page.status == Page.Status.DRAFT and page.live_revision is None


def test_unpublishing_keeps_the_latest_draft_for_the_therapist(admin_client):
    page = live_service()
    submit(admin_client, page, "_continue", title="Couples counselling")
    admin_client.post(reverse("admin:pages_page_unpublish", args=[page.pk]))
    page.refresh_from_db()
    assert page.title == "Couples counselling" and page.draft_revision is None


def test_unpublishing_the_home_page_warns_that_the_sites_address_would_show_nothing(admin_client):
    home = Page.objects.get(kind=Page.Kind.HOME)
    html = admin_client.get(reverse("admin:pages_page_unpublish", args=[home.pk])).content.decode()
    assert "This is the home page: the site's own address would show “page not found”." in html.replace(
        "&#x27;", "'"
    )


def test_a_page_with_nothing_linking_to_it_says_so(admin_client):
    page = make_page(slug="lonely", title="Lonely")
    html = admin_client.get(reverse("admin:pages_page_unpublish", args=[page.pk])).content.decode()
    assert "Nothing else on the site links to it." in html


def test_restoring_on_a_live_page_makes_a_draft_and_visitors_keep_the_live_version(admin_client, client):
    page = live_service()
    first = page.revisions.first()
    submit(
        admin_client, page, "_publish", title="Couples work", **{"sections-0-text": "We meet fortnightly."}
    )
    admin_client.post(reverse("admin:pages_page_restore", args=[page.pk, first.pk]))
    html = client.get("/couples/").content.decode()
    assert "fortnightly" in html and "<h1>Couples work</h1>" in html
    page.refresh_from_db()
    assert page.draft_revision.content["sections"][0]["text"] == "We meet weekly."
    submit(admin_client, page, "_publish")
    assert "weekly" in client.get("/couples/").content.decode()


def test_restoring_the_live_version_drops_the_draft(admin_client):
    page = live_service()
    live = page.live_revision
    submit(admin_client, page, "_continue", title="Changed")
    admin_client.post(reverse("admin:pages_page_restore", args=[page.pk, live.pk]))
    page.refresh_from_db()
    assert page.draft_revision is None


def test_versions_are_listed_on_the_practice_clock_with_who_saved_them_and_which_is_live(
    admin_client, admin_user, settings
):
    settings.TIME_ZONE = "America/Los_Angeles"
    admin_user.first_name, admin_user.last_name = "Dana", "Wells"
    admin_user.save()
    page = live_service()
    submit(admin_client, page, "_continue", title="Changed")
    page.refresh_from_db()
    html = admin_client.get(change_url(page)).content.decode()
    saved = page.draft_revision.created_at
    pacific = saved.astimezone(ZoneInfo("America/Los_Angeles"))
    assert f"{pacific:%-d %B %Y, %-I:%M}" in html
    assert f"{saved.astimezone(UTC):%H:%M}" not in html, "one clock: never UTC beside it"
    assert "Dana Wells" in html
    assert "Live: what visitors see" in html and "Draft: not live yet" in html


def test_a_version_scheduled_for_a_first_publication_is_marked_with_its_time(admin_client):
    page = make_page(slug="new", status=Page.Status.DRAFT)
    submit(
        admin_client,
        page,
        "_publish",
        **in_a_day(),
    )
    assert "Scheduled: goes live" in admin_client.get(change_url(page)).content.decode()


def test_the_migration_marks_each_published_pages_newest_version_live():
    migration = importlib.import_module("pages.migrations.0008_drafts_of_live_pages")
    live = make_page(slug="live")
    draft = make_page(slug="draft", status=Page.Status.DRAFT)
    Page.objects.update(live_revision=None)
    migration.mark_live_versions(apps, None)
    assert Page.objects.get(pk=live.pk).live_revision == live.revisions.first()
    assert Page.objects.get(pk=draft.pk).live_revision is None


def test_the_next_change_is_the_earliest_scheduled_page_or_draft():
    assert Page.objects.next_change_at() is None
    soon, later = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(hours=2)
    make_page(slug="later", publish_at=later)
    assert Page.objects.next_change_at() == later
    page = live_service()
    Page.objects.filter(pk=page.pk).update(draft_publish_at=soon)
    assert Page.objects.next_change_at() == soon
    make_page(slug="past", publish_at=timezone.now() - timedelta(hours=1))
    make_page(slug="draft", status=Page.Status.DRAFT, publish_at=timezone.now() + timedelta(minutes=5))
    assert Page.objects.next_change_at() == soon, "past times and unpublished drafts change nothing"


def test_each_version_links_to_what_changed_in_it(admin_client):
    page = live_service()
    html = admin_client.get(change_url(page)).content.decode()
    compare = reverse("admin:pages_page_compare", args=[page.pk])
    assert f'href="{compare}?to={page.live_revision_id}"' in html


def test_restoring_a_version_whose_address_another_page_took_keeps_the_current_address():
    page = make_page(slug="first", status=Page.Status.DRAFT)
    old = page.revisions.first()
    page.slug = "second"
    page.save()
    make_page(slug="first", title="Newcomer")
    drafts.restore(old, user=None)
    page.refresh_from_db()
    assert page.slug == "second"
