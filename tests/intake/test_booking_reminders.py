"""The day-before reminder: queued and sent once by the worker, to visitors who chose email."""

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from booking.links import manage_token
from booking.models import Booking
from intake.life import booking_emails
from intake.life.booking_emails import queue_due_reminders, when
from intake.models import ConsultationRequest, Notification
from pages.models import PracticeSettings
from tests.hours import open_hours
from tests.intake.bookings import confirmed_booking
from tests.intake.factories import make_request

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_daily_summary")]


@pytest.fixture(autouse=True)
def setup(settings):
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"
    open_hours()


def in_hours(hours, **kwargs):
    return confirmed_booking(starts_at=timezone.now() + timedelta(hours=hours), **kwargs)


def worker_once():
    call_command("send_notifications", "--once", verbosity=0)


def reminders():
    return [email for email in mail.outbox if email.subject.startswith("Reminder:")]


def test_the_worker_reminds_a_visitor_who_chose_email_once_the_day_before():
    booking = in_hours(20)
    worker_once()
    (email,) = reminders()
    practice = PracticeSettings.load()
    assert email.to == ["robin@example.com"]
    assert email.subject == f"Reminder: your consultation with {practice.practice_name} tomorrow"
    assert f"A reminder of your free consultation on {when(booking)}" in email.body
    assert reverse("intake:my_consultation", args=[manage_token(booking)]) in email.body
    (attachment,) = email.attachments
    calendar = Calendar.from_ical(attachment.content)
    assert calendar["method"] == "REQUEST"
    assert calendar.walk("VEVENT")[0]["uid"].startswith(booking.invite_uid + "@")
    for _ in range(3):
        worker_once()
    assert len(reminders()) == 1, "sent once, however often the worker looks"
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1
    booking.refresh_from_db()
    assert booking.reminder_queued_at is not None


@pytest.mark.parametrize(
    "booking",
    [
        pytest.param(lambda: in_hours(25), id="more than a day ahead"),
        pytest.param(lambda: in_hours(-1), id="started"),
        pytest.param(lambda: in_hours(-30), id="past"),
        pytest.param(lambda: in_hours(20, state=Booking.State.CANCELLED), id="cancelled"),
        pytest.param(lambda: in_hours(20, state=Booking.State.MOVED), id="moved"),
        pytest.param(lambda: in_hours(20, state=Booking.State.RELEASED), id="released"),
        pytest.param(
            lambda: in_hours(20, state=Booking.State.HELD, held_until=timezone.now() + timedelta(hours=5)),
            id="held",
        ),
        pytest.param(
            lambda: in_hours(
                20,
                consultation=make_request(
                    preferred_contact=ConsultationRequest.Contact.CALL, phone="555-010-2030"
                ),
            ),
            id="chose a call",
        ),
        pytest.param(
            lambda: in_hours(
                20,
                consultation=make_request(
                    preferred_contact=ConsultationRequest.Contact.TEXT, phone="555-010-2030"
                ),
            ),
            id="chose a text",
        ),
    ],
)
def test_no_reminder_for(booking):
    booking()
    worker_once()
    assert reminders() == []
    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER).exists()


def test_a_reminder_waiting_when_the_visitor_cancels_is_dropped_for_the_cancellation(client):
    booking = in_hours(20)
    queue_due_reminders()
    assert (
        client.post(
            reverse("intake:my_consultation", args=[manage_token(booking)]), {"action": "cancel"}
        ).status_code
        == 302
    )
    worker_once()
    assert reminders() == []
    assert [email.subject for email in mail.outbox if email.to == ["robin@example.com"]] == [
        f"Your consultation with {PracticeSettings.load().practice_name} is cancelled"
    ]


def test_a_worker_that_read_a_booking_as_due_after_another_claimed_it_queues_nothing(monkeypatch):
    booking = in_hours(20)
    assert queue_due_reminders() == 1
    # As a second worker would, if it read the due bookings a moment before the first one's claim.
    monkeypatch.setattr(booking_emails, "reminders_due", lambda now: Booking.objects.filter(pk=booking.pk))
    assert queue_due_reminders() == 0
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1


def test_the_database_refuses_a_second_reminder_for_a_booking():
    booking = in_hours(20)
    Notification.objects.create(request=booking.request, booking=booking, kind=Notification.Kind.REMINDER)
    with pytest.raises(IntegrityError):
        Notification.objects.create(request=booking.request, booking=booking, kind=Notification.Kind.REMINDER)


def test_a_worker_stopped_between_the_claim_and_the_reminder_leaves_neither(monkeypatch):
    booking = in_hours(20)
    create = Notification.objects.create

    def stopped(**fields):
        raise KeyboardInterrupt

    monkeypatch.setattr(Notification.objects, "create", stopped)
    with pytest.raises(KeyboardInterrupt):
        queue_due_reminders()
    booking.refresh_from_db()
    assert booking.reminder_queued_at is None, "the next worker still sees it as due"
    monkeypatch.setattr(Notification.objects, "create", create)
    assert queue_due_reminders() == 1


class Seen(list):
    """The due bookings a worker has read, in hand (select_related is already done)."""

    def select_related(self, *fields):
        return self


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_queue_the_reminder_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; development on SQLite runs one worker")
    in_hours(20)
    both_read = threading.Barrier(2, timeout=10)
    due, create = booking_emails.reminders_due, Notification.objects.create

    def read_then_wait(now):
        seen = Seen(due(now).select_related("request"))
        both_read.wait()  # both workers hold the booking as due before either claims it
        return seen

    def slow_create(**fields):
        time.sleep(0.3)  # the claim's row lock held a while, so the other worker's claim waits on it
        return create(**fields)

    monkeypatch.setattr(booking_emails, "reminders_due", read_then_wait)
    monkeypatch.setattr(Notification.objects, "create", slow_create)
    queued = []

    def worker():
        try:
            queued.append(queue_due_reminders())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(queued) == [0, 1]
    assert Notification.objects.filter(kind=Notification.Kind.REMINDER).count() == 1
