"""
A new install, before the therapist fills in the practice settings: the public site reads as finished.
Nothing says "None", no label waits for a value ("Call ", "Email:"), no link goes nowhere.
"""

import json
import re

import pytest

from pages.models import PracticeSettings
from tests.html import texts

PUBLIC = ["/", "/relationship-issues/", "/privacy/", "/consultation/", "/consultation/thanks/"]


@pytest.fixture
def fresh_settings(db):
    """The defaults: the practice's name only, no clinician, contact, states or privacy page."""
    PracticeSettings.objects.all().delete()
    practice = PracticeSettings.load()
    assert practice.practice_name == "Private psychotherapy practice" and practice.privacy_page is None
    return practice


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("path", PUBLIC)
def test_no_placeholder_shows_on_a_fresh_install(client, fresh_settings, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert "None" not in text
    for empty_label in ("Call .", "Call  ", "Email:", "Phone:", "reach me at .", " or .", "by ."):
        assert empty_label not in text, empty_label
    for empty_link in ('href=""', 'href="tel:"', 'href="mailto:"', 'href="sms:"'):
        assert empty_link not in html, empty_link
    assert not re.search(r"<(p|li|ul|h2|a)\b[^>]*>\s*</\1>", html), "an element left empty"
    for _, element in texts(html, "title", "h1", "h2", "p", "li", "a", "span"):
        words = " ".join(element.split())
        assert not re.search(r"^[·,|:]|[·,|:]$|[·,|] *[·,|.]| \.", words), f"a dangling separator: {words!r}"


def test_the_footer_has_the_practice_name_and_the_crisis_lines_only(client, fresh_settings):
    html = client.get("/").content.decode()
    footer = html.split("<footer")[1].split("</footer>")[0]
    assert [text for tag, text in texts(footer, "h2")] == [
        "If you need help now",
        "Private psychotherapy practice",
    ]
    assert "<ul" not in footer and "Privacy notice" not in footer
    assert 'href="tel:988"' in footer


def test_the_home_page_shows_no_byline_without_a_clinician(client, fresh_settings):
    assert "page__byline" not in client.get("/").content.decode()


def test_search_engines_get_only_what_is_filled_in(client, fresh_settings):
    html = client.get("/", secure=True, headers={"host": "testserver"}).content.decode()
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data == {
        "@context": "https://schema.org",
        "@type": "ProfessionalService",
        "name": "Private psychotherapy practice",
        "url": "https://testserver/",
    }


def test_credentials_without_a_name_name_nobody_to_search_engines(client, fresh_settings):
    fresh_settings.credentials = "LMFT"
    fresh_settings.save()
    html = client.get("/").content.decode()
    assert '"employee"' not in html
    fresh_settings.clinician_name = "Dr. Jordan Wells"
    fresh_settings.save()
    html = client.get("/").content.decode()
    assert '"employee": {"@type": "Person", "name": "Dr. Jordan Wells", "jobTitle": "LMFT"}' in html


def test_a_name_without_credentials_has_no_empty_job_title(client, fresh_settings):
    fresh_settings.clinician_name = "Dr. Jordan Wells"
    fresh_settings.save()
    assert '"employee": {"@type": "Person", "name": "Dr. Jordan Wells"}' in client.get("/").content.decode()
