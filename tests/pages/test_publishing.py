"""What a save does: the body rendered once, old addresses kept, and a revision that brings everything back."""

from datetime import UTC, datetime

import pytest

from pages.drafts import restore as restore_revision
from pages.models import Page, SlugRedirect
from pages.publishing import SNAPSHOT_FIELDS, page_saved
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def as_saved(page):
    """A page's own fields and its sections, as a visitor or the therapist would find them."""
    page.refresh_from_db()
    fields = {name: getattr(page, name) for name in [*SNAPSHOT_FIELDS, "publish_at"]}
    sections = list(page.sections.values_list("order", "heading", "text"))
    return fields, sections


def test_restoring_a_revision_brings_back_every_field_and_every_section_as_saved():
    page = make_page(
        title="Couples therapy",
        slug="couples",
        kind=Page.Kind.SERVICE,
        summary="For two.",
        status=Page.Status.PUBLISHED,
        publish_at=datetime(2026, 5, 4, 9, 30, 15, 250000, tzinfo=UTC),
        show_in_menu=True,
        menu_title="Couples",
        menu_order=3,
        show_relationship_safety_notice=True,
        sections=[("How it works", "We *meet* weekly."), ("", "Fees are on their own page.")],
    )
    revision = page.revisions.first()
    before = as_saved(page)

    Page.objects.filter(pk=page.pk).update(
        title="Changed",
        slug="changed",
        kind=Page.Kind.STANDARD,
        summary="Changed.",
        status=Page.Status.DRAFT,
        publish_at=None,
        show_in_menu=False,
        menu_title="",
        menu_order=100,
        show_relationship_safety_notice=False,
    )
    page.sections.all().delete()
    page.sections.create(order=0, heading="Other", text="Other words.")

    restore_revision(revision, user=None)
    fields, sections = before
    assert as_saved(page) == (fields | {"status": Page.Status.DRAFT, "publish_at": None}, sections), (
        "everything comes back but whether it is live: a restore is never a live change"
    )
    assert "We <em>meet</em> weekly." in page.body_html and "Other words." not in page.body_html


def test_an_address_a_page_uses_is_never_also_kept_as_a_redirect():
    page = make_page(slug="first")
    for old, new in [("first", "second"), ("second", "first")]:
        page.slug = new
        page.save()
        page_saved(page, user=None, old_slug=old)
    assert list(SlugRedirect.objects.values_list("old_slug", "page")) == [("second", page.pk)]

    make_page(slug="second")
    assert not SlugRedirect.objects.exists(), "a new page at an old address takes it over"
