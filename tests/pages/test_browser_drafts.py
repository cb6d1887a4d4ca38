"""The draft of a live page in Chromium: the editor's buttons, and the preview opening in a new tab."""

import pytest
from playwright.sync_api import expect

from tests.browser import VIEWPORTS, looks_right
from tests.pages.factories import drafted_service_page

pytestmark = pytest.mark.browser


@pytest.fixture
def draft_with_a_check(transactional_db):
    """The seeded service page, live, with a drafted change of its first section and a check to point out."""
    return drafted_service_page("Drafted words for the preview. [click here](/fees/)")


def test_the_editor_says_where_a_live_page_stands_and_previews_its_draft_in_a_new_tab(
    admin_page, draft_with_a_check
):
    page, console = admin_page(f"pages/page/{draft_with_a_check.pk}/change/", VIEWPORTS["desktop"])
    expect(page.get_by_text("Live, with a draft: visitors see the published version")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_be_visible()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_visible()
    looks_right(page, "admin-page-draft-editor-desktop", console)

    with page.context.expect_page() as new_tab:
        page.get_by_role("link", name="Preview (opens in a new tab)").last.click()
    preview = new_tab.value
    preview.wait_for_load_state()
    expect(preview.get_by_text("Drafted words for the preview.")).to_be_visible()
    expect(preview.get_by_role("region", name="Preview")).to_contain_text("Live, with a draft")
    preview.get_by_text("Before you publish").click()
    expect(preview.get_by_text("A link says “click here”")).to_be_visible()
    looks_right(preview, "page-preview-desktop")


def test_the_preview_on_a_phone(admin_page, draft_with_a_check):
    page, console = admin_page(f"pages/page/{draft_with_a_check.pk}/preview/", VIEWPORTS["phone"])
    expect(page.get_by_role("region", name="Preview")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Therapy for Relationship Issues")
    looks_right(page, "page-preview-phone", console)


def test_the_unpublish_warning(admin_page, draft_with_a_check):
    page, console = admin_page(f"pages/page/{draft_with_a_check.pk}/unpublish/", VIEWPORTS["desktop"])
    expect(page.get_by_text("The list of services on the home page.")).to_be_visible()
    looks_right(page, "admin-page-unpublish-desktop", console)
