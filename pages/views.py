from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pages.models import Page, SlugRedirect
from pages.seo import practice_json_ld


@never_cache
def healthz(request):
    """Tell the container runtime whether this process can reach the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


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
            "canonical_url": request.build_absolute_uri(page.get_absolute_url()),
            "json_ld": practice_json_ld(request),
            **context,
        },
    )
    if not page.is_live:
        # A staff preview must never be cached by a proxy or the browser.
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        "Disallow: /consultation/thanks/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
