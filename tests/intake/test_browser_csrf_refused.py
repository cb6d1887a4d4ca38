"""
In Chromium: two tabs whose cookies crossed, and the older tab's form still reaches the practice.

The second tab opens after the browser's cookies were cleared (as a first visit in two tabs at once
does), so the first tab's form fails the CSRF check: it comes back filled in, and Send works.
"""

import pytest

from intake.models import ConsultationRequest
from tests.browser import looks_right
from tests.intake.visitor_form import fill_required

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
FORM = "/consultation/"
SIZES = {"375": {"width": 375, "height": 667}, "1280": {"width": 1280, "height": 800}}
MESSAGE = "We keep having the same argument about money.\nI would like to understand why."


def fill(page):
    fill_required(page)
    page.click("#intake-more-summary")  # the folded "tell me more" section
    page.fill("#id_message", MESSAGE)


@pytest.mark.parametrize("size", SIZES)
def test_the_older_tab_gets_its_form_back_filled_in_and_sends_it(open_page, site_url, transactional_db, size):
    first_tab, _ = open_page(FORM, SIZES[size])
    first_tab.context.clear_cookies()
    second_tab = first_tab.context.new_page()
    second_tab.goto(site_url + FORM)
    fill(first_tab)

    first_tab.click("#intake-submit")
    first_tab.wait_for_selector("#form-notice")

    assert first_tab.title().startswith("Not sent:")
    assert first_tab.locator("#form-notice-heading").inner_text() == "Your request has not been sent yet"
    assert first_tab.input_value("#id_message") == MESSAGE
    assert first_tab.input_value("#id_name") == "Robin"
    assert first_tab.locator("#intake-more").get_attribute("open") is not None, "the answered section is open"
    assert first_tab.evaluate("document.activeElement.id") == "form-notice", "read first by a screen reader"
    looks_right(first_tab, f"intake-csrf-refused-{size}")
    assert not ConsultationRequest.objects.exists()

    first_tab.click("#intake-submit")
    first_tab.wait_for_url(site_url + "/consultation/thanks/")
    assert ConsultationRequest.objects.get().message == MESSAGE
