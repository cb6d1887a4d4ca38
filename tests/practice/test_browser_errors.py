"""The error pages a visitor may meet, in Chromium: calm, accessible, first-party, and at 320 px."""

import pytest
from django.db import OperationalError

from tests.browser import NARROWEST, VIEWPORTS, axe_violations, screenshot, scrolls_sideways

pytestmark = pytest.mark.browser


def breaks_with(error):
    def render_page(*args, **kwargs):
        raise error

    return render_page


@pytest.mark.parametrize("size", [*VIEWPORTS, "320"])
@pytest.mark.parametrize(
    "name, path, error, status, heading",
    [
        ("503", "/relationship-issues/", OperationalError("restarting"), 503, "Please try again in a minute"),
        ("500", "/relationship-issues/", RuntimeError("a bug"), 500, "Something went wrong on our side"),
        ("400-unreadable", "/consultation/?service=%FF", None, 400, "That could not be read"),
    ],
)
def test_error_pages_are_calm_and_accessible(
    open_page, monkeypatch, size, name, path, error, status, heading
):
    if error is not None:
        monkeypatch.setattr("pages.views.render_page", breaks_with(error))
    viewport = NARROWEST if size == "320" else VIEWPORTS[size]
    page, requests = open_page(path, viewport)
    assert page.reload().status == status
    assert page.locator("h1").inner_text() == heading
    assert "988" in page.content()
    screenshot(page, f"error-{name}-{size}")
    assert axe_violations(page) == []
    assert requests.other_origins() == []
    assert not scrolls_sideways(page)
