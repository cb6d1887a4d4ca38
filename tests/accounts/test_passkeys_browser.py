"""
Passkeys in Chromium through the real ceremony: its virtual authenticator (the DevTools WebAuthn
domain) stands in for a phone's fingerprint reader. WebAuthn needs a host name, so the site is
opened as localhost rather than 127.0.0.1.
"""

import secrets
import time
from base64 import b64encode

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.contrib.auth.models import User
from playwright.sync_api import expect

from accounts.models import Passkey
from tests.accounts.signing_in import PASSWORD, authenticator_code, authenticator_device, sign_in_in_browser
from tests.accounts.software_passkey import SoftwarePasskey
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


def unused_code(device):
    """A code the app shows now or next that the sign-in has not used (a 30-second step may have passed)."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step
    offset = next(offset for offset in (0, 1) if now + offset > device.last_t)
    return authenticator_code(device, offset)


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
    page.get_by_label("Code from your authenticator app").fill(unused_code(device))
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
        page.get_by_role("button", name="Sign out").click()
    page.goto(page.url.split("/admin/")[0] + "/admin/login/")
    give_password(page)
    expect(page.get_by_role("heading", name="Sign in with your passkey")).to_be_visible()
    looks_right(page, f"signin-passkey-{size}", console)
    with page.expect_navigation():
        page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="What would you like to do?")).to_be_visible()
    assert Passkey.objects.get().last_used_at is not None
    assert requests.other_origins() == []


def known_to_chromium(page_tools, therapist, rp_id="localhost"):
    """A passkey already on the virtual authenticator and stored for the therapist, without adding it."""
    devtools, authenticator_id = page_tools
    software = SoftwarePasskey(rp_id=rp_id)
    handle = secrets.token_bytes(32)
    private_key = software.key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
    credential = {
        "credentialId": b64encode(software.credential_id).decode(),
        "isResidentCredential": True,
        "rpId": rp_id,
        "privateKey": b64encode(private_key).decode(),
        "userHandle": b64encode(handle).decode(),
        "signCount": 0,
    }
    devtools.send("WebAuthn.addCredential", {"authenticatorId": authenticator_id, "credential": credential})
    return Passkey.objects.create(
        user=therapist,
        name="Laptop",
        credential_id=software.credential_id,
        public_key=software.cose_public_key(),
        user_handle=handle,
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_removed_passkey_is_refused_with_a_plain_message(passkey_page, size):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    authenticator_device(therapist)
    page, console, requests, tools = passkey_page("/admin/login/", VIEWPORTS[size])
    removed = known_to_chromium(tools, therapist)
    Passkey.objects.create(
        user=therapist, name="Other", credential_id=b"other", public_key=b"-", user_handle=b"-"
    )
    give_password(page)
    removed.delete()  # from another browser, while this sign-in page is open
    with page.expect_navigation():
        page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("alert")).to_contain_text("isn't set up for this account")
    expect(page.get_by_role("link", name="Use a code from your authenticator app instead")).to_be_visible()
    looks_right(page, f"signin-passkey-refused-{size}", console)
    assert page.url.endswith("/admin/login/passkey/")
    assert requests.other_origins() == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_when_passkeys_are_required_a_code_leads_to_adding_one(passkey_page, size, settings):
    settings.ADMIN_PASSKEYS_REQUIRED = True
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    device = authenticator_device(therapist)
    page, console, requests, _ = passkey_page("/admin/login/", VIEWPORTS[size])
    give_password(page)
    expect(page.get_by_text("asks every staff member to use a passkey")).to_be_visible()
    looks_right(page, f"signin-code-passkeys-required-{size}", console)
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Add a passkey")).to_be_visible()
    looks_right(page, f"signin-add-passkey-{size}", console)
    page.get_by_label("Name for this passkey").fill("Phone")
    with page.expect_navigation():
        page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="What would you like to do?")).to_be_visible()
    assert Passkey.objects.get().name == "Phone"
    assert requests.other_origins() == []
