"""The group page's permission picker and the consultation hours in Chromium, in the therapist's words."""

import pytest
from playwright.sync_api import expect

from tests.browser import VIEWPORTS, looks_right
from tests.hours import open_hours

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_permission_picker_offers_plain_permissions_of_this_site_only(admin_page, size):
    page, console = admin_page("auth/group/add/", VIEWPORTS[size])
    available = page.locator("#id_permissions_from")
    expect(available.locator("option", has_text="Staff sign-in: see failed sign-ins")).to_have_count(1)
    options = " ".join(available.locator("option").all_inner_texts())
    for word in ("Can add", "Axes", "TOTP", "content type", "log entry", "session", " | "):
        assert word not in options, word
    # Named as an image (static/js/admin-a11y.js), not a bare span with a label.
    expect(page.get_by_role("img", name="filter down the list of available permissions")).to_have_count(1)
    looks_right(page, f"admin-words-group-permissions-{size}", console)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_weekly_windows_read_like_the_clock(admin_page, size):
    open_hours()
    page, console = admin_page("booking/consultationhours/", VIEWPORTS[size])
    expect(page.get_by_label("Starts, row 1")).to_have_value("9:00 am")
    expect(page.get_by_label("Ends, row 1")).to_have_value("5:00 pm")
    looks_right(page, f"admin-words-weekly-windows-{size}", console)
