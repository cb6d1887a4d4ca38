"""
Picking consultation times on the form, in Chromium: on a phone and a desktop, by keyboard alone,
with and without JavaScript, in the visitor's own time zone, with zero axe violations.
"""

import datetime

import pytest

from booking.models import Booking
from intake.models import ConsultationRequest
from tests.browser import NARROWEST, VIEWPORTS, looks_right, screenshot
from tests.clock_words import visitor_day_and_time
from tests.hours import offered
from tests.intake.visitor_form import fill_required, time_checkbox

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
FORM = "/consultation/"
SIZES = {"375": {"width": 375, "height": 667}, "1280": VIEWPORTS["desktop"]}


@pytest.mark.parametrize("size", SIZES)
def test_a_visitor_picks_two_times_by_video_and_sees_them_held(open_page, site_url, form_hours, size):
    first, second = offered()[:2]
    page, requests = open_page(FORM, SIZES[size])
    console = []
    page.on("console", lambda message: console.append(message.text))
    assert not page.locator(time_checkbox(first)).is_visible(), "folded until the visitor opens it"
    page.click("#booking-section-summary")
    looks_right(page, f"booking-form-picker-{size}", console)
    fill_required(page)
    page.check(time_checkbox(first))
    page.check(time_checkbox(second))
    page.check("#id_way_1")  # video
    screenshot(page, f"booking-form-picked-{size}")
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    held = page.locator("#intake-held")
    assert held.locator("li").all_inner_texts() == [
        visitor_day_and_time(time.starts_at) for time in (first, second)
    ]
    looks_right(page, f"booking-form-thanks-{size}")
    consultation = ConsultationRequest.objects.get()
    assert list(consultation.bookings.values_list("starts_at", "way")) == [
        (first.starts_at, "video"),
        (second.starts_at, "video"),
    ]
    assert requests.other_origins() == []


def test_rows_are_large_enough_to_tap_on_a_phone(open_page, form_hours):
    page, _ = open_page(FORM, SIZES["375"])
    page.click("#booking-section-summary")
    heights = page.locator(".booking-time__label").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44, heights
    widths = page.locator(".booking-time__label").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect().width)"
    )
    assert min(widths) >= 44, widths
    for summary in ("#booking-section-summary", "#intake-more-summary"):
        assert page.locator(summary).bounding_box()["height"] >= 44, summary


def test_by_keyboard_alone_a_visitor_opens_the_picker_picks_and_sends(open_page, site_url, form_hours):
    first, second = offered()[:2]
    page, _ = open_page(FORM, SIZES["375"])
    fill_required(page)
    page.focus("#id_is_adult")
    while page.evaluate("document.activeElement.id") != "booking-section-summary":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("#booking-section").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == time_checkbox(first)[1:]
    focus_ring = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert focus_ring == "solid", "the focused time shows where the keyboard is"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    screenshot(page, "booking-form-keyboard")
    assert page.is_checked(time_checkbox(first)) and page.is_checked(time_checkbox(second))
    # The phone field stays hidden for an email contact, so a consultation by phone would need one.
    while page.evaluate("document.activeElement.id") != "id_way_0":
        page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # a radio group moves its choice with the arrow keys
    assert page.is_checked("#id_way_1")
    while page.evaluate("document.activeElement.id") != "intake-submit":
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/consultation/thanks/")
    assert list(Booking.objects.values_list("starts_at", "way")) == [
        (first.starts_at, "video"),
        (second.starts_at, "video"),
    ]


def test_without_javascript_the_picker_works_in_the_practices_time(open_page, site_url, form_hours):
    first = offered()[0]
    page, _ = open_page(FORM, SIZES["375"], java_script_enabled=False, timezone_id="America/Los_Angeles")
    page.click("#booking-section-summary")
    assert page.locator(".booking-time__visitor").all_inner_texts() == [""] * len(offered())
    assert not page.locator("[data-booking-visitor-zone]").is_visible()
    assert "Times are New York time." in page.locator("#id_times_help").inner_text()
    screenshot(page, "booking-form-no-js-375")
    fill_required(page)
    page.fill("#id_phone", "555-123-4567")
    page.check(time_checkbox(first))
    page.check("#id_way_0")  # phone: nothing is chosen for the visitor
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    assert Booking.objects.get().way == "phone"


