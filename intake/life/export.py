"""CSV export of consultation requests, for users with the dedicated export permission. Every row is audited."""

import csv

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from intake.models import AuditEntry, TimelineEntry
from pages.clock import iso_day, iso_stamp

# The therapist's notes from the timeline, newest first as on the request's page, in one cell.
NOTE_SEPARATOR = "\n\n"

COLUMNS = [
    ("number", lambda r: r.pk),
    ("received", lambda r: iso_stamp(r.received_at, timespec="minutes")),
    ("status", lambda r: r.get_status_display()),
    ("name", lambda r: r.name),
    ("preferred contact", lambda r: r.get_preferred_contact_display()),
    ("email", lambda r: r.email),
    ("phone", lambda r: r.phone),
    ("voicemail ok", lambda r: "yes" if r.voicemail_ok else "no"),
    ("text ok", lambda r: "yes" if r.text_ok else "no"),
    ("location during sessions", lambda r: r.client_location),
    ("out of area", lambda r: "yes" if r.out_of_area else "no"),
    ("in person or telehealth", lambda r: r.get_session_format_display()),
    ("availability", lambda r: "; ".join(r.availability_labels())),
    ("payment", lambda r: r.get_payment_display()),
    ("insurer", lambda r: r.insurer),
    ("service", lambda r: r.service.title if r.service else ""),
    ("concerns", lambda r: "; ".join(c.label for c in r.concerns.all())),
    ("relationships", lambda r: "; ".join(c.label for c in r.relationships.all())),
    ("message", lambda r: r.message),
    ("heard about", lambda r: r.heard_about),
    (
        "first reply",
        lambda r: iso_stamp(r.first_reply_at, timespec="minutes") if r.first_reply_at else "",
    ),
    ("next follow-up", lambda r: iso_day(r.follow_up_on) if r.follow_up_on else ""),
    ("notes", lambda r: NOTE_SEPARATOR.join(note.text for note in r.notes_for_export)),
]


def spreadsheet_safe(value):
    """Text a spreadsheet will show, never run: a leading =, +, -, @, tab or carriage return starts a formula."""
    value = str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_response(queryset, user):
    notes = Prefetch(
        "timeline",
        queryset=TimelineEntry.objects.filter(kind=TimelineEntry.Kind.NOTE),
        to_attr="notes_for_export",
    )
    requests = list(queryset.select_related("service").prefetch_related("concerns", "relationships", notes))
    filename = f"consultation-requests-{iso_day(timezone.localdate())}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
    response.write("\ufeff")  # lets spreadsheet programs read the UTF-8 (accents, emoji, right-to-left text)
    writer = csv.writer(response)
    writer.writerow(name for name, _ in COLUMNS)
    for consultation in requests:
        writer.writerow(spreadsheet_safe(value(consultation)) for _, value in COLUMNS)
    AuditEntry.record(AuditEntry.Action.EXPORT, user, [r.pk for r in requests], detail="CSV export")
    return response
