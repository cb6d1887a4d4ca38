"""
The visitor's links and the therapist's calendar feed carry secrets in their paths: logs keep the
page, never the token (practice.log_paths).
"""

import io
import logging
import runpy
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from practice.log_paths import HideSecretPaths, escaped, safe_log_text, without_secrets
from practice.settings import BASE_DIR

# A mangled link: the token cut by a character a mail client, a phone or a person put in it.
MANGLED = [
    "%20",
    " ",
    '"',
    "%22",
    "\t",
    "%09",
    "\n",
    "%0A",
    "\r\n",
    "%00",
    "\x00",
    "%2520",
    "%2F",
    "/",
    "'",
    "<",
    "\u2028",
]


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
    # Swapped, not setStream(): that flushes the old stream, which is closed when an earlier pytest
    # run in this process captured it (mutmut runs the suite twice in one process before the mutants).
    previous, handler.stream = handler.stream, written
    yield written
    handler.stream = previous


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


@pytest.mark.parametrize("mangled", MANGLED)
@pytest.mark.parametrize(
    "page", ["/consultation/withdraw/", "/consultation/time/", "/consultation/times/", "/calendar/"]
)
def test_no_part_of_a_mangled_token_reaches_a_log_line(page, mangled):
    path = f"{page}zqleft{mangled}zqright/"
    for logged in [safe_log_text(path, path=True), safe_log_text(f'"GET {path}" 404 12 0.01s')]:
        assert "zqleft" not in logged and "zqright" not in logged, logged
        assert page in logged or page.upper() in logged
        assert "\n" not in logged and "\r" not in logged and "\x00" not in logged


@pytest.mark.parametrize(
    "path",
    [
        "/consultation/with%64raw/zqleft/",  # the page itself %-encoded
        "/consultation/with%2564raw/zqleft/",  # twice
        "/CONSULTATION/WITHDRAW/zqleft/",
        "/consultation/%77ithdraw/zqleft%20zqright/",
    ],
)
def test_a_token_behind_an_encoded_or_capitalised_page_is_hidden_too(path):
    assert "zqleft" not in without_secrets(path, path=True)
    assert "zqleft" not in without_secrets(f'"GET {path}" 404')


@pytest.mark.parametrize(
    ("text", "logged"),
    [
        ("/nothing\nGET /forged 200", "/nothing\\nGET /forged 200"),
        ("a\tb\rc\x00d\x1be\x7ff\u2028g", "a\\tb\\rc\\x00d\\x1be\\x7ff\\u2028g"),
        ("back\\slash", "back\\\\slash"),
        ("café ✓", "café ✓"),
    ],
)
def test_control_characters_are_written_escaped_so_no_line_splits_or_is_forged(text, logged):
    assert escaped(text) == logged


@pytest.mark.parametrize("value", [None, b"/consultation/withdraw/zqleft\xff/", 42, ("a",)])
def test_masking_takes_whatever_it_is_given(value):
    assert "zqleft" not in without_secrets(value)
    assert "zqleft" not in without_secrets(value, path=True)


def record(msg, args):
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)


@pytest.mark.parametrize(
    ("msg", "args"),
    [
        ("%s: %s", ("Not Found", '/consultation/withdraw/zqleft" 404 zqright/')),
        ("%s: %s", ("Not Found",)),  # too few arguments
        ("%(U)s", ({"U": "/calendar/zqleft\nzqright"},)),
        (None, None),
        (b"/calendar/zqleft", ()),
    ],
)
def test_the_log_filter_never_raises_and_never_lets_a_token_or_a_newline_through(msg, args):
    entry = record(msg, args)
    assert HideSecretPaths().filter(entry) is True
    message = entry.getMessage()
    assert "zqleft" not in message and "zqright" not in message and "\n" not in message


@pytest.fixture(scope="module")
def gunicorn_config():
    return runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))


@pytest.mark.parametrize(
    "environ",
    [
        {},  # a worker timeout: gunicorn has no request to describe
        {"REQUEST_METHOD": None, "PATH_INFO": None, "RAW_URI": None, "SERVER_PROTOCOL": None},
        {"REQUEST_METHOD": "GET", "PATH_INFO": "/consultation/withdraw/zqleft zqright/", "RAW_URI": "/x"},
    ],
)
def test_gunicorns_access_logger_never_raises_whatever_it_is_given(gunicorn_config, environ):
    logger = gunicorn_config["AccessLogWithoutSecrets"].__new__(gunicorn_config["AccessLogWithoutSecrets"])
    logger.error_log = logging.getLogger("tests.gunicorn.error")
    response = SimpleNamespace(status=None, headers=None, sent=None)
    atoms = logger.atoms(response, None, environ, timedelta(seconds=1))
    assert "zqleft" not in str(atoms.get("U")) and "zqright" not in str(atoms.get("U"))
