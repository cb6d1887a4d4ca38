"""The public pages as a visitor sees them, in Chromium at phone and desktop widths."""

import pytest

from tests.browser import NARROWEST, VIEWPORTS, axe_violations, screenshot, scrolls_sideways

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {"home": "/", "service": "/relationship-issues/", "privacy": "/privacy/"}


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_is_accessible_and_first_party_only(open_page, name, size):
    page, requests = open_page(PUBLIC_PAGES[name], VIEWPORTS[size])
    screenshot(page, f"pages-{name}-{size}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert requests.other_origins() == []
    assert not scrolls_sideways(page)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_fits_320_px_without_scrolling_sideways(open_page, name):
    page, _ = open_page(PUBLIC_PAGES[name], NARROWEST)
    screenshot(page, f"pages-{name}-320")
    assert not scrolls_sideways(page)


def test_service_page_reads_at_200_percent_zoom(open_page):
    """200% zoom on a 1280 px window lays the page out as a 640 px viewport at twice the scale."""
    page, _ = open_page(PUBLIC_PAGES["service"], {"width": 640, "height": 450}, device_scale_factor=2)
    screenshot(page, "pages-service-zoom-200")
    assert not scrolls_sideways(page)
    assert page.get_by_role("link", name="Request a consultation").last.is_visible()


def test_keyboard_reaches_skip_link_then_menu_and_call_to_action(open_page):
    page, _ = open_page(PUBLIC_PAGES["service"], VIEWPORTS["desktop"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert "Request a consultation" in focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused element shows where focus is"


def test_print_stylesheet_leaves_out_navigation_and_buttons(open_page):
    page, _ = open_page(PUBLIC_PAGES["service"], VIEWPORTS["desktop"])
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".cta__button").is_visible()
    assert page.locator("h1").is_visible()


def test_reduced_motion_is_respected(open_page):
    page, _ = open_page(PUBLIC_PAGES["home"], VIEWPORTS["phone"])
    moving = (
        "[...document.querySelectorAll('*')].map(e => getComputedStyle(e).transitionDuration)"
        ".filter(d => d !== '0s')"
    )
    assert page.evaluate(moving) != [], "buttons ease their colour changes by default"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(moving) == []


def test_no_content_security_policy_violations(open_page):
    page, _ = open_page("/", VIEWPORTS["desktop"])
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.reload()
    assert [m for m in messages if "Content Security Policy" in m] == []
