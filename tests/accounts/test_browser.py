"""The admin sign-in as staff meet it in Chromium: password, set-up, code, backup codes and the lockout."""

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.signing_in import (
    LOGIN,
    PASSWORD,
    authenticator_code,
    authenticator_device,
    sign_in_in_browser,
)
from tests.browser import NARROWEST, VIEWPORTS, looks_right
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


def console_of(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def give_password(page, username="therapist", password=PASSWORD):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_first_sign_in_sets_up_the_app_then_shows_backup_codes(open_page, site_url, size):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    page, requests = open_page(LOGIN, VIEWPORTS[size])
    console = console_of(page)
    looks_right(page, f"signin-password-{size}")
    give_password(page)

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    looks_right(page, f"signin-set-up-{size}")
    device = TOTPDevice.objects.get(user=therapist)
    page.get_by_label("Six-digit code from the app").fill(authenticator_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and sign in").click()

    codes = page.get_by_role("list", name="Your backup codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    looks_right(page, f"signin-backup-codes-{size}")
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("link", name="backup codes for when you don't have your phone")).to_be_visible()
    assert [message for message in console if "Content Security Policy" in message] == []
    assert requests.other_origins() == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_code_step_and_its_error_message(open_page, site_url, size):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    device = authenticator_device(therapist)
    page, requests = open_page(LOGIN, VIEWPORTS[size])
    console = console_of(page)
    give_password(page)
    code_field = page.get_by_label("Code from your authenticator app")
    expect(code_field).to_be_focused()
    looks_right(page, f"signin-code-{size}")
    code_field.fill("000000" if authenticator_code(device) != "000000" else "111111")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("That code didn't work")).to_be_visible()
    expect(page.get_by_label("Code from your authenticator app")).to_have_attribute("aria-invalid", "true")
    looks_right(page, f"signin-code-error-{size}")
    assert [message for message in console if "Content Security Policy" in message] == []
    assert requests.other_origins() == []


def test_signing_in_and_out_by_keyboard_alone(open_page, site_url):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    device = authenticator_device(therapist)
    page, _ = open_page(LOGIN, VIEWPORTS["phone"])
    page.get_by_label("Username").focus()
    page.keyboard.type("therapist")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    # The code field takes focus on its own; type only once it has it, as a person would.
    expect(page.get_by_label("Code from your authenticator app")).to_be_focused()
    page.keyboard.type(authenticator_code(device))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="What would you like to do?")).to_be_visible()


def test_the_lockout_page_is_calm_and_accessible(open_page, site_url):
    User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    page, requests = open_page(LOGIN, VIEWPORTS["phone"])
    console = console_of(page)
    for attempt in range(5):
        give_password(page, password=f"wrong-password-{attempt}")
    expect(page.get_by_role("heading", name="Sign-in paused")).to_be_visible()
    expect(page.get_by_text("paused for 15 minutes")).to_be_visible()
    looks_right(page, "signin-locked-out-phone")
    assert [message for message in console if "Content Security Policy" in message] == []
    assert requests.other_origins() == []


def test_the_sign_in_pages_fit_the_narrowest_phone(open_page, site_url):
    User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    page, _ = open_page(LOGIN, NARROWEST)
    looks_right(page, "signin-password-320")
    give_password(page)
    looks_right(page, "signin-set-up-320")


def test_an_admin_page_opened_signed_out_comes_back_after_sign_in(open_page, site_url):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    device = authenticator_device(therapist)
    page, _ = open_page("/admin/pages/page/", VIEWPORTS["desktop"])
    sign_in_in_browser(page, "therapist", PASSWORD, authenticator_code(device))
    assert page.url == f"{site_url}/admin/pages/page/"


def test_an_admin_page_left_open_leaves_the_screen_when_the_session_times_out(admin_page, site_url):
    make_request(name="Robin Quietname")
    page, console = admin_page("", VIEWPORTS["phone"])
    with override_settings(SESSION_COOKIE_AGE=2):
        page.goto(f"{site_url}/admin/intake/consultationrequest/")
        expect(page.get_by_text("Robin Quietname")).to_be_visible()
        page.wait_for_url("**/admin/login/?timed_out=1**", timeout=15_000)
    expect(page.get_by_text("You were signed out after")).to_be_visible()
    assert "Robin Quietname" not in page.content()
    looks_right(page, "signin-timed-out-phone")
    assert [message for message in console if "Content Security Policy" in message] == []
