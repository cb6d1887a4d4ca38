"""
Walking the whole admin as a person would, for tests/practice/test_admin_walk.py: every URL the
admin site's registry serves (so a newly registered model is walked without a list to keep), the
text a person reads on each, and the words and date formats that a therapist should never meet.
"""

import re
from html.parser import HTMLParser

from django.contrib import admin
from django.urls import URLPattern, URLResolver, reverse

# Developer words. "Empty" in a sentence ("Leave empty to show none") is plain; Django's filter
# choices "Empty" / "Not empty" are not (locale/en). Raw field names (with an underscore) are caught by RAW_FIELD_NAME below.
DEVELOPER_WORDS = re.compile(
    r"\b(slugs?|objects?|models?|constraints?|superusers?|codenames?|content types?|pk|id|null|"
    r"not empty|staff status|superuser status|designates|recent actions|"
    r"permissions? codename|log ?entry|logins?|log (?:in|out)|sessions? key|toggle|"
    r"static device|totp device|access (?:attempt|log|failure)s?|axes|otp)\b",
    re.I,
)
# Django's permission names ("Can add failed sign-in"), Python's values, and placeholders of libraries.
DEVELOPER_WORDS_AS_WRITTEN = re.compile(
    r"\bCan (?:add|change|delete|view) |\b(?:True|False)\b|(?<=: )None\b(?!:)|<unknown>"
)
# A raw field name has an underscore; the {placeholders} a reply template offers are typed as shown.
RAW_FIELD_NAME = re.compile(r"(?<!\{)\b[a-z]+_[a-z_]+\b(?!\})")

# The practice's clock (pages/clock.py) writes "7 December 2026, 3:04 pm"; these are the others.
MONTH_ABBREVIATION = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
OTHER_DATE_FORMATS = re.compile(
    rf"\b{MONTH_ABBREVIATION} \d{{1,2}}\b|\b\d{{1,2}} {MONTH_ABBREVIATION}(?= |,|$)|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}:\d{2}:\d{2}\b|\b[ap]\.m\.|"
    r"\b(?:[01]?\d|2[0-3]):[0-5]\d\b(?! ?[ap]m)|\bmidnight\b|\bnoon\b",
    re.I,
)

# URLs of the admin that are not pages a person reads, each with the reason.
NOT_PAGES = {
    "logout": "a POST that ends the session",
    "jsi18n": "JavaScript",
    "autocomplete": "JSON for the pickers",
    "view_on_site": "leaves the admin for the public site",
}


class VisibleText(HTMLParser):
    """What a person reads: text, alt text and labels, not scripts, styles or hidden inputs."""

    SKIPPED = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.SKIPPED:
            self.skipping += 1
        hidden = tag == "input" and attrs.get("type") == "hidden"
        for name in ("alt", "aria-label", "title", "placeholder"):
            if attrs.get(name) and not hidden:
                self.parts.append(attrs[name])
        if (
            tag == "input"
            and attrs.get("type", "text") in ("submit", "button", "text")
            and attrs.get("value")
        ):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _named_patterns(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_patterns(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern


def _arguments(pattern):
    if hasattr(pattern.pattern, "converters"):
        return set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    return set(pattern.pattern.regex.groupindex)


def admin_urls(records, extra_arguments):
    """
    Every URL the admin site serves, from its registry: each model admin's own (list, add, change,
    delete, history and custom views) for `records[model]`, then the site's (index, sections,
    sign-in, passkeys). `extra_arguments(name, argument, record)` gives any URL argument other than
    the record's id and the section's label.
    """
    model_names = set()
    urls = []
    for model, model_admin in admin.site._registry.items():
        record = records[model]
        for pattern in _named_patterns(model_admin.get_urls()):
            model_names.add(pattern.name)
            kwargs = {}
            for argument in _arguments(pattern):
                if argument in ("object_id", "page_id"):
                    kwargs[argument] = record.pk
                else:
                    kwargs[argument] = extra_arguments(pattern.name, argument, record)
            urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
    for pattern in _named_patterns(admin.site.get_urls()):
        if pattern.name in model_names or pattern.name in NOT_PAGES:
            continue
        if pattern.name == "app_list":
            labels = {model._meta.app_label for model in admin.site._registry}
            urls += [reverse("admin:app_list", args=[label]) for label in sorted(labels)]
            continue
        kwargs = {argument: extra_arguments(pattern.name, argument, None) for argument in _arguments(pattern)}
        urls.append(reverse(f"admin:{pattern.name}", kwargs=kwargs))
    return urls


def developer_words(text):
    """The developer words, raw field names and other date formats in a page's visible text."""
    found = {match.group(0).lower() for match in DEVELOPER_WORDS.finditer(text)}
    found |= {match.group(0).strip() for match in DEVELOPER_WORDS_AS_WRITTEN.finditer(text)}
    found |= set(RAW_FIELD_NAME.findall(text))
    return sorted(found)


def doubled_breadcrumbs(html):
    """Two crumbs in a row that say the same ("Practice settings › Practice settings")."""
    found = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', html, re.S)
    crumbs = (
        [visible_text(item) for item in re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)]
        if found
        else []
    )
    return [f"{one} › {two}" for one, two in zip(crumbs, crumbs[1:], strict=False) if one == two]


def other_date_formats(text):
    return sorted({match.group(0) for match in OTHER_DATE_FORMATS.finditer(text)})


def in_context(text, words, width=50):
    """Where each word stands in the text, for a failure a person can act on."""
    places = []
    for word in words:
        pattern = rf"(?<!\w){re.escape(word)}(?!\w)"
        match = re.search(pattern, text) or re.search(pattern, text, re.I)
        places.append(text[max(0, match.start() - width) : match.end() + width] if match else word)
    return places
