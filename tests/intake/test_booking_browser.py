"""Confirming a time in admin and picking times from the link, in Chromium: keyboard only, no axe violations."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from intake.consultation_time.offered_times import pick_token
from intake.models import ConsultationRequest, Notification
from tests.browser import DESKTOP, VIEWPORTS, looks_right, tab_to
from tests.hours import open_hours
from tests.intake.booking_setup import hold_times
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


def test_the_therapist_confirms_a_time_with_the_keyboard(admin_page):
    open_hours()
    consultation = make_request(name="Robin")
    bookings = hold_times(consultation, 3)
    page, console = admin_page(f"intake/consultationrequest/{consultation.pk}/change/", DESKTOP)
    panel = page.locator(".intake-booking")
    expect(panel).to_contain_text("Times are New York time.")
    expect(panel.locator(".intake-booking__time")).to_have_count(3)
    expect(panel.get_by_role("button", name="Confirm")).to_have_count(3)
    looks_right(page, "booking-admin-held-desktop", console)

    # Enter in a field of the request's own form saves the request: it never confirms a time.
    request_page = page.url
    follow_up = page.get_by_label("Next follow-up")
    follow_up.fill(timezone.localdate().isoformat())
    with page.expect_navigation():
        follow_up.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert not Booking.objects.filter(state="confirmed").exists()
    page.goto(request_page)

    # Tab to the second time's Confirm button, and press Enter.
    confirm = panel.get_by_role("button", name="Confirm").nth(1)
    confirm.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text(f"Confirmed request #{consultation.pk} for")
    expect(page.locator(".messagelist")).to_contain_text("The invites are on their way to you and to them.")
    expect(panel.locator(".intake-booking__time--confirmed")).to_have_count(1)
    expect(panel.get_by_role("button", name="Confirm")).to_have_count(0)
    looks_right(page, "booking-admin-confirmed-desktop", console)
    assert Booking.objects.get(state="confirmed").pk == bookings[1].pk
    assert ConsultationRequest.objects.get().status == ConsultationRequest.Status.SCHEDULED
    assert Notification.objects.filter(booking=bookings[1]).count() == 2

    # Confirmed: other times are no longer offered; the consultation is cancelled or moved instead.
    expect(panel.get_by_role("link", name="Offer other times")).to_have_count(0)
    panel.get_by_role("link", name="Cancel or move").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Cancel or move")
    looks_right(page, "booking-admin-cancel-or-move-desktop", console)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_visitor_picks_two_times_by_video_with_the_keyboard(visit, site_url, size):
    open_hours(days_ahead=3)
    consultation = make_request(name="Robin Quokka")
    path = f"/consultation/times/{pick_token(consultation)}/"
    page, requests, console, _ = visit(path, VIEWPORTS[size])
    expect(page.locator("h1")).to_have_text("Pick times for your free consultation")
    assert "Quokka" not in page.content()
    looks_right(page, f"booking-pick-{size}", console)
    assert requests.other_origins() == []

    boxes = page.locator("input[name=times]")
    first_id, second_id = boxes.nth(0).get_attribute("id"), boxes.nth(1).get_attribute("id")
    tab_to(page, first_id)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(boxes.nth(1)).to_be_focused()
    assert page.evaluate("document.activeElement.id") == second_id
    page.keyboard.press("Space")
    video = page.get_by_label("Video call")
    tab_to(page, "id_way_0", limit=200)
    page.keyboard.press("ArrowDown")
    expect(video).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Send my times")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Thank you: your times are held")
    expect(page.locator(".pick-times__held li")).to_have_count(2)
    looks_right(page, f"booking-pick-held-{size}", console)
    assert set(Booking.objects.values_list("way", "state")) == {("video", "held")}
