"""The page editor as the therapist sees it, in Chromium."""

import pytest
from playwright.sync_api import expect

from pages.models import Page
from tests.browser import VIEWPORTS, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", VIEWPORTS)
def test_page_editor_works_under_the_content_security_policy(admin_page, size):
    edited = Page.objects.get(slug="relationship-issues")
    page, console = admin_page(f"pages/page/{edited.pk}/change/", VIEWPORTS[size])
    expect(page.get_by_role("heading", name=str(edited), level=1)).to_be_visible()
    screenshot(page, f"admin-page-change-{size}")
    assert [message for message in console if "Content Security Policy" in message] == []


def test_page_list_in_admin(admin_page):
    page, console = admin_page("pages/page/", VIEWPORTS["desktop"])
    expect(page.get_by_role("link", name="Therapy for Relationship Issues")).to_be_visible()
    screenshot(page, "admin-page-list-desktop")
    assert [message for message in console if "Content Security Policy" in message] == []
