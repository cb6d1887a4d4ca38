"""The consultation times in admin as the therapist sees them, in Chromium."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, DayOff
from tests.browser import VIEWPORTS, looks_right
from tests.hours import open_hours
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


@pytest.fixture
def hours():
    # The model's own defaults: 20-minute consultations, a 10-minute break, 24 hours' notice.
    hours = open_hours([(0, "09:00", "12:00"), (1, "12:00", "14:00"), (3, "16:00", "19:00")])
    DayOff.objects.create(hours=hours, date=timezone.localdate() + datetime.timedelta(days=9))
    return hours


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_consultation_hours_page_shows_the_next_open_times(admin_page, hours, size):
    page, console = admin_page("booking/consultationhours/", VIEWPORTS[size])
    expect(page.get_by_role("heading", name="Consultation hours", level=1)).to_be_visible()
    expect(page.get_by_text("Next open times: ")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Weekly windows: when you offer consultations, every week")
    ).to_be_visible()
    looks_right(page, f"booking-admin-hours-{size}", console)


def test_the_consultation_hours_page_says_why_nothing_is_offered_while_booking_is_off(admin_page, hours):
    hours.booking_on = False
    hours.save()
    page, console = admin_page("booking/consultationhours/", VIEWPORTS["desktop"])
    expect(page.get_by_text("None: booking is off")).to_be_visible()
    looks_right(page, "booking-admin-hours-off-desktop", console)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_calendar_feed_is_added_and_its_address_shown_once(admin_page, size):
    page, console = admin_page("booking/calendarfeed/add/", VIEWPORTS[size])
    page.get_by_label("Name").fill("Phone")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Calendar feed “Phone” added", level=1)).to_be_visible()
    address = page.get_by_label("Calendar address")
    expect(address).to_have_value(re.compile(r"/calendar/[A-Za-z0-9_-]{43}\.ics$"))
    looks_right(page, f"booking-admin-feed-added-{size}", console)

    page.get_by_role("link", name="Done: back to calendar feeds").click()
    page.get_by_role("link", name="Phone").click()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoke the calendar feed “Phone”?")).to_be_visible()
    looks_right(page, f"booking-admin-feed-revoke-{size}", console)
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.get_by_text("Revoked “Phone”: its address stopped working now.")).to_be_visible()


def test_booked_consultations_are_listed_by_number(admin_page, hours):
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=3)
    for hour, state in enumerate([Booking.State.CONFIRMED, Booking.State.HELD]):
        Booking.objects.create(
            request=make_request(name="Hidden Name"),
            starts_at=starts + datetime.timedelta(hours=hour),
            ends_at=starts + datetime.timedelta(hours=hour, minutes=20),
            state=state,
            held_until=timezone.now() + datetime.timedelta(hours=40) if state == Booking.State.HELD else None,
        )
    page, console = admin_page("booking/booking/", VIEWPORTS["desktop"])
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).not_to_contain_text("Hidden Name")
    looks_right(page, "booking-admin-bookings-desktop", console)
