"""
What happens after a page is saved in admin: its body is rendered once, an old
address keeps working, and a revision is kept so the save can be undone.
"""

from django.db import transaction
from django.utils.dateparse import parse_datetime

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
    """Call after a page and its sections are saved: render, redirect the old slug, keep a revision."""
    sections = list(page.sections.select_related("photo"))
    page.body_html = render_sections(sections)
    page.save(update_fields=["body_html", "updated_at"])
    if old_slug and old_slug != page.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"page": page})
    # A page may take back an address it once had.
    SlugRedirect.objects.filter(old_slug=page.slug).delete()
    return PageRevision.objects.create(page=page, created_by=user, content=snapshot(page, sections))


def snapshot(page, sections):
    """The page and the sections it was rendered from, as JSON for a revision."""
    content = {field: getattr(page, field) for field in SNAPSHOT_FIELDS}
    content["publish_at"] = page.publish_at.isoformat() if page.publish_at else None
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


@transaction.atomic
def restore_revision(revision, user):
    """Put a page back as it was in an earlier revision; the restore is itself a new revision."""
    page = revision.page
    old_slug = page.slug
    content = revision.content
    for field in SNAPSHOT_FIELDS:
        setattr(page, field, content[field])
    if Page.objects.exclude(pk=page.pk).filter(slug=page.slug).exists():
        page.slug = old_slug  # another page has since taken that address
    page.publish_at = parse_datetime(content["publish_at"]) if content["publish_at"] else None
    page.save()
    page.sections.all().delete()
    saved = content["sections"]
    # Versions from before photos name none; a photo deleted since that version is left out.
    kept = set(Photo.objects.filter(id__in=[s.get("photo_id") for s in saved]).values_list("id", flat=True))
    Section.objects.bulk_create(
        Section(
            page=page,
            **(section | {"photo_id": section.get("photo_id") if section.get("photo_id") in kept else None}),
        )
        for section in saved
    )
    return page_saved(page, user, old_slug=old_slug)


def photo_changed(photo):
    """Render again the pages whose sections show this photo: their saved body names its renditions."""
    for page in Page.objects.filter(sections__photo=photo).distinct():
        page.body_html = render_sections(page.sections.select_related("photo"))
        page.save(update_fields=["body_html", "updated_at"])
