from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from pages.models import RETENTION_DAYS_PLACEHOLDER, Page, SlugRedirect
from pages.seo import practice_json_ld


def home(request):
    page = get_object_or_404(Page.objects.published(), kind=Page.Kind.HOME)
    return render_page(request, page, services=Page.objects.services())


def page_detail(request, slug):
    try:
        page = Page.objects.published().get(slug=slug)
    except Page.DoesNotExist:
        moved = SlugRedirect.objects.filter(old_slug=slug, page__in=Page.objects.published()).select_related(
            "page"
        )
        if moved_to := moved.first():
            return HttpResponsePermanentRedirect(moved_to.page.get_absolute_url())
        raise Http404("No such page") from None
    if page.kind == Page.Kind.HOME:
        return redirect("/", permanent=True)
    return render_page(request, page)


def render_page(request, page, **context):
    response = render(
        request,
        f"pages/{page.kind}.html",
        {
            "page": page,
            "body": page_body(page),
            "canonical_url": request.build_absolute_uri(page.get_absolute_url()),
            "json_ld": practice_json_ld(request),
            **context,
        },
    )
    return response


def preview(request, page, findings, standing):
    """
    A page as it will look once published, with the same templates as visitors get, under a
    banner saying where it stands and what the checks found. Staff only (the admin wraps it).
    """
    services = Page.objects.services() if page.kind == Page.Kind.HOME else None
    response = render_page(
        request, page, preview={"findings": findings, "standing": standing}, services=services
    )
    # Never kept by a proxy or the browser, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def page_body(page):
    """The body rendered when the page was saved, with the days requests are kept filled in from the setting."""
    days = str(settings.INTAKE_RETENTION_DAYS)
    return mark_safe(page.body_html.replace(RETENTION_DAYS_PLACEHOLDER, days))  # noqa: S308 - cleaned on save
