"""
The consultation form on a phone: short to the eye, questions that appear with the answer they belong
to, and where the visitor stands; with the page's script and without it, in Chromium.
"""

import pytest

from intake.models import ConsultationRequest
from pages.models import PracticeSettings
from tests.browser import NARROWEST, VIEWPORTS, looks_right, screenshot
from tests.intake.visitor_form import fill_required

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
FORM = "/consultation/"
# An iPhone SE's screen, the small phone the goal is measured on.
SMALL_PHONE = {"width": 375, "height": 667}
# The whole page measured at SMALL_PHONE before the form was reshaped (Chromium, default settings).
PAGE_HEIGHT_BEFORE = 5596


@pytest.fixture(autouse=True)
def licensed_in_new_york_and_new_jersey(transactional_db):
    practice = PracticeSettings.load()
    practice.licensed_states = "NY,NJ"
    practice.save()


def is_hidden(page, selector):
    return page.locator(selector).evaluate("element => element.closest('[hidden]') !== null")


def test_at_375_px_the_required_part_fits_two_screens_and_the_page_is_half_as_tall(open_page):
    page, _ = open_page(FORM, SMALL_PHONE)
    page.check("#id_preferred_contact_0")  # email
    assert page.locator("#intake-more").get_attribute("open") is None, "the optional part stays folded"
    # The required part: from the top of the first question's label to the bottom of the send button,
    # so it holds every required question, the folded optional section, the privacy summary, the two
    # agreements and the button itself.
    required_part = page.evaluate(
        """() => document.querySelector('#intake-submit').getBoundingClientRect().bottom
                 - document.querySelector('label[for=id_name]').getBoundingClientRect().top"""
    )
    whole_page = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "intake-short-form-375-email")
    assert required_part <= 2 * SMALL_PHONE["height"], required_part
    assert whole_page <= PAGE_HEIGHT_BEFORE / 2, whole_page


def test_contact_details_appear_with_the_chosen_contact_and_keep_what_was_typed(open_page, site_url):
    page, _ = open_page(FORM, VIEWPORTS["phone"])
    assert is_hidden(page, "#id_email") and is_hidden(page, "#id_phone"), "nothing to fill before a choice"
    page.check("#id_preferred_contact_0")  # email
    assert not is_hidden(page, "#id_email") and is_hidden(page, "#id_phone")
    page.fill("#id_email", "robin@example.com")
    page.check("#id_preferred_contact_1")  # phone call
    assert is_hidden(page, "#id_email")
    assert not is_hidden(page, "#id_phone") and not is_hidden(page, "#id_voicemail_ok")
    assert page.locator("[hidden] [required]").count() == 0, "nothing hidden is required"
    page.fill("#id_phone", "555-123-4567")
    page.check("#id_preferred_contact_0")
    assert page.input_value("#id_email") == "robin@example.com", "kept for when the answer comes back"
    page.check("#id_preferred_contact_1")
    assert page.input_value("#id_phone") == "555-123-4567"
    screenshot(page, "intake-short-form-phone-chosen")
    page.fill("#id_name", "Robin")
    page.select_option("#id_client_location", "NY")
    for checkbox in ("#id_is_adult", "#id_emergency_notice_seen", "#id_privacy_accepted"):
        page.check(checkbox)
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    consultation = ConsultationRequest.objects.get()
    assert (consultation.phone, consultation.email) == ("555-123-4567", ""), "a hidden answer is not sent"


def test_the_insurer_is_asked_only_after_insurance(open_page):
    page, _ = open_page(FORM, VIEWPORTS["phone"])
    page.click("#intake-more-summary")
    assert is_hidden(page, "#id_insurer")
    page.check("#id_payment_1")  # insurance
    assert not is_hidden(page, "#id_insurer")
    page.fill("#id_insurer", "Aetna")
    page.check("#id_payment_0")  # self-pay
    assert is_hidden(page, "#id_insurer")
    page.check("#id_payment_1")
    assert page.input_value("#id_insurer") == "Aetna"


