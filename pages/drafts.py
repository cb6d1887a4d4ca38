"""
Changes to a live page wait as a draft until the therapist publishes them.

What visitors see is the Page row and the body rendered into it. A page that is not live keeps its
edits in the row itself: nobody else sees it. A live page's edits go to its sections (which
visitors never read: the body they see was rendered when it was published) and to a draft
revision holding the whole new version, while the row stays as it was. Publish copies that
revision into the row, at once or at a chosen time; a scheduled draft is brought live by the
first request for a public page after its time (publish_due_changes, called by the page cache,
pages/freshness/page_cache.py, before it makes any page), so no cron is needed.
"""

from django.db import transaction
from django.utils import timezone

from pages.clock import local_time
from pages.models import Page, PageRevision
from pages.publishing import (
    SNAPSHOT_FIELDS,
    page_saved,
    redirect_old_slug,
    restore_sections,
    snapshot,
    snapshot_sections,
)
from pages.rendering import render_sections

# What a draft never carries into the live row: whether the page is live, and since when.
NOT_COPIED = {"status"}


class AddressTaken(Exception):
    """Another page has the address this draft asks for."""


def describe(page, saved=False):
    """Where the page stands, in the therapist's words, from the database (after a save, say)."""
    page = Page.objects.get(pk=page.pk)
    prefix = "Saved. " if saved else ""
    if page.is_live and page.draft_publish_at:
        return (
            f"{prefix}Live, with changes scheduled: visitors see the new version from "
            f"{local_time(page.draft_publish_at)}."
        )
    if page.is_live and has_draft(page):
        return f"{prefix}Live, with a draft: visitors see the published version until you press Publish."
    if page.is_live:
        return f"{prefix}Live: visitors see this version."
    if page.status == Page.Status.PUBLISHED:
        return (
            f"{prefix}Scheduled: it goes live {local_time(page.publish_at)}. Until then only you can see it."
        )
    return f"{prefix}Draft: only you can see it, with Preview."


def call_off_schedule(page):
    """An edited page that was waiting to go live waits for Publish again: it goes live as approved, or not at all."""
    Page.objects.filter(pk=page.pk).update(status=Page.Status.DRAFT)
    page.status = Page.Status.DRAFT


def copy_fields(page, content):
    """Set a page's own fields from a snapshot, all but whether it is live."""
    for field in SNAPSHOT_FIELDS:
        if field not in NOT_COPIED:
            setattr(page, field, content[field])


def take_content(page, content):
    """
    copy_fields, keeping the page's address if another page has since taken the snapshot's.
    Returns whether the snapshot's address could be kept.
    """
    old_slug = page.slug
    copy_fields(page, content)
    if Page.objects.exclude(pk=page.pk).filter(slug=page.slug).exists():
        page.slug = old_slug
        return False
    return True


def has_draft(page):
    return page.draft_revision_id is not None


def save_draft(page, user):
    """
    Keep the edits of a live page, whose row `page` holds in memory only (its sections are saved),
    as its draft. Returns the draft revision, or None when the edits match what is live.
    Any schedule is called off: what goes live at a time is what the therapist approved.
    """
    content = snapshot(page, page.sections.select_related("photo"))
    live = Page.objects.select_related("live_revision", "draft_revision").get(pk=page.pk)
    live_content = live.live_revision.content if live.live_revision else None
    if live_content is not None and same_version(content, live_content):
        Page.objects.filter(pk=page.pk).update(draft_revision=None, draft_publish_at=None)
        return None
    draft = live.draft_revision
    if draft is not None and same_version(content, draft.content):
        return draft
    revision = PageRevision.objects.create(page=live, created_by=user, content=content)
    Page.objects.filter(pk=page.pk).update(draft_revision=revision, draft_publish_at=None)
    return revision


def same_version(content, other):
    """Whether two snapshots show visitors the same page (the scheduled time aside)."""
    ignored = {"publish_at", "status"}
    return {k: v for k, v in content.items() if k not in ignored} == {
        k: v for k, v in other.items() if k not in ignored
    }


