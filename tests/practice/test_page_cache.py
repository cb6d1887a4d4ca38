import pickle
import signal
import socket
import time
import uuid
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.models import Concern
from pages.drafts import publish, restore, save_draft
from pages.freshness import page_cache
from pages.freshness.page_cache import code_fingerprint
from pages.models import ContentVersion, Page, PracticeSettings, SlugRedirect
from practice.settings import redis_cache
from tests.pages.factories import make_page
from tests.postgresql import only_on_postgresql

pytestmark = pytest.mark.django_db


def visit(client, path, method="get", **headers):
    """
    Ask for a page; `response.from_cache` says whether the cache answered with a saved page, which
    costs exactly one query (the content version).
    """
    with (
        CaptureQueriesContext(connection) as queries,
        patch.object(page_cache, "response_from", wraps=page_cache.response_from) as served,
    ):
        response = getattr(client, method)(path, **headers)
    response.from_cache = served.called
    if response.from_cache:
        assert len(queries) == 1, [query["sql"] for query in queries]
    return response


def cached_twice(client, path):
    """Visit twice, so the page is saved; the second visit must come from the cache."""
    first = visit(client, path)
    second = visit(client, path)
    assert second.from_cache, f"{path} was not saved"
    assert second.content == first.content
    return second


def saved_entries():
    """Every page the cache holds, as saved (LocMemCache keeps them pickled; the form's drawings are not pages)."""
    cache = caches["default"]
    pages = [value for key, value in cache._cache.items() if ":page:" in key]
    return [pickle.loads(value) for value in pages]  # noqa: S301 - the test's own cache


def wait_until(moment):
    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.05)


def test_an_anonymous_visitor_gets_the_saved_page_from_the_second_visit_on(client):
    """The first visit makes the page; the next ones are served from the cache, the same bytes."""
    make_page(slug="rates", title="Fees")
    assert not visit(client, "/rates/").from_cache
    cached_twice(client, "/rates/")
    cached_twice(client, "/")


def test_sitemap_and_robots_txt_are_cached_too(client):
    """The sitemap and robots.txt are public pages like the others."""
    cached_twice(client, "/sitemap.xml")
    cached_twice(client, "/robots.txt")


def test_saving_a_page_shows_on_the_next_request(client):
    """A saved page row is what the very next visitor reads."""
    page = make_page(slug="rates", title="Fees")
    cached_twice(client, "/rates/")
    page.title = "Fees and insurance"
    page.save()
    response = visit(client, "/rates/")
    assert not response.from_cache
    assert "Fees and insurance" in response.content.decode()


def test_saving_a_section_makes_the_next_request_a_fresh_page(client):
    """A section saved on its own already retires the saved page, before the page's body is rendered again."""
    page = make_page(slug="rates", sections=[("", "Old words.")])
    cached_twice(client, "/rates/")
    section = page.sections.get()
    section.text = "New words."
    section.save()
    assert not visit(client, "/rates/").from_cache


def test_saving_the_practice_settings_shows_on_the_next_request(client):
    """The practice's name in the header changes on every page at once."""
    cached_twice(client, "/")
    practice = PracticeSettings.load()
    practice.practice_name = "Harbor Street Counselling"
    practice.save()
    response = visit(client, "/")
    assert not response.from_cache
    assert "Harbor Street Counselling" in response.content.decode()


def test_a_changed_form_choice_makes_the_next_request_a_fresh_page(client):
    """A choice added in admin, or retired by a bulk update, retires every saved page."""
    cached_twice(client, "/")
    Concern.objects.create(label="Grief and loss")
    cached_twice(client, "/")
    Concern.objects.filter(label="Grief and loss").update(active=False)
    assert not visit(client, "/").from_cache


def test_a_changed_redirect_shows_on_the_next_request(client):
    """An old address pointed elsewhere (a bulk update, no save signal) redirects there at once."""
    first, second = make_page(slug="first"), make_page(slug="second")
    SlugRedirect.objects.create(old_slug="old", page=first)
    assert cached_twice(client, "/old/")["Location"] == "/first/"
    SlugRedirect.objects.filter(old_slug="old").update(page=second)
    response = visit(client, "/old/")
    assert not response.from_cache
    assert response["Location"] == "/second/"


def test_restoring_a_revision_retires_the_saved_page_and_shows_once_published(client):
    """Restoring an earlier version (sections deleted and bulk-created) is seen by the next request."""
    page = make_page(slug="rates", sections=[("", "First words.")])
    first_version = page.live_revision
    page.sections.update(text="Second words.")
    save_draft(page, user=None)
    publish(page)
    assert "Second words." in cached_twice(client, "/rates/").content.decode()
    restore(first_version, user=None)
    assert not visit(client, "/rates/").from_cache
    publish(page)
    response = visit(client, "/rates/")
    assert not response.from_cache
    assert "First words." in response.content.decode()


