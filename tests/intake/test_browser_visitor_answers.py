"""
The visitor's pages changed for issue 23, in Chromium at 375 and 1280 px with zero axe violations: the
form back with a time that went, the thank-you page for a phone-only out-of-area visitor, and the
"pick other times" page asking for the way.
"""

import pytest

from booking.models import ConsultationHours
from intake.consultation_time.offered_times import NO_NUMBER, pick_token
from pages.models import PracticeSettings
from tests.browser import looks_right
from tests.clock_words import visitor_words
from tests.hours import offered
from tests.intake.factories import make_request
from tests.intake.visitor_form import fill_required, time_checkbox

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
FORM = "/consultation/"
SIZES = {"375": {"width": 375, "height": 667}, "1280": {"width": 1280, "height": 800}}


@pytest.fixture
def form_hours(form_hours):
    """The form's hours, for a practice licensed in New York and New Jersey with a public email."""
    practice = PracticeSettings.load()
    practice.licensed_states = "NY,NJ"
    practice.email = "hello@wells.example"
    practice.save()
    return form_hours


@pytest.mark.parametrize("size", SIZES)
def test_a_time_that_went_while_typing_comes_back_named(open_page, form_hours, size):
    first = offered()[0]
    page, _ = open_page(FORM, SIZES[size])
    fill_required(page)
    page.click("#booking-section-summary")
    page.check(time_checkbox(first))
    page.check("#id_way_1")
    ConsultationHours.objects.filter(pk=1).update(booking_on=False)
    ConsultationHours.load().save()  # as admin would: the content version moves
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.click("#intake-submit")
    assert answer.value.status == 409
    page.wait_for_load_state()
    summary = page.locator("#error-summary").inner_text()
    assert f"{visitor_words(first.starts_at)} is no longer open" in summary
    assert page.locator("#booking-section").get_attribute("open") is not None
    assert "No times are open just now" in page.locator("#booking-section").inner_text()
    assert page.input_value("#id_name") == "Robin"
    looks_right(page, f"intake-time-went-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_the_thank_you_page_for_a_phone_only_visitor_out_of_area(open_page, site_url, form_hours, size):
    page, _ = open_page(FORM, SIZES[size])
    fill_required(page, by_phone=True, location="OH")
    page.click("#booking-section-summary")
    page.check(time_checkbox(offered()[0]))
    page.check("#id_way_0")
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    text = page.locator("main").inner_text()
    assert "spam" not in text
    assert "I'm still holding the times you picked" in text
    looks_right(page, f"intake-thanks-phone-out-of-area-{size}")


@pytest.mark.parametrize("size", SIZES)
def test_the_pick_page_asks_for_the_way_and_a_number_for_a_call(open_page, form_hours, size):
    consultation = make_request(phone="")
    page, _ = open_page(f"/consultation/times/{pick_token(consultation)}/", SIZES[size])
    assert not page.is_checked("#id_way_0") and not page.is_checked("#id_way_1")
    page.check(time_checkbox(offered()[0]))
    page.check("#id_way_0")
    page.click(".pick-times__submit")
    page.wait_for_load_state()
    assert NO_NUMBER in page.locator("main").inner_text()
    looks_right(page, f"pick-times-needs-a-number-{size}")
