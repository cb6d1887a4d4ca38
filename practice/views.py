"""Site-wide answers that belong to no app: the health check, robots.txt, the favicon, photos and errors."""

import sys
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse
from django.utils._os import safe_join
from django.views.decorators.cache import cache_control, never_cache

from pages.methods import allow_methods


@never_cache
def healthz(request):
    """Tell the container runtime whether this process can reach the database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@allow_methods("GET", "HEAD")
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_URL}",
        f"Disallow: {reverse('intake:thanks')}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@allow_methods("GET", "HEAD")
@cache_control(max_age=60 * 60 * 24)
def favicon(request):
    """Browsers ask for /favicon.ico on their own; the icon is the SVG that pages link to."""
    # The unhashed name, which whitenoise serves too: unlike the hashed one it never changes,
    # so a permanent redirect stays right.
    return HttpResponsePermanentRedirect(settings.STATIC_URL + "favicon.svg")


# A photo rendition's name (pages/photos.py): a content hash and a width. Nothing else under
# MEDIA_ROOT is served, so no other path, ".." or an uploaded master can be asked for.
MEDIA_NAME = r"photos/[0-9a-f]{12}-[0-9]+\.(?:webp|avif)"
MEDIA_TYPES = {".webp": "image/webp", ".avif": "image/avif"}


@allow_methods("GET", "HEAD")
def media(request, name):
    """A photo rendition. Its name changes whenever its content does, so browsers may keep it for a year."""
    path = Path(safe_join(settings.MEDIA_ROOT, name))
    try:
        file = path.open("rb")
    except OSError:
        raise Http404("No such photo") from None
    response = FileResponse(file, content_type=MEDIA_TYPES[path.suffix])
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def server_error(request):
    """
    handler500. A database out of reach (down, restarting) is "try again in a minute"
    with a 503; anything else a 500. Both pages are standalone: no database needed.
    """
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
