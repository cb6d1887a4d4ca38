"""The production security baseline: headers Django itself sets on every page."""

import pytest
from django.conf import settings

from tests.processes import run_python


@pytest.fixture
def home(client, db):
    return client.get("/", secure=True)


def test_https_headers(home):
    assert home.status_code == 200
    assert home.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert home.headers["Referrer-Policy"] == "same-origin"
    assert home.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert home.headers["X-Frame-Options"] == "DENY"


def test_content_security_policy_allows_only_the_site_itself(home):
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in home.headers["Content-Security-Policy"].split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in home.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in home.headers["Content-Security-Policy"]


def test_production_redirects_plain_http_and_trusts_the_proxy_header(production_env):
    # The suite turns the redirect off for its own client, so ask a fresh production process.
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='practice.example');"
        "print(c.get('/healthz').status_code, c.get('/healthz').headers['Location']);"
        "print(c.get('/healthz', HTTP_X_FORWARDED_PROTO='https').status_code)"
    )
    result = run_python(production_env, code)
    assert result.stdout.split() == ["301", "https://practice.example/healthz", "200"], result.stderr


def test_cookies_are_secure_and_http_only(client, db):
    response = client.get(f"/{settings.ADMIN_URL}login/", secure=True)
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
