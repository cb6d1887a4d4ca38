"""The one reader of a visitor's signed links, and its one problem page (pages.signed_links)."""

import time
from pathlib import Path

import pytest
from django.core import signing
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe

from pages.models import Page, PracticeSettings
from pages.signed_links import (
    LinkExpired,
    LinkNotValid,
    LinkUsed,
    LinkWords,
    ProblemWords,
    SignedLink,
    problem_page,
)
from practice.settings import BASE_DIR
from tests.pages.factories import make_page
from tests.postgresql import only_on_postgresql

pytestmark = pytest.mark.django_db

# Any model will do: this reader knows none. A page's slug stands in for the record's secret.
LINK = SignedLink("tests.a_link", secret_piece=lambda page: page.slug)
DAYS_LINK = SignedLink("tests.a_days_link", secret_piece=lambda page: page.slug, days=3)


def test_a_link_opens_its_own_record():
    page, other = make_page(slug="mine"), make_page(slug="theirs")
    assert LINK.record(LINK.token(page), Page.objects) == page
    assert LINK.record(LINK.token(other), Page.objects) == other


def test_the_token_is_the_number_and_the_piece_signed_under_the_salt():
    """The format every link sent so far carries: changing it would break links already in emails."""
    page = make_page(slug="mine")
    assert LINK.token(page) == signing.Signer(salt="tests.a_link").sign_object([page.pk, "mine"])
    made_then = signing.TimestampSigner(salt="tests.a_days_link").sign_object([page.pk, "mine"])
    assert DAYS_LINK.record(made_then, Page.objects) == page


