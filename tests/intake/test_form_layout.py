"""The form's shape: the required questions first, the optional ones folded away, where the visitor stands."""

import re
from html.parser import HTMLParser

import pytest

from intake.form.forms import join_words
from pages.models import PracticeSettings
from pages.templatetags.phone_links import phone_links
from tests.html import texts
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"
OPTIONAL = ["service", "concerns", "relationships", "message", "session_format", "availability", "payment"]
OPTIONAL += ["insurer", "heard_about"]


class _GroupFinder(HTMLParser):
    """For each input, the dependent group (data-intake-question) it sits in, with its required flag."""

    def __init__(self):
        super().__init__()
        self.divs = []
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            question = attrs.get("data-intake-question")
            self.divs.append((question, attrs.get("data-intake-answers")) if question else None)
        elif tag in ("input", "select", "textarea") and "name" in attrs:
            groups = [div for div in self.divs if div]
            self.fields.setdefault(attrs["name"], (groups[-1] if groups else None, "required" in attrs))

    def handle_endtag(self, tag):
        if tag == "div":
            self.divs.pop()


def dependent_groups(html):
    finder = _GroupFinder()
    finder.feed(html)
    return finder.fields


def licensed_in(states):
    practice = PracticeSettings.load()
    practice.licensed_states = states
    practice.save()


def positions(html, *names):
    return [html.index(f'name="{name}"') for name in names]


def optional_section(html):
    start = html.index('<details class="intake-more"')
    return start, html.index("</details>", start)


def test_the_required_questions_come_first_then_the_optional_section_then_the_agreements(client):
    html = client.get(URL).content.decode()
    required = positions(html, "name", "preferred_contact", "email", "phone", "client_location", "is_adult")
    assert required == sorted(required)
    start, end = optional_section(html)
    assert required[-1] < start
    for name in OPTIONAL:
        assert start < html.index(f'name="{name}"') < end, name
    agreements = positions(html, "emergency_notice_seen", "privacy_accepted")
    assert end < agreements[0] < agreements[1] < html.index('id="intake-submit"')


def test_the_optional_section_says_it_is_optional_and_is_a_group_with_a_legend(client):
    html = client.get(URL).content.decode()
    start, end = optional_section(html)
    section = html[start:end]
    assert "Tell me more, if you like" in dict(texts(section, "summary"))["summary"]
    assert "(optional)" in section
    assert ("legend", "Tell me more, if you like (optional)") in texts(section, "legend")


@pytest.mark.parametrize("path", [URL, URL + "?service=relationship-issues"])
def test_the_optional_section_starts_folded_even_when_a_link_chose_the_service(client, path):
    html = client.get(path).content.decode()
    assert '<details class="intake-more" id="intake-more">' in html


def test_a_mistake_inside_the_optional_section_opens_it(client):
    html = client.post(URL, form_data(payment="insurance", insurer="Aetna 12345")).content.decode()
    assert '<details class="intake-more" id="intake-more" open>' in html
    assert 'href="#id_insurer"' in html


def test_answers_given_in_the_optional_section_keep_it_open_when_the_form_comes_back(client):
    html = client.post(URL, form_data(name="", message="Kept, and in sight.")).content.decode()
    assert '<details class="intake-more" id="intake-more" open>' in html


def test_a_mistake_only_in_the_required_part_leaves_an_unanswered_optional_section_folded(client):
    data = form_data(name="", **dict.fromkeys(OPTIONAL))
    html = client.post(URL, data).content.decode()
    assert '<details class="intake-more" id="intake-more">' in html


def test_contact_details_and_the_insurer_sit_with_the_answer_they_belong_to(client):
    fields = dependent_groups(client.get(URL).content.decode())
    assert fields["email"][0] == ("preferred_contact", "email")
    for name in ("phone", "voicemail_ok", "text_ok"):
        assert fields[name][0] == ("preferred_contact", "call text"), name
    assert fields["insurer"][0] == ("payment", "insurance")
    assert fields["name"][0] is None and fields["client_location"][0] is None


