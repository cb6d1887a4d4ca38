"""Replying by email from a request's page, in Chromium at phone and desktop sizes, by keyboard alone."""

import pytest
from playwright.sync_api import expect

from intake.models import ConsultationRequest, Notification, Referral, TimelineEntry
from tests.browser import VIEWPORTS, looks_right
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


def press(locator, key="Enter"):
    """Reach a control by keyboard focus and use it with a key, as someone without a mouse would."""
    locator.focus()
    expect(locator).to_be_focused()
    locator.press(key)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_therapist_sends_a_reply_with_referrals_from_the_requests_page(admin_page, size):
    robin = make_request(name="Robin", email="robin@example.com")
    park = Referral.objects.create(name="Dr. Lee Park", helps_with="Couples", how_to_reach="555-222-3333")
    Referral.objects.create(name="Harbor Clinic", how_to_reach="harbor.example", accepting_new_clients=False)
    page, console = admin_page(f"intake/consultationrequest/{robin.pk}/change/", VIEWPORTS[size])

    press(page.get_by_role("link", name="Reply by email"))
    press(page.get_by_role("link", name="Referral elsewhere"))
    expect(page.get_by_label("Subject")).to_have_value("Private psychotherapy practice")
    expect(page.get_by_label("Message")).to_contain_text("Hello Robin,")
    expect(page.get_by_text("Harbor Clinic (not taking new clients)")).to_be_visible()
    looks_right(page, f"intake-reply-{size}", console)

    press(page.get_by_label("Dr. Lee Park: Couples"), "Space")
    page.get_by_label("Message").focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("\nP.S. Take your time.")
    press(page.get_by_role("button", name="Preview"))
    expect(page.locator(".intake-reply-preview")).to_contain_text("How to reach them: 555-222-3333")
    looks_right(page, f"intake-reply-preview-{size}", console)

    press(page.get_by_role("button", name="Send reply"))
    expect(page.locator(".messagelist")).to_contain_text("queued: it goes out within a minute")
    looks_right(page, f"intake-reply-sent-{size}", console)
    entry = TimelineEntry.objects.get()
    assert park.name in entry.text and "Harbor Clinic" not in entry.text
    assert entry.text.endswith("P.S. Take your time.")
    assert Notification.objects.get(kind="reply").reply == entry
    assert ConsultationRequest.objects.get().status == "referred"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_someone_who_gave_no_email_gets_the_reason_instead_of_the_button(admin_page, size):
    caller = make_request(preferred_contact="call", email="", phone="555-123-4567")
    page, console = admin_page(f"intake/consultationrequest/{caller.pk}/change/", VIEWPORTS[size])
    expect(page.locator(".intake-reply-reason")).to_have_text(
        "They asked for a phone call and gave no email address: call them instead, and log it."
    )
    expect(page.get_by_role("link", name="Reply by email")).to_have_count(0)
    looks_right(page, f"intake-reply-no-email-{size}", console)
