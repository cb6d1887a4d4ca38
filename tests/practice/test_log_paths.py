"""
The visitor's links and the therapist's calendar feed carry secrets in their paths: logs keep the
page, never the token (practice.log_paths).
"""

import io
import logging

import pytest
from django.urls import reverse

from practice.log_paths import HideSecretPaths, without_secrets


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/consultation/withdraw/abc:def/", "/consultation/withdraw/[link]/"),
        ("/consultation/time/eyJh:1vX-sig/", "/consultation/time/[link]/"),
        ("/consultation/times/eyJh:1vX-sig/", "/consultation/times/[link]/"),
        ('"GET /consultation/time/eyJh:sig/" 400 12 0.01s', '"GET /consultation/time/[link]/" 400 12 0.01s'),
        ("/consultation/time/eyJh:sig", "/consultation/time/[link]"),
        ("/calendar/Xy_9-Zq0wE1rT2yU3iO4pA5sD6fG7hJ8kL9zX0cV1bN.ics", "/calendar/[link]"),
        ('"GET /calendar/secret-token.ics HTTP/1.1" 404', '"GET /calendar/[link] HTTP/1.1" 404'),
        ("/calendar/secret-token.ics?x=1", "/calendar/[link]?x=1"),
    ],
)
def test_a_visitors_link_is_logged_as_the_page_it_was(path, logged):
    assert without_secrets(path) == logged


@pytest.mark.parametrize(
    "path",
    [
        "/consultation/",
        "/consultation/cancelled/",
        "/consultation/moved/",
        "/times-and-fees/",
        "/time/",
        "/admin/booking/calendarfeed/3/change/",
    ],
)
def test_other_paths_are_logged_as_they_are(path):
    assert without_secrets(path) == path


@pytest.fixture
def site_log():
    """What the site's own log handler (settings.LOGGING, stdout) writes, for one test."""
    (handler,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(item, HideSecretPaths) for item in handler.filters)
    ]
    written = io.StringIO()
    previous = handler.setStream(written)
    yield written
    handler.setStream(previous)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["intake:my_consultation", "intake:withdraw"])
def test_djangos_log_of_a_refused_link_leaves_its_token_out(client, site_log, url_name):
    response = client.get(reverse(url_name, args=["zqsentineltoken:altered"]))
    assert response.status_code == 400
    log = site_log.getvalue()
    assert "Bad Request: /consultation/" in log and "/[link]/" in log
    assert "zqsentineltoken" not in log


@pytest.mark.django_db
def test_djangos_log_of_an_unknown_calendar_feed_leaves_its_token_out(client, site_log):
    response = client.get(reverse("calendar_feed", args=["zqsentineltoken"]))
    assert response.status_code == 404
    log = site_log.getvalue()
    assert "Not Found: /calendar/[link]" in log
    assert "zqsentineltoken" not in log
