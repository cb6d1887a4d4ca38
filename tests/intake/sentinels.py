"""
A request whose every field holds a sentinel, and a search of any text for those sentinels: the
privacy tests' shared tools (the alert, acknowledgement, reply, digest, withdrawal and invite emails).
"""

import re
from datetime import UTC, datetime

from intake.models import Concern, ConsultationRequest, Relationship
from tests.pages.factories import make_page

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