def test_nothing_that_can_be_hidden_is_required_by_the_browser(client):
    fields = dependent_groups(client.get(URL).content.decode())
    hideable = [name for name, (group, _) in fields.items() if group]
    assert sorted(hideable) == ["email", "insurer", "phone", "text_ok", "voicemail_ok"]
    assert [name for name in hideable if fields[name][1]] == []
    assert fields["name"][1], "the check reads the attribute crispy gives required questions"


def test_without_the_script_every_question_is_on_the_page_unhidden(client):
    html = client.get(URL).content.decode()
    assert " hidden" not in html.split("<form", 1)[1].split("</form>")[0]


def test_the_form_names_the_licensed_states_and_what_happens_from_elsewhere(client):
    licensed_in("NY,NJ")
    html = client.get(URL).content.decode()
    assert "I am licensed in New York and New Jersey." in html
    assert (
        "If you will be outside New York or New Jersey, I may not be able to see you, "
        "and will reply with other options." in html
    )
    assert 'data-intake-licensed="NY,NJ"' in html
    live = re.search(r'<p [^>]*id="intake-out-of-area"[^>]*>', html).group(0)
    assert 'aria-live="polite"' in live
    assert "I will reply with other options" in live, "the message the script shows at once"


def test_one_licensed_state_reads_naturally(client):
    licensed_in("NY")
    html = client.get(URL).content.decode()
    assert "I am licensed in New York." in html
    assert "If you will be outside New York, I may not be able to see you" in html


def test_with_no_licensed_states_set_the_form_says_nothing_about_licences(client):
    licensed_in("")
    html = client.get(URL).content.decode().lower()
    assert "licensed" not in html
    assert "intake-out-of-area" not in html
    assert "data-intake-licensed" not in html


def test_the_states_are_named_after_a_mistake_and_during_an_outage_too(client):
    licensed_in("NJ")
    html = client.post(URL, form_data(name="")).content.decode()
    assert "I am licensed in New Jersey." in html


@pytest.mark.parametrize(
    "words, joined", [([], ""), (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C")]
)
def test_state_names_are_joined_as_a_person_writes_them(words, joined):
    assert join_words(words, "and") == joined


def test_the_crisis_text_appears_once_on_the_form_page_above_the_form(client):
    practice = PracticeSettings.load()
    html = client.get(URL).content.decode()
    assert html.count(phone_links(practice.crisis_notice)) == 1
    assert html.index(phone_links(practice.crisis_notice)) < html.index("<form")


def test_the_crisis_text_appears_once_on_a_form_that_comes_back(client):
    practice = PracticeSettings.load()
    html = client.post(URL, form_data(name="")).content.decode()
    assert html.count(phone_links(practice.crisis_notice)) == 1


def test_the_thank_you_page_shows_the_crisis_text_once_too(client):
    html = client.get("/consultation/thanks/").content.decode()
    assert html.count(phone_links(PracticeSettings.load().crisis_notice)) == 1


def test_other_pages_keep_the_crisis_text_in_the_footer(client):
    practice = PracticeSettings.load()
    html = client.get("/").content.decode()
    assert 'class="site-footer__crisis"' in html and phone_links(practice.crisis_notice) in html


def test_an_out_of_area_request_is_promised_a_reply_with_other_options(client):
    licensed_in("NY")
    client.post(URL, form_data(client_location="OH"))
    html = client.get("/consultation/thanks/").content.decode()
    assert "I will reply within 2 business days with options that may suit you better" in html
    assert "I reply within 2 business days." not in html
    assert "<h1>Thank you, Robin</h1>" in html


def test_an_in_area_request_keeps_the_usual_promise(client):
    licensed_in("NY")
    client.post(URL, form_data(client_location="NY"))
    html = client.get("/consultation/thanks/").content.decode()
    assert "I reply within 2 business days." in html
    assert "options that may suit you better" not in html
