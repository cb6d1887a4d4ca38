"""
The benchmark's ceiling (`make bench`, bench/): a page's very bytes, rendered beforehand, served by a
Django view through the same middleware, gunicorn and proxy as the page itself. What a page costs
beyond this is the page's own work. These addresses exist only while BENCH_CEILING_DIR names a
folder, which no deployment sets (practice/urls.py).
"""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt

from pages.methods import allow_methods

_read = {}


def page(request, name):
    """The file `<name>.html` of BENCH_CEILING_DIR (a slug: nothing outside it), read once per process."""
    if name not in _read:
        path = Path(settings.BENCH_CEILING_DIR) / f"{name}.html"
        if not path.is_file():
            # A bare 404: the site's own 404 page would read the database, which a ceiling must not.
            return HttpResponseNotFound()
        _read[name] = path.read_bytes()
    return HttpResponse(_read[name])


BARE = b"<!doctype html><title>bare</title><p>A bare view."


def bare(request):
    """
    The least a Django view can answer, through the same middleware, gunicorn and database
    connection: the floor every page stands on (`make bench` gives each page's ratio to it).
    """
    return HttpResponse(BARE)


@allow_methods("POST")
@csrf_exempt
def sent(request):
    """What a valid form's POST answers (the redirect to the thank-you page), with no form behind it."""
    return redirect("intake:thanks")
