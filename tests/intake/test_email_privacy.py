"""
The alert to the practice and the acknowledgement to the visitor carry no detail of a request.

Every field of a request (walked from the model, so a new field must be added here) holds a
sentinel, and the subject, body and every header of both emails are searched for each one.
The therapist's reply is the one email that may name the person (its template says {name}),
and it goes to their own address: it is searched for every other detail.
"""

import pytest
from django.core import mail

from intake.life.notifications import queue_notifications, send_due_notifications
from intake.life.replies import prefill, send_reply, values_for
from intake.models import ConsultationRequest, Notification, ReplyTemplate
from tests.intake.sentinels import EMAIL, MOMENTS, PRACTICE_INBOX, everything_in, leaks, sentinel_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def both_emails_on(settings):
    settings.PRACTICE_NOTIFY_EMAIL = PRACTICE_INBOX
    settings.INTAKE_ACKNOWLEDGE_VISITORS = True


def send_about(consultation):
    """Queue and send the emails about a request, as the form and the worker do; return them by recipient."""
    queue_notifications(consultation)
    send_due_notifications()
    return {email.to[0]: email for email in mail.outbox}


def test_the_sentinel_request_really_holds_every_sentinel():
    consultation, needles = sentinel_request("email")
    consultation.refresh_from_db()
    assert consultation.updated_at.year == MOMENTS["updated_at"]
    assert consultation.get_payment_display() in needles["payment"]
    assert consultation.client_location in needles["client_location"]
    assert [c.label for c in consultation.concerns.all()] == needles["concerns"]
    assert consultation.service.title in needles["service"]


@pytest.mark.parametrize("contact", ConsultationRequest.Contact.values)
def test_the_alert_to_the_practice_carries_no_detail_of_the_request(contact):
    consultation, needles = sentinel_request(contact)
    alert = send_about(consultation)[PRACTICE_INBOX]
    assert alert.subject == f"New consultation request #{consultation.pk}"
    assert leaks(everything_in(alert), needles) == []


def test_the_acknowledgement_carries_no_detail_of_the_request():
    consultation, needles = sentinel_request("email")
    acknowledgement = send_about(consultation)[EMAIL]
    assert acknowledgement.to == [EMAIL] and acknowledgement.cc == acknowledgement.bcc == []
    # Its one permitted detail is the address it goes to, in the To header and nowhere else.
    text = everything_in(acknowledgement).replace(f"To: {EMAIL}", "To: (the visitor)", 1)
    assert leaks(text, needles) == []


def test_the_reply_names_the_person_and_carries_no_other_detail_of_the_request(admin_user):
    consultation, needles = sentinel_request("email")
    template = ReplyTemplate.objects.get(name="Offer a consultation")
    values = values_for(consultation)
    subject, body = prefill(template.subject, values), prefill(template.body, values)
    send_reply(consultation, template=template, subject=subject, body=body, referrals=[], user=admin_user)
    send_due_notifications()
    (reply,) = [email for email in mail.outbox if email.to == [EMAIL]]
    assert needles.pop("name")[0] in reply.body, "the one detail it may carry, because the therapist wrote it"
    text = everything_in(reply).replace(f"To: {EMAIL}", "To: (the visitor)", 1)
    assert leaks(text, needles) == []


def test_the_leak_check_would_notice_a_leak():
    needles = {"payment": ["self_pay", "Self-pay"], "client_location": ["VT", "Vermont"]}
    assert leaks("Paying: self-pay", needles) == ["payment: 'Self-pay'"]
    assert leaks("From VT.", needles) == ["client_location: 'VT'"]
    assert leaks("VTEC engine", needles) == []
    assert Notification.objects.count() == 0
