"""The request record: statuses, reply promise, database rules."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from intake.models import ConsultationRequest, add_business_days
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def test_business_days_skip_the_weekend():
    thursday = datetime(2026, 1, 8, 10, 0, tzinfo=NEW_YORK)
    assert add_business_days(thursday, 2) == datetime(2026, 1, 12, 10, 0, tzinfo=NEW_YORK)  # Monday
    saturday = datetime(2026, 1, 10, 10, 0, tzinfo=NEW_YORK)
    assert add_business_days(saturday, 1) == datetime(2026, 1, 12, 10, 0, tzinfo=NEW_YORK)


def test_only_new_requests_can_be_overdue():
    old = datetime(2026, 1, 1, tzinfo=NEW_YORK)
    later = datetime(2026, 2, 1, tzinfo=NEW_YORK)
    assert make_request(received_at=old).is_overdue(now=later)
    assert not make_request(received_at=old, status="contacted").is_overdue(now=later)
    assert not make_request(received_at=later).is_overdue(now=later)


def test_leaving_new_records_the_first_reply_once_and_the_history():
    consultation = make_request()
    consultation.change_status(ConsultationRequest.Status.CONTACTED)
    first = consultation.first_reply_at
    assert first is not None
    consultation.change_status(ConsultationRequest.Status.SCHEDULED)
    assert consultation.first_reply_at == first
    history = list(consultation.status_changes.values_list("from_status", "to_status"))
    assert history == [("new", "contacted"), ("contacted", "scheduled")]


def test_changing_to_the_same_status_records_nothing():
    consultation = make_request()
    consultation.change_status(ConsultationRequest.Status.NEW)
    assert not consultation.status_changes.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"preferred_contact": "call", "phone": ""},
        {"preferred_contact": "email", "email": ""},
        {"status": "lost"},
    ],
)
def test_the_database_refuses_a_request_that_breaks_the_rules(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_request(**fields)


def test_the_database_refuses_a_second_request_from_the_same_form():
    make_request(form_token="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_request(form_token="same")


def test_from_same_people_matches_email_case_insensitively_and_phone_by_digits():
    robin = make_request(email="Robin@Example.com", phone="(555) 123-4567")
    by_email = make_request(email="robin@example.com")
    by_phone = make_request(email="", preferred_contact="text", phone="+1 555 123 4567")
    make_request(email="other@example.com", phone="555-000-0000")
    matches = ConsultationRequest.objects.from_same_people([robin])
    assert set(matches) == {robin, by_email, by_phone}
