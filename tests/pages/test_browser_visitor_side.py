"""
In Chromium at phone and desktop widths: the waitlist's labels, the service page's first call to
action, the crisis lines as links, and the first-run checklist on the admin home.
"""

import pytest
from playwright.sync_api import expect

from pages.models import PracticeSettings
from tests.browser import ARTIFACTS, VIEWPORTS, axe_violations, screenshot, scrolls_sideways

pytestmark = pytest.mark.browser


@pytest.fixture
def waitlist(site_url):
    practice = PracticeSettings.load()
    practice.accepting_new_clients = False
    practice.save()


@pytest.fixture
def fresh_settings(site_url):
    PracticeSettings.objects.all().delete()
    return PracticeSettings.load()


def first_screen(page, name):
    """What a visitor sees before scrolling, beside the full-page screenshot."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}-first-screen.png")


def looks_right(page, name):
    screenshot(page, name)
    first_screen(page, name)
    assert axe_violations(page) == [], name
    assert not scrolls_sideways(page), name


@pytest.mark.parametrize("size", VIEWPORTS)
def test_in_waitlist_mode_the_service_page_offers_the_waitlist_from_its_first_screen(
    open_page, waitlist, size
):
    page, requests = open_page("/relationship-issues/", VIEWPORTS[size])
    looks_right(page, f"visitor-service-waitlist-{size}")
    header = page.locator(".site-header")
    expect(header.get_by_role("link", name="Join the waitlist")).to_be_visible()
    expect(page.get_by_role("link", name="Request a consultation")).to_have_count(0)
    top = page.locator(".cta-top").get_by_role("link", name="Join the waitlist")
    box = top.bounding_box()
    assert box["y"] + box["height"] <= VIEWPORTS[size]["height"], "in the first screen, before any scrolling"
    expect(page.locator(".cta").get_by_role("link", name="Ask to join the waitlist")).to_be_visible()
    assert requests.other_origins() == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_in_waitlist_mode_the_form_page_is_titled_for_the_waitlist(open_page, waitlist, size):
    page, _ = open_page("/consultation/", VIEWPORTS[size])
    screenshot(page, f"visitor-form-waitlist-{size}")
    first_screen(page, f"visitor-form-waitlist-{size}")
    expect(page).to_have_title("Join the waitlist | Private psychotherapy practice")
    expect(page.locator("h1")).to_have_text("Join my waitlist")
    assert axe_violations(page) == []


def test_the_first_call_to_action_scrolls_with_the_page_and_covers_nothing_at_200_percent(open_page):
    page, _ = open_page("/relationship-issues/", {"width": 640, "height": 450}, device_scale_factor=2)
    screenshot(page, "visitor-service-zoom-200")
    assert page.locator(".cta-top").evaluate("e => getComputedStyle(e).position") == "static"
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(100)
    assert not page.locator(".cta-top").is_visible() or page.locator(".cta-top").bounding_box()["y"] < 0
    assert not scrolls_sideways(page)


def test_keyboard_reaches_the_first_call_to_action_right_after_the_menu(open_page):
    page, _ = open_page("/relationship-issues/", VIEWPORTS["desktop"])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link: straight to the page's content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Request a consultation"
    assert page.evaluate("document.activeElement.closest('.cta-top') !== null")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_crisis_lines_are_one_tap(open_page, size):
    page, _ = open_page("/relationship-issues/", VIEWPORTS[size])
    expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(page.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    expect(page.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")
    expect(page.get_by_role("link", name="1-800-799-7233")).to_have_attribute("href", "tel:+18007997233")
    expect(page.get_by_role("link", name="text START to 88788")).to_have_attribute(
        "href", "sms:88788?&body=START"
    )
    page.locator(".safety-notice").scroll_into_view_if_needed()
    first_screen(page, f"visitor-service-crisis-links-{size}")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_fresh_install_looks_finished_to_a_visitor(open_page, fresh_settings, size):
    page, _ = open_page("/", VIEWPORTS[size])
    looks_right(page, f"visitor-home-first-run-{size}")
    footer = page.locator("footer").inner_text()
    assert "None" not in footer and "Privacy notice" not in footer


@pytest.mark.parametrize("size", VIEWPORTS)
def test_on_a_first_run_the_admin_home_starts_with_what_is_missing(admin_page, fresh_settings, size):
    page, console = admin_page("", VIEWPORTS[size])
    checklist = page.locator(".setup-checklist")
    expect(checklist.get_by_role("link")).to_have_count(5)  # the practice's name, states, ...
    screenshot(page, f"pages-admin-setup-checklist-{size}")
    assert axe_violations(page) == []
    assert not scrolls_sideways(page)
    assert [message for message in console if "Content Security Policy" in message] == []
    first_screen(page, f"pages-admin-setup-checklist-{size}")
    checklist.get_by_role("link", name="The states where you are licensed").click()
    expect(page.locator("#id_licensed_states")).to_be_in_viewport()
    expect(page.locator(".field-licensed_states legend")).to_be_in_viewport()
    first_screen(page, f"pages-admin-setup-checklist-link-{size}")
