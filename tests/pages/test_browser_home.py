"""The home page in a real browser, at phone and desktop widths."""

import pytest

from tests.browser import VIEWPORTS, axe_violations, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", VIEWPORTS)
def test_home_page_is_accessible_and_first_party_only(open_page, size):
    page, requests = open_page("/", VIEWPORTS[size])
    screenshot(page, f"home-{size}")
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    assert requests.other_origins() == []


def test_csp_blocks_an_injected_inline_script(open_page):
    page, _ = open_page("/", VIEWPORTS["desktop"])
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injectedScriptRan = true'; document.body.appendChild(s); }"
    )
    assert page.evaluate("window.injectedScriptRan === true") is False
