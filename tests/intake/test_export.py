"""CSV export: every text a person typed comes out as text a spreadsheet shows, never a formula it runs."""

import codecs
import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from intake.life.export import COLUMNS, csv_response
from intake.models import AuditEntry, Concern, ConsultationRequest, Relationship
from tests.intake.factories import make_request
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db

# What spreadsheet programs read as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = {
    "equals": "=",
    "plus": "+",
    "minus": "-",
    "at": "@",
    "tab": "\t",
    "carriage return": "\r",
}


def set_name(consultation, value):
    consultation.name = value


def set_email(consultation, value):
    consultation.email = value


def set_phone(consultation, value):
    consultation.phone = value


def set_insurer(consultation, value):
    consultation.insurer = value


def set_message(consultation, value):
    consultation.message = value


def set_heard_about(consultation, value):
    consultation.heard_about = value


def set_notes(consultation, value):
    consultation.save()
    consultation.timeline.create(kind="note", text=value)


def set_service(consultation, value):
    consultation.service = make_page(title=value, slug="service-x", kind="service")


def set_concern(consultation, value):
    consultation.save()
    consultation.concerns.set([Concern.objects.create(label=value)])


def set_relationship(consultation, value):
    consultation.save()
    consultation.relationships.set([Relationship.objects.create(label=value)])


# Every column whose text someone typed: the visitor, or the therapist (notes, choices, page titles).
TEXT_COLUMNS = {
    "name": set_name,
    "email": set_email,
    "phone": set_phone,
    "insurer": set_insurer,
    "service": set_service,
    "concerns": set_concern,
    "relationships": set_relationship,
    "message": set_message,
    "heard about": set_heard_about,
    "notes": set_notes,
}


def exported(consultation):
    response = csv_response(
        ConsultationRequest.objects.filter(pk=consultation.pk), User.objects.create_user("exporter")
    )
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    return row


def test_every_typed_column_of_the_export_is_covered_here():
    assert set(TEXT_COLUMNS) <= {name for name, _ in COLUMNS}


@pytest.mark.parametrize("start", FORMULA_STARTS.values(), ids=FORMULA_STARTS.keys())
@pytest.mark.parametrize("column", TEXT_COLUMNS)
def test_a_cell_starting_a_formula_is_exported_as_text(column, start):
    value = f'{start}1+HYPERLINK("http://evil.example")'
    consultation = make_request()
    TEXT_COLUMNS[column](consultation, value)
    consultation.save()
    assert exported(consultation)[column] == "'" + value


def test_a_phone_number_in_international_form_is_exported_as_text():
    consultation = make_request(phone="+1 555 123 4567", preferred_contact="call")
    assert exported(consultation)["phone"] == "'+1 555 123 4567"


@pytest.mark.parametrize(
    "column,value",
    [
        ("name", "Robin O'Neil-Smith"),
        ("email", "robin@example.com"),
        ("phone", "555-123-4567"),
        ("message", "Hello = world, 2 + 2 - 1 @ home"),
        ("heard about", "A friend"),
        ("notes", "Call back Tuesday"),
    ],
)
def test_ordinary_values_are_exported_untouched(column, value):
    consultation = make_request()
    TEXT_COLUMNS[column](consultation, value)
    consultation.save()
    assert exported(consultation)[column] == value


def test_the_export_is_a_dated_download_that_nothing_may_cache():
    response = csv_response(ConsultationRequest.objects.none(), User.objects.create_user("exporter"))
    filename = f"consultation-requests-{timezone.localdate():%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "no-store"


def test_the_export_starts_with_a_byte_order_mark_so_spreadsheets_read_accents_as_typed():
    consultation = make_request(name="Zoë Ñúñez")
    response = csv_response(
        ConsultationRequest.objects.filter(pk=consultation.pk), User.objects.create_user("x")
    )
    assert response.content.startswith(codecs.BOM_UTF8 + b"number,")


def test_the_notes_column_holds_every_note_newest_first_and_no_reply_or_call():
    consultation = make_request()
    now = timezone.now()
    consultation.timeline.create(kind="note", text="First note", at=now - timedelta(days=2))
    consultation.timeline.create(kind="note", text="Second note\non two lines", at=now - timedelta(days=1))
    consultation.timeline.create(kind="reply", subject="Hello", text="The reply")
    consultation.timeline.create(kind="call", outcome="spoke", text="The call")
    assert exported(consultation)["notes"] == "Second note\non two lines\n\nFirst note"


def test_availability_is_exported_in_words_and_a_retired_choice_as_it_was_stored():
    consultation = make_request(availability=["weekday_evenings", "weekends", "sunday_nights"])
    assert exported(consultation)["availability"] == "Weekday evenings; Weekends; sunday_nights"


def test_every_export_is_audited_by_who_and_request_number():
    first, second = make_request(), make_request()
    user = User.objects.create_user("exporter")
    csv_response(ConsultationRequest.objects.filter(pk__in=[first.pk, second.pk]), user)
    entries = AuditEntry.objects.filter(action="export")
    assert {(e.user, e.request_number, e.detail) for e in entries} == {
        (user, first.pk, "CSV export"),
        (user, second.pk, "CSV export"),
    }
