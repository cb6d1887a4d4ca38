"""
The visitor sends once, in Chromium with the real Back button: after sending, Back shows the request
as sent, and no tick is ever restored onto a time the visitor did not pick.
"""

import datetime

import pytest
from django.utils import timezone

from booking.models import Booking
from intake.models import ConsultationRequest
from tests.browser import looks_right, screenshot
from tests.hours import offered
from tests.intake.factories import make_request
from tests.intake.visitor_form import fill_required, time_checkbox

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
FORM = "/consultation/"
SIZES = {"375": {"width": 375, "height": 667}, "1280": {"width": 1280, "height": 800}}


def fill_and_pick(page, time):
    fill_required(page)
    page.click("#booking-section-summary")  # the folded section
    page.check(time_checkbox(time))
    page.check("#id_way_1")  # video


@pytest.mark.parametrize("size", SIZES)
def test_back_after_sending_shows_the_request_as_sent_and_sends_nothing_more(
    open_page, site_url, form_hours, size
):
    second = offered()[1]
    page, _ = open_page(FORM, SIZES[size])
    fill_and_pick(page, second)
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    page.go_back()
    page.wait_for_load_state()
    assert page.url == site_url + FORM
    assert page.locator("h1").inner_text() == "Your request has been sent"
    assert page.locator("form.intake-form").count() == 0, "nothing to send again"
    looks_right(page, f"intake-sent-after-back-{size}")
    assert ConsultationRequest.objects.count() == 1 and Booking.objects.count() == 1
    page.click("#intake-start-new")
    page.wait_for_selector("form.intake-form")
    assert page.locator('input[name="times"]:checked').count() == 0
    assert page.locator(time_checkbox(second)).count() == 0, "the held time is no longer offered"


def test_back_never_restores_a_tick_onto_another_time(open_page, site_url, form_hours):
    """Away and Back while the first time is taken: the browser would tick the third by its place."""
    first, second = offered()[:2]
    page, _ = open_page(FORM, SIZES["375"])
    fill_and_pick(page, second)
    page.goto(site_url + "/privacy/")
    Booking.objects.create(
        request=make_request(name="Sam"),
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        held_until=timezone.now() + datetime.timedelta(hours=1),
    )
    page.go_back()
    page.wait_for_selector("form.intake-form")
    page.wait_for_load_state("load")
    screenshot(page, "intake-back-no-restored-ticks-375")
    ticked = page.eval_on_selector_all('input[name="times"]:checked', "boxes => boxes.map(box => box.value)")
    assert set(ticked) <= {second.value}, f"ticked {ticked}, never picked"
    assert page.input_value("#id_name") == "Robin", "what was typed is still there"
