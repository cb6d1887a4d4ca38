""" "Offer other times": a reply with a signed link to pick from the open times; the held ones let go."""

import re

import pytest
from django.conf import settings
from django.core import mail

from booking.models import Booking, ConsultationHours
from intake.consultation_time.booking_panel import no_times_reason
from intake.consultation_time.offered_times import LINK_DAYS, OFFER_SUBJECT, request_for
from intake.life.notifications import send_due_notifications
from intake.life.withdrawal import withdraw_link
from intake.models import AuditEntry, ConsultationRequest, Notification, TimelineEntry
from pages.models import PracticeSettings
from tests.hours import open_hours
from tests.html import form_values
from tests.intake.booking_setup import change_url, hold_times, offer_url
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


@pytest.fixture
def practice():
    practice = PracticeSettings.load()
    practice.clinician_name = "Dr. Jo Wells"
    practice.save()
    return practice


def offer_form(client, consultation, **changes):
    response = client.get(offer_url(consultation))
    assert response.status_code == 200
    return form_values(response.content.decode()) | changes


def test_the_page_starts_from_a_friendly_message_with_their_name(reviewer, practice):
    open_hours()
    consultation = make_request(name="Robin Q. Distinct")
    values = offer_form(reviewer, consultation)
    assert values["subject"] == OFFER_SUBJECT
    assert values["body"].startswith("Hello Robin Q. Distinct,\n\n")
    assert values["body"].endswith("confirm one of them by email.\n\nWarmly,\nDr. Jo Wells")
    html = reviewer.get(offer_url(consultation)).content.decode()
    assert f"The link to pick times (it works for {LINK_DAYS} days)" in html
    details = AuditEntry.objects.filter(action="view", request_number=consultation.pk).values_list(
        "detail", flat=True
    )
    assert list(details) == ["offer times page", "offer times page"]


def test_sending_queues_a_reply_with_the_link_and_lets_go_of_the_held_times(reviewer, practice):
    open_hours()
    consultation = make_request(name="Robin")
    held = hold_times(consultation, 2)
    data = offer_form(reviewer, consultation, body="Hello Robin,\n\nThose times went. Pick again?")
    response = reviewer.post(offer_url(consultation), data, follow=True)
    assert response.redirect_chain[-1][0] == change_url(consultation)
    assert [str(m) for m in response.context["messages"]] == [
        f"Other times offered to request #{consultation.pk}: the reply goes out within a minute, "
        "and the times they held are free again."
    ]
    assert {b.state for b in Booking.objects.filter(pk__in=[b.pk for b in held])} == {Booking.State.RELEASED}
    entry = TimelineEntry.objects.get(request=consultation, kind=TimelineEntry.Kind.REPLY)
    assert entry.by == reviewer.user and entry.subject == OFFER_SUBJECT
    link = re.search(rf"{re.escape(settings.SITE_URL)}/consultation/times/([^/\s]+)/", entry.text)
    assert request_for(link.group(1)) == consultation
    assert entry.text == (
        "Hello Robin,\n\nThose times went. Pick again?\n\n"
        f"Pick the times that suit you here (the link works for {LINK_DAYS} days):\n{link.group(0)}\n\n"
        f"If you would rather I deleted your request, you can withdraw it here: {withdraw_link(consultation)}"
    )
    notification = Notification.objects.get(kind=Notification.Kind.REPLY)
    assert notification.reply == entry
    consultation.refresh_from_db()
    assert consultation.status == Status.CONTACTED and consultation.first_reply_at == entry.at
    audit = AuditEntry.objects.get(action="change", request_number=consultation.pk)
    assert audit.detail == "offered other times (a reply with a link to pick them), status New → Contacted"
    # It goes out like every reply, to them, with the link.
    send_due_notifications()
    (message,) = mail.outbox
    assert message.to == ["robin@example.com"] and link.group(0) in message.body


def test_an_open_status_other_than_new_stays(reviewer, practice):
    open_hours()
    consultation = make_request(status=Status.SCHEDULED)
    reviewer.post(offer_url(consultation), offer_form(reviewer, consultation))
    consultation.refresh_from_db()
    assert consultation.status == Status.SCHEDULED
    assert (
        AuditEntry.objects.get(action="change").detail
        == "offered other times (a reply with a link to pick them)"
    )


@pytest.mark.parametrize(
    ("contact", "reason"), [("call", "call them instead"), ("text", "text them instead")]
)
def test_without_an_email_the_page_says_why_and_sending_is_refused(reviewer, contact, reason):
    open_hours()
    consultation = make_request(email="", phone="555-010-0199", preferred_contact=contact)
    hold_times(consultation, 1)
    panel = reviewer.get(change_url(consultation)).content.decode()
    assert "To offer other times: they asked for a" in panel and reason in panel
    assert "intake-booking__offer-button" not in panel
    assert reason in reviewer.get(offer_url(consultation)).content.decode()
    response = reviewer.post(offer_url(consultation), {"subject": "Hi", "body": "Pick"})
    assert response.status_code == 400
    assert not Notification.objects.exists()
    assert Booking.objects.get().state == Booking.State.HELD


def test_with_no_open_times_the_page_warns_and_sending_is_refused(reviewer, practice):
    open_hours(booking_on=False)
    consultation = make_request()
    html = reviewer.get(offer_url(consultation)).content.decode()
    assert "No times are open just now, so the link would show none" in html
    response = reviewer.post(offer_url(consultation), {"subject": "Hi", "body": "Pick"})
    assert response.status_code == 400
    assert not Notification.objects.exists()


def test_a_closed_request_gets_no_offer(reviewer):
    open_hours()
    consultation = make_request(status=Status.CLOSED)
    response = reviewer.post(offer_url(consultation), {"subject": "Hi", "body": "Pick"})
    assert response.status_code == 400
    assert "This request is closed: reopen it first." in response.content.decode()
    assert not Notification.objects.exists()


def test_an_empty_message_is_an_error(reviewer):
    open_hours()
    consultation = make_request()
    response = reviewer.post(offer_url(consultation), {"subject": "Hi", "body": ""})
    assert response.status_code == 200 and "Please correct the errors below." in response.content.decode()
    assert not Notification.objects.exists()


def test_hours_off_means_no_warning_only_when_times_open(reviewer):
    open_hours()
    assert ConsultationHours.load().booking_on
    html = reviewer.get(offer_url(make_request())).content.decode()
    assert "No times are open just now" not in html


def test_the_page_says_sending_lets_go_of_what_they_hold(reviewer):
    open_hours()
    consultation = make_request()
    hold_times(consultation, 2)
    html = reviewer.get(offer_url(consultation)).content.decode()
    assert "Sending lets go of the 2 times they hold now." in html


def test_the_offer_page_warns_that_a_practice_not_accepting_new_clients_has_no_times_to_show(db):
    open_hours()
    practice = PracticeSettings.load()
    assert no_times_reason(practice) == ""
    practice.accepting_new_clients = False
    practice.save()
    assert "accepting new clients" in no_times_reason(practice)
