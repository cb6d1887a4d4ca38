"""
The emails about a booked consultation and their invites (intake.life.booking_emails, booking.invite),
as the worker sends them: each .ics is parsed back with icalendar.
"""

import datetime
import threading
import time
from email.utils import parseaddr

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from booking import holds, slots
from booking.links import manage_token
from booking.models import Booking
from intake.life.booking_emails import drop_unsent, queue_invites, when
from intake.life.notifications import send_due_notifications
from intake.models import Notification
from pages.models import PracticeSettings
from tests.hours import open_hours
from tests.intake.broken_mail import SlowMailServer
from tests.intake.factories import make_request
from tests.intake.sentinels import leaks, sentinel_request

pytestmark = pytest.mark.django_db
PRACTICE_INBOX = "therapist@practice.example"
VISITOR = "zq.visitor@visitor.example"


@pytest.fixture(autouse=True)
def setup(settings):
    settings.PRACTICE_NOTIFY_EMAIL = PRACTICE_INBOX
    settings.SITE_URL = "https://practice.example"
    return open_hours()


def confirmed(consultation=None, way=Booking.Way.PHONE):
    """Held from the form, then confirmed by the therapist, with its invites queued, as admin does."""
    consultation = consultation or make_request(name="Zqrobin Visitor", email=VISITOR)
    time = slots.open_times()[0]
    (booking,) = holds.hold(consultation.pk, [time.starts_at], way)
    holds.confirm(booking)
    queue_invites(booking)
    return booking


def sent():
    """Send what is due; return the emails by recipient (one each)."""
    send_due_notifications()
    emails = {email.to[0]: email for email in mail.outbox}
    assert len(emails) == len(mail.outbox)
    mail.outbox.clear()
    return emails


def invite_of(email):
    """The email's one .ics attachment: its content type and the calendar parsed back."""
    (attachment,) = email.attachments
    assert attachment.filename == "consultation.ics"
    return attachment.mimetype, Calendar.from_ical(attachment.content)


def the_event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def uid(booking):
    return f"{booking.invite_uid}@{parseaddr(django_settings.DEFAULT_FROM_EMAIL)[1].rpartition('@')[2]}"


def test_both_invites_are_requests_for_the_booked_time_in_utc_with_a_stable_uid():
    booking = confirmed()
    emails = sent()
    practice = PracticeSettings.load()
    for recipient, summary in [
        (VISITOR, f"Free consultation with {practice.practice_name}"),
        (PRACTICE_INBOX, f"Consultation #{booking.request_id}"),
    ]:
        mimetype, calendar = invite_of(emails[recipient])
        assert mimetype == "text/calendar; method=REQUEST; charset=utf-8"
        assert calendar["method"] == "REQUEST"
        event = the_event(calendar)
        assert event["uid"] == uid(booking)
        assert event["summary"] == summary
        assert event["location"] == "Phone call"
        assert event["status"] == "CONFIRMED"
        assert event["sequence"] == 0
        for name, moment in [("dtstart", booking.starts_at), ("dtend", booking.ends_at)]:
            value = event.decoded(name)
            assert value == moment
            assert value.utcoffset() == datetime.timedelta(0)
            assert event[name].to_ical().endswith(b"Z"), "written in UTC, which every calendar reads the same"
    assert emails[VISITOR].subject == f"Your consultation with {practice.practice_name} is confirmed"
    assert emails[PRACTICE_INBOX].subject == f"Consultation #{booking.request_id} is booked"
    assert when(booking) in emails[VISITOR].body
    assert manage_token(booking) in emails[VISITOR].body


def test_a_video_consultation_names_the_video_link_or_promises_it(setup):
    confirmed(way=Booking.Way.VIDEO)
    assert the_event(invite_of(sent()[VISITOR])[1])["location"] == "Video call (the link follows by email)"
    setup.video_link = "https://video.practice.example/room"
    setup.save()
    confirmed(way=Booking.Way.VIDEO)
    emails = sent()
    for recipient in (VISITOR, PRACTICE_INBOX):
        assert the_event(invite_of(emails[recipient])[1])["location"] == "https://video.practice.example/room"
    assert "by video call, at https://video.practice.example/room" in emails[VISITOR].body


def test_after_a_cancellation_both_get_a_cancel_for_the_same_event():
    booking = confirmed()
    sent()
    holds.cancel(booking, Booking.By.VISITOR)
    queue_invites(booking)
    emails = sent()
    for recipient in (VISITOR, PRACTICE_INBOX):
        mimetype, calendar = invite_of(emails[recipient])
        assert mimetype == "text/calendar; method=CANCEL; charset=utf-8"
        assert calendar["method"] == "CANCEL"
        assert the_event(calendar)["uid"] == uid(booking)
        assert the_event(calendar)["status"] == "CANCELLED"
    assert emails[PRACTICE_INBOX].subject == f"Consultation #{booking.request_id} was cancelled"
    assert "is cancelled" in emails[VISITOR].subject


def test_a_moved_consultation_is_the_same_event_one_sequence_later_at_its_new_time():
    booking = confirmed()
    sent()
    new = [
        time for time in slots.open_times(keep_for=booking.request_id) if time.starts_at != booking.starts_at
    ]
    moved = holds.move(booking, new[-1].starts_at, Booking.By.VISITOR)
    queue_invites(moved)
    emails = sent()
    for recipient in (VISITOR, PRACTICE_INBOX):
        _, calendar = invite_of(emails[recipient])
        event = the_event(calendar)
        assert calendar["method"] == "REQUEST"
        assert event["uid"] == uid(booking)
        assert event["sequence"] == 1
        assert event.decoded("dtstart") == new[-1].starts_at
    assert emails[PRACTICE_INBOX].subject == f"Consultation #{booking.request_id} was moved"
    assert manage_token(moved) in emails[VISITOR].body


