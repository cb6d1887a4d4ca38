"""Logging a call from the request's page with the keyboard alone, in Chromium at phone and desktop sizes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import ConsultationRequest, TimelineEntry
from tests.browser import VIEWPORTS, looks_right
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


@pytest.fixture
def caller():
    """Someone who asked for a call, allowed texts, and asked for no voicemail; one note already kept."""
    consultation = make_request(
        name="Robin",
        preferred_contact="call",
        phone="(555) 123-4567",
        email="",
        voicemail_ok=False,
        text_ok=True,
        received_at=timezone.now() - timedelta(days=1),
        follow_up_on=timezone.localdate(),
    )
    consultation.timeline.create(
        kind="note", text="Evenings are best.\nAsk for Robin.", at=timezone.now() - timedelta(hours=20)
    )
    return consultation


def tab_to_the_outcomes(page):
    """Tab from "When" (its day, month, year, hour and minute are stops of their own) to the radios."""
    page.get_by_label("When").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "outcome":
            return
    raise AssertionError("Tab never reached the outcomes")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_call_is_logged_with_the_keyboard_and_a_refused_voicemail_is_stopped(admin_page, caller, size):
    page, console = admin_page(f"intake/consultationrequest/{caller.pk}/change/", VIEWPORTS[size])
    contact = page.locator(".intake-contact")
    expect(contact.get_by_role("link", name="Call (555) 123-4567")).to_have_attribute(
        "href", "tel:+15551234567"
    )
    expect(contact.get_by_role("link", name="Text (555) 123-4567")).to_have_attribute(
        "href", "sms:+15551234567"
    )
    expect(contact).to_contain_text("Do not leave a voicemail: others may hear it")
    expect(contact).to_contain_text("Texts are OK")
    expect(page.locator(".intake-timeline")).to_contain_text("Evenings are best.")
    looks_right(page, f"intake-call-log-request-{size}", console)

    contact.get_by_role("link", name="Log a call or text").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    looks_right(page, f"intake-call-log-form-{size}", console)

    # "When" is already now: Tab past it to the outcomes; the arrow keys move between them.
    tab_to_the_outcomes(page)
    expect(page.get_by_label("Spoke with them")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Left a voicemail")).to_be_checked()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".errorlist")).to_contain_text("They did not allow voicemails")
    looks_right(page, f"intake-call-log-refused-{size}", console)
    assert not TimelineEntry.objects.filter(kind="call").exists()

    tab_to_the_outcomes(page)
    expect(page.get_by_label("Left a voicemail")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("No answer, no message left")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Short note")).to_be_focused()
    page.keyboard.type("Will try Thursday evening")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator(".messagelist")).to_contain_text(f"Logged on request #{caller.pk}.")
    first = page.locator(".intake-timeline__entry").first
    expect(first).to_contain_text("Call or text · No answer, no message left")
    expect(first).to_contain_text("Will try Thursday evening")
    looks_right(page, f"intake-call-log-done-{size}", console)
    caller.refresh_from_db()
    # A call nobody answered is not a reply (issue 23): the request still waits for one.
    assert caller.status == ConsultationRequest.Status.NEW and caller.first_reply_at is None
