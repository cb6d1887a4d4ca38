"""
The whole admin in the therapist's words (issue 25): every URL the admin site's registry serves
(list, add, change, delete, history and custom views of every model, the sections, staff accounts
and groups, sign-in and passkeys), as a superuser and as view-only staff, holds no developer word
(tests/admin_walk.py) and writes dates one way only, the practice's clock (pages/clock.py).
"""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Passkey
from tests.accounts.signing_in import ADMIN, LOGIN, PASSWORD, authenticator_device, sign_in
from tests.admin_records import extra_arguments, view_only_staff
from tests.admin_walk import (
    admin_urls,
    developer_words,
    doubled_breadcrumbs,
    in_context,
    other_date_formats,
    visible_text,
)

pytestmark = pytest.mark.django_db


def problems_on(client, url, may_change=True):
    """What a person would trip on at this URL, following redirects as a browser does."""
    response = client.get(url, follow=True)
    if response.status_code == 405:  # a button's POST, whose page is the one the button is on
        return []
    if response.status_code not in (200, 403):
        return [(url, f"answers {response.status_code}")]
    html = response.content.decode()
    text = visible_text(html)
    words, dates = developer_words(text) + doubled_breadcrumbs(html), other_date_formats(text)
    if not may_change:  # someone who may only look is offered "View", never "Change"
        words += sorted(set(re.findall(r"\bChange\b(?! password| my password)", text)))
    if words or dates:
        return [(url, words, dates, in_context(text, words + dates))]
    return []


@pytest.mark.parametrize("who", ["superuser", "view-only staff"])
def test_every_admin_url_reads_in_plain_words_with_one_clock(client, admin_user, records, who):
    user = admin_user if who == "superuser" else view_only_staff()
    sign_in(client, user)
    urls = admin_urls(records, extra_arguments)
    assert len(urls) > 100
    problems = [problem for url in urls for problem in problems_on(client, url, who == "superuser")]
    assert not problems, "\n".join(map(str, problems))


def test_the_sign_in_pages_read_in_plain_words(client):
    """The password page, then the set-up, code and passkey pages a staff member passes through."""
    user = User.objects.create_user("therapist", password=PASSWORD, is_staff=True)
    problems = problems_on(Client(), LOGIN)
    for url, title, second_factor in [
        ("/admin/login/set-up/", "Set up your authenticator app", lambda: None),
        ("/admin/login/code/", "Enter your code", lambda: authenticator_device(user)),
        (
            "/admin/login/passkey/",
            "Sign in with your passkey",
            lambda: Passkey.objects.create(
                user=user, name="Laptop", credential_id=b"id", public_key=b"key", user_handle=b"h"
            ),
        ),
    ]:
        second_factor()
        client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
        assert f"<title>{title} |" in client.get(url).content.decode(), url
        problems += problems_on(client, url)
    assert not problems, "\n".join(map(str, problems))


def test_the_signed_out_page_reads_in_plain_words(admin_client):
    """Django's "Logged out" page, reached by the "Sign out" button (a POST, so not walked above)."""
    html = admin_client.post(f"{ADMIN}logout/").content.decode()
    assert "<title>Signed out |" in html
    text = visible_text(html)
    assert "You are signed out" in text
    assert developer_words(text) == [], in_context(text, developer_words(text))


def test_a_page_of_one_record_leads_back_to_that_record(client, admin_user, records):
    """Every page opened from a record (delete, history, reply, offer other times, log a call, ...)
    has breadcrumbs whose last link is that record's own page, then the page's name. (A preview is
    the public page itself, with no admin breadcrumbs.)"""
    sign_in(client, admin_user)
    under_a_record = re.compile(r"^(/admin/\w+/\w+/)(\d+)/(?!change/)[\w-]+/$")
    problems = []
    for url in admin_urls(records, extra_arguments):
        found = under_a_record.match(url)
        response = client.get(url) if found else None
        if not found or response.status_code != 200:
            continue
        crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', response.content.decode(), re.S)
        if not crumbs and url.endswith("/preview/"):
            continue
        links = re.findall(r'<a href="([^"]+)"', crumbs.group(1)) if crumbs else []
        last_item = crumbs.group(1).rsplit("<li", 1)[-1] if crumbs else ""
        record_page = f"{found.group(1)}{found.group(2)}/change/"
        if not links or links[-1] != record_page or 'aria-current="page"' not in last_item:
            problems.append((url, links[-1:]))
    assert not problems, "\n".join(map(str, problems))
