"""During a database outage the visitor keeps everything they typed, and learns that nothing was sent."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from intake.form import options
from intake.form.options import FormOptions
from intake.models import Concern, ConsultationRequest, Notification, Relationship
from pages.models import PracticeSettings
from pages.templatetags.phone_links import phone_links
from tests.html import form_values
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def typed(**overrides):
    """A form as a visitor fills it in, touching every kind of question."""
    return form_data(
        name="Noa Ríos",
        phone="555-010-2020",
        message="Line one\r\nand a second line, with “quotes” & <angles>",
        insurer="Aetna",
        heard_about="A podcast",
        service="relationship-issues",
        concerns=[str(c.pk) for c in Concern.objects.all()[:2]],
        relationships=[str(Relationship.objects.get(label="Partner").pk)],
        **overrides,
    )


def same(shown, sent):
    """A form's value as shown against what was sent: one checked box reads as a list of one."""
    if isinstance(sent, str):
        return shown == sent
    return (shown if isinstance(shown, list) else [shown]) == sent


def send_during_outage(client, data):
    with connection.execute_wrapper(database_down):
        return client.post(URL, data)


@pytest.fixture
def choices_seen_before(client):
    """This process has shown the form before (so it knows the choices), as a running site has."""
    client.get(URL)
    return FormOptions.last_loaded()


def test_the_form_comes_back_with_everything_typed_and_a_503(client, choices_seen_before):
    data = typed()
    response = send_during_outage(client, data)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    shown = form_values(response.content.decode())
    for name, value in data.items():
        assert same(shown.get(name), value), name


def test_it_says_nothing_was_sent_and_shows_the_crisis_text(client, choices_seen_before):
    html = send_during_outage(client, typed()).content.decode()
    assert "Your request could not be saved just now" in html
    assert "Nothing was sent" in html
    assert "please wait a minute" in html
    assert "988" in html and "911" in html and "1-800-799-7233" in html
    assert "<title>Not sent: Request a consultation" in html


def test_nothing_is_saved_and_sending_again_later_is_received_once(client, choices_seen_before):
    data = typed()
    send_during_outage(client, data)
    assert ConsultationRequest.objects.count() == Notification.objects.count() == 0
    resent = form_values(send_during_outage(client, data).content.decode())
    assert client.post(URL, resent).status_code == 302
    assert client.post(URL, resent).status_code == 302
    assert ConsultationRequest.objects.count() == 1


def test_the_form_that_came_back_can_be_sent_again_as_it_stands_csrf_check_included():
    browser = Client(enforce_csrf_checks=True)
    token = form_values(browser.get(URL).content.decode())["csrfmiddlewaretoken"]
    returned = send_during_outage(browser, typed(csrfmiddlewaretoken=token))
    assert returned.status_code == 503
    assert browser.post(URL, form_values(returned.content.decode())).status_code == 302
    assert ConsultationRequest.objects.get().name == "Noa Ríos"


def test_the_practice_contacts_last_read_are_offered(client):
    practice = PracticeSettings.load()
    practice.phone = "555-000-1111"
    practice.save()
    client.get(URL)
    html = send_during_outage(client, typed()).content.decode()
    assert "555-000-1111" in html


def test_a_process_that_never_read_the_choices_keeps_them_unseen(client, monkeypatch):
    """A worker started during the outage cannot list the concerns: it carries the ones chosen."""
    monkeypatch.setattr(options, "_last_loaded", None)
    data = typed()
    response = send_during_outage(client, data)
    assert response.status_code == 503
    shown = form_values(response.content.decode())
    for name in ("service", "concerns", "relationships", "name", "message"):
        assert same(shown.get(name), data[name]), name


def test_the_alert_is_saved_in_the_same_transaction_as_the_request(
    client, monkeypatch, transactional_db, django_db_serialized_rollback
):
    """If writing the alert fails, the request is not saved either: never a request nobody is told about."""

    def alert_then_outage(consultation):
        Notification.objects.create(request=consultation, kind=Notification.Kind.PRACTICE)
        raise OperationalError("the database went away before the commit")

    monkeypatch.setattr("intake.form.views.queue_notifications", alert_then_outage)
    response = client.post(URL, typed())
    assert response.status_code == 503
    assert ConsultationRequest.objects.count() == Notification.objects.count() == 0


def test_a_visitor_who_sent_a_request_before_keeps_what_they_typed_too(client, choices_seen_before):
    """Their session (the thank-you page's) cannot be read during the outage; the form still comes back."""
    assert client.post(URL, typed()).status_code == 302
    data = typed()
    response = send_during_outage(client, data)
    assert response.status_code == 503
    shown = form_values(response.content.decode())
    for name, value in data.items():
        assert same(shown.get(name), value), name


def test_the_form_that_came_back_shows_the_crisis_text_once_and_opens_the_answered_optional_section(
    client, choices_seen_before
):
    html = send_during_outage(client, typed()).content.decode()
    assert html.count(phone_links(PracticeSettings.last_loaded().crisis_notice)) == 1
    assert '<details class="intake-more" id="intake-more" open>' in html