@transaction.atomic
def publish(page, at=None):
    """
    Make the page's current version live: now, or from `at` if it lies ahead. A page that is not
    live is published in its row; a live page's draft replaces it, or waits for `at`.
    """
    page = Page.objects.select_for_update().get(pk=page.pk)
    now = timezone.now()
    if not page.is_live:
        page.status = Page.Status.PUBLISHED
        page.publish_at = at if at and at > now else None
        page.save(update_fields=["status", "publish_at", "updated_at"])
        revision = page.revisions.first()
        Page.objects.filter(pk=page.pk).update(live_revision=revision)
        return page
    if not has_draft(page):
        return page
    if at and at > now:
        page.draft_publish_at = at
        page.save(update_fields=["draft_publish_at"])
        return page
    return apply_draft(page)


def apply_draft(page):
    """Copy the draft revision into the live row: what visitors see changes here, in one save."""
    revision = page.draft_revision
    content = revision.content
    old_slug = page.slug
    if not take_content(page, content):
        raise AddressTaken(content["slug"])
    page.body_html = render_sections(snapshot_sections(content))
    page.live_revision = revision
    page.draft_revision = None
    page.draft_publish_at = None
    page.save()
    redirect_old_slug(page, old_slug)
    return page


def publish_due_changes():
    """Bring live every draft whose scheduled time has passed. Safe to call from many processes at once."""
    with transaction.atomic():
        due = (
            Page.objects.select_for_update(skip_locked=True)
            .filter(draft_publish_at__lte=timezone.now(), draft_revision__isnull=False)
            .select_related("draft_revision")
        )
        for page in due:
            try:
                with transaction.atomic():
                    apply_draft(page)
            except AddressTaken:
                # Another page took the address since: keep the draft, unscheduled, for the
                # therapist to publish again (the form then marks the address as taken).
                Page.objects.filter(pk=page.pk).update(draft_publish_at=None)


@transaction.atomic
def unpublish(page, user):
    """Take a page off the site. Its latest changes, drafted or not, stay for the therapist in the row."""
    page = Page.objects.select_for_update().get(pk=page.pk)
    if has_draft(page):
        take_content(page, page.draft_revision.content)
    page.status = Page.Status.DRAFT
    page.publish_at = None
    page.live_revision = None
    page.draft_revision = None
    page.draft_publish_at = None
    page.save()
    return page_saved(page, user)


@transaction.atomic
def restore(revision, user):
    """
    Bring back an earlier version as a draft, never as a live change: a live page gets it as its
    draft, to preview and publish; a page that is not live gets it in its row, still not live.
    """
    page = Page.objects.select_for_update().get(pk=revision.page_id)
    restore_sections(page, revision.content["sections"])
    old_slug = page.slug
    take_content(page, revision.content)
    if page.is_live:
        return save_draft(page, user)
    page.save()
    return page_saved(page, user, old_slug=old_slug)


def as_draft(page):
    """
    The page as it will look once published, for the form and the preview: its draft, if it has
    one, applied to this instance in memory (never saved).
    """
    if has_draft(page):
        content = page.draft_revision.content
        copy_fields(page, content)
        page.body_html = render_sections(snapshot_sections(content))
    return page


class LiveVersion(Exception):
    """The version visitors see cannot be removed: publish another one first."""


@transaction.atomic
def discard_draft(page):
    """
    Throw away a live page's draft: its sections go back to the live version's, and the draft
    version itself is removed (it may hold what was never meant to be kept). Returns its number,
    or None when there was no draft.
    """
    page = (
        Page.objects.select_for_update(of=("self",))
        .select_related("draft_revision", "live_revision")
        .get(pk=page.pk)
    )
    draft = page.draft_revision
    if draft is None:
        return None
    if page.live_revision is not None:
        restore_sections(page, page.live_revision.content["sections"])
    Page.objects.filter(pk=page.pk).update(draft_revision=None, draft_publish_at=None)
    number = draft.number
    draft.delete()
    return number


@transaction.atomic
def remove_version(revision):
    """Remove a kept version for good; the draft is discarded; the live one is refused. Returns its number."""
    page = Page.objects.select_for_update().get(pk=revision.page_id)
    if revision.pk == page.live_revision_id:
        raise LiveVersion(revision.number)
    if revision.pk == page.draft_revision_id:
        return discard_draft(page)
    number = revision.number
    revision.delete()
    return number
