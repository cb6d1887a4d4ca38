"""Checks before publishing (pages/checks.py): each check, and how admin shows them without blocking a save."""

import pytest
from django.urls import reverse

from pages.checks import (
    alt_text_problem,
    check_page,
    heading_findings,
    reading_grade,
    summary_findings,
    syllables,
    text_findings,
)
from pages.models import Page, PracticeSettings
from tests.html import form_values
from tests.pages.factories import make_page

PLAIN = "We talk. You choose the pace. " * 8


def practice(**fields):
    defaults = {
        "practice_name": "Calm Harbor Therapy",
        "clinician_name": "Dana Whitfield",
        "email": "hello@calmharbor.example",
        "phone": "(212) 555-0100",
    }
    return PracticeSettings(**(defaults | fields))


def messages(findings):
    return " | ".join(finding.message for finding in findings)


def check(text, heading="", summary="A short summary.", title="Fees"):
    return check_page(title, summary, [(heading, text)], practice())


def test_plain_short_copy_has_nothing_to_point_out():
    assert check(PLAIN) == []


@pytest.mark.parametrize(
    ("summary", "said"),
    [("", "The summary is empty"), ("   ", "The summary is empty"), ("x" * 161, "has 161 characters")],
)
def test_an_empty_or_long_summary_is_flagged(summary, said):
    assert said in messages(summary_findings(summary))


def test_a_summary_of_160_characters_is_fine():
    assert summary_findings("x" * 160) == []


def test_a_paragraph_of_121_words_is_flagged_and_one_of_120_is_not():
    assert text_findings("S", "Talk now. " * 60) == []
    long = "We talk here. " * 40 + "And."  # 121 words
    findings = text_findings("Section 1", long)
    assert "A paragraph of 121 words" in messages(findings)
    assert findings[0].where == "Section 1"


def test_paragraphs_are_counted_one_by_one():
    assert "paragraph" not in messages(text_findings("S", "Talk now. " * 50 + "\n\n" + "Talk now. " * 50))


@pytest.mark.parametrize("link_text", ["click here", "Here", "read more", "Learn more."])
def test_vague_link_text_is_flagged(link_text):
    assert f"A link says “{link_text}”" in messages(check(f"{PLAIN} [{link_text}](/fees/)"))


def test_a_link_that_says_where_it_goes_is_fine():
    assert check(f"{PLAIN} [Read about my fees](/fees/)") == []


def test_syllables_and_reading_grade_follow_flesch_kincaid():
    assert [syllables(word) for word in ["cat", "table", "therapy", "relationship", "make"]] == [
        1,
        2,
        3,
        4,
        1,
    ]
    # 10 one-syllable words per sentence: 0.39 * 10 + 11.8 * 1 - 15.59 = 0.11.
    assert reading_grade("The cat sat on the mat and then it ran. " * 3) == pytest.approx(0.11)
    assert reading_grade("Too short to judge.") is None


def test_hard_copy_is_flagged_above_grade_nine():
    hard = (
        "Interpersonal difficulties frequently originate from developmental experiences, "
        "particularly attachment disruptions, which subsequently manifest as maladaptive relational "
        "configurations necessitating therapeutic intervention. "
    ) * 3
    assert reading_grade(hard) > 9
    assert "Reads at about grade" in messages(check(hard))
    assert reading_grade(PLAIN) <= 9


def test_a_main_heading_inside_the_text_and_a_skipped_level_are_flagged():
    findings = heading_findings([("", "## Big\n\ntext"), ("", "### Fine\n\n##### Skipped")])
    said = messages(findings)
    assert "“## Big” is written as a main heading" in said
    assert "“##### Skipped” skips a heading level (h5 after h3)" in said
    assert "Fine" not in said
    assert heading_findings([("", "### One\n\n#### Two\n\n### Three")]) == []


@pytest.mark.parametrize(
    ("alt", "decorative", "file_name", "problem"),
    [
        ("", False, "me.jpg", "has no alt text"),
        ("IMG_2041.JPG", False, "IMG_2041.JPG", "looks like a file name"),
        ("portrait", False, "portrait.webp", "looks like a file name"),
        ("dsc 0042", False, "", "looks like a file name"),
        ("", True, "me.jpg", None),
        ("Dana smiling in her office", False, "IMG_2041.JPG", None),
    ],
)
def test_alt_text(alt, decorative, file_name, problem):
    found = alt_text_problem(alt, decorative, file_name)
    assert (found is None) if problem is None else (problem in found)


def test_photos_are_checked_with_the_page():
    findings = check_page(
        "Fees", "Summary.", [], practice(), images=[("Clinician photo", "", False, "me.jpg")]
    )
    assert findings[0].where == "Clinician photo"


def test_someone_elses_email_phone_or_full_name_is_flagged():
    said = messages(
        check(
            f"{PLAIN} My client Jessica Alvarez (jess.a@mail.example, 917-555-0199) said so. Ask Dr. Morgan."
        )
    )
    assert "The email address jess.a@mail.example is not the practice's" in said
    assert "The phone number 917-555-0199 is not the practice's" in said
    assert "“Jessica Alvarez” looks like a person's full name" in said
    assert "“Dr. Morgan” looks like a person's full name" in said


def test_the_practices_own_details_and_public_hotlines_are_not_flagged():
    copy = (
        f"{PLAIN} Write to hello@calmharbor.example or call 212-555-0100. I am Dana Whitfield, "
        "of Calm Harbor Therapy. The National Domestic Violence Hotline is 1-800-799-7233. "
        "New York and Relationship Issues are not people."
    )
    assert check(copy) == []


def test_the_title_and_summary_are_checked_for_private_details_too():
    findings = check_page("About Jessica Alvarez", "Call 917-555-0199.", [], practice())
    assert {finding.where for finding in findings} == {"Title or summary"}
    assert len(findings) == 2


def test_admin_shows_the_checks_and_saving_is_never_blocked(admin_client):
    page = make_page(sections=[("", f"{PLAIN} [click here](/fees/)")])
    url = reverse("admin:pages_page_change", args=[page.pk])
    html = admin_client.get(url).content.decode()
    assert "Before you publish" in html
    assert "A link says “click here”" in html
    data = form_values(html) | {
        "sections-0-text": f"{PLAIN} Jessica Alvarez",
        "_publish": "Publish",
    }
    response = admin_client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == url
    page.refresh_from_db()
    assert page.status == Page.Status.PUBLISHED and "Jessica Alvarez" in page.body_html
    assert "1 suggestion to look at before you publish" in response.content.decode()


def test_admin_says_so_when_there_is_nothing_to_point_out(admin_client):
    PracticeSettings.objects.update_or_create(pk=1, defaults={"clinician_name": ""})
    page = make_page(sections=[("", PLAIN)])
    html = admin_client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()
    assert "Nothing to point out." in html
    assert (
        "The checks appear here once the page is saved."
        in admin_client.get(reverse("admin:pages_page_add")).content.decode()
    )


@pytest.mark.django_db
def test_the_subheadings_the_check_suggests_are_shown_as_headings_and_main_ones_are_not():
    page = make_page(sections=[("Why", "### Smaller\n\nText.\n\n#### Smaller still\n\n## Main")])
    assert "<h3>Smaller</h3>" in page.body_html
    assert "<h4>Smaller still</h4>" in page.body_html
    assert "<h2>Main</h2>" not in page.body_html
