"""
A consultation form the CSRF check refuses comes back with everything typed (practice.csrf_failure).

The case that happens to real visitors: two tabs opened before the browser held the site's cookie.
Each page view set a cookie of its own, the browser kept the last, and the first tab's form was
signed for the cookie it lost.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from intake.models import ConsultationRequest
from tests.hours import offered
from tests.html import form_values
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"
TYPED = {"name": "Robin Ash", "message": "A long message\r\nabout how we argue.", "insurer": "Aetna"}


def tab_opened_first_and_overtaken(browser):
    """The first tab's CSRF token, after a second tab (no cookie yet either) replaced the cookie."""
    first_tab = form_values(browser.get(URL).content.decode())["csrfmiddlewaretoken"]
    browser.cookies.clear()
    browser.get(URL)
    return first_tab


def test_a_form_from_a_tab_whose_cookie_was_replaced_comes_back_with_everything_typed():
    browser = Client(enforce_csrf_checks=True)
    stale_token = tab_opened_first_and_overtaken(browser)

    refused = browser.post(URL, form_data(csrfmiddlewaretoken=stale_token, **TYPED))

    assert refused.status_code == 403
    html = refused.content.decode()
    assert "<title>Not sent:" in html
    assert "Your request has not been sent yet" in html
    shown = form_values(html)
    assert {name: shown.get(name) for name in TYPED} == TYPED
    assert not ConsultationRequest.objects.exists()


def test_sending_the_form_that_came_back_as_it_stands_saves_it_once():
    browser = Client(enforce_csrf_checks=True)
    stale_token = tab_opened_first_and_overtaken(browser)
    refused = browser.post(URL, form_data(csrfmiddlewaretoken=stale_token, **TYPED))

    sent_again = browser.post(URL, form_values(refused.content.decode()))

    assert sent_again.status_code == 302
    saved = ConsultationRequest.objects.get()
    assert (saved.name, saved.message) == ("Robin Ash", "A long message\nabout how we argue.")


def test_a_browser_with_no_cookie_at_all_gets_one_with_the_form_back():
    """Cookies cleared (or a privacy mode) since the page opened: the answer sets the cookie the form needs."""
    browser = Client(enforce_csrf_checks=True)
    stale_token = form_values(browser.get(URL).content.decode())["csrfmiddlewaretoken"]
    browser.cookies.clear()

    refused = browser.post(URL, form_data(csrfmiddlewaretoken=stale_token, **TYPED))

    assert refused.status_code == 403
    assert settings.CSRF_COOKIE_NAME in refused.cookies
    assert browser.post(URL, form_values(refused.content.decode())).status_code == 302


def test_the_times_picked_come_back_ticked_among_the_times_still_open(form_hours):
    browser = Client(enforce_csrf_checks=True)
    stale_token = tab_opened_first_and_overtaken(browser)
    picked, other = offered()[:2]

    refused = browser.post(URL, form_data(csrfmiddlewaretoken=stale_token, times=[picked.value], way="video"))

    boxes = {
        re.search(r'value="([^"]+)"', tag)[1]: " checked" in tag
        for tag in re.findall(r'<input[^>]*name="times"[^>]*>', refused.content.decode())
    }
    assert boxes[picked.value] is True and boxes[other.value] is False
    assert len(boxes) == len(offered())
