"""The therapist reads one format for a moment in admin: in the list, on the form, in the timeline and on a booking."""

import re
from datetime import UTC, datetime

import pytest

from pages.clock import local_day_and_time, local_time
from tests.intake.bookings import at, confirmed_booking
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
LIST = "/admin/intake/consultationrequest/"
# 12:35 UTC is 7:35 in New York in December.
RECEIVED = datetime(2026, 12, 7, 12, 35, tzinfo=UTC)
SHOWN = "7 December 2026, 7:35 am"


def test_the_list_the_form_and_the_timeline_show_a_moment_the_same_way(reviewer):
    consultation = make_request(received_at=RECEIVED)
    consultation.timeline.create(kind="note", text="A note", by=reviewer.user, at=RECEIVED)
    listed = reviewer.get(LIST, {"status__exact": consultation.status}).content.decode()
    form = reviewer.get(f"{LIST}{consultation.pk}/change/").content.decode()
    assert local_time(RECEIVED) == SHOWN
    assert f'<td class="field-received">{SHOWN}</td>' in listed
    assert f'<div class="readonly">{SHOWN}</div>' in form, (
        "Django's own read-only field, through DATETIME_FORMAT"
    )
    assert f"{SHOWN}</time> · reviewer · Note" in form
    for other in ("Dec. 7", "Dec 7", "7:35 a.m.", "12:35"):  # no other format, and never UTC
        assert other not in listed and other not in form


def test_a_booked_consultation_reads_the_same_in_its_list_and_on_the_request(admin_client):
    booking = confirmed_booking(starts_at=at(3, 7, 35))
    shown = local_day_and_time(booking.starts_at)
    assert re.fullmatch(r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+ \d{4}, 7:35 am", shown), "with its weekday"
    listed = admin_client.get("/admin/booking/booking/", {"which": "every"}).content.decode()
    form = admin_client.get(f"{LIST}{booking.request_id}/change/").content.decode()
    assert f'change/?_changelist_filters=which%3Devery">{shown}</a></th>' in listed
    assert f"{shown}</span>" in form, "the request's booking panel"
