"""The moves of intake.life.moves seen from each side: what the emails and the invites in them say."""

import pytest
from icalendar import Calendar

from booking import holds
from booking.models import Booking
from booking.slots import open_times
from intake.life import moves
from intake.life.erasure import erase
from intake.life.notifications import build_email, send_due_notifications
from intake.models import AuditEntry, ConsultationRequest, Notification, TimelineEntry
from pages.clock import local_day_and_time
from pages.models import PracticeSettings
from tests.hours import open_hours
from tests.intake.booking_setup import change_url, hold_times, offer_url
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
LIST = "/admin/intake/consultationrequest/"


@pytest.fixture
def booked():
    practice = PracticeSettings.load()
    practice.email = "hello@wells.example"
    practice.save()
    open_hours()
    consultation = make_request(name="Robin Quist")
    booking = hold_times(consultation, 1)[0]
    holds.confirm(booking)
    consultation.change_status(Status.SCHEDULED)
    return consultation, booking


def event_of(message):
    (name, content, mimetype), *_ = message.attachments
    cal = Calendar.from_ical(content)
    return cal, next(iter(cal.walk("VEVENT"))), mimetype


def test_erasure_sends_the_practice_a_cancel_and_the_visitor_nothing(booked, mailoutbox):
    consultation, booking = booked
    erase([consultation.pk], None, AuditEntry.Action.ERASE, detail="test")
    (notice,) = Notification.objects.all()
    assert notice.kind == Notification.Kind.CANCEL_ERASED and notice.request_id is None
    send_due_notifications()
    (email,) = mailoutbox
    assert email.to == ["hello@wells.example"]
    cal, event, mimetype = event_of(email)
    assert "method=CANCEL" in mimetype and str(cal["method"]) == "CANCEL"
    assert event["status"] == "CANCELLED" and event["sequence"] == 1
    assert str(event["uid"]).startswith(booking.invite_uid)
    assert "Robin" not in email.body and "Robin" not in cal.to_ical().decode()
    assert not Booking.objects.exists()


def test_the_therapist_cancels_with_a_message_and_the_visitor_gets_it_with_the_cancel(booked, reviewer):
    consultation, booking = booked
    url = f"{LIST}{consultation.pk}/consultation/{booking.pk}/"
    page = reviewer.get(url).content.decode()
    assert "Cancel the consultation" in page and "Move to this time" in page
    reviewer.post(url, {"action": "cancel", "message": "I am unwell that day, sorry."})
    booking.refresh_from_db()
    assert (booking.state, booking.ended_by, booking.invite_sequence) == ("cancelled", "therapist", 1)
    visitor = Notification.objects.get(kind=Notification.Kind.INVITE_VISITOR, booking=booking)
    email = build_email(visitor)
    assert email.body.startswith("I am unwell that day, sorry.") and "is cancelled" in email.body
    _, event, _ = event_of(email)
    assert event["sequence"] == 1 and event["status"] == "CANCELLED"
    practice = build_email(Notification.objects.get(kind=Notification.Kind.INVITE_PRACTICE, booking=booking))
    assert "cancelled by the therapist" in practice.body and "unwell" not in practice.body
    consultation.refresh_from_db()
    assert consultation.status == Status.CONTACTED
    panel = reviewer.get(change_url(consultation)).content.decode()
    assert "cancelled by the therapist" in panel


def test_the_therapist_s_move_names_the_time_and_is_set_down_as_theirs(booked, reviewer):
    consultation, booking = booked
    url = f"{LIST}{consultation.pk}/consultation/{booking.pk}/"
    assert f"Confirmed: {local_day_and_time(booking.starts_at)}," in reviewer.get(url).content.decode()
    new = next(t for t in open_times(keep_for=consultation.pk) if t.starts_at != booking.starts_at)
    assert reviewer.post(url, {"action": "move", "time": new.value}).status_code == 302
    (note,) = [entry for entry in TimelineEntry.objects.filter(request=consultation) if "Moved" in entry.text]
    assert note.by == reviewer.user
    assert AuditEntry.objects.get(detail="moved the consultation").user == reviewer.user


def test_the_therapist_s_cancellation_is_set_down_as_theirs(booked, reviewer):
    consultation, booking = booked
    url = f"{LIST}{consultation.pk}/consultation/{booking.pk}/"
    assert reviewer.post(url, {"action": "cancel", "message": ""}).status_code == 302
    assert TimelineEntry.objects.filter(request=consultation, by=reviewer.user).exists()
    assert AuditEntry.objects.get(detail="cancelled the consultation").user == reviewer.user


def test_the_therapist_moving_to_a_time_no_longer_offered_is_told_in_plain_words(booked, reviewer):
    consultation, booking = booked
    url = f"{LIST}{consultation.pk}/consultation/{booking.pk}/"
    page = reviewer.post(url, {"action": "move", "time": "not-a-time"}).content.decode()
    assert "That time is not open any more: pick another." in page
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_the_panel_offers_cancel_or_move_and_no_offer_of_other_times_while_booked(booked, reviewer):
    consultation, booking = booked
    panel = reviewer.get(change_url(consultation)).content.decode()
    assert "Cancel or move" in panel and offer_url(consultation) not in panel
    assert f'href="{LIST}{consultation.pk}/consultation/{booking.pk}/">Cancel or move</a>' in panel
    assert reviewer.get(offer_url(consultation)).content.decode().count("Cancel or move") == 1


def test_the_admin_erasure_tells_the_therapist_the_visitor_was_not_emailed(booked, reviewer):
    consultation, _ = booked
    data = {
        "action": "erase_person",
        "_selected_action": [consultation.pk],
        "confirm": "yes",
        "shown": [consultation.pk],
        "select_across": 0,
        "index": 0,
    }
    page = reviewer.post(LIST, data, follow=True).content.decode()
    assert "they were not emailed" in page


def test_the_withdraw_page_says_a_booked_consultation_goes_with_it(booked, client):
    from intake.life.withdrawal import withdraw_token

    consultation, _ = booked
    page = client.get(f"/consultation/withdraw/{withdraw_token(consultation)}/").content.decode()
    assert "it is cancelled, and its time freed" in page


def test_no_upcoming_means_nothing_to_cancel(booked):
    consultation, _ = booked
    assert moves.cancel_for_erasure([consultation.pk + 1000]) == 0
