"""The unbound consultation form drawn once per version of what it shows (intake/form/cache.py)."""

import re
import time

import pytest
from django.core import signing
from django.test import Client

from booking.slots import open_times
from intake.form import cache, spam
from intake.form.forms import ConsultationForm
from intake.models import Concern, ConsultationRequest
from pages.models import Page, PracticeSettings
from tests.hours import open_hours
from tests.html import form_values
from tests.intake.booking_setup import hold_times
from tests.intake.factories import form_data, make_request
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
URL = "/consultation/"


@pytest.fixture
def drawings(monkeypatch):
    """How many times crispy-forms drew the form."""
    counted = []
    render = cache.FORM_TEMPLATE.render
    monkeypatch.setattr(cache.FORM_TEMPLATE, "render", lambda *args: counted.append(1) or render(*args))
    return counted


def page(client=None, path=URL):
    response = (client or Client()).get(path)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_is_drawn_once_for_many_visitors(drawings):
    """Two visitors shown the same form: crispy draws it once."""
    first, second = page(), page()
    assert len(drawings) == 1
    without_tokens = [re.sub(r'value="[^"]*"', "", html) for html in (first, second)]
    assert without_tokens[0] == without_tokens[1]


def test_each_visitor_gets_a_csrf_token_and_form_token_of_their_own(drawings):
    """The tokens are not in the cached HTML: each visitor's page carries new ones, and each works."""
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    values = [form_values(page(visitor)) for visitor in visitors]
    assert len(drawings) == 1
    assert values[0]["csrfmiddlewaretoken"] != values[1]["csrfmiddlewaretoken"]
    assert values[0]["form_token"] != values[1]["form_token"]
    for number, (visitor, shown) in enumerate(zip(visitors, values, strict=True), start=2):
        nonce, _, _ = spam.read_form_token(shown["form_token"])
        # The token as shown is too young for the time trap: the same nonce, stamped a minute ago.
        token = signing.dumps({"nonce": nonce, "t": int(time.time()) - 60}, salt=spam.TOKEN_SALT)
        data = form_data(form_token=token, csrfmiddlewaretoken=shown["csrfmiddlewaretoken"])
        response = visitor.post(URL, data, REMOTE_ADDR=f"127.0.0.{number}")
        assert response.status_code == 302
    assert set(ConsultationRequest.objects.values_list("form_token", flat=True)) == {
        spam.read_form_token(shown["form_token"])[0] for shown in values
    }


def test_a_new_concern_shows_on_the_next_page(drawings):
    """The choices are part of the key: a concern added in admin is on the very next page."""
    page()
    Concern.objects.create(label="Grief after a move", active=True)
    assert "Grief after a move" in page()
    assert len(drawings) == 2


def test_a_change_to_any_practice_setting_draws_the_form_again(drawings):
    """Every practice setting is part of the key, so the privacy summary shows the new email."""
    page()
    practice = PracticeSettings.load()
    practice.email = "new-address@practice.example"
    practice.save()
    assert "new-address@practice.example" in page()
    assert len(drawings) == 2


def test_licensed_states_are_part_of_the_key(drawings):
    """Naming the licensed states changes the location question's help at once."""
    page()
    practice = PracticeSettings.load()
    practice.licensed_states = "NY,NJ"
    practice.save()
    assert "I am licensed in New York and New Jersey." in page()


def test_the_privacy_page_link_follows_its_publication(drawings):
    """The privacy notice link appears when the chosen page is live, and goes when it is a draft."""
    privacy = make_page(title="Privacy", slug="privacy-notice")
    practice = PracticeSettings.load()
    practice.privacy_page = privacy
    practice.save()
    assert 'href="/privacy-notice/"' in page()
    Page.objects.filter(pk=privacy.pk).update(status=Page.Status.DRAFT)
    assert 'href="/privacy-notice/"' not in page()


def test_the_open_times_are_part_of_the_key(drawings):
    """A time another visitor holds leaves the picker on the next page."""
    open_hours()
    first = open_times()[0]
    assert first.value in page()
    hold_times(make_request(), count=1)
    assert first.value not in page()
    assert len(drawings) == 2


def test_a_service_link_preselects_from_its_own_drawing(drawings):
    """?service= of a service the form offers is drawn (and kept) as its own version of the form."""
    chosen = form_values(page(path=f"{URL}?service=relationship-issues"))
    assert chosen["service"] == "relationship-issues"
    assert form_values(page())["service"] == ""
    assert len(drawings) == 2
    page(path=f"{URL}?service=relationship-issues")
    assert len(drawings) == 2


def test_an_unknown_service_in_the_address_shares_the_plain_form(drawings):
    """Whatever a visitor puts in ?service= that the form does not offer is not part of any key."""
    page()
    page(path=f"{URL}?service=anything-at-all")
    page(path=f"{URL}?service=something-else")
    assert len(drawings) == 1


def test_new_code_or_templates_change_every_key(monkeypatch):
    """A deploy that changes how the form is drawn never meets the old drawing in a lasting cache."""

    form, practice = ConsultationForm(), PracticeSettings.load()
    before = cache.fingerprint(form, practice)
    monkeypatch.setattr(cache, "CODE_VERSION", "another deploy")
    assert cache.fingerprint(form, practice) != before


@pytest.mark.parametrize("name, value", [("TIME_ZONE", "America/Chicago"), ("INTAKE_RETENTION_DAYS", 7)])
def test_the_settings_the_form_shows_are_part_of_the_key(settings, name, value):
    """The time zone (the picker's days) and the retention days (the privacy summary) change the key."""

    form, practice = ConsultationForm(), PracticeSettings.load()
    before = cache.fingerprint(form, practice)
    setattr(settings, name, value)
    assert cache.fingerprint(form, practice) != before


def test_a_form_with_mistakes_is_drawn_afresh(drawings):
    """A sent form with mistakes shows its own errors and answers, never the cached drawing."""
    page()
    response = Client().post(URL, form_data(name="", message="Kept as typed"))
    html = response.content.decode()
    assert "Tell me the name you would like me to use." in html
    assert "Kept as typed" in html
    assert len(drawings) == 1


def test_a_valid_form_sent_is_saved_without_laying_the_form_out(client, monkeypatch):
    """crispy's layout is made only to draw the form: sending a valid one makes none."""
    laid_out = []
    sections = ConsultationForm.sections
    monkeypatch.setattr(ConsultationForm, "sections", lambda form: laid_out.append(1) or sections(form))
    assert client.post(URL, form_data()).status_code == 302
    assert laid_out == []
    assert client.post(URL, form_data(name="")).status_code == 200, "a form with mistakes is drawn again"
    assert laid_out == [1]
