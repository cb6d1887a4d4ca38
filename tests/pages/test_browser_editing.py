"""
Editing without surprises, in Chromium at 375 and 1280 px: two browser contexts saving one page
(the second is refused, keeping what it typed), a photo in use, and the versions with Remove.
"""

import pytest
from playwright.sync_api import expect

from pages import drafts
from pages.models import Page, PracticeSettings
from tests.browser import VIEWPORTS, looks_right, screenshot, scrolls_sideways
from tests.pages.photo_helpers import make_photo

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_second_of_two_browsers_is_refused_and_keeps_what_it_typed(admin_page, drafted_page, viewport):
    path = f"pages/page/{drafted_page.pk}/change/"
    first, _ = admin_page(path, VIEWPORTS[viewport])
    second, console = admin_page(path, VIEWPORTS[viewport])
    expect(second.get_by_text("You also have this open")).to_be_visible()
    looks_right(second, f"admin-page-someone-else-open-{viewport}", console)
    first.get_by_role("textbox", name="Summary:", exact=True).fill("Saved first, in the other browser.")
    first.get_by_role("button", name="Save draft").click()
    expect(first.get_by_text("Saved.")).to_be_visible()
    second.get_by_role("textbox", name="Title:", exact=True).fill("My title, typed second")
    second.get_by_role("button", name="Save draft").click()
    expect(second.get_by_text("Not saved: someone saved this since you opened it")).to_be_visible()
    expect(
        second.get_by_text("They changed: summary (now “Saved first, in the other browser.”).")
    ).to_be_visible()
    expect(second.get_by_role("textbox", name="Title:", exact=True)).to_have_value("My title, typed second")
    looks_right(second, f"admin-page-two-tab-refusal-{viewport}", console)
    assert Page.objects.get(pk=drafted_page.pk).draft_revision.content["title"] != "My title, typed second"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_photo_in_use_and_the_versions(admin_page, drafted_page, viewport, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = make_photo(title="Our room")
    section = drafted_page.sections.first()
    section.photo = photo
    section.save()
    drafts.save_draft(drafted_page, user=None)
    page, console = admin_page(f"pages/photo/{photo.pk}/delete/", VIEWPORTS[viewport])
    expect(page.get_by_text("“Our room” cannot be deleted: it is still used here.")).to_be_visible()
    expect(page.get_by_role("link", name="The draft of “Therapy for Relationship Issues”")).to_be_visible()
    looks_right(page, f"admin-photo-delete-in-use-{viewport}", console)
    page.goto(page.url.replace(f"photo/{photo.pk}/delete/", f"page/{drafted_page.pk}/change/"))
    expect(page.get_by_role("button", name="Discard draft")).to_be_visible()
    looks_right(page, f"admin-page-editor-{viewport}", console)
    page.get_by_role("link", name="Remove version").first.scroll_into_view_if_needed()
    looks_right(page, f"admin-page-versions-{viewport}", console)
    page.get_by_role("link", name="Remove version").first.click()
    expect(page.get_by_role("button", name="Remove version")).to_be_visible()
    looks_right(page, f"admin-page-remove-version-{viewport}", console)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_two_browsers_on_the_practice_settings(admin_page, transactional_db, viewport):
    path = f"pages/practicesettings/{PracticeSettings.load().pk}/change/"
    first, _ = admin_page(path, VIEWPORTS[viewport])
    second, console = admin_page(path, VIEWPORTS[viewport])
    expect(second.get_by_text("You also have this open")).to_be_visible()
    first.get_by_role("textbox", name="Location:").fill("Saved first, in the other browser")
    with first.expect_navigation():
        first.get_by_role("button", name="Save", exact=True).click()
    second.get_by_role("textbox", name="Location:").fill("Typed second")
    second.get_by_role("button", name="Save", exact=True).click()
    expect(second.get_by_text("Not saved: someone saved this since you opened it")).to_be_visible()
    expect(
        second.get_by_text("They changed: location (now “Saved first, in the other browser”).")
    ).to_be_visible()
    expect(second.get_by_role("textbox", name="Location:")).to_have_value("Typed second")
    screenshot(second, f"admin-settings-two-tab-refusal-{viewport}")
    assert not scrolls_sideways(second)
    assert [message for message in console if "Content Security Policy" in message] == []
    assert PracticeSettings.load().location == "Saved first, in the other browser"