@pytest.mark.parametrize("size", VIEWPORTS)
def test_choosing_another_state_says_at_once_and_kindly_what_happens_next(open_page, site_url, size):
    page, requests = open_page(FORM, VIEWPORTS[size])
    note = page.locator("#intake-out-of-area")
    assert note.get_attribute("aria-live") == "polite"
    assert (
        "I am licensed in New York and New Jersey."
        in page.locator("#id_client_location_helptext").inner_text()
    )
    assert not page.locator("[data-intake-out-of-area-static]").is_visible(), "the script says it instead"
    page.select_option("#id_client_location", "NJ")
    assert note.inner_text() == ""
    page.select_option("#id_client_location", "OH")
    assert "I may not be able to see you there" in note.inner_text()
    assert "I will reply with other options" in note.inner_text()
    looks_right(page, f"intake-short-form-out-of-area-{size}")
    page.select_option("#id_client_location", "NY")
    assert note.inner_text() == ""
    page.select_option("#id_client_location", "outside")
    assert "I will reply with other options" in note.inner_text()
    assert requests.other_origins() == []
    fill_required(page, location="outside")
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    assert "with options that may suit you better" in page.locator(".intake__lead").inner_text()
    looks_right(page, f"intake-short-form-thanks-out-of-area-{size}")


def test_without_javascript_every_question_is_there_and_the_note_is_on_the_page(open_page, site_url):
    page, requests = open_page(FORM, VIEWPORTS["phone"], java_script_enabled=False)
    for field in ("#id_email", "#id_phone", "#id_voicemail_ok", "#id_text_ok"):
        assert page.locator(field).is_visible(), field
    static_note = page.locator("[data-intake-out-of-area-static]")
    assert static_note.inner_text() == (
        "If you will be outside New York or New Jersey, I may not be able to see you, "
        "and will reply with other options."
    )
    page.click("#intake-more-summary")  # <details> opens without any script
    assert page.locator("#id_insurer").is_visible() and page.locator("#id_message").is_visible()
    # axe needs a script of its own, so it runs on the same page with JavaScript in the other tests.
    screenshot(page, "intake-short-form-no-js-phone")
    page.check("#id_payment_1")
    page.fill("#id_insurer", "Aetna")
    fill_required(page, location="CA")
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    consultation = ConsultationRequest.objects.get()
    assert (consultation.insurer, consultation.out_of_area) == ("Aetna", True)
    assert requests.other_origins() == []


@pytest.mark.parametrize("javascript", [True, False])
def test_a_mistake_in_the_optional_section_opens_it_and_its_summary_link_reaches_the_field(
    open_page, javascript
):
    page, _ = open_page(FORM, VIEWPORTS["phone"], java_script_enabled=javascript)
    fill_required(page)
    page.click("#intake-more-summary")
    page.check("#id_payment_1")
    page.fill("#id_insurer", "Aetna 123456")
    page.click("#intake-submit")
    page.wait_for_load_state()
    assert page.locator("#intake-more").get_attribute("open") is not None
    assert page.locator("#id_insurer").is_visible()
    page.locator('#error-summary a[href="#id_insurer"]').click()
    assert page.evaluate("document.activeElement.id") == "id_insurer"
    screenshot(page, f"intake-short-form-optional-error-{'js' if javascript else 'no-js'}")


def test_a_closed_optional_section_opens_when_an_error_summary_link_points_into_it(open_page):
    """
    The server opens it for mistakes inside it; should it be closed anyway (the visitor folded it),
    following a link to a question inside opens it: browsers reveal a <details> for its fragment.
    """
    page, _ = open_page(FORM, VIEWPORTS["phone"])
    page.locator("#intake-submit").click()
    page.wait_for_load_state()
    page.evaluate(
        """() => {
            document.querySelector('#intake-more').open = false;
            const link = document.querySelector('#error-summary a');
            link.setAttribute('href', '#id_message');
            link.click();
        }"""
    )
    assert page.locator("#intake-more").get_attribute("open") is not None


def test_the_crisis_text_is_shown_once_on_the_form_page(open_page):
    page, _ = open_page(FORM, VIEWPORTS["desktop"])
    crisis = PracticeSettings.load().crisis_notice
    assert page.locator("body").inner_text().count(crisis) == 1


@pytest.mark.parametrize(
    "name, viewport, options",
    [
        ("320", NARROWEST, {}),
        # 200% zoom on a 1280 px window lays the page out as a 640 px viewport at twice the scale.
        ("zoom-200", {"width": 640, "height": 450}, {"device_scale_factor": 2}),
    ],
)
def test_the_reshaped_form_reads_at_320_px_and_200_percent_zoom(open_page, name, viewport, options):
    page, _ = open_page(FORM, viewport, **options)
    page.check("#id_preferred_contact_2")  # text: the phone and its message boxes appear
    page.select_option("#id_client_location", "outside")
    page.click("#intake-more-summary")
    page.check("#id_payment_1")
    looks_right(page, f"intake-short-form-{name}")
