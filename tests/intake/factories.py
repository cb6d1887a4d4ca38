"""Small factories for consultation-request tests."""

import time

from django.contrib.auth.models import Group, User
from django.utils import timezone

from intake.form import spam
from intake.models import Concern, ConsultationRequest, Relationship, add_business_days

REVIEWERS = "Consultation reviewers"


def aged_token(seconds=60):
    """A form token issued `seconds` ago: long enough that a person could have filled the form."""
    return spam.new_form_token(issued_at=time.time() - seconds)


# What a visitor types on the form, apart from the choices that live in the database and the token.
TYPED_ANSWERS = {
    "name": "Robin",
    "preferred_contact": "email",
    "email": "robin@example.com",
    "phone": "555-123-4567",
    "voicemail_ok": "on",
    "client_location": "NY",
    "is_adult": "on",
    "session_format": "telehealth",
    "availability": ["weekday_evenings", "weekends"],
    "payment": "insurance",
    "insurer": "Aetna",
    "heard_about": "A friend",
    "emergency_notice_seen": "on",
    "privacy_accepted": "on",
}


def form_data(**overrides):
    """A complete, valid POST for the consultation form. Pass None to leave a field out."""
    data = {
        **TYPED_ANSWERS,
        "concerns": [str(Concern.objects.get(label="Feeling easily rejected").pk)],
        "relationships": [str(Relationship.objects.get(label="Partner").pk)],
        "message": "I would like to talk about how I pull away.",
        "reference_code": "",
        "form_token": aged_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


_numbers = iter(range(1, 10**9))


def make_request(**kwargs):
    """A saved consultation request, as the form would have saved it."""
    now = timezone.now()
    defaults = {
        "name": "Robin",
        "email": "robin@example.com",
        "phone": "",
        "preferred_contact": ConsultationRequest.Contact.EMAIL,
        "client_location": "NY",
        "is_adult": True,
        "emergency_notice_seen": True,
        "privacy_notice_version": "form summary v1",
        "privacy_accepted_at": now,
        "form_token": f"token-{next(_numbers)}",
    }
    fields = defaults | kwargs
    if "received_at" in kwargs and "status_changed_at" not in kwargs:
        fields["status_changed_at"] = kwargs["received_at"]
    fields.setdefault("reply_due_at", add_business_days(fields.get("received_at", now), 2))
    return ConsultationRequest.objects.create(**fields)


def make_reviewer(username="reviewer", **extra):
    user = User.objects.create_user(username, is_staff=True, **extra)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


def named(*names):
    """The requests with these names. Names are stored encrypted: the database cannot match them."""
    return ConsultationRequest.objects.filter(
        pk__in=[pk for pk, name in ConsultationRequest.objects.values_list("pk", "name") if name in names]
    )
