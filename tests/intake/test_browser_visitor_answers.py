"""
The visitor's pages changed for issue 23, in Chromium at 375 and 1280 px with zero axe violations: the
form back with a time that went, the thank-you page for a phone-only out-of-area visitor, and the
"pick other times" page asking for the way.
"""

import pytest

from booking.models import ConsultationHours
from intake.consultation_time.offered_times import NO_NUMBER, pick_token
from intake.form import spam
from pages.models import PracticeSettings
from tests.browser import looks_right
from tests.clock_words import visitor_words
from tests.hours import offered
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser
FORM = "/consultation/"
SIZES = {"375": {"width": 375, "height": 667}, "1280": {"width": 1280, "height": 800}}


@pytest.fixture(autouse=True)
def human_speed(monkeypatch):
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)


@pytest.fixture
def form_hours(form_hours):
    """The form's hours, for a practice licensed in New York and New Jersey with a public email."""
    practice = PracticeSettings.load()
    practice.licensed_states = "NY,NJ"
    practice.email = "hello@wells.example"
    practice.save()
    return form_hours


def checkbox(time):
    return f"#id_times_{time.value.lower().replace(':', '')}"


def fill(page, contact="#id_preferred_contact_0", location="NY"):
    page.fill("#id_name", "Robin")
    page.check(contact)
    if contact == "#id_preferred_contact_0":
        page.fill("#id_email", "robin@example.com")
    else:
        page.fill("#id_phone", "555-123-4567")
    page.select_option("#id_client_location", location)
    for box in ("#id_is_adult", "#id_emergency_notice_seen", "#id_privacy_accepted"):
        page.check(box)


@pytest.mark.parametrize("size", SIZES)
def test_a_time_that_went_while_typing_comes_back_named(open_page, form_hours, size):
    first = offered()[0]
    page, _ = open_page(FORM, SIZES[size])
    fill(page)
    page.click("#booking-section-summary")
    page.check(checkbox(first))
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
    fill(page, contact="#id_preferred_contact_1", location="OH")
    page.click("#booking-section-summary")
    page.check(checkbox(offered()[0]))
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
    page.check(checkbox(offered()[0]))
    page.check("#id_way_0")
    page.click(".pick-times__submit")
    page.wait_for_load_state()
    assert NO_NUMBER in page.locator("main").inner_text()
    looks_right(page, f"pick-times-needs-a-number-{size}")
