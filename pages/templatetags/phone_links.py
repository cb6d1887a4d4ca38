"""
Phone numbers as one tap: `tel:` and `sms:` links in text the therapist writes in plain words.

The crisis and relationship-safety notices are editable text, so they are linked when shown, not
stored as HTML: every piece of the text is escaped, and only the links made here are HTML.
"""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from pages.phones import sms_href, tel_href

register = template.Library()

# A US number as people write it: 1-800-799-7233, (555) 010-2000, +1 555 010 2000, 555.010.2000.
_NUMBER = r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
# A short line only counts after a verb: "call 911", "text 988"; a bare 988 might be anything.
_SHORT = r"\d{3,6}"
# ...and ends there: "call 555 010 2000" is a whole number, not the short line 555.
_SHORT_END = r"(?!\d|[\s.-]\d)"
_PATTERNS = re.compile(
    rf"""
    \b(?P<call>(?i:call))(?P<or>\s+or\s+)(?P<text>(?i:text))(?P<gap>\s+)(?P<both>{_SHORT}){_SHORT_END}
    | \b(?P<keyword_text>(?i:text)\s+(?P<keyword>[A-Z0-9]+)\s+to\s+(?P<keyword_to>{_SHORT})){_SHORT_END}
    | \b(?P<verb>(?i:call|dial|text))(?P<space>\s+)(?P<short>{_SHORT}){_SHORT_END}
    | (?<![\w+])(?P<number>{_NUMBER})(?![\w-])
    """,
    re.VERBOSE,
)


def _link(match):
    if short := match["both"]:
        # "call or text 988": the verbs are the links, each named in full for a screen reader's list.
        return format_html(
            '<a href="{}" aria-label="{} {}">{}</a>{}<a href="{}" aria-label="{} {}">{}</a>{}{}',
            tel_href(short),
            match["call"].capitalize(),
            short,
            match["call"],
            match["or"],
            sms_href(short),
            match["text"].capitalize(),
            short,
            match["text"],
            match["gap"],
            short,
        )
    if match["keyword_text"]:
        return format_html(
            '<a href="{}">{}</a>', sms_href(match["keyword_to"], match["keyword"]), match["keyword_text"]
        )
    if short := match["short"]:
        href = sms_href(short) if match["verb"].lower() == "text" else tel_href(short)
        return format_html('{}{}<a href="{}">{}</a>', match["verb"], match["space"], href, short)
    return format_html('<a href="{}">{}</a>', tel_href(match["number"]), match["number"])


@register.filter(is_safe=True)
def phone_links(text):
    """The text escaped, with each phone number a `tel:` link and each texting line an `sms:` link."""
    text = str(text)
    pieces, start = [], 0
    for match in _PATTERNS.finditer(text):
        pieces += [escape(text[start : match.start()]), _link(match)]
        start = match.end()
    pieces.append(escape(text[start:]))
    return SafeString("".join(pieces))


@register.filter
def tel_link(number):
    """The practice's own number, as `tel:` (pages/phones.py)."""
    return tel_href(number)
