"""The consultation form as a visitor meets it, and the admin as the therapist does, in Chromium."""

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError

from intake.form import spam
from intake.models import ConsultationRequest
from tests.accounts.signing_in import authenticator_code, authenticator_device, sign_in_in_browser
from tests.browser import NARROWEST, VIEWPORTS, axe_violations, screenshot, scrolls_sideways, tab_to
from tests.intake.factories import make_request
from tests.intake.visitor_form import fill_required

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
FORM = "/consultation/"


def csp_messages(page):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    return messages


def check_page(page, requests, name):
    screenshot(page, name)
    assert axe_violations(page) == []
    assert requests.other_origins() == []
    assert not scrolls_sideways(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_empty_form_is_accessible_and_first_party_only(open_page, size):
    page, requests = open_page(FORM, VIEWPORTS[size])
    check_page(page, requests, f"intake-form-{size}")
    assert page.locator("h1").count() == 1


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_error_state_is_announced_and_accessible(open_page, size):
    page, requests = open_page(FORM, VIEWPORTS[size])
    page.locator("#intake-submit").press("Enter")
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert page.evaluate("document.activeElement.id") == "error-summary", "focus moves to the summary"
    summary = page.locator("#error-summary")
    assert summary.get_attribute("tabindex") == "-1"
    assert "problems with your request" in summary.locator("h2").inner_text()
    check_page(page, requests, f"intake-form-errors-{size}")


def test_without_javascript_the_form_works_and_errors_still_take_focus(open_page, site_url):
    page, _ = open_page(FORM, VIEWPORTS["phone"], java_script_enabled=False)
    # Without script the form is sent to the server: wait for that page, not the one still showing.
    with page.expect_navigation():
        page.locator("#intake-submit").press("Enter")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    fill_required(page, location="outside")
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    assert ConsultationRequest.objects.get().client_location == "outside"


def test_error_summary_links_take_keyboard_users_to_the_field(open_page):
    page, _ = open_page(FORM, VIEWPORTS["phone"])
    page.locator("#intake-submit").press("Enter")
    page.wait_for_load_state()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#id_name"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "id_name"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_thank_you_page_is_accessible(open_page, site_url, size):
    page, requests = open_page(FORM, VIEWPORTS[size])
    fill_required(page)
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    assert "Thank you, Robin" in page.locator("h1").inner_text()
    check_page(page, requests, f"intake-thanks-{size}")


def test_a_visitor_fills_and_sends_the_form_with_the_keyboard_only(open_page, site_url):
    page, _ = open_page(FORM, VIEWPORTS["phone"])
    focused = tab_to(page, "id_name")
    page.keyboard.type("Robin 🌿")
    focused += tab_to(page, "id_preferred_contact_0")
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "Phone call"
    page.keyboard.press("ArrowDown")  # "Text message"
    focused += tab_to(page, "id_phone")
    page.keyboard.type("555-123-4567")
    focused += tab_to(page, "id_voicemail_ok")
    page.keyboard.press("Space")
    focused += tab_to(page, "id_client_location")
    page.keyboard.type("New York")
    focused += tab_to(page, "id_is_adult")
    page.keyboard.press("Space")
    focused += tab_to(page, "intake-more-summary")
    page.keyboard.press("Enter")  # opens "Tell me more, if you like"
    focused += tab_to(page, "id_message")
    page.keyboard.type("I keep pulling away.")
    focused += tab_to(page, "id_availability_2")
    page.keyboard.press("Space")
    focused += tab_to(page, "id_emergency_notice_seen")
    page.keyboard.press("Space")
    focused += tab_to(page, "id_privacy_accepted")
    page.keyboard.press("Space")
    focused += tab_to(page, "intake-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/consultation/thanks/")

    assert "id_reference_code" not in focused, "the honeypot is never a tab stop"
    consultation = ConsultationRequest.objects.get()
    assert consultation.status == ConsultationRequest.Status.NEW
    assert (consultation.name, consultation.preferred_contact, consultation.client_location) == (
        "Robin 🌿",
        "text",
        "NY",
    )
    assert consultation.voicemail_ok and consultation.text_ok
    assert consultation.availability == ["weekday_evenings"]
    assert consultation.message == "I keep pulling away."


def test_the_form_page_has_no_content_security_policy_violations(open_page):
    page, _ = open_page(FORM, VIEWPORTS["desktop"])
    messages = csp_messages(page)
    page.reload()
    page.locator("#intake-submit").press("Enter")
    page.wait_for_load_state()
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_the_admin_pages_for_requests_look_right_and_break_no_policy(open_page, site_url):
    therapist = User.objects.create_superuser("therapist", "t@practice.example", "a-long-test-password")
    consultation = make_request(name="Robin", phone="555-123-4567", text_ok=True)
    make_request(name="Sam", received_at=consultation.received_at.replace(year=2025))
    page, requests = open_page("/admin/login/", VIEWPORTS["desktop"])
    messages = csp_messages(page)
    sign_in_in_browser(
        page, "therapist", "a-long-test-password", authenticator_code(authenticator_device(therapist))
    )
    page.wait_for_url(site_url + "/admin/")
    screenshot(page, "intake-admin-index")
    assert "past your reply promise" in page.content()
    page.goto(site_url + "/admin/intake/consultationrequest/")
    screenshot(page, "intake-admin-list")
    assert page.locator(".intake-overdue").count() == 1
    page.goto(site_url + f"/admin/intake/consultationrequest/{consultation.pk}/change/")
    screenshot(page, "intake-admin-change")
    assert (
        page.locator(".intake-permission--no").inner_text() == "Do not leave a voicemail: others may hear it"
    )
    page.goto(site_url + "/admin/intake/consultationrequest/")
    page.locator(f"input[name=_selected_action][value='{consultation.pk}']").check()
    page.select_option("select[name=action]", "erase_person")
    page.locator("button[name=index]").first.click()
    page.wait_for_load_state()
    screenshot(page, "intake-admin-erase")
    assert "Erase this person" in page.content()
    assert [m for m in messages if "Content Security Policy" in m] == []
    assert requests.other_origins() == []


def fill_the_form(page):
    fill_required(page)
    page.click("#intake-more-summary")
    page.fill("#id_message", "Everything I typed, kept.")


def outage(*args, **kwargs):
    raise OperationalError("the database is restarting")


@pytest.mark.parametrize(
    "case, size",
    [("outage", "phone"), ("outage", "desktop"), ("limit", "phone"), ("limit", "desktop"), ("outage", "320")],
)
def test_a_form_that_could_not_be_sent_comes_back_whole_with_the_notice_focused(
    open_page, monkeypatch, case, size
):
    if case == "outage":
        monkeypatch.setattr("intake.form.views.save_request", outage)
    else:
        monkeypatch.setattr(spam, "admitted", lambda key: False)
    page, requests = open_page(FORM, NARROWEST if size == "320" else VIEWPORTS[size])
    fill_the_form(page)
    page.click("#intake-submit")
    page.wait_for_load_state()
    assert page.title().startswith("Not sent: ")
    assert page.evaluate("document.activeElement.id") == "form-notice", "focus moves to the notice"
    assert page.input_value("#id_message") == "Everything I typed, kept."
    assert page.locator("#intake-more").get_attribute("open") is not None, "the answered section is open"
    assert page.is_checked("#id_privacy_accepted")
    check_page(page, requests, f"intake-not-sent-{case}-{size}")
