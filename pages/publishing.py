"""
What happens after a page is saved in admin: its body is rendered once, an old
address keeps working, and a revision is kept so the save can be undone.
"""

from pages.clock import stored_stamp
from pages.models import Page, PageRevision, Photo, Section, SlugRedirect
from pages.rendering import render_sections

SNAPSHOT_FIELDS = [
    "title",
    "slug",
    "kind",
    "summary",
    "status",
    "show_in_menu",
    "menu_title",
    "menu_order",
    "show_relationship_safety_notice",
]


def page_saved(page, user, old_slug=None):
    """
    Call after a page's row and sections are saved: render, redirect the old slug, keep a revision
    (the live one, if the page is live).
    """
    sections = list(page.sections.select_related("photo"))
    page.body_html = render_sections(sections)
    page.save(update_fields=["body_html", "updated_at"])
    redirect_old_slug(page, old_slug)
    revision = PageRevision.objects.create(page=page, created_by=user, content=snapshot(page, sections))
    if page.is_live:
        page.live_revision = revision
        Page.objects.filter(pk=page.pk).update(live_revision=revision)
    return revision


def redirect_old_slug(page, old_slug):
    """Keep the address a page just left working; a page may also take back an address it once had."""
    if old_slug and old_slug != page.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"page": page})
    SlugRedirect.objects.filter(old_slug=page.slug).delete()


def snapshot(page, sections):
    """The page and the sections it was rendered from, as JSON for a revision."""
    content = {field: getattr(page, field) for field in SNAPSHOT_FIELDS}
    content["publish_at"] = stored_stamp(page.publish_at) if page.publish_at else None
    content["sections"] = [
        {
            "order": section.order,
            "heading": section.heading,
            "text": section.text,
            "photo_id": section.photo_id,
        }
        for section in sections
    ]
    return content


def snapshot_sections(content):
    """A snapshot's sections as unsaved Sections with their photos, to render or check."""
    saved = content["sections"]
    photos = Photo.objects.in_bulk([s.get("photo_id") for s in saved if s.get("photo_id")])
    # Versions from before photos name none; a photo deleted since that version is left out.
    return [
        Section(
            order=section["order"],
            heading=section["heading"],
            text=section["text"],
            photo=photos.get(section.get("photo_id")),
        )
        for section in saved
    ]


def restore_sections(page, saved):
    """Replace a page's sections with a snapshot's."""
    page.sections.all().delete()
    Section.objects.bulk_create(
        Section(page=page, order=s.order, heading=s.heading, text=s.text, photo=s.photo)
        for s in snapshot_sections({"sections": saved})
    )


def photo_changed(photo):
    """
    Render again the pages showing this photo, whose saved body names its renditions: each live
    body from the version that is live (a draft's sections may differ), others from their sections.
    """
    pages = Page.objects.filter(sections__photo=photo) | Page.objects.filter(live_revision__isnull=False)
    for page in pages.distinct().select_related("live_revision"):
        if page.is_live and page.live_revision:
            sections = snapshot_sections(page.live_revision.content)
        else:
            sections = page.sections.select_related("photo")
        if photo in [section.photo for section in sections]:
            page.body_html = render_sections(sections)
            page.save(update_fields=["body_html", "updated_at"])
