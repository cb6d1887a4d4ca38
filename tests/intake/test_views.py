"""The public form at /consultation/ and its thank-you page."""

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import ConsultationRequest, Notification
from pages.models import Page, PracticeSettings
from tests.html import form_values
from tests.intake.factories import form_data
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
URL = "/consultation/"


def post(client, **overrides):
    return client.post(URL, form_data(**overrides))


def test_the_form_and_thank_you_page_have_their_names():
    assert reverse("intake:consultation") == URL
    assert reverse("intake:thanks") == "/consultation/thanks/"


def test_a_valid_post_stores_one_row_with_every_field_and_redirects_to_thanks(client):
    service = Page.objects.get(slug="relationship-issues")
    response = post(client, service="relationship-issues", text_ok="on")

    assert response.status_code == 302
    assert response["Location"] == "/consultation/thanks/"
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == "Robin"
    assert consultation.preferred_contact == "email"
    assert consultation.email == "robin@example.com"
    assert consultation.phone == "555-123-4567"
    assert consultation.voicemail_ok is True
    assert consultation.text_ok is True
    assert consultation.client_location == "NY"
    assert consultation.is_adult is True
    assert consultation.session_format == "telehealth"
    assert consultation.availability == ["weekday_evenings", "weekends"]
    assert consultation.payment == "insurance"
    assert consultation.insurer == "Aetna"
    assert consultation.service == service
    assert [c.label for c in consultation.concerns.all()] == ["Feeling easily rejected"]
    assert [r.label for r in consultation.relationships.all()] == ["Partner"]
    assert consultation.message == "I would like to talk about how I pull away."
    assert consultation.heard_about == "A friend"
    assert consultation.emergency_notice_seen is True
    assert consultation.privacy_accepted_at is not None
    assert consultation.privacy_notice_version
    assert consultation.status == ConsultationRequest.Status.NEW
    assert consultation.spam_reason == ""


def test_the_privacy_notice_version_names_the_page_and_its_last_change(client):
    page = make_page(title="Privacy", slug="privacy-2026")
    practice = PracticeSettings.load()
    practice.privacy_page = page
    practice.save()
    post(client)
    version = ConsultationRequest.objects.get().privacy_notice_version
    assert version.startswith("/privacy-2026/ as of ")
    assert f"{page.updated_at:%Y-%m-%d}" in version


def test_a_privacy_page_at_the_longest_address_still_lets_requests_be_saved(client):
    page = make_page(title="Privacy", slug="p" * 100)
    practice = PracticeSettings.load()
    practice.privacy_page = page
    practice.save()
    assert post(client).status_code == 302
    version = ConsultationRequest.objects.get().privacy_notice_version
    assert version == f"/{page.slug}/ as of {page.updated_at:%Y-%m-%d %H:%M:%S}"[:100]
    assert len(version) == ConsultationRequest._meta.get_field("privacy_notice_version").max_length


def test_a_form_that_comes_back_with_mistakes_can_be_sent_again_as_it_stands():
    """The page carries its CSRF token as the first one did: correcting the mistake is all it takes."""
    browser = Client(enforce_csrf_checks=True)
    token = form_values(browser.get(URL).content.decode())["csrfmiddlewaretoken"]
    returned = browser.post(URL, form_data(name="", csrfmiddlewaretoken=token))
    assert returned.status_code == 200
    corrected = form_values(returned.content.decode()) | {"name": "Robin"}
    assert browser.post(URL, corrected).status_code == 302
    assert ConsultationRequest.objects.get().name == "Robin"


def test_the_form_page_shows_the_safety_notices_and_reply_promise_before_the_form(client):
    practice = PracticeSettings.load()
    practice.reply_business_days = 3
    practice.save()
    html = client.get(URL).content.decode()
    form_starts = html.index("<form")
    for text in ("988", "911", "1-800-799-7233", "text START to 88788", "I reply within 3 business days."):
        assert -1 < html.index(text) < form_starts, text


