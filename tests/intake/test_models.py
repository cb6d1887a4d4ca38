"""The request record: statuses, reply promise, database rules."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.models import ConsultationRequest, add_business_days
from intake.models.request import phone_digits
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


def test_from_same_people_matches_every_address_of_every_selected_request_oldest_first():
    now = timezone.now()
    robin = make_request(email="robin@example.com", received_at=now - timedelta(days=1))
    robin_at_work = make_request(email="robin@work.example", received_at=now - timedelta(days=2))
    earliest = make_request(email="ROBIN@work.example", received_at=now - timedelta(days=9))
    from_home = make_request(email="Robin@Example.com", received_at=now - timedelta(days=5))
    make_request(email="someone@example.com")
    matches = ConsultationRequest.objects.from_same_people([robin, robin_at_work])
    assert matches == [earliest, from_home, robin_at_work, robin]
    assert [m.matched_by for m in matches] == [["same email"], ["same email"], ["selected"], ["selected"]]


def test_from_same_people_with_a_phone_only_matches_that_phone_and_nobody_else():
    caller = make_request(email="", preferred_contact="call", phone="555-123-4567")
    make_request(email="robin@example.com")
    make_request(email="", preferred_contact="text", phone="555-765-4321")
    assert ConsultationRequest.objects.from_same_people([caller]) == [caller]


def test_only_an_eleven_digit_number_loses_a_leading_us_country_code():
    assert phone_digits("+1 (555) 123-4567") == phone_digits("555.123.4567") == "5551234567"
    assert phone_digits("123-456-7890") == "1234567890"
    assert phone_digits("+44 1632 960 123") == "441632960123"


def test_a_request_is_overdue_only_after_its_reply_time_on_its_page_and_in_the_list_alike():
    consultation = make_request()
    due, after = consultation.reply_due_at, consultation.reply_due_at + timedelta(microseconds=1)
    assert (consultation.is_overdue(now=due), consultation.is_overdue(now=after)) == (False, True)
    overdue = ConsultationRequest.objects.overdue
    assert (overdue(now=due).exists(), overdue(now=after).exists()) == (False, True)
