"""The visitor's consultation link in Chromium: keyboard only, accessible, first-party only, no Referer."""

import datetime

import pytest

from booking.links import manage_token
from booking.models import Booking
from intake.models import Notification
from tests.browser import VIEWPORTS, looks_right, tab_to
from tests.hours import open_hours
from tests.intake.bookings import at, confirmed_booking
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


def check(page, requests, console, name):
    looks_right(page, name, console)
    assert requests.other_origins() == [], name


@pytest.fixture
def booking():
    # A morning's times for a week, as a small practice might offer them.
    hours = open_hours(days_ahead=7)
    hours.windows.update(ends=datetime.time(11))
    return confirmed_booking(make_request(name="Zqrobin Quokka"), starts_at=at(3, 9, 30))


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_visitor_cancels_their_consultation_with_the_keyboard_only(visit, site_url, booking, size):
    token = manage_token(booking)
    page, requests, console, referers = visit(f"/consultation/time/{token}/", VIEWPORTS[size])
    assert page.locator("h1").inner_text() == "Your free consultation"
    assert "Zqrobin" not in page.content()
    assert page.locator('input[name="time"][type="radio"]').count() > 1
    check(page, requests, console, f"booking-manage-{size}")

    tab_to(page, "cancel-ask")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + f"/consultation/time/{token}/?cancel")
    assert page.locator("#cancel-submit").inner_text() == "Yes, cancel this consultation"
    check(page, requests, console, f"booking-cancel-confirm-{size}")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED, "one tap cancels nothing"
    tab_to(page, "cancel-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/consultation/cancelled/")
    assert page.locator("h1").inner_text() == "Your consultation is cancelled"
    check(page, requests, console, f"booking-cancelled-{size}")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert Notification.objects.filter(booking=booking).count() == 2
    # The token never left in a Referer, not even to the site's own stylesheets or with the form.
    assert referers and not [referer for referer in referers if token[:12] in referer or "/time/" in referer]

    page, requests, console, _ = visit(f"/consultation/time/{token}/", VIEWPORTS[size])
    assert page.locator("h1").inner_text() == "This consultation has already been cancelled"
    check(page, requests, console, f"booking-already-cancelled-{size}")


def test_a_visitor_moves_their_consultation_with_the_keyboard_only(visit, site_url, booking):
    page, requests, console, _ = visit(f"/consultation/time/{manage_token(booking)}/", VIEWPORTS["phone"])
    first = page.locator('input[name="time"]').first
    picked = first.get_attribute("value")
    tab_to(page, first.get_attribute("id"))
    page.keyboard.press("Space")
    assert first.is_checked()
    tab_to(page, "move-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/consultation/moved/")
    assert page.locator("h1").inner_text() == "Your consultation is moved"
    check(page, requests, console, "booking-moved-phone")
    moved = Booking.objects.get(state=Booking.State.CONFIRMED)
    assert moved.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ") == picked


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_move_without_a_time_is_explained_where_the_times_are(visit, booking, size):
    page, requests, console, _ = visit(f"/consultation/time/{manage_token(booking)}/", VIEWPORTS[size])
    page.locator("#move-submit").click()
    page.wait_for_load_state()
    assert page.locator(".booking-times .invalid-feedback").inner_text() == (
        "Please pick the new time, then press “Move to this time”."
    )
    check(page, requests, console, f"booking-move-error-{size}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_link_that_no_longer_works_says_so_kindly(visit, booking, size):
    token = manage_token(booking)
    page, requests, console, _ = visit(f"/consultation/time/{token[:-5]}/", VIEWPORTS[size])
    assert page.locator("h1").inner_text() == "This link is not complete"
    check(page, requests, console, f"booking-link-not-valid-{size}")
    booking.starts_at = booking.starts_at - datetime.timedelta(days=10)
    booking.ends_at = booking.ends_at - datetime.timedelta(days=10)
    booking.save()
    page, requests, console, _ = visit(f"/consultation/time/{token}/", VIEWPORTS[size])
    assert page.locator("h1").inner_text() == "This link no longer works"
    check(page, requests, console, f"booking-link-expired-{size}")
