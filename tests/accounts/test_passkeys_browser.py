"""
Passkeys in Chromium through the real ceremony: its virtual authenticator (the DevTools WebAuthn
domain) stands in for a phone's fingerprint reader. WebAuthn needs a host name, so the site is
opened as localhost rather than 127.0.0.1.
"""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from accounts.models import Passkey
from tests.accounts.signing_in import PASSWORD, authenticator_code, authenticator_device, sign_in_in_browser
from tests.browser import VIEWPORTS, RequestLog, looks_right

pytestmark = pytest.mark.browser


@pytest.fixture
def passkey_page(chromium, site_url):
    """A page at `size` with a virtual authenticator: resident keys, user verification, always verified."""
    contexts = []
    base = site_url.replace("127.0.0.1", "localhost")

    def opener(path, viewport):
        context = chromium.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        options = {
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": True,
            "hasUserVerification": True,
            "isUserVerified": True,
        }
        authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": options})
        requests = RequestLog(page, base)
        page.goto(base + path)
        return page, console, requests, (devtools, authenticator["authenticatorId"])

    yield opener
    for context in contexts:
        context.close()


def give_password(page):
    page.get_by_label("Username").fill("therapist")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_passkey_is_added_then_signs_in(passkey_page, size):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    device = authenticator_device(therapist)
    page, console, requests, (devtools, authenticator_id) = passkey_page(
        "/admin/login/?next=/admin/passkeys/", VIEWPORTS[size]
    )
    sign_in_in_browser(page, "therapist", PASSWORD, authenticator_code(device))
    expect(page.get_by_text("You have no passkey yet.")).to_be_visible()
    looks_right(page, f"passkeys-none-{size}", console)

    with page.expect_navigation():
        page.get_by_role("link", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
    looks_right(page, f"passkeys-confirm-{size}", console)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(device, offset=1))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    looks_right(page, f"passkeys-add-{size}", console)
    page.get_by_label("Name for this passkey").fill("MacBook Touch ID")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("“MacBook Touch ID” is ready")).to_be_visible()
    expect(page.get_by_role("row", name="MacBook Touch ID")).to_contain_text("Not yet")
    looks_right(page, f"passkeys-list-{size}", console)
    stored = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(stored) == 1 and stored[0]["isResidentCredential"]

    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    page.goto(page.url.split("/admin/")[0] + "/admin/login/")
    give_password(page)
    expect(page.get_by_role("heading", name="Sign in with your passkey")).to_be_visible()
    looks_right(page, f"signin-passkey-{size}", console)
    with page.expect_navigation():
        page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="What would you like to do?")).to_be_visible()
    assert Passkey.objects.get().last_used_at is not None
    assert requests.other_origins() == []
