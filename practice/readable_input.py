"""
A query string or form that is not UTF-8 is refused with a clear page (400), never
saved garbled: Django would quietly turn the bytes it cannot read into "�", and it
decodes a form by whatever charset its Content-Type declares (browsers send this
site's forms as UTF-8 and declare none). The one form that takes a file, a photo
upload in admin, is checked field by field instead, as its file is not text.
"""

import codecs
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.shortcuts import render


def utf8(raw):
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def readable(encoded):
    """True when URL-encoded text (a query string, a form) decodes to UTF-8, as browsers send it."""
    return utf8(unquote_to_bytes(encoded.replace(b"+", b" ")))


class ReadableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # WSGI hands the query string over as Latin-1 text: encoding it back gives the bytes sent.
        query_string = request.META.get("QUERY_STRING", "").encode("latin-1", errors="replace")
        if not readable(query_string) or not self.body_readable(request):
            return render(request, "400_unreadable.html", status=400)
        return self.get_response(request)

    def body_readable(self, request):
        if request.method != "POST":
            return True
        form = request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}
        # An unknown charset is ignored by Django (read as UTF-8); a known other one would be used:
        # multipart fields decoded as Latin-1 (stored garbled), urlencoded ones refused with a 500.
        if form and codecs.lookup(request.encoding or "utf-8").name != "utf-8":
            return False
        if request.content_type == "application/x-www-form-urlencoded":
            return readable(request.body)
        if request.content_type == "multipart/form-data":
            if request.path.startswith(f"/{settings.ADMIN_URL}pages/photo/"):
                # Parsed, a field's bytes that are not UTF-8 have become U+FFFD, which nobody types.
                fields = [text for name, values in request.POST.lists() for text in [name, *values]]
                return not any("\ufffd" in text for text in fields)
            # Nowhere else on this site takes a file, so a whole multipart body is text too.
            return utf8(request.body)
        return True
