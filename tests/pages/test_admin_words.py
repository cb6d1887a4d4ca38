"""
The website pages' admin in the therapist's words: every URL of the app (list, add, change,
delete, history, and the custom views), as a superuser and as view-only staff, holds none of the
developer words below and shows times one way only (the practice's clock, pages/clock.py).

The rest of the admin (staff accounts, sign-in, requests) is not walked here yet: see the report
on issue 25.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from pages import drafts
from pages.models import Page, PageRevision, Photo, PracticeSettings, SlugRedirect
from tests.accounts.signing_in import sign_in
from tests.pages.factories import make_page
from tests.pages.photo_helpers import make_photo

pytestmark = pytest.mark.django_db

DEVELOPER_WORDS = re.compile(
    r"\b(slugs?|objects?|models?|constraint|superuser|codename|not empty|empty / |pk|id|null|"
    r"old_slug|menu_order|publish_at|content_version)\b",
    re.I,
)
# Django's own date formats beside the practice's ("7 December 2026, 3:04 pm").
DJANGO_DATES = re.compile(
    r"\b[A-Z][a-z]{2}\.? \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2}|\b\d{1,2}:\d{2}:\d{2}\b|\b[ap]\.m\."
)


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
        for name in ("alt", "aria-label", "title", "placeholder"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
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


@pytest.fixture
def everything(media_root):
    photo = make_photo(title="Our room")
    page = make_page(title="Fees", slug="fees-page", sections=[("Cost", "Sessions are 50 minutes.")])
    page.sections.update(photo=photo)
    page.sections.update(text="Drafted words.")
    drafts.save_draft(page, user=None)
    SlugRedirect.objects.create(old_slug="old-fees", page=page)
    return {
        "page": page,
        "photo": photo,
        "redirect": SlugRedirect.objects.get(),
        "settings": PracticeSettings.load(),
    }


def pages_admin_urls(everything):
    page, photo, redirect = everything["page"], everything["photo"], everything["redirect"]
    kept = PageRevision.objects.filter(page=page).exclude(pk=page.live_revision_id).first()
    urls = []
    for model, obj in [
        (Page, page),
        (Photo, photo),
        (SlugRedirect, redirect),
        (PracticeSettings, everything["settings"]),
    ]:
        name = f"admin:pages_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_change", args=[obj.pk])]
        urls += [reverse(f"{name}_history", args=[obj.pk])]
        if model is not PracticeSettings:
            urls += [reverse(f"{name}_add"), reverse(f"{name}_delete", args=[obj.pk])]
    urls += [
        reverse("admin:app_list", args=["pages"]),
        reverse("admin:pages_page_compare", args=[page.pk]),
        reverse("admin:pages_page_unpublish", args=[page.pk]),
        reverse("admin:pages_page_remove_version", args=[page.pk, kept.pk]),
    ]
    return urls


def view_only_staff():
    user = User.objects.create_user("viewer", is_staff=True, first_name="Val")
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="pages", codename__startswith="view_")
    )
    return user


@pytest.mark.parametrize("who", ["superuser", "view-only staff"])
def test_every_pages_admin_url_reads_in_plain_words_with_one_clock(client, admin_user, everything, who):
    sign_in(client, admin_user if who == "superuser" else view_only_staff())
    problems = []
    for url in pages_admin_urls(everything):
        response = client.get(url, follow=True)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        content = text
        words = sorted({match.lower() for match in DEVELOPER_WORDS.findall(content)})
        dates = sorted(set(DJANGO_DATES.findall(content)))
        if words or dates:
            problems.append(
                (
                    url,
                    words,
                    dates,
                    [
                        content[max(0, m.start() - 60) : m.end() + 40]
                        for m in DEVELOPER_WORDS.finditer(content)
                    ][:6],
                )
            )
    assert problems == []
