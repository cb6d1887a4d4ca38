"""
What the views read on every request that only an edit or the clock can change, read once per content
version.

The practice settings, the menu, the form's choices and the consultation hours live in tables whose
every change moves the content version (pages.models.ContentVersion, by database triggers, in the
same transaction); the only other thing that changes them is a scheduled page going live. So each
worker keeps what it read with the version it read it under and the next scheduled change, and until
either passes hands it out again: the version (one small query, read once per request) instead of
the ORM's queries, which cost 2 to 9 ms a request on the benchmark's machine kind (`make bench`). An
edit anywhere, by any worker or container on the database, moves the version, so nothing here is
staler than reading afresh.
"""

import functools
import threading
import time

from django.core.signals import request_finished, request_started

from pages.freshness.version import ContentVersion
from pages.models.page import Page

# What this request has read of the content version: at most once per request, so that a page is
# made from one version. Outside a request (a command, the mail worker) it is read at every call.
_request = threading.local()
# The version the kept values were read under, the next scheduled change, and the values.
_kept = {"version": None, "until": 0.0, "values": {}}


def per_content_version(read):
    """`read()`, called again only once the content version has moved or a scheduled change passed."""

    @functools.wraps(read)
    def current():
        values = current_values()
        if read not in values:
            values[read] = read()
        return values[read]

    return current


def current_values():
    """The values kept for the content as it is now: emptied when the version moves or the schedule passes."""
    version = request_version()
    if version is None:
        return {}  # no version yet (a database nothing has changed): read every time
    if outdated(version):
        seen(version, Page.objects.next_change_at())
    return _kept["values"]


def outdated(version):
    """Whether the kept values were read under another version, or a scheduled change has passed since."""
    return _kept["version"] != version or time.time() >= _kept["until"]


def seen(version, next_change_at):
    """
    This request's version, and the next scheduled change as read after it, for whoever read both
    already (the page cache): nothing is read again. In this order, and each value read after both,
    an edit or a scheduled change landing meanwhile is read again at the next request: a value is
    never older than the version and schedule it is kept under.
    """
    global _kept
    if getattr(_request, "active", False):
        _request.version = version
    if outdated(version):
        until = next_change_at.timestamp() if next_change_at else float("inf")
        _kept = {"version": version, "until": until, "values": {}}


def request_version():
    if not getattr(_request, "active", False):
        return ContentVersion.current()
    if getattr(_request, "version", None) is None:
        _request.version = ContentVersion.current()
    return _request.version


def _request_starts(**signal):  # noqa: ARG001 - what the signal sends
    _request.__dict__.clear()
    _request.active = True


def _request_ends(**signal):  # noqa: ARG001 - what the signal sends
    _request.__dict__.clear()


request_started.connect(_request_starts, dispatch_uid="pages.freshness.per_version.starts")
request_finished.connect(_request_ends, dispatch_uid="pages.freshness.per_version.ends")
