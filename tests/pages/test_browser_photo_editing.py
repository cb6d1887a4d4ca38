"""
The page editor and the photo pages in Chromium at 375 and 1280 px: nothing wider than the screen
(the page never scrolls sideways, and nothing sticks out of it to be cut off), and a photo chosen
in a form that comes back with an error is shown as kept.
"""

import pytest
from playwright.sync_api import expect

from pages import drafts
from pages.models import Page
from tests.browser import VIEWPORTS, fits
from tests.pages.photo_helpers import image_bytes, make_photo

pytestmark = pytest.mark.browser


@pytest.fixture
def edited_page(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = Page.objects.get(slug="relationship-issues")
    section = page.sections.first()
    section.photo = make_photo(title="Our room")
    section.text = "Drafted words."
    section.save()
    drafts.save_draft(page, user=None)
    return page


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_page_editor_and_photo_pages_fit_the_screen(admin_page, edited_page, viewport):
    photo = edited_page.sections.first().photo
    page, _ = admin_page(f"pages/page/{edited_page.pk}/change/", VIEWPORTS[viewport])
    fits(page, f"admin-page-editor-fits-{viewport}")
    for path, name in [
        ("pages/photo/", "photo-list"),
        ("pages/photo/add/", "photo-add"),
        (f"pages/photo/{photo.pk}/change/", "photo-change"),
        (f"pages/photo/{photo.pk}/delete/", "photo-delete"),
    ]:
        page.goto(page.url.split("/admin/")[0] + f"/admin/{path}")
        fits(page, f"admin-{name}-fits-{viewport}")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_photo_chosen_before_a_form_error_is_shown_as_kept(
    admin_page, transactional_db, viewport, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page, console = admin_page("pages/photo/add/", VIEWPORTS[viewport])
    page.get_by_role("textbox", name="Title:").fill("Our room")
    page.get_by_label("Photo file:").set_input_files(
        {"name": "our-room.jpg", "mimeType": "image/jpeg", "buffer": image_bytes((1200, 800))}
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Photo kept: “our-room.jpg”.")).to_be_visible()
    fits(page, f"admin-photo-kept-{viewport}")
    page.get_by_role("textbox", name="Description for screen readers:").fill("Two chairs by a window")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    assert [message for message in console if "Content Security Policy" in message] == []
