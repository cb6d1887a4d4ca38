"""
A photo chosen in a form that comes back with an error elsewhere (no description, say) is kept,
so the therapist need not find the file again: a browser never fills a file box back in, and on
a phone finding the photo again is the slowest step of all. Every typed field comes back as it
was; the photo does too.

What is kept is the cleaned image (pages/photos.py: no metadata), as a PNG in the cache for a
day under a random key, so every web process and container finds it. The form carries the key
signed, with the file's name, and shows the photo as "Photo kept".
"""

import base64
import contextlib
import io
import secrets

from django.core import signing
from django.core.cache import cache
from PIL import Image

SALT = "pages.kept_uploads"
KEPT_FOR = 24 * 60 * 60
THUMBNAIL = (120, 120)


class Gone(Exception):
    """The token is genuine but its image is no longer in the cache."""


def keep(image, name):
    """Keep a cleaned image; the signed token a form carries to find it again."""
    key = f"kept-photo:{secrets.token_urlsafe(16)}"
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    cache.set(key, buffer.getvalue(), KEPT_FOR)
    return signing.dumps({"key": key, "name": name}, salt=SALT)


def kept(token):
    """(image, file name) for a token from keep(); None for no token or a forged one; Gone once expired."""
    try:
        found = signing.loads(token or "", salt=SALT, max_age=KEPT_FOR)
    except signing.BadSignature:
        return None
    data = cache.get(found["key"])
    if data is None:
        raise Gone(found["name"])
    with Image.open(io.BytesIO(data)) as image:
        image.load()
    return image, found["name"]


def forget(token):
    with contextlib.suppress(signing.BadSignature):
        cache.delete(signing.loads(token or "", salt=SALT)["key"])


def thumbnail_url(image):
    """A small preview as a data: URL (the Content Security Policy allows them for images)."""
    small = image.copy()
    small.thumbnail(THUMBNAIL)
    buffer = io.BytesIO()
    small.save(buffer, format="WEBP", quality=70)
    return f"data:image/webp;base64,{base64.b64encode(buffer.getvalue()).decode()}"