def test_a_scheduled_page_shows_at_its_time_with_no_job(client):
    """A page whose publish-at time passes is in the menu of the next request, though nothing was saved."""
    at = timezone.now() + timedelta(seconds=1.5)
    make_page(slug="groups", title="Groups", show_in_menu=True, publish_at=at)
    assert "Groups" not in cached_twice(client, "/").content.decode()
    wait_until(at)
    response = visit(client, "/")
    assert not response.from_cache
    assert "Groups" in response.content.decode()


def test_a_scheduled_draft_goes_live_at_its_time_on_the_next_request(client):
    """A live page's changes scheduled for a time are brought live by the first request after it."""
    page = make_page(slug="rates", title="Fees")
    page.title = "Fees from January"
    save_draft(page, user=None)
    at = timezone.now() + timedelta(seconds=1.5)
    publish(page, at=at)
    assert "Fees from January" not in cached_twice(client, "/rates/").content.decode()
    wait_until(at)
    response = visit(client, "/rates/")
    assert "Fees from January" in response.content.decode()
    assert Page.objects.get(pk=page.pk).title == "Fees from January"


def test_a_new_release_never_meets_pages_saved_by_the_last(client, settings, tmp_path):
    """Changed templates or code (a deploy) mean other keys: pages saved before are not served."""
    template = tmp_path / "extra.html"
    template.write_text("one")
    settings.TEMPLATES = [settings.TEMPLATES[0] | {"DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    code_fingerprint.cache_clear()
    make_page(slug="rates")
    cached_twice(client, "/rates/")
    template.write_text("two")
    code_fingerprint.cache_clear()
    assert not visit(client, "/rates/").from_cache
    code_fingerprint.cache_clear()


def test_a_changed_setting_never_meets_pages_saved_before_it(client, settings):
    """A setting pages show (the days requests are kept) changed by a restart is shown at once."""
    make_page(slug="rates")
    cached_twice(client, "/rates/")
    settings.INTAKE_RETENTION_DAYS += 1
    assert not visit(client, "/rates/").from_cache


def test_every_change_to_the_content_moves_the_version():
    """The triggers move the number on a save, a bulk update, a bulk create and a delete."""
    page = make_page(slug="rates")
    seen = [ContentVersion.current()]
    page.save()
    seen.append(ContentVersion.current())
    Page.objects.filter(pk=page.pk).update(menu_order=5)
    seen.append(ContentVersion.current())
    page.sections.model.objects.bulk_create([page.sections.model(page=page, text="More.")])
    seen.append(ContentVersion.current())
    page.sections.all().delete()
    seen.append(ContentVersion.current())
    assert seen == sorted(set(seen)), seen


def test_staff_are_never_served_from_the_cache_nor_saved_into_it(admin_client):
    """A signed-in request makes its own page, marked private, and leaves nothing a visitor could get."""
    client = Client()  # pytest-django's `client` is the one admin_client signs in
    make_page(slug="rates", title="Fees")
    make_page(slug="unfinished", title="Unfinished draft", status=Page.Status.DRAFT)
    cached_twice(client, "/rates/")
    staff = visit(admin_client, "/rates/")
    assert not staff.from_cache
    assert staff["Cache-Control"] == "private, no-store"
    admin_client.get("/unfinished/")
    admin_client.get("/unfinished/")
    assert visit(client, "/unfinished/").status_code == 404
    assert not any(b"Unfinished draft" in entry["content"] for entry in saved_entries())


def test_a_request_with_a_session_is_never_served_from_the_cache(client):
    """Any session cookie, even one unknown to the site, means a page made for that request."""
    make_page(slug="rates")
    cached_twice(client, "/rates/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "some-session"
    for _ in range(2):
        response = visit(client, "/rates/")
        assert not response.from_cache
        assert response["Cache-Control"] == "private, no-store"


def test_a_response_that_sets_a_cookie_is_never_saved_nor_public(client, settings):
    """A page that sets a cookie is made for each request and kept by nobody."""
    settings.ROOT_URLCONF = "tests.practice.page_cache_urls"
    for _ in range(2):
        response = visit(client, "/choose/")
        assert not response.from_cache
        assert "chosen" in response.cookies
        assert response["Cache-Control"] == "private, no-store"
        assert not response.has_header("ETag")
    assert saved_entries() == []


def test_no_saved_response_carries_a_cookie_or_anything_staff_saw(admin_client, settings):
    """After visitors, staff and a cookie-setting page, the cache holds only pages anyone may read."""
    client = Client()
    make_page(slug="rates", title="Fees")
    make_page(slug="unfinished", title="Unfinished draft", status=Page.Status.DRAFT)
    for path in ["/", "/rates/", "/unfinished/", "/sitemap.xml", "/robots.txt"]:
        admin_client.get(path)
        client.get(path)
    settings.ROOT_URLCONF = "tests.practice.page_cache_urls"
    client.get("/choose/")
    entries = saved_entries()
    assert len(entries) == 4
    for entry in entries:
        assert not any(name.lower() == "set-cookie" for name, _ in entry["headers"])
        assert b"Unfinished draft" not in entry["content"]
        assert b"Draft preview" not in entry["content"]
        assert b"/admin/" not in entry["content"].replace(b"Disallow: /admin/", b"")


@pytest.mark.parametrize("path", ["/consultation/", "/consultation/thanks/"])
def test_the_form_and_the_thank_you_page_are_never_cached(client, path):
    """The consultation form and its thank-you page are made for each visitor and kept by no one."""
    for _ in range(2):
        response = visit(client, path)
        assert response.status_code in (200, 302)
        assert not response.from_cache
        assert "no-store" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
    assert saved_entries() == []


def test_a_request_with_a_query_string_is_made_afresh_but_still_public(client):
    """Tracking parameters cannot fill the cache: such a page is made each time."""
    make_page(slug="rates")
    for _ in range(2):
        response = visit(client, "/rates/?utm_source=newsletter")
        assert not response.from_cache
        assert response["Cache-Control"] == "public, max-age=60"
    assert saved_entries() == []


def test_a_head_request_is_served_from_the_saved_page(client):
    """HEAD gets the same answer as GET, from the cache."""
    make_page(slug="rates")
    cached_twice(client, "/rates/")
    response = visit(client, "/rates/", method="head")
    assert response.status_code == 200
    assert response.from_cache


@pytest.mark.parametrize("path", ["/", "/rates/", "/sitemap.xml", "/robots.txt"])
def test_public_pages_are_public_for_a_minute_with_an_etag(client, path):
    """Anonymous visitors' public pages say `public, max-age=60` and carry an ETag, made or saved."""
    make_page(slug="rates")
    for _ in range(2):
        response = client.get(path)
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["ETag"].startswith('"')


def test_a_matching_etag_gets_304_without_a_body(client):
    """If-None-Match with the page's ETag is answered 304, whether the page was just made or saved."""
    page = make_page(slug="rates")
    etag = client.get("/rates/")["ETag"]
    response = client.get("/rates/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    page.title = "Something else"
    page.save()
    response = visit(client, "/rates/", HTTP_IF_NONE_MATCH=etag)
    assert not response.from_cache
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert visit(client, "/rates/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize("path", ["/no-such-page/", "/consultation/", "/healthz"])
def test_what_is_not_a_public_page_is_private_and_not_stored(client, path):
    """Missing pages, the form and everything else say `private, no-store` (or their own stricter rule)."""
    cache_control = client.get(path)["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def test_a_cache_out_of_reach_still_serves_pages(client, settings):
    """A cache server that is down costs speed, never the page."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    make_page(slug="rates", title="Fees")
    for _ in range(2):
        response = client.get("/rates/")
        assert response.status_code == 200
        assert "Fees" in response.content.decode()


def test_redis_keeps_the_pages_and_edits_still_show_at_once(client, settings):
    """With CACHE_URL's RedisCache the pages are saved there, and a save retires them like anywhere."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        }
    }
    page = make_page(slug="rates", title="Fees")
    cached_twice(client, "/rates/")
    page.title = "Fees and insurance"
    page.save()
    assert "Fees and insurance" in visit(client, "/rates/").content.decode()
    caches["default"].clear()


@only_on_postgresql("a dropped connection is PostgreSQL's case")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_saved_page_survives_a_connection_the_database_dropped(client):
    """The content version's query replaces a dead connection itself, as Django's health check would."""
    make_page(slug="rates")
    cached_twice(client, "/rates/")
    connection.connection.close()  # what a restarted database leaves behind
    response = client.get("/rates/")
    assert response.status_code == 200


def test_a_cache_server_that_stops_answering_costs_a_second_at_most(client, settings):
    """A Redis that accepts connections but never replies holds a request up by about a second, not forever."""
    silent = socket.create_server(("127.0.0.1", 0))  # listens, never reads nor answers
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")}
    make_page(slug="rates")
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the request waited for the cache for 5 s"))
    signal.alarm(5)
    started = time.monotonic()
    try:
        assert client.get("/rates/").status_code == 200
    finally:
        signal.alarm(0)
        silent.close()
    assert time.monotonic() - started < 2.5


def test_a_worker_keeps_a_bounded_number_of_pages_in_memory():
    """The in-memory copy forgets its oldest page beyond RECENT_PAGES, so a worker's memory stays small."""
    for number in range(page_cache.RECENT_PAGES + 5):
        page_cache.remember(f"key-{number}", {"version": 1})
    assert len(page_cache.recent) == page_cache.RECENT_PAGES
    assert "key-0" not in page_cache.recent and f"key-{page_cache.RECENT_PAGES + 4}" in page_cache.recent
