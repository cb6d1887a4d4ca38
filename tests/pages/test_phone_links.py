"""Every phone number on the site is one tap: the notices the therapist writes, and the practice's own number."""

import pytest

from pages.models import CRISIS_NOTICE, RELATIONSHIP_SAFETY_NOTICE, PracticeSettings
from pages.templatetags.phone_links import phone_links, tel_link


def test_the_crisis_notice_calls_and_texts_988_and_calls_911():
    html = phone_links(CRISIS_NOTICE)
    assert (
        '<a href="tel:988" aria-label="Call 988">call</a> or <a href="sms:988" aria-label="Text 988">text</a> 988'
        in html
    )
    assert 'call <a href="tel:911">911</a>' in html


def test_the_hotline_is_a_call_and_its_texting_line_opens_a_message_with_the_word_to_send():
    html = phone_links(RELATIONSHIP_SAFETY_NOTICE)
    assert 'call <a href="tel:+18007997233">1-800-799-7233</a>' in html
    # In the HTML attribute the & is written &amp;; the phone receives sms:88788?&body=START.
    assert '<a href="sms:88788?&amp;body=START">text START to 88788</a>' in html


def test_the_text_is_escaped_and_only_the_links_are_html():
    html = phone_links('<script>alert("x")</script> & call <b>911</b> or 555-010-2000')
    assert "<script>" not in html and "<b>" not in html
    assert html.startswith("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; call &lt;b&gt;911")
    assert '<a href="tel:+15550102000">555-010-2000</a>' in html


def test_a_phone_number_is_never_a_way_into_the_html():
    assert phone_links('text "><script> to 88788') == "text &quot;&gt;&lt;script&gt; to 88788"


@pytest.mark.parametrize(
    "written", ["(555) 010-2000", "555-010-2000", "555.010.2000", "+1 555 010 2000", "1-555-010-2000"]
)
def test_a_us_number_however_it_is_written_dials_the_same(written):
    assert phone_links(f"Call {written}.") == f'Call <a href="tel:+15550102000">{written}</a>.'


@pytest.mark.parametrize(
    "text",
    [
        "chat at 988lifeline.org",
        "Veterans press 1",
        "Sessions are 50 minutes; 988 is the crisis line.",
        "Open since 2019, reference 12345678901234",
        "I recall 2020 well; the pretext 2021",
    ],
)
def test_numbers_that_are_not_phone_lines_stay_text(text):
    assert phone_links(text) == text.replace("&", "&amp;")


def test_the_texting_line_needs_the_word_to_send_in_capitals_as_hotlines_write_it():
    assert "sms:" not in phone_links("text me to 88788")
    assert phone_links("Text HOME to 741741") == '<a href="sms:741741?&amp;body=HOME">Text HOME to 741741</a>'


def test_text_and_dial_before_a_short_number_link_it():
    assert phone_links("text 988") == 'text <a href="sms:988">988</a>'
    assert phone_links("Dial 911") == 'Dial <a href="tel:911">911</a>'


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("(555) 010-2000", "tel:+15550102000"),
        ("555-0100", "tel:5550100"),
        ("+44 20 7946 0958", "tel:+442079460958"),
    ],
)
def test_the_practice_number_is_dialled_by_its_digits(phone, href):
    assert tel_link(phone) == href


@pytest.fixture
def practice(db):
    practice = PracticeSettings.load()
    practice.phone, practice.email = "(555) 010-2000", "hello@practice.example"
    practice.save()
    return practice


@pytest.mark.parametrize(
    "path", ["/", "/relationship-issues/", "/privacy/", "/consultation/", "/consultation/thanks/"]
)
def test_every_public_page_links_the_crisis_lines_and_the_practice_phone(client, practice, path):
    html = client.get(path).content.decode()
    assert 'href="tel:988"' in html and 'href="sms:988"' in html and 'href="tel:911"' in html
    assert '<a href="tel:+15550102000">(555) 010-2000</a>' in html


@pytest.mark.parametrize("path", ["/relationship-issues/", "/consultation/"])
def test_the_relationship_pages_and_the_form_link_the_hotline(client, db, path):
    html = client.get(path).content.decode()
    assert 'href="tel:+18007997233"' in html and 'href="sms:88788?&amp;body=START"' in html


def test_the_thank_you_page_links_the_practice_to_write_or_call(client, practice):
    html = client.get("/consultation/thanks/").content.decode()
    assert (
        'reach me at <a href="tel:+15550102000">(555) 010-2000</a> or '
        '<a href="mailto:hello@practice.example">hello@practice.example</a>.'
    ) in html


def test_a_notice_the_therapist_edits_is_linked_and_escaped_when_shown(client, practice):
    practice.crisis_notice = "Call <Samaritans> on 1 (555) 010-9999 & ask."
    practice.save()
    html = client.get("/").content.decode()
    assert 'Call &lt;Samaritans&gt; on <a href="tel:+15550109999">1 (555) 010-9999</a> &amp; ask.' in html


@pytest.mark.parametrize("template", ["400.html", "500.html", "503.html"])
def test_the_error_pages_that_need_no_database_link_the_crisis_lines_too(template):
    from django.template.loader import render_to_string

    html = render_to_string(template)
    assert 'href="tel:988"' in html and 'href="sms:988"' in html and 'href="tel:911"' in html
