"""
A photo as <picture>: AVIF and WebP at every width made, the size it is shown at for the browser to
choose from, its width and height so nothing moves as it loads, and lazy loading below the fold.

Everything comes from the renditions stored on the photo when it was uploaded: no query, no file read.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join

register = template.Library()

MIME_TYPES = {"avif": "image/avif", "webp": "image/webp"}
# The width each shape is shown at (static/css/site.css: .photo--portrait, .photo--wide).
SIZES = {
    "portrait": "(min-width: 768px) 12rem, 9rem",
    "wide": "(min-width: 768px) 712px, calc(100vw - 1.5rem)",
}


@register.simple_tag
def picture(photo, shape, eager=False):
    """`{% picture photo "portrait" eager=True %}`: eager (and first in line) for a photo at the top of a page."""
    return picture_html(photo, shape, eager=eager) if photo else ""


def picture_html(photo, shape, eager=False):
    rendition = photo.renditions.get(shape)
    if not rendition:
        return ""
    sizes = SIZES[shape]
    sources = format_html_join(
        "",
        '<source type="{}" srcset="{}" sizes="{}">',
        ((MIME_TYPES[output], srcset(rendition[output]), sizes) for output in rendition if output == "avif"),
    )
    webp = rendition["webp"]
    return format_html(
        '<picture class="photo photo--{}">{}<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" '
        'alt="{}" loading="{}" fetchpriority="{}" decoding="async"></picture>',
        shape,
        sources,
        media_url(webp[-1][0]),
        srcset(webp),
        sizes,
        rendition["width"],
        rendition["height"],
        "" if photo.decorative else photo.alt_text,
        "eager" if eager else "lazy",
        "high" if eager else "auto",
    )


def srcset(files):
    return ", ".join(f"{media_url(name)} {width}w" for name, width in files)


def media_url(name):
    return f"{settings.MEDIA_URL}{name}"


def largest_url(photo, shape):
    """The largest rendition's address (WebP), for search engines; None without a photo."""
    if photo and (rendition := photo.renditions.get(shape)):
        return media_url(rendition["webp"][-1][0])
    return None