@pytest.mark.parametrize(
    "bad",
    [
        lambda token: token[:-4],
        lambda token: token[: len(token) // 2],
        lambda token: token + "x",
        lambda token: "nothing",
        lambda token: signing.Signer(salt="another.salt").sign_object([1, "mine"]),
        lambda token: signing.Signer(salt="tests.a_link").sign_object("a string"),
        lambda token: signing.Signer(salt="tests.a_link").sign_object([1]),
        lambda token: signing.Signer(salt="tests.a_link").sign_object(["1", "mine"]),
        lambda token: signing.Signer(salt="tests.a_link").sign_object([1, 2]),
        lambda token: signing.Signer(salt="tests.a_link").sign_object({"number": 1}),
    ],
)
def test_an_altered_cut_or_misshapen_link_is_not_valid(bad):
    page = make_page(slug="mine")
    with pytest.raises(LinkNotValid):
        LINK.record(bad(LINK.token(page)), Page.objects)


def test_the_right_number_with_another_records_piece_is_not_valid():
    page = make_page(slug="mine")
    forged = signing.Signer(salt="tests.a_link").sign_object([page.pk, "theirs"])
    with pytest.raises(LinkNotValid):
        LINK.record(forged, Page.objects)


def test_a_link_to_a_gone_record_is_expired_unless_the_owner_says_otherwise():
    page = make_page(slug="mine")
    number, token = page.pk, LINK.token(page)
    page.delete()
    with pytest.raises(LinkExpired):
        LINK.record(token, Page.objects)
    with pytest.raises(LinkUsed):
        LINK.record(token, Page.objects, gone=lambda gone: LinkUsed() if gone == number else LinkExpired())


def test_a_link_with_days_expires_after_them(monkeypatch):
    page = make_page(slug="mine")
    token = DAYS_LINK.token(page)
    assert DAYS_LINK.record(token, Page.objects) == page
    later = time.time() + 3 * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(LinkExpired):
        DAYS_LINK.record(token, Page.objects)
    with pytest.raises(LinkNotValid):
        DAYS_LINK.record(token[:-3], Page.objects)


def test_a_link_without_days_lasts_as_long_as_its_record(monkeypatch):
    page = make_page(slug="mine")
    token = LINK.token(page)
    later = time.time() + 3650 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert LINK.record(token, Page.objects) == page


@only_on_postgresql("SELECT ... FOR UPDATE is PostgreSQL's")
def test_a_record_read_with_lock_is_locked():
    page = make_page(slug="mine")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        LINK.record(LINK.token(page), Page.objects, lock=True)
    assert "FOR UPDATE" in queries[-1]["sql"]
    with CaptureQueriesContext(connection) as queries:
        LINK.record(LINK.token(page), Page.objects)
    assert "FOR UPDATE" not in queries[-1]["sql"]


def test_each_problem_has_its_status_and_name():
    assert (LinkNotValid().status, LinkNotValid().problem) == (400, "not_valid")
    assert (LinkExpired().status, LinkExpired().problem) == (410, "expired")
    assert (LinkUsed().status, LinkUsed().problem) == (410, "used")
    assert LinkUsed("moved").problem == "moved"


# The problem page.

WORDS = LinkWords(
    problems={
        "used": ProblemWords(
            title="Already done", heading="It was done already", lead="Nothing more to do.", contact=False
        ),
        "expired": ProblemWords(
            heading="This link no longer works",
            lead="It works for a while.",
            advice=mark_safe('You may <a href="/again/">ask again</a>.'),
        ),
    },
    reach="If you need to reach {practice} about it",
    not_valid_advice="Nothing has been changed.",
)


@pytest.fixture
def practice():
    practice = PracticeSettings.load()
    practice.practice_name, practice.email, practice.phone = (
        "Wells Counseling",
        "hello@wells.example",
        "555-0100",
    )
    practice.save()
    return practice


def page_for(problem, words=WORDS):
    response = problem_page(RequestFactory().get("/a-link/"), problem, words)
    return response.status_code, response.content.decode()


def test_an_altered_link_gets_the_shared_words_and_what_the_link_did_not_do(practice):
    status, html = page_for(LinkNotValid())
    assert status == 400
    assert "<title>This link is not complete | Wells Counseling</title>" in html
    assert "<h1>This link is not complete</h1>" in html
    assert "The link may have been copied incompletely, or changed on the way." in html
    assert "copy the whole link, from the beginning to the end. Nothing has been changed.</p>" in html
    assert (
        'If you need to reach Wells Counseling about it, please email <a href="mailto:hello@wells.example">'
        "hello@wells.example</a>.</p>"
    ) in html


def test_the_page_says_the_words_of_what_the_link_was_for(practice):
    status, html = page_for(LinkExpired())
    assert status == 410
    assert "<title>This link no longer works | Wells Counseling</title>" in html
    assert "<h1>This link no longer works</h1>" in html and "It works for a while." in html
    assert 'You may <a href="/again/">ask again</a>.' in html
    status, html = page_for(LinkUsed())
    assert status == 410
    assert "<title>Already done | Wells Counseling</title>" in html
    assert "<h1>It was done already</h1>" in html
    assert "about it, please" not in html, "no address where nothing is left to ask"


def test_the_page_offers_the_phone_where_there_is_no_email_or_where_the_link_asks(practice):
    practice.email = ""
    practice.save()
    _, html = page_for(LinkExpired())
    assert (
        'If you need to reach Wells Counseling about it, please call <a href="tel:5550100">555-0100</a>.'
        in html
    )
    practice.email = "hello@wells.example"
    practice.save()
    both = LinkWords(problems=WORDS.problems, reach="To find a time", offer_phone_too=True)
    _, html = page_for(LinkExpired(), both)
    assert (
        'To find a time, please email <a href="mailto:hello@wells.example">hello@wells.example</a> '
        'or call <a href="tel:5550100">555-0100</a>.'
    ) in html


def test_this_is_the_only_module_that_reads_signed_links():
    """One reader: no other module unsigns a link or compares its secret on its own."""
    readers = []
    for package in ("accounts", "at_rest", "booking", "intake", "pages", "practice"):
        for path in Path(BASE_DIR / package).rglob("*.py"):
            text = path.read_text()
            if any(word in text for word in ("unsign_object", "Signer(", "constant_time_compare")):
                readers.append(str(path.relative_to(BASE_DIR)))
    assert readers == ["pages/signed_links.py"]
