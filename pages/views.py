from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from pages.models import RETENTION_DAYS_PLACEHOLDER, Page, SlugRedirect
from pages.seo import practice_json_ld


def visible_pages(request):
    """Visitors see published pages; staff also see drafts, to preview them."""
    if request.user.is_staff:
        return Page.objects.all()
    return Page.objects.published()


def home(request):
    page = get_object_or_404(visible_pages(request), kind=Page.Kind.HOME)
    services = Page.objects.published().filter(kind=Page.Kind.SERVICE)
    return render_page(request, page, services=services)


def page_detail(request, slug):
    try:
        page = visible_pages(request).get(slug=slug)
    except Page.DoesNotExist:
        moved = SlugRedirect.objects.filter(old_slug=slug, page__in=visible_pages(request)).select_related(
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
    if not page.is_live:
        # A staff preview must never be cached by a proxy or the browser.
        response["Cache-Control"] = "private, no-store"
    return response


def page_body(page):
    """The body rendered when the page was saved, with the days requests are kept filled in from the setting."""
    days = str(settings.INTAKE_RETENTION_DAYS)
    return mark_safe(page.body_html.replace(RETENTION_DAYS_PLACEHOLDER, days))  # noqa: S308 - cleaned on save
