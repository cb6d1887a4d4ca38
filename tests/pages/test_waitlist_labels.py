"""Every label a visitor reads follows the practice settings: a consultation, or the waitlist."""

import pytest

from pages.models import PracticeSettings
from tests.html import texts

ACCEPTING, WAITLIST = True, False


@pytest.fixture
def mode(db):
    def set_mode(accepting):
        practice = PracticeSettings.load()
        practice.accepting_new_clients = accepting
        practice.save()

    return set_mode


def labels(html, *tags):
    return [text.strip() for _, text in texts(html, *tags)]


def header_button(html):
    return labels(html.split('class="site-header"')[1].split("</header>")[0], "a")[-1]


@pytest.mark.parametrize(
    ("accepting", "label"), [(ACCEPTING, "Request a consultation"), (WAITLIST, "Join the waitlist")]
)
@pytest.mark.parametrize(
    "path", ["/", "/relationship-issues/", "/privacy/", "/consultation/", "/consultation/thanks/"]
)
def test_the_header_button_offers_a_consultation_or_the_waitlist(client, mode, accepting, label, path):
    mode(accepting)
    assert header_button(client.get(path).content.decode()) == label


@pytest.mark.parametrize(
    ("accepting", "top", "heading", "button"),
    [
        (ACCEPTING, "Request a consultation", "Request a free consultation", "Request a consultation"),
        (WAITLIST, "Join the waitlist", "Join the waitlist", "Ask to join the waitlist"),
    ],
)
def test_the_service_page_calls_to_action_at_the_top_and_the_end(
    client, mode, accepting, top, heading, button
):
    mode(accepting)
    html = client.get("/relationship-issues/").content.decode()
    cta_top = html.split('class="cta-top"')[1].split("</div>")[0]
    cta_end = html.split('class="cta"')[1].split("</section>")[0]
    assert labels(cta_top, "a") == [top]
    assert labels(cta_end, "h2") == [heading] and labels(cta_end, "a") == [button]
    assert 'href="/consultation/?service=relationship-issues"' in cta_top


def test_the_service_pages_first_call_to_action_comes_before_the_first_section(client, db):
    html = client.get("/relationship-issues/").content.decode()
    assert html.index("</h1>") < html.index('class="cta-top"') < html.index("Why Relationships Matter")


def test_the_call_to_action_at_the_top_never_stays_on_screen_over_the_text():
    from practice.settings import BASE_DIR

    css = (BASE_DIR / "static" / "css" / "site.css").read_text()
    rules = css[css.index(".cta-top") :].split("\n\n")[0]
    assert "sticky" not in rules and "fixed" not in rules


def test_the_top_call_to_action_says_what_happens_in_each_mode(client, mode):
    mode(ACCEPTING)
    assert (
        "A free, no-pressure first conversation. I reply within 2 business days."
        in client.get("/relationship-issues/").content.decode()
    )
    mode(WAITLIST)
    html = client.get("/relationship-issues/").content.decode()
    top = html.split('class="cta-top"')[1].split("</div>")[0]
    assert "I'm not taking new clients right now. I reply within 2 business days." in top.replace(
        "&#x27;", "'"
    )
    assert "free" not in top


@pytest.mark.parametrize(
    ("accepting", "title", "heading"),
    [
        (ACCEPTING, "Request a consultation | Private psychotherapy practice", "Request a free consultation"),
        (WAITLIST, "Join the waitlist | Private psychotherapy practice", "Join my waitlist"),
    ],
)
def test_the_form_page_is_titled_for_a_consultation_or_the_waitlist(client, mode, accepting, title, heading):
    mode(accepting)
    html = client.get("/consultation/").content.decode()
    assert labels(html, "title") == [title]
    assert labels(html, "h1") == [heading]


def test_while_not_accepting_the_form_page_promises_no_free_consultation(client, mode):
    mode(WAITLIST)
    html = client.get("/consultation/").content.decode()
    assert "free consultation" not in html.lower() and "free, no-pressure" not in html
    assert "no-pressure conversation" not in html, "a first conversation is not on offer"
    assert "Join the waitlist of Private psychotherapy practice." in html, "the page's description"
    mode(ACCEPTING)
    assert (
        "Ask Private psychotherapy practice for a free, no-pressure consultation."
        in client.get("/consultation/").content.decode()
    )


def test_a_form_sent_back_with_mistakes_keeps_the_waitlist_title(client, mode):
    mode(WAITLIST)
    html = client.post("/consultation/", {"name": ""}).content.decode()
    assert labels(html, "title") == ["Error: Join the waitlist | Private psychotherapy practice"]


@pytest.mark.parametrize(
    ("accepting", "title", "heading"),
    [
        (ACCEPTING, "Request sent | Private psychotherapy practice", "Thank you"),
        (
            WAITLIST,
            "Waitlist request sent | Private psychotherapy practice",
            "Thank you for joining my waitlist",
        ),
    ],
)
def test_the_thank_you_page_is_titled_for_a_consultation_or_the_waitlist(
    client, mode, accepting, title, heading
):
    mode(accepting)
    html = client.get("/consultation/thanks/").content.decode()
    assert labels(html, "title") == [title]
    assert labels(html, "h1") == [heading]


@pytest.mark.parametrize(
    "path", ["/", "/relationship-issues/", "/privacy/", "/consultation/", "/consultation/thanks/"]
)
def test_while_not_accepting_no_button_heading_or_title_offers_a_consultation(client, mode, path):
    """The site's own words; a page's sections are the therapist's (the shipped home page links the form)."""
    mode(WAITLIST)
    html = client.get(path).content.decode()
    if 'class="prose"' in html:
        before, rest = html.split('<div class="prose">')
        html = before + rest.split("</div>", 1)[1]
    for label in labels(html, "title", "h1", "h2", "a", "button"):
        assert "consultation" not in label.lower(), label


def test_the_pages_own_words_are_the_therapists_and_are_never_rewritten(client, mode):
    """The README tells the therapist to edit these on the shipped home page when closing to new clients."""
    mode(WAITLIST)
    prose = client.get("/").content.decode().split('<div class="prose">')[1].split("</div>")[0]
    assert "a free consultation is a gentle first step" in prose
    assert ">request a consultation</a>" in prose
