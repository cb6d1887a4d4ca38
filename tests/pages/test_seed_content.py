"""The content shipped by data migrations."""

from pathlib import Path

import pytest

from pages.models import Page, PracticeSettings
from practice.settings import BASE_DIR
from tests.html import texts

SHARED_SEED = BASE_DIR.parent / "shared" / "seed" / "000_c1609fb0b9ebe636.txt"
# A copy travels with the tests; the one in shared/ (beside every checkout and CI run) is the original.
SEED = SHARED_SEED if SHARED_SEED.exists() else Path(__file__).parent / "data" / "relationship_issues.txt"
HEADINGS = [
    "Why Relationships Matter",
    "When Relationships Feel Hard",
    "How Individual Therapy Can Help Relationship Issues",
]


def test_the_tests_copy_of_the_seed_matches_the_original():
    copy = Path(__file__).parent / "data" / "relationship_issues.txt"
    assert copy.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")


def test_relationship_page_shows_the_seed_copy_exactly(client, db):
    title, *lines = SEED.read_text(encoding="utf-8").split("\n")
    response = client.get("/relationship-issues/")
    assert response.status_code == 200
    html = response.content.decode()
    article = html[html.index("<article") : html.index("</article>")]
    found = texts(article, "h1", "h2", "p")
    assert found[0] == ("h1", title)
    body = [element for element in found[1:] if element[1] not in {"Your safety comes first"}]
    expected = [("h2" if line in HEADINGS else "p", line) for line in lines]
    assert body[: len(expected)] == expected
    assert "’" in html and "“too much,”" in html, "curly quotes are kept as they are"


def test_content_migration_is_idempotent(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("pages.migrations.0002_first_content")
    migration.add_content(apps, None)
    assert Page.objects.filter(slug="relationship-issues").count() == 1
    assert Page.objects.count() == 6


@pytest.mark.parametrize("slug", ["", "relationship-issues/", "privacy/"])
def test_shipped_public_pages_are_published(client, db, slug):
    assert client.get(f"/{slug}").status_code == 200


@pytest.mark.parametrize("slug", ["about", "fees", "faq"])
def test_guidance_pages_are_drafts(client, db, slug):
    assert Page.objects.get(slug=slug).status == Page.Status.DRAFT
    assert client.get(f"/{slug}/").status_code == 404


def test_privacy_notice_covers_what_a_visitor_needs_to_know(client, db):
    text = client.get("/privacy/").content.decode()
    for promise in [
        "consultation request form",
        "no analytics",
        "Who sees your request",
        "180 days",
        "deleted",
        # docs/privacy-at-rest.md: what is encrypted, and what is not.
        "What you type, the state you will be in during sessions, and the notes and replies kept about "
        "your request, are stored encrypted",
        "backups: someone who got hold of the server",
        "its status and dates, whether that state is one the therapist is licensed in, and the other "
        "answers you choose from a list (such as how to contact you) are not encrypted",
    ]:
        assert promise in text


def test_practice_settings_link_the_privacy_notice(db):
    assert PracticeSettings.load().privacy_page.slug == "privacy"


def test_home_page_leads_to_the_service_page_and_the_consultation_request(client, db):
    html = client.get("/").content.decode()
    assert 'href="/relationship-issues/"' in html
    assert 'href="/consultation/"' in html
