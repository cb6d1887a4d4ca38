"""
The whole-page cache: what anonymous visitors read of the public pages (home, pages, sitemap,
robots.txt) is made once and then served to every visitor, by every gunicorn worker, until
anything it shows may have changed.

Correct to the next request: a saved page is served only while the content version it was saved
under is still the current one (pages.models.ContentVersion, moved by database triggers in the
same transaction as any change to a page, section, revision, redirect, photo, the practice
settings or a form choice), and never after the next moment a page changes on its own
(`Page.objects.next_change_at()`). A request that is not served from the cache first brings due
scheduled drafts live (`publish_due_changes`), so no cron is needed. Nothing else expires it.

Never served from or saved into the cache: any request with a session (staff, previews, drafts),
a request with a query string, a response that sets a cookie or its own Cache-Control, anything
but a 200 or a permanent redirect, and every other address (the form, the thank-you page, admin).

This middleware sits above the session, CSRF and message middleware, so that it sees every cookie
they set, and serves a saved page without running them. It also writes the HTTP caching headers:
`Cache-Control: public, max-age=60` and an ETag (answering If-None-Match with 304) on the pages it
may cache, and `private, no-store` on every response that says nothing of its own.
"""

import contextlib
import functools
import hashlib
import logging
import time
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response

from pages.drafts import publish_due_changes
from pages.freshness import per_version
from pages.models import ContentVersion, Page

CACHED_ROUTES = {"home", "page", "sitemap", "robots_txt"}
CACHED_STATUSES = {200, 301}
# The settings that public pages show or link by, beyond the database's content.
SETTINGS_PAGES_SHOW = [
    "ADMIN_URL",
    "DEBUG",
    "INTAKE_ACKNOWLEDGE_VISITORS",
    "INTAKE_RETENTION_DAYS",
    "LANGUAGE_CODE",
    "MEDIA_URL",
    "SITE_URL",
    "STATIC_URL",
    "TIME_ZONE",
]
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".xml"}
PUBLIC = "public, max-age=60"
CONDITIONS = {"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE"}
NOT_PUBLIC = "private, no-store"
# Long enough to outlive quiet nights; an entry is replaced in place (one per address), and the
# content version, not this, decides whether it is still right.
ENTRY_SECONDS = 60 * 60 * 24 * 7

logger = logging.getLogger(__name__)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        code_fingerprint()  # when the worker starts, not at its first visitor

    def __call__(self, request):
        if not public_route(request):
            return not_public(self.get_response(request))
        anonymous = settings.SESSION_COOKIE_NAME not in request.COOKIES
        cacheable = anonymous and not request.META.get("QUERY_STRING")
        # One round trip, which also stands for Django's connection health check (ContentVersion.current).
        version = ContentVersion.current() if cacheable else None
        if cacheable and (entry := saved_entry(request, version)):
            return answer(request, response_from(entry), entry["etag"])
        schedule = Page.objects.schedule()
        if schedule.drafts_due:
            # Saved rows move the content version: read both again for what is made below.
            publish_due_changes()
            version = ContentVersion.current() if cacheable else None
            schedule = Page.objects.schedule()
        if version is not None:
            per_version.seen(version, schedule.next_change_at)  # read already: not again for the page
        response = self.get_response(request)
        if not (anonymous and shareable(response)):
            return not_public(response)
        etag = quoted_md5(response.content)
        if cacheable and version is not None:
            save_entry(request, response, etag, version, schedule.next_change_at)
        return answer(request, response, etag)


def public_route(request):
    """Whether this is a GET or HEAD of an address whose page is the same for every visitor."""
    return request.method in ("GET", "HEAD") and cached_route(
        get_urlconf() or settings.ROOT_URLCONF, request.path_info
    )


@functools.lru_cache(maxsize=1024)
def cached_route(urlconf, path):
    # Remembered per address: resolving costs a tenth of serving a saved page. Unknown addresses
    # only push older ones out.
    try:
        return resolve(path, urlconf).url_name in CACHED_ROUTES
    except Resolver404:
        return False


