"""
Every invite of one consultation's life parsed back and checked against iTIP (RFC 5546): the same
UID, SEQUENCE higher with every change (the CANCEL included), ORGANIZER and ATTENDEE right for the
practice's copy and the visitor's; the feed's refresh interval; the hour clocks go back, labelled.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template.loader import render_to_string
from icalendar import Calendar

from booking import invite
from booking.forms import TimesField
from booking.models import Booking, ConsultationHours
from booking.slots import OpenTime, open_times
from intake.life import moves
from intake.life.notifications import send_due_notifications
from intake.models import ConsultationRequest, Notification
from pages.clock import visitor_time
from tests.intake.booking_setup import hold_times
from tests.intake.conftest import NOTIFY
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db


def invites_sent(outbox, to):
    """(method, the VEVENT, email) of each invite sent to `to`, in order, as a calendar app reads it."""
    found = []
    for email in outbox:
        if email.to != [to] or not email.attachments:
            continue
        (_, content, mimetype), *_ = email.attachments
        cal = Calendar.from_ical(content)
        assert f"method={cal['method']}" in mimetype, "the MIME method and the calendar's agree"
        (event,) = cal.walk("VEVENT")
        found.append((str(cal["method"]), event, email))
    return found


def addresses(event):
    attendees = event.get("attendee")
    attendees = attendees if isinstance(attendees, list) else [attendees]
    return {str(a).lower(): a.params for a in attendees}


def test_confirm_move_cancel_each_invite_follows_itip(practice, mailoutbox):
    consultation = make_request(name="Robin Quist", email="robin@example.com")
    booking = hold_times(consultation, 1)[0]
    from intake.consultation_time.booking_panel import confirm_time

    confirm_time(consultation, booking, None)
    send_due_notifications()
    new = [t for t in open_times(keep_for=consultation.pk) if t.starts_at != booking.starts_at][-1]
    moved = moves.move(booking, new.starts_at, Booking.By.THERAPIST)
    send_due_notifications()
    moves.cancel(moved, Booking.By.VISITOR)
    send_due_notifications()

    for kind, to in (
        (Notification.Kind.INVITE_VISITOR, "robin@example.com"),
        (Notification.Kind.INVITE_PRACTICE, NOTIFY),
    ):
        sent = invites_sent(mailoutbox, to)
        assert [method for method, _, _ in sent] == ["REQUEST", "REQUEST", "CANCEL"]
        assert len({str(event["uid"]) for _, event, _ in sent}) == 1, "one event, updated"
        sequences = [int(event["sequence"]) for _, event, _ in sent]
        assert sequences == sorted(set(sequences)) and sequences == [0, 1, 2], "SEQUENCE rises every time"
        assert [str(event["status"]) for _, event, _ in sent] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
        for _, event, email in sent:
            assert str(event["organizer"]).lower() == "mailto:hello@wells.example"
            assert event["organizer"].params["cn"] == "Wells Therapy"
            attendees = addresses(event)
            if kind == Notification.Kind.INVITE_PRACTICE:
                # The copy's own inbox is an attendee, and no one else: no name on the therapist's phone.
                assert set(attendees) == {f"mailto:{NOTIFY}"}
                assert attendees[f"mailto:{NOTIFY}"]["partstat"] == "ACCEPTED"
                assert "Robin" not in email.message().as_string()
            else:
                assert set(attendees) == {"mailto:hello@wells.example", "mailto:robin@example.com"}
                assert attendees["mailto:robin@example.com"]["cn"] == "Robin Quist"
                assert attendees["mailto:hello@wells.example"]["role"] == "CHAIR"
                assert email.to == ["robin@example.com"]
            assert all(params["rsvp"] == "FALSE" for params in attendees.values())


def test_the_feed_says_how_often_to_read_it_again(practice):
    content = invite.feed([], practice, ConsultationHours.load()).decode()
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in content
    assert "X-PUBLISHED-TTL:PT1H\r\n" in content
    Calendar.from_ical(content)


NIGHT = datetime.date(2026, 11, 1)  # clocks go back in New York: 1:00 to 1:59 happen twice


def test_the_hour_clocks_go_back_is_labelled_with_its_zone(settings):
    settings.TIME_ZONE = "America/New_York"
    first = datetime.datetime(2026, 11, 1, 5, 0, tzinfo=datetime.UTC)  # 1:00 EDT
    second = datetime.datetime(2026, 11, 1, 6, 0, tzinfo=datetime.UTC)  # 1:00 EST
    assert (visitor_time(first), visitor_time(second)) == ("1:00 am EDT", "1:00 am EST")
    other_night = datetime.datetime(2026, 11, 2, 6, 0, tzinfo=datetime.UTC)
    assert visitor_time(other_night) == "1:00 am", "a time read once needs no zone"
    assert visitor_time(datetime.datetime(2026, 11, 1, 15, 0, tzinfo=datetime.UTC)) == "10:00 am"

    class Picker(forms.Form):
        time = TimesField(
            [OpenTime(at, at + datetime.timedelta(minutes=20)) for at in (first, second)], most=1
        )

    html = render_to_string("includes/booking_times.html", {"times": Picker()["time"]})
    assert "1:00 am EDT" in html and "1:00 am EST" in html
    assert ZoneInfo(settings.TIME_ZONE)


def test_the_email_names_which_1_30_it_is(settings):
    from intake.life.booking_emails import when

    settings.TIME_ZONE = "America/New_York"
    booking = Booking(starts_at=datetime.datetime(2026, 11, 1, 6, 30, tzinfo=datetime.UTC))
    assert when(booking) == "Sunday 1 November at 1:30 am EST (New York time)"


def test_every_cancel_raises_the_sequence_for_an_erased_request_too(practice):
    consultation = make_request()
    booking = hold_times(consultation, 1)[0]
    from booking import holds

    holds.confirm(booking)
    moves.cancel_for_erasure([consultation.pk])
    notice = Notification.objects.get(kind=Notification.Kind.CANCEL_ERASED)
    event = next(iter(Calendar.from_ical(notice.invite).walk("VEVENT")))
    assert int(event["sequence"]) == booking.invite_sequence + 1
    assert set(addresses(event)) == {f"mailto:{NOTIFY}"}
    assert ConsultationRequest.objects.filter(pk=consultation.pk).exists(), "erasure itself deletes it"
