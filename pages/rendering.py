"""
Turn the sections a therapist writes into safe HTML, once, when a page is saved.

The text is light Markdown (paragraphs, *emphasis*, **bold**, links, bulleted
lists, and ### or #### subheadings under the section's own h2). Whatever HTML a section contains is cleaned to an allowlist by nh3, so
scripts, event handlers and javascript: links never reach a visitor. A section's photo goes
under its heading; only the first section's loads at once, the rest when scrolled near.
"""

import re

import markdown
import nh3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pages.templatetags.pictures import picture_html

ALLOWED_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "br", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


# A heading written at a level a section cannot have (# and ## are the page's and the section's own;
# ##### and ###### are deeper than the outline goes) is published at the nearest it can have: the
# checks suggest the right mark, and until then the reader still sees a heading, not bare text.
LEVELS_ALLOWED = {"h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4"}
HEADING_TAG = re.compile(r"<(/?)(h[1256])>")


def render_text(text):
    """One section's text as clean HTML."""
    html = markdown.markdown(text, output_format="html")
    html = HEADING_TAG.sub(lambda tag: f"<{tag.group(1)}{LEVELS_ALLOWED[tag.group(2)]}>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener",
    )


def render_sections(sections):
    """The whole body: each section as a <section>, its heading an h2 under the page's h1, then its photo."""
    # Migrations pass sections of their own time, some from before photos.
    sections = [(section, getattr(section, "photo", None)) for section in sections]
    return format_html_join(
        "\n",
        "<section>{}{}{}</section>",
        (
            (
                format_html("<h2>{}</h2>\n", section.heading) if section.heading else "",
                format_html("{}\n", picture_html(photo, "wide", eager=index == 0)) if photo else "",
                mark_safe(render_text(section.text)),  # noqa: S308 - cleaned by nh3
            )
            for index, (section, photo) in enumerate(sections)
        ),
    )
