"""
Admin's "Compare versions" page: what changed between two saved versions of a page (pages/compare.py).

Wired into PageAdmin.get_urls as admin:pages_page_compare. `?from=` and `?to=` name two of the page's
revisions; without them it shows what the newest version changed: the draft if there is one, else the
live version, else the newest, against the version saved just before it.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from pages.clock import local_time
from pages.compare import compare
from pages.models import Page, PageRevision, Photo


@dataclass(frozen=True)
class Version:
    """A revision as the page names it: when, by whom, and whether it is live or the draft."""

    revision: PageRevision
    saved: str
    saved_by: str
    marker: str

    @property
    def pk(self):
        return self.revision.pk

    @property
    def label(self):
        words = [self.saved, self.saved_by if self.revision.created_by_id else "", self.marker]
        return " · ".join(word for word in words if word)


def compare_versions(request, page_id):
    # As in Django's admin, whoever may change pages may also view them.
    if not (request.user.has_perm("pages.view_page") or request.user.has_perm("pages.change_page")):
        raise PermissionDenied
    page = get_object_or_404(Page, pk=page_id)
    # Newest first; the content is read only for the two being compared.
    revisions = list(page.revisions.select_related("created_by").defer("content"))
    versions = [version_of(revision, page) for revision in revisions]
    newer = chosen(request.GET.get("to"), versions) or default_newer(page, versions)
    older = chosen(request.GET.get("from"), versions)
    if older is None and newer is not None:
        older = saved_before(newer, versions)
    context = {
        **admin.site.each_context(request),
        "opts": Page._meta,
        "title": f"Compare versions of “{page}”",
        "page_obj": page,
        "versions": versions,
        "older": older,
        "newer": newer,
        "comparison": None,
    }
    if older is not None and newer is not None:
        contents = PageRevision.objects.in_bulk([older.pk, newer.pk])
        older_content, newer_content = contents[older.pk].content, contents[newer.pk].content
        context["comparison"] = compare(
            older_content, newer_content, photo_titles(older_content, newer_content)
        )
    return TemplateResponse(request, "admin/pages/page/compare.html", context)


def version_of(revision, page):
    user = revision.created_by
    marker = {page.live_revision_id: "live", page.draft_revision_id: "draft"}.get(revision.pk, "")
    return Version(
        revision=revision,
        saved=local_time(revision.created_at),
        saved_by=(user.get_full_name() or user.get_username()) if user else "—",
        marker=marker,
    )


def chosen(value, versions):
    """The version a query parameter names; a missing one is None, one of another page's a 404."""
    if value is None:
        return None
    for version in versions:
        if str(version.pk) == value:
            return version
    raise Http404("That version is not one of this page's.")


def default_newer(page, versions):
    by_pk = {version.pk: version for version in versions}
    for pk in (page.draft_revision_id, page.live_revision_id):
        if pk in by_pk:
            return by_pk[pk]
    return versions[0] if versions else None


def saved_before(version, versions):
    """The version saved just before this one (the list is newest first), or None for the first."""
    index = versions.index(version)
    return versions[index + 1] if index + 1 < len(versions) else None


def photo_titles(*contents):
    ids = {
        s.get("photo_id") for content in contents for s in content.get("sections", []) if s.get("photo_id")
    }
    return {photo.pk: photo.title for photo in Photo.objects.filter(pk__in=ids).only("title")}
