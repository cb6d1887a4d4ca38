"""
Where a photo is used, in the therapist's words, with a link to each place: a photo anything
could still show (the live site, a draft, a kept version that may be restored, the practice
settings) is never deleted, so no page ever points at files that are gone.
"""

from typing import NamedTuple

from django.db import connection
from django.urls import reverse

from pages.clock import local_time
from pages.models import Page, PageRevision, PracticeSettings, Section


class Use(NamedTuple):
    where: str
    url: str


def photo_uses(photo):
    """Every place the photo is used, each once: practice settings, then pages, each with its versions."""
    uses = []
    if PracticeSettings.objects.filter(clinician_photo=photo).exists():
        uses.append(
            Use("Practice settings: your photo", reverse("admin:pages_practicesettings_change", args=[1]))
        )
    pages = Page.objects.in_bulk(
        set(Section.objects.filter(photo=photo).values_list("page_id", flat=True))
        | set(holding_revisions(photo).values_list("page_id", flat=True))
    )
    in_sections = set(Section.objects.filter(photo=photo).values_list("page_id", flat=True))
    revisions = holding_revisions(photo).order_by("page_id", "-created_at", "-id")
    by_page = {}
    for revision in revisions:
        by_page.setdefault(revision.page_id, []).append(revision)
    for page in sorted(pages.values(), key=lambda page: page.title):
        url = reverse("admin:pages_page_change", args=[page.pk])
        kept = by_page.get(page.pk, [])
        if any(revision.pk == page.live_revision_id for revision in kept) or (
            page.pk in in_sections and not page.draft_revision_id and page.status == Page.Status.PUBLISHED
        ):
            uses.append(Use(f"The published page “{page.title}”", url))
        if any(revision.pk == page.draft_revision_id for revision in kept) or (
            page.pk in in_sections and (page.draft_revision_id or page.status == Page.Status.DRAFT)
        ):
            uses.append(Use(f"The draft of “{page.title}”", url))
        for revision in kept:
            if revision.pk not in (page.live_revision_id, page.draft_revision_id):
                uses.append(
                    Use(
                        f"Version {revision.number} of “{page.title}”, saved {local_time(revision.created_at)}",
                        url,
                    )
                )
    return uses


def holding_revisions(photo):
    """The kept versions whose sections show the photo (PostgreSQL's JSON containment)."""
    if connection.vendor == "postgresql":
        return PageRevision.objects.filter(content__sections__contains=[{"photo_id": photo.pk}])
    # SQLite (make run without DATABASE_URL) has no JSON containment: read the versions instead.
    holding = [
        revision.pk
        for revision in PageRevision.objects.only("pk", "content")
        if any(section.get("photo_id") == photo.pk for section in revision.content.get("sections", []))
    ]
    return PageRevision.objects.filter(pk__in=holding)