@pytest.mark.parametrize("size", SIZES)
def test_in_another_zone_each_time_also_shows_the_visitors_own(open_page, form_hours, size):
    times = offered()
    page, _ = open_page(FORM, SIZES[size], timezone_id="America/Los_Angeles")
    page.click("#booking-section-summary")
    # 10:00 am in New York is 7:00 am in Los Angeles, on the same day.
    assert page.locator(f"{time_checkbox(times[0])} + label").inner_text().replace("\n", " ") == (
        "10:00 am (7:00 am your time)"
    )
    assert page.locator(".booking-time__visitor").all_inner_texts() == [
        f"({time.local.hour - 3}:{time.local:%M} am your time)" for time in times
    ]
    assert page.locator("[data-booking-visitor-zone]").inner_text().strip() == (
        "In brackets: your own time (Los Angeles time)."
    )
    looks_right(page, f"booking-form-visitor-zone-{size}")


def test_a_day_away_the_visitor_sees_the_weekday_of_their_own_time(open_page, form_hours):
    first = offered()[0]
    page, _ = open_page(FORM, SIZES["375"], timezone_id="Pacific/Kiritimati")  # UTC+14
    page.click("#booking-section-summary")
    # 10:00 am New York (UTC-5) is 5:00 am the next day at UTC+14.
    text = page.locator(f"{time_checkbox(first)} + label .booking-time__visitor").inner_text()
    following = first.local.date() + datetime.timedelta(days=1)
    assert text == f"({following:%A} 5:00 am your time)"


def test_in_the_practices_own_zone_nothing_is_added(open_page, form_hours):
    page, _ = open_page(FORM, SIZES["375"], timezone_id="America/New_York")
    page.click("#booking-section-summary")
    assert set(page.locator(".booking-time__visitor").all_inner_texts()) == {""}
    assert not page.locator("[data-booking-visitor-zone]").is_visible()


@pytest.mark.parametrize("javascript", [True, False])
def test_too_many_picks_open_the_picker_and_the_summary_link_reaches_the_first_time(
    open_page, form_hours, javascript
):
    times = offered()
    page, _ = open_page(FORM, SIZES["375"], java_script_enabled=javascript)
    fill_required(page)
    page.click("#booking-section-summary")
    page.check("#id_way_1")
    for time in times[:4]:
        page.check(time_checkbox(time))
    page.click("#intake-submit")
    page.wait_for_load_state()
    assert page.locator("#booking-section").get_attribute("open") is not None
    assert page.locator("#id_times").get_attribute("aria-describedby") == "id_times_help id_times_error_1"
    page.locator(f'#error-summary a[href="{time_checkbox(times[0])}"]').click()
    assert page.evaluate("document.activeElement.id") == time_checkbox(times[0])[1:]
    screenshot(page, f"booking-form-too-many-{'js' if javascript else 'no-js'}")
    if javascript:
        looks_right(page, "booking-form-too-many-js")
    assert len(page.locator(".booking-time__input:checked").all()) == 4 + 1, "the four picks and video kept"


@pytest.mark.parametrize(
    "name, viewport, options",
    [("320", NARROWEST, {}), ("zoom-200", {"width": 640, "height": 450}, {"device_scale_factor": 2})],
)
def test_the_picker_reads_at_320_px_and_200_percent_zoom(open_page, form_hours, name, viewport, options):
    page, _ = open_page(FORM, viewport, timezone_id="America/Los_Angeles", **options)
    page.click("#booking-section-summary")
    page.check(time_checkbox(offered()[1]))
    looks_right(page, f"booking-form-{name}")


def test_with_the_picker_the_required_part_still_fits_two_phone_screens(open_page, form_hours):
    """The height budget of tests/intake/test_browser_short_form.py, with booking on: one more folded line."""
    page, _ = open_page(FORM, SIZES["375"])
    page.check("#id_preferred_contact_0")
    required_part = page.evaluate(
        """() => document.querySelector('#intake-submit').getBoundingClientRect().bottom
                 - document.querySelector('label[for=id_name]').getBoundingClientRect().top"""
    )
    screenshot(page, "booking-form-folded-375")
    assert required_part <= 2 * SIZES["375"]["height"], required_part
    assert page.evaluate("document.documentElement.scrollHeight") <= 5596 / 2
