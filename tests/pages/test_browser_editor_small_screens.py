"""
The page editor on the smallest screens WCAG asks for: 320 px wide, and 200% zoom of a 1280 px
window (a 640 CSS px viewport), with a phone's 375 px between. Nothing sticks out sideways or is
cut off, axe finds nothing, and the buttons of the submit row are one height (1280 px too). On
the same page at 375 px, a list edited in place that another tab saved since is refused in
words that stay on the screen, though the list's table scrolls sideways in its box. One signed-in page is resized
through the three widths: a sign-in per width would cost more than the checks.
"""

import pytest
from playwright.sync_api import expect

from intake.models import ReplyTemplate
from tests.browser import DESKTOP, NARROWEST, PHONE, axe_violations, fits, screenshot

pytestmark = pytest.mark.browser

ZOOMED_200 = {"width": 640, "height": 450}  # a 1280 x 900 window at 200% zoom

# Text a box cuts off: a box that hides its overflow holding more than it shows. Form boxes scroll
# their own text, and a visually hidden label (1 px square) is for screen readers: both left out.
CUT_OFF = """() => [...document.querySelectorAll("body *")].filter((element) => {
  const style = getComputedStyle(element), box = element.getBoundingClientRect();
  const hides = [style.overflowX, style.overflowY].some((value) => value === "hidden" || value === "clip");
  return hides && box.width > 1 && box.height > 1 && !["INPUT", "SELECT", "TEXTAREA"].includes(element.tagName)
    && (element.scrollHeight > element.clientHeight + 1 || element.scrollWidth > element.clientWidth + 1);
}).map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${element.textContent.trim().slice(0, 60)}`)"""

BUTTON_HEIGHTS = """() => [...document.querySelectorAll(".page-publishing-buttons > *")]
  .map((button) => [button.value || button.textContent.trim(), Math.round(button.getBoundingClientRect().height)])"""


def one_height(page):
    heights = dict(page.evaluate(BUTTON_HEIGHTS))
    assert "Discard draft" in heights
    return len(set(heights.values())) == 1


def test_the_page_editor_fits_320_px_200_percent_zoom_and_a_phone(admin_page, drafted_page):
    page, console = admin_page(f"pages/page/{drafted_page.pk}/change/", NARROWEST)
    expect(page.get_by_role("button", name="Discard draft")).to_be_visible()
    for name, viewport in [("320px", NARROWEST), ("zoom-200", ZOOMED_200), ("375px", PHONE)]:
        page.set_viewport_size(viewport)
        fits(page, f"admin-page-editor-{name}")
        assert axe_violations(page) == [], name
        assert page.evaluate(CUT_OFF) == [], name
        assert one_height(page), name
    page.set_viewport_size(DESKTOP)  # the page itself is checked at 1280 px in test_browser_editing.py
    assert one_height(page)
    page.set_viewport_size(PHONE)
    a_refused_list_reads_on_a_phone(page)
    assert [message for message in console if "Content Security Policy" in message] == []


def a_refused_list_reads_on_a_phone(page):
    template = ReplyTemplate.objects.first()
    page.goto(page.url.split("/admin/")[0] + "/admin/intake/replytemplate/")
    ReplyTemplate.objects.filter(pk=template.pk).update(order=30000)  # another tab's save
    page.get_by_label(f"Order, {template}").fill("42")
    page.get_by_role("button", name="Save").click()
    refusal = page.locator("#result_list .errorlist").first
    expect(refusal).to_contain_text("They changed: order (now “30000”).")
    screenshot(page, "admin-list-refused-375px")
    assert refusal.bounding_box()["x"] + refusal.bounding_box()["width"] <= PHONE["width"]
    assert axe_violations(page) == []
