"""
axe-core over the admin pages the walk reads (tests/practice/test_admin_walk.py) in Chromium at
375 and 1280 px: WCAG 2.2 AA, zero violations. As a superuser, every URL the admin's registry
serves (list, add, change, delete, history and custom views of every model, the sections and
passkeys); as view-only staff, every list and change page, which render read-only; signed out,
the sign-in pages, each with its error, the lockout and the signed-out page. One browser page per
role and width, reused, keeps it to a few minutes (CI's time budget: docs/development.md).
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from accounts.models import Passkey
from tests.accounts.signing_in import LOGIN, PASSWORD, authenticator_device, sign_in, wrong_code
from tests.admin_records import extra_arguments, view_only_staff
from tests.admin_walk import admin_urls
from tests.browser import VIEWPORTS, axe_violations, screenshot

pytestmark = pytest.mark.browser

SHARED = ("/delete/", "/history/")


def opened(page, url):
    """The response if url opened as a page; None for a button's POST, which answers a GET with 405
    and no page (its page is the one the button is on). Chromium shows its own error page for that
    405, and that page's late navigation can interrupt the next goto: so a failed goto that was not
    a 405 is tried once more before it counts."""
    for _ in range(2):
        try:
            return page.goto(url)
        except PlaywrightError:
            if page.request.get(url).status == 405:
                return None
    pytest.fail(f"{url} did not open twice running")


def violations_on(page, site_url, urls):
    """axe on each URL that opens as a page. Django's 403 page is the same whatever refused it, so
    it is checked once."""
    found, refused_seen = [], False
    for url in urls:
        response = opened(page, site_url + url)
        if response is None or (response.status == 403 and refused_seen):
            continue
        refused_seen |= response.status == 403
        found += [f"{url}: {violation}" for violation in axe_violations(page)]
    return found


def signed_in_page(chromium, site_url, user, viewport):
    """A browser page signed in as `user` through a session the test client made (password and
    second factor are the sign-in's own tests): no authenticator code to wait for."""
    client = sign_in(Client(), user)
    context = chromium.new_context(viewport=viewport)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    # The cookie is Secure (its name's __Host- prefix asks for it), which Chromium keeps for a
    # secure origin: the same host by https, whose cookies Chromium also sends to a loopback http.
    secure_url = site_url.replace("http://", "https://")
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": secure_url, "secure": True}])
    page = context.new_page()
    page.goto(site_url + reverse("admin:index"))
    expect(page.locator("#logout-form"), "signed in").to_have_count(1)
    return context, page


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_admin_page_has_no_axe_violations_for_a_superuser(admin_page, site_url, records, size):
    page, _ = admin_page("", VIEWPORTS[size])
    urls = [url for url in admin_urls(records, extra_arguments) if not url.endswith(SHARED)]
    found = violations_on(page, site_url, urls)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_delete_and_history_page_has_no_axe_violations(admin_page, site_url, records, size):
    page, _ = admin_page("", VIEWPORTS[size])
    urls = [url for url in admin_urls(records, extra_arguments) if url.endswith(SHARED)]
    assert len(urls) == 2 * len(admin.site._registry)
    found = violations_on(page, site_url, urls)
    # A list's "Delete selected" asks on a page of its own (admin/delete_selected_confirmation.html).
    page.goto(site_url + reverse("admin:intake_referral_changelist"))
    page.locator("input.action-select").first.check()
    page.locator("select[name=action]").select_option("delete_selected")
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    expect(page.locator("#content")).to_contain_text("This cannot be undone")
    found += [f"delete selected: {violation}" for violation in axe_violations(page)]
    assert not found, "\n".join(found)


def lists_and_records(records):
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{info}_changelist")
        yield reverse(f"{info}_change", args=[records[model].pk])


@pytest.mark.parametrize("size", VIEWPORTS)
def test_what_view_only_staff_see_has_no_axe_violations(chromium, site_url, records, size):
    context, page = signed_in_page(chromium, site_url, view_only_staff(), VIEWPORTS[size])
    try:
        found = [f"home: {violation}" for violation in axe_violations(page)]
        found += violations_on(page, site_url, list(lists_and_records(records)))
    finally:
        context.close()
    assert not found, "\n".join(found)


def submit(page, button):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def give_password(page, site_url, username, password=PASSWORD):
    page.goto(site_url + LOGIN)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    submit(page, "Continue")


def give_code(page, label, code, button):
    page.get_by_label(label).fill(code)
    submit(page, button)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_sign_in_pages_have_no_axe_violations(chromium, site_url, size):
    """Signed out, each step a staff member passes through, each with its error: the password, the
    authenticator's set-up, the code, the passkey; the start-again notice, the timed-out notice,
    the lockout; then the page after signing out."""
    new = User.objects.create_user("new", password=PASSWORD, is_staff=True)
    with_app = User.objects.create_user("withapp", password=PASSWORD, is_staff=True)
    device = authenticator_device(with_app)
    with_passkey = User.objects.create_user("withpasskey", password=PASSWORD, is_staff=True)
    authenticator_device(with_passkey)
    Passkey.objects.create(
        user=with_passkey, name="Laptop", credential_id=b"id", public_key=b"key", user_handle=b"h"
    )
    User.objects.create_user("locked", password=PASSWORD, is_staff=True)
    context = chromium.new_context(viewport=VIEWPORTS[size])
    page, found = context.new_page(), []

    def check(step, words):
        """The step is the one meant (it shows `words`), then axe."""
        expect(page.locator("body")).to_contain_text(words)
        found.extend(f"{step}: {violation}" for violation in axe_violations(page))

    try:
        page.goto(site_url + LOGIN)
        check("password", "Next, you will be asked")
        give_password(page, site_url, "new", "wrong-password")
        check("password, wrong", "Please enter the correct")
        page.goto(f"{site_url}{LOGIN}code/")
        check("password, start again", "please start again")
        page.goto(f"{site_url}{LOGIN}?timed_out=1")
        check("password, timed out", "You were signed out after")

        give_password(page, site_url, "new")
        check("set-up", "scan this QR code")
        give_code(
            page,
            "Six-digit code from the app",
            wrong_code(TOTPDevice.objects.get(user=new)),
            "Confirm and sign in",
        )
        check("set-up, wrong code", "That code didn't match")

        give_password(page, site_url, "withapp")
        check("code", "Open the app on your phone")
        give_code(page, "Code from your authenticator app", wrong_code(device), "Sign in")
        check("code, wrong", "That code didn't work")

        give_password(page, site_url, "withpasskey")
        check("passkey", "Your phone, computer or security key")
        page.locator("#passkey-form [name=credential]").evaluate("field => { field.value = 'x' }")
        with page.expect_navigation():
            page.locator("#passkey-form").evaluate("form => form.submit()")
        check("passkey, refused", "That passkey's answer couldn't be checked")

        for attempt in range(settings.AXES_FAILURE_LIMIT):
            give_password(page, site_url, "locked", f"wrong-password-{attempt}")
        check("locked out", "signing in from here is paused")
    finally:
        context.close()

    context, page = signed_in_page(chromium, site_url, with_app, VIEWPORTS[size])
    try:
        page.goto(site_url + reverse("admin:index"))
        with page.expect_navigation():
            page.locator("#logout-form button").click()
        check("signed out", "You are signed out")
        screenshot(page, f"signin-signed-out-{size}")
    finally:
        context.close()
    assert not found, "\n".join(found)