def everything_in(email):
    """Subject, body, every header and every part (the .ics unfolded), decoded, as one text."""
    message = email.message()
    texts = [email.subject, email.body, *(f"{name}: {value}" for name, value in message.items())]
    for part in message.walk():
        if not part.is_multipart():
            payload = part.get_payload(decode=True).decode()
            texts.append(payload.replace("\r\n ", "").replace("\n ", ""))
            texts.extend(f"{name}: {value}" for name, value in part.items())
    return "\n".join(texts)


@pytest.mark.parametrize("state", ["confirmed", "cancelled"])
def test_the_practices_copy_carries_no_detail_of_the_request(state):
    consultation, needles = sentinel_request("email")
    booking = confirmed(consultation)
    if state == "cancelled":
        sent()
        holds.cancel(booking, Booking.By.VISITOR)
        queue_invites(booking)
    email = sent()[PRACTICE_INBOX]
    text = everything_in(email)
    assert f"Consultation #{consultation.pk}" in text
    assert leaks(text, needles) == []


@pytest.mark.parametrize("state", ["confirmed", "cancelled"])
def test_the_visitors_copy_names_them_only_as_the_invites_attendee(state):
    consultation, needles = sentinel_request("email")
    booking = confirmed(consultation)
    if state == "cancelled":
        sent()
        holds.cancel(booking, Booking.By.VISITOR)
        queue_invites(booking)
    email = sent()[consultation.email]
    name, address = needles.pop("name")[0], consultation.email
    attendees = the_event(invite_of(email)[1])["attendee"]
    (attendee,) = [a for a in attendees if str(a) == f"mailto:{address}"]
    assert attendee.params["cn"] == name
    text = everything_in(email)
    assert text.count(name) == 1, "the attendee's CN, and nowhere else"
    assert name not in email.subject and name not in email.body
    # The address it goes to: in the To header and as the attendee, nowhere else.
    text = text.replace(f"To: {address}", "To: (the visitor)", 1).replace(f"mailto:{address}", "mailto:", 1)
    assert leaks(text, needles) == []


class RecordsThenFails(BaseEmailBackend):
    """The mail server takes the message, then the connection drops before it says so."""

    tried = []

    def send_messages(self, email_messages):
        self.tried.extend(email_messages)
        raise ConnectionResetError


def test_a_failed_invite_is_retried_with_the_same_message_id_and_uid():
    booking = confirmed()
    RecordsThenFails.tried.clear()
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.RecordsThenFails"}}):
        assert send_due_notifications() == (0, 2)
    first = {email.to[0]: email for email in RecordsThenFails.tried}
    Notification.objects.update(next_attempt_at=timezone.now())
    retried = sent()
    for recipient in (VISITOR, PRACTICE_INBOX):
        assert retried[recipient].extra_headers["Message-ID"] == first[recipient].extra_headers["Message-ID"]
        before, after = the_event(invite_of(first[recipient])[1]), the_event(invite_of(retried[recipient])[1])
        assert before["uid"] == after["uid"] == uid(booking)
        assert before.decoded("dtstart") == after.decoded("dtstart")
    assert Notification.objects.filter(sent_at__isnull=False, attempts=2).count() == 2


def test_emails_not_sent_before_a_cancellation_are_dropped_for_the_cancellation():
    booking = confirmed()
    holds.cancel(booking, Booking.By.VISITOR)
    assert drop_unsent(booking) == 2
    queue_invites(booking)
    emails = sent()
    assert [the_event(invite_of(emails[to])[1])["status"] for to in (VISITOR, PRACTICE_INBOX)] == [
        "CANCELLED",
        "CANCELLED",
    ]


def test_dropping_one_booking_s_unsent_emails_leaves_every_other_booking_s():
    booking = confirmed()
    other = confirmed(make_request(name="Another Visitor", email="another@example.com"))
    holds.cancel(booking, Booking.By.VISITOR)
    assert drop_unsent(booking) == 2
    assert Notification.objects.filter(booking=other, sent_at__isnull=True).count() == 2


def test_emails_already_sent_are_kept():
    booking = confirmed()
    sent()
    assert drop_unsent(booking) == 0
    assert Notification.objects.filter(booking=booking, sent_at__isnull=False).count() == 2


def test_a_visitor_without_an_email_gets_no_invite_and_the_practice_still_does():
    confirmed(make_request(email="", preferred_contact="call", phone="555-010-2030"))
    assert list(sent()) == [PRACTICE_INBOX]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_a_worker_is_sending_as_the_visitor_cancels_is_waited_for_and_kept():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; development on SQLite runs one worker")
    booking = confirmed()
    SlowMailServer.sent.clear()

    def worker():
        try:
            with override_settings(
                MAILERS={"default": {"BACKEND": "tests.intake.broken_mail.SlowMailServer"}}
            ):
                send_due_notifications()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    time.sleep(0.2)  # the worker holds the first invite, half-way through sending it
    with transaction.atomic():
        holds.cancel(booking, Booking.By.VISITOR)
        dropped = drop_unsent(booking)
    thread.join()
    kept = Notification.objects.filter(booking=booking)
    assert dropped >= 1 and kept.count() == 2 - dropped
    assert sorted(email.extra_headers["Message-ID"] for email in SlowMailServer.sent) == sorted(
        kept.values_list("message_id", flat=True)
    ), "every email that went out keeps its row, marked sent"
    assert all(kept.values_list("sent_at", flat=True))
