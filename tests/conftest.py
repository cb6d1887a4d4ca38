import fcntl
import hashlib
import os
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread

from pages.freshness import page_cache
from tests.accounts.signing_in import (
    PASSWORD,
    authenticator_code,
    authenticator_device,
    sign_in,
    sign_in_in_browser,
)
from tests.browser import BROWSER_REQUIRED, CHROMIUM_ARGS, CHROMIUM_PATH, RequestLog


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that hash passwords need no protection from guessing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """
    Each test starts with an empty cache of its own in memory, as a fresh process does: nothing one
    test drew or saved (the form, whole pages) shows in another, and the files of the settings'
    default, shared by every test run on the machine, are never touched.
    """
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{uuid.uuid4()}",
        }
    }
    page_cache.recent.clear()


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Collect static files once, as the Docker build does: production storage needs the manifest."""
    if "MUTANT_UNDER_TEST" in os.environ:
        # Under mutmut (make mutants), collected before the project was copied: its workers run
        # side by side, and collecting again deletes and rewrites the files the others are reading.
        return
    # Under pytest-xdist (make test) every worker runs this fixture. Collecting rewrites each hashed
    # file by deleting it first, so a second worker collecting while the first runs tests made
    # pages miss their CSS (a FileNotFoundError in 1,574 tests). One collection per run, under a lock.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    with open(
        Path(tempfile.gettempdir()) / f"collectstatic-{hash_of(settings.STATIC_ROOT)}.lock", "a+"
    ) as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        if run is None or lock.read() != run:
            call_command("collectstatic", "--no-input", verbosity=0)
            lock.seek(0)
            lock.truncate()
            lock.write(run or "")
            lock.flush()


def hash_of(path):
    return hashlib.sha256(str(path).encode()).hexdigest()[:12]


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM_PATH).exists():
        message = f"Chromium not found at {CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH)"
        if BROWSER_REQUIRED:
            pytest.fail(message + "; BROWSER_TESTS_REQUIRED is set, so this is an error.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop open in this thread, which makes
    # Django refuse database calls here; none of them run inside that loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django keeps the content that serialized rollback restores on the
    # connection object; under Playwright's loop this thread gets new connection
    # objects, so carry that content over to them.
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_server():
    """
    The whole site served on a free local port, static files included.

    Unlike pytest-django's live_server, static files go through whitenoise (the
    static_handler is a pass-through), so pages load the same hashed, collected
    files they do in production.
    """
    thread = LiveServerThread("127.0.0.1", static_handler=lambda app: app, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


@pytest.fixture
def site_url(site_server, transactional_db, django_db_serialized_rollback):
    """
    The served site's address. The server runs in another thread with its own
    connection, so tests commit their rows; the content shipped by data
    migrations is restored after each test (serialized rollback).
    """
    return site_server


@pytest.fixture
def visit(chromium, site_url):
    """
    Open a path at a viewport size (and any other browser context options); returns the Playwright
    page, its RequestLog, the console's messages and the Referer header of every request it made.
    """
    contexts = []

    def opener(path, viewport, **context_options):
        context = chromium.new_context(viewport=viewport, **context_options)
        contexts.append(context)
        page = context.new_page()
        console, referers = [], []
        page.on("console", lambda message: console.append(message.text))
        page.on("request", lambda request: referers.append(request.headers.get("referer", "")))
        requests = RequestLog(page, site_url)
        page.goto(site_url + path)
        return page, requests, console, referers

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def open_page(visit):
    """`visit`, for a test that needs only the page and its RequestLog."""
    return lambda path, viewport, **context_options: visit(path, viewport, **context_options)[:2]


@pytest.fixture
def production_env():
    """Environment variables a real deployment would set, for subprocess tests."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SECRET_KEY="production-like-secret-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="practice.example",
        DJANGO_CSRF_TRUSTED_ORIGINS="https://practice.example",
        EMAIL_HOST="smtp.practice.example",
    )
    return env


@pytest.fixture
def admin_page(chromium, site_url, django_user_model):
    """Open an admin path in Chromium, signed in as a superuser; returns the page and its console messages."""
    therapist = django_user_model.objects.create_superuser(
        "therapist", "therapist@practice.example", PASSWORD
    )
    device = authenticator_device(therapist)
    contexts = []

    def opener(path, viewport):
        context = chromium.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(f"{site_url}/{settings.ADMIN_URL}login/?next=/{settings.ADMIN_URL}{path}")
        # Each sign-in needs a code the app has not given before: one 30-second step on per context.
        sign_in_in_browser(page, "therapist", PASSWORD, authenticator_code(device, offset=len(contexts) - 1))
        # On a loaded machine a step can pass between two contexts' sign-ins, leaving that code
        # already used: wait for the app's next code, as a person would, and type it.
        for _ in range(2):
            if "That code didn't work" not in page.content():
                break
            time.sleep(device.step - time.time() % device.step + 1)
            page.get_by_label("Code from your authenticator app").fill(authenticator_code(device))
            with page.expect_navigation():
                page.get_by_role("button", name="Sign in").click()
        return page, console

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in with the second factor as the admin requires."""
    return sign_in(client, admin_user)


@pytest.fixture
def no_daily_summary(monkeypatch):
    """
    The worker without its daily summary, for tests that count the alerts: whether the summary is
    due depends on the clock. The summary has its own tests (tests/intake/test_digest.py).
    """
    from intake.management.commands import send_notifications

    monkeypatch.setattr(send_notifications, "make_daily_digest", lambda: None)
