"""
The alert to the practice and the acknowledgement to the visitor carry no detail of a request.

Every field of a request (walked from the model, so a new field must be added here) holds a
sentinel, and the subject, body and every header of both emails are searched for each one.
The therapist's reply is the one email that may name the person (its template says {name}),
and it goes to their own address: it is searched for every other detail.
"""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail

from intake.models import Concern, ConsultationRequest, Notification, Relationship, ReplyTemplate
from intake.notifications import queue_notifications, send_due_notifications
from intake.replies import prefill, send_reply, values_for
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
PRACTICE_INBOX = "therapist@practice.example"
EMAIL = "zq.sentinel.mailbox@zqsentinel-mailhost.example"
PHONE = "+1 (555) 019-8877"

# One value per choice field, picked for a label no email would say by chance.
CHOICES = {
    "client_location": "VT",
    "session_format": "telehealth",
    "payment": "self_pay",
    "status": "waitlisted",
}
# A different year for every moment, none near today's (the Date header).
MOMENTS = {
    "received_at": 2011,
    "privacy_accepted_at": 2012,
    "form_opened_at": 2013,
    "status_changed_at": 2014,
    "reply_due_at": 2015,
    "first_reply_at": 2016,
    "follow_up_on": 2017,
    "updated_at": 2018,
}
NOT_DETAILS = {"id"}  # the request number is the one thing the alert does say


def sentinel_request(contact):
    """A request whose every field holds a sentinel; returns it and {field: [texts that must not appear]}."""
    choices = CHOICES | {"preferred_contact": contact}
    values, needles, later = {}, {}, {}
    for field in ConsultationRequest._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # status history and notifications point at the request; they are not its fields
        name = field.name
        if name in NOT_DETAILS:
            continue
        if name == "email":
            values[name], needles[name] = EMAIL, [EMAIL, "zqsentinel", "sentinel.mailbox"]
        elif name == "phone":
            values[name], needles[name] = PHONE, [PHONE, "019-8877", "0198877", "019 8877", "5550198877"]
        elif name in choices:
            code = choices[name]
            label = dict(field.flatchoices)[code]
            # The contact codes are everyday words ("text/plain" is a header): their labels are the leak.
            values[name], needles[name] = code, [label] if name == "preferred_contact" else [code, label]
        elif name in MOMENTS:
            year = MOMENTS[name]
            moment = datetime(year, 3, 7, 4, 37, tzinfo=UTC)
            value = moment.date() if field.get_internal_type() == "DateField" else moment
            (later if name == "updated_at" else values)[name] = value
            needles[name] = [str(year)]
        elif name == "availability":
            labels = ConsultationRequest.Availability
            values[name], needles[name] = list(labels.values), [*labels.values, *labels.labels]
        elif name == "service":
            page = make_page(title="Zqservicetitle Sentinel", slug="zq-service-sentinel", kind="service")
            values[name], needles[name] = page, [page.title, page.slug]
        elif name == "concerns":
            later[name] = Concern.objects.create(label="Zqconcernlabel Sentinel")
            needles[name] = [later[name].label]
        elif name == "relationships":
            later[name] = Relationship.objects.create(label="Zqrelationshiplabel Sentinel")
            needles[name] = [later[name].label]
        elif field.get_internal_type() == "BooleanField":
            values[name], needles[name] = True, [str(field.verbose_name), name.replace("_", " ")]
        elif field.get_internal_type() in {"CharField", "TextField"} and not field.choices:
            values[name] = f"Zq{name.replace('_', '')}Sentinel"[: field.max_length]
            needles[name] = [values[name]]
        else:
            raise AssertionError(f"No sentinel for the field {name!r}: add one to this test.")
    consultation = ConsultationRequest.objects.create(**values)
    consultation.concerns.add(later.pop("concerns"))
    consultation.relationships.add(later.pop("relationships"))
    ConsultationRequest.objects.filter(pk=consultation.pk).update(**later)
    if contact == ConsultationRequest.Contact.EMAIL:
        # "Email" is the word both emails use for themselves; being emailed is itself the choice.
        del needles["preferred_contact"]
    return consultation, needles


def everything_in(email):
    """The subject, body and every header of an email, decoded, as one text."""
    message = email.message()
    headers = "\n".join(f"{name}: {value}" for name, value in message.items())
    return "\n".join([email.subject, email.body, headers, message.get_content()])


def leaks(text, needles):
    found = []
    for field, values in needles.items():
        for value in values:
            # Short codes (VT, a year) count as words only; longer text counts anywhere, in any case.
            if len(value) < 5:
                hit = re.search(rf"(?<![\w]){re.escape(value)}(?![\w])", text)
            else:
                hit = value.casefold() in text.casefold()
            if hit:
                found.append(f"{field}: {value!r}")
    return found


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
