"""Admin's "Compare versions" of a page in Chromium: readable at desktop and phone widths, axe-clean, CSP-clean."""

import pytest
from playwright.sync_api import expect

from pages.models import Page, PageRevision
from tests.browser import VIEWPORTS, looks_right
from tests.pages.factories import make_page
from tests.pages.photo_helpers import make_photo

pytestmark = pytest.mark.browser

ABOUT = (
    "I work with adults who feel stuck in anxiety, low mood or the aftermath of a hard year.\n\n"
    "Sessions are 50 minutes, weekly at first. We start with what matters most to you."
)
ABOUT_NOW = (
    "I work with adults and couples who feel stuck in anxiety, low mood or the aftermath of a "
    "difficult year.\n\n"
    "Sessions are 50 minutes, weekly at first, in person or online. We start with what matters most to you."
)


@pytest.fixture
def page_with_a_draft(site_url, media_root, django_user_model):
    """A live page, and a draft that rewrites a section, adds one, removes one and changes a photo."""
    office, garden = make_photo(title="Office"), make_photo(title="Garden")
    page = make_page(
        slug="anxiety",
        title="Anxiety",
        sections=[
            ("About me", ABOUT),
            ("Fees", "Sessions cost $150, paid by card."),
            ("Old news", "We moved."),
        ],
    )
    live = page.revisions.get()
    therapist = django_user_model.objects.create_user("drwells", first_name="Dana", last_name="Wells")
    content = live.content | {
        "title": "Anxiety and worry",
        "summary": "Help with worry, in person or online.",
    }
    content["sections"] = [
        {
            "order": 0,
            "heading": "Where we meet",
            "text": "A quiet room near the park.",
            "photo_id": garden.pk,
        },
        dict(live.content["sections"][0], text=ABOUT_NOW),
        dict(live.content["sections"][1], heading="Fees and insurance", photo_id=office.pk),
    ]
    draft = PageRevision.objects.create(page=page, created_by=therapist, content=content)
    Page.objects.filter(pk=page.pk).update(live_revision=live, draft_revision=draft)
    return page


@pytest.mark.parametrize("size", VIEWPORTS)
def test_compare_view_looks_right(admin_page, page_with_a_draft, size):
    """The draft against the live version: marked words, counts, markers; no axe violation, no CSP error."""
    page, console = admin_page(f"pages/page/{page_with_a_draft.pk}/compare/", VIEWPORTS[size])
    expect(page.get_by_role("heading", name="Compare versions of “Anxiety”", level=1)).to_be_visible()
    expect(page.get_by_text("7 words added, 1 removed")).to_be_visible()
    expect(page.get_by_label("Changes from")).to_be_visible()
    looks_right(page, f"admin-page-compare-{size}", console)


def test_compare_view_in_the_dark_theme(admin_page, page_with_a_draft):
    """Admin follows the computer's dark mode: the marks turn dim behind light text, and pass axe's contrast."""
    page, console = admin_page(f"pages/page/{page_with_a_draft.pk}/compare/", VIEWPORTS["desktop"])
    page.emulate_media(color_scheme="dark")
    looks_right(page, "admin-page-compare-dark-desktop", console)
    background = page.locator(".compare ins").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(20, 61, 34)", "a dim green, not the light theme's glare"


def test_choosing_other_versions_compares_them(admin_page, page_with_a_draft):
    """Picking the same version on both sides and pressing Compare shows "No changes"."""
    page, _ = admin_page(f"pages/page/{page_with_a_draft.pk}/compare/", VIEWPORTS["desktop"])
    draft = page_with_a_draft.revisions.first()
    page.get_by_label("Changes from").select_option(str(draft.pk))
    with page.expect_navigation():
        page.get_by_role("button", name="Compare").click()
    expect(page.get_by_text("No changes: the two versions are the same.")).to_be_visible()
