"""After sending, the form opened again in the same browser (browser Back) shows the request as sent."""

import pytest

from intake.models import ConsultationRequest
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"


def test_the_form_opened_again_after_sending_says_it_was_sent_and_offers_a_new_one(client):
    assert client.post(URL, form_data(name="Noa")).status_code == 302
    html = client.get(URL).content.decode()
    assert "<h1>Your request has been sent</h1>" in html
    assert 'name="times"' not in html and "intake-form" not in html and "Noa" not in html
    assert f'href="{URL}?new"' in html
    fresh = client.get(URL + "?new").content.decode()
    assert 'class="intake-form"' in fresh
    assert 'class="intake-form"' in client.get(URL).content.decode(), "a new form, once asked for"


def test_a_browser_that_sent_nothing_gets_the_form(client):
    assert 'class="intake-form"' in client.get(URL).content.decode()


def test_a_form_that_came_back_with_mistakes_was_not_sent(client):
    assert client.post(URL, form_data(name="")).status_code == 200
    assert 'class="intake-form"' in client.get(URL).content.decode()
    assert not ConsultationRequest.objects.exists()


def test_the_thank_you_page_marks_the_tab_for_the_forms_script(client):
    client.post(URL, form_data())
    assert "js/intake-sent" in client.get(URL + "thanks/").content.decode()