def test_when_not_accepting_new_clients_the_form_and_thanks_say_the_request_joins_the_waitlist(client):
    practice = PracticeSettings.load()
    practice.accepting_new_clients = False
    practice.save()
    assert "joins my waitlist" in client.get(URL).content.decode()
    post(client)
    assert ConsultationRequest.objects.get().joined_waitlist is True
    assert "joins my waitlist" in client.get("/consultation/thanks/").content.decode()


def test_requests_from_outside_the_licensed_states_are_accepted_and_flagged_out_of_area(client):
    practice = PracticeSettings.load()
    practice.licensed_states = "NY,NJ"
    practice.save()
    post(client, client_location="CA", form_token=form_data()["form_token"])
    post(client, client_location="outside", form_token=form_data()["form_token"])
    post(client, client_location="NJ", form_token=form_data()["form_token"])
    flags = dict(ConsultationRequest.objects.values_list("client_location", "out_of_area"))
    assert flags == {"CA": True, "outside": True, "NJ": False}


def test_the_service_query_parameter_preselects_that_service(client):
    make_page(title="Couples", slug="couples", kind=Page.Kind.SERVICE)
    html = client.get(URL + "?service=couples").content.decode()
    assert '<option value="couples" selected>Couples</option>' in html
    assert '<option value="relationship-issues">' in html


def test_an_unknown_service_in_the_address_is_ignored(client):
    response = client.get(URL + "?service=%00nothing%E2%80%AE")
    assert response.status_code == 200
    assert "selected>Therapy for" not in response.content.decode()


def test_draft_service_pages_are_not_offered(client):
    make_page(title="Secret draft", slug="draft-service", kind=Page.Kind.SERVICE, status=Page.Status.DRAFT)
    assert "Secret draft" not in client.get(URL).content.decode()


def test_the_thank_you_page_greets_the_visitor_once_and_is_never_cached(client):
    post(client)
    response = client.get("/consultation/thanks/")
    assert "Thank you, Robin" in response.content.decode()
    assert "I will get back to you by email" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    again = client.get("/consultation/thanks/")
    assert "Robin" not in again.content.decode(), "a partner opening it later learns nothing"
    assert "If you have just sent a request, it has arrived" in again.content.decode()


def test_the_thank_you_page_repeats_the_safety_notices(client):
    html = client.get("/consultation/thanks/").content.decode()
    assert "988" in html and "1-800-799-7233" in html


def test_the_form_page_is_never_cached(client):
    assert "no-store" in client.get(URL)["Cache-Control"]


def test_request_data_never_appears_in_a_url(client):
    response = post(client, name="Sentinel Person")
    assert "Sentinel" not in response["Location"]
    assert "?" not in response["Location"]


def test_a_valid_post_queues_one_alert_and_sends_nothing_while_the_visitor_waits(client, mailoutbox):
    post(client)
    assert Notification.objects.get().kind == Notification.Kind.PRACTICE
    assert mailoutbox == [], "the visitor's response never waits for a mail server"


SENTINELS = {"name": "Sentinelname", "email": "sentinel@example.com", "message": "Sentinel words"}


def test_form_values_never_reach_the_logs(client, caplog):
    with caplog.at_level("DEBUG"):
        post(client, **SENTINELS)
        client.post(URL, form_data(**SENTINELS, client_location=""))
        client.get("/consultation/thanks/")
    assert "Sentinel" not in caplog.text and "sentinel" not in caplog.text


def test_the_form_states_the_retention_rule_with_the_configured_days(client, settings):
    settings.INTAKE_RETENTION_DAYS = 45
    html = client.get(URL).content.decode()
    assert (
        "It is deleted from this website 45 days after your request is closed, whatever the outcome" in html
    )
    assert "180 days" not in html  # (the crisis line, tel:+1800..., has the digits too)