def shareable(response):
    """Whether this response may be kept and shown to anyone: a page or redirect, no cookie, no own caching."""
    return (
        response.status_code in CACHED_STATUSES
        and not response.streaming
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not response.has_header("Cache-Control")
    )


def answer(request, response, etag):
    response["ETag"] = etag
    response["Cache-Control"] = PUBLIC
    if not CONDITIONS.intersection(request.META):
        return response  # nothing to compare: most requests
    return get_conditional_response(request, etag=etag, response=response) or response


def not_public(response):
    if not response.has_header("Cache-Control"):
        response["Cache-Control"] = NOT_PUBLIC
    return response


def entry_key(request):
    # The scheme and host too: the page's canonical link, the sitemap and robots.txt name them.
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"page:{release()}:{address}"


def release():
    """
    What else a saved page was made from: this release's code, templates and static file names, and
    the settings pages show. A deploy or a changed setting then never meets pages saved before it,
    even in a cache that outlives the process (Redis, or files on a long-lived machine).
    """
    return release_of(
        code_fingerprint(), tuple(getattr(settings, name, None) for name in SETTINGS_PAGES_SHOW)
    )


@functools.lru_cache(maxsize=8)
def release_of(code, shown):
    return hashlib.sha256(f"{code}{shown!r}".encode()).hexdigest()[:16]


@functools.cache
def code_fingerprint():
    """A hash of the site's own source and templates and of the static files' manifest, once per process."""
    base = Path(settings.BASE_DIR)
    roots = [Path(config.path) for config in apps.get_app_configs() if Path(config.path).is_relative_to(base)]
    roots += [Path(folder) for template in settings.TEMPLATES for folder in template.get("DIRS", [])]
    files = sorted(
        path
        for root in roots
        for path in root.rglob("*")
        if path.suffix in SOURCE_SUFFIXES and ".venv" not in path.parts
    )
    files.append(Path(settings.STATIC_ROOT) / "staticfiles.json")
    digest = hashlib.sha256(django.get_version().encode())
    for path in files:
        digest.update(str(path).encode())
        with contextlib.suppress(OSError):  # no manifest when debug serves static files unhashed
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def saved_entry(request, version):
    """The saved page for this address, if it is still what the page would be now."""
    key = entry_key(request)
    entry = recent.get(key)
    if not current(entry, version):
        try:
            entry = cache.get(key)
        except Exception as error:  # noqa: BLE001 - a cache out of reach makes the page, never an error page
            logger.warning("page cache unreadable: %s", type(error).__name__)
            return None
        if not current(entry, version):
            return None
        remember(key, entry)
    return entry


def current(entry, version):
    """Whether a saved page was made from the content as it is, and no scheduled change has passed since."""
    if entry is None or version is None or entry["version"] != version:
        return False
    return entry["until"] is None or time.time() < entry["until"]


def save_entry(request, response, etag, version, until):
    key = entry_key(request)
    entry = {
        "version": version,
        "until": until.timestamp() if until else None,
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
        "etag": etag,
    }
    remember(key, entry)
    try:
        cache.set(key, entry, ENTRY_SECONDS)
    except Exception as error:  # noqa: BLE001 - as above: the page was made, it is only not kept
        logger.warning("page cache unwritable: %s", type(error).__name__)


# Each worker also keeps the pages it served last in memory, as they are: serving one then reads no
# file and unpickles nothing (measured: a quarter of a saved page's cost). The content version
# decides whether they are current exactly as for the shared cache, so this copy is never staler.
recent = {}
RECENT_PAGES = 200


def remember(key, entry):
    if len(recent) >= RECENT_PAGES:
        recent.pop(next(iter(recent)))
    recent[key] = entry


def response_from(entry):
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def quoted_md5(content):
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
