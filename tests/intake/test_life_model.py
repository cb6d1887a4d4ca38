"""
The life of requests and their consultations as a model (issue 23): visitors, the therapist, the
mail worker and the clock make the moves of intake.life.moves in random order on PostgreSQL, and after every
step the invariants hold. CI runs a fixed number of examples (LIFE_MODEL_EXAMPLES, 10 unless set);
`make model-check` runs many more.

The clock is the machine's own: timezone.now answers its time, so holds lapse, reminders fall due
and consultations pass as the model moves it, never as the machine's real clock does.
"""

import datetime
import os
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from icalendar import Calendar

from booking import holds
from booking.models import Booking
from booking.slots import open_times
from intake.consultation_time.booking_panel import booked_reason, confirm_time
from intake.consultation_time.offered_times import send_offer
from intake.life import moves
from intake.life.attention import needs_attention
from intake.life.booking_emails import queue_due_reminders
from intake.life.erasure import erase
from intake.life.notifications import build_email, queue_notifications
from intake.models import AuditEntry, ConsultationRequest, Notification
from pages.models import PracticeSettings
from tests.hours import open_hours
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
State = Booking.State
Kind = Notification.Kind
EXAMPLES = int(os.environ.get("LIFE_MODEL_EXAMPLES", "10"))
STEPS = int(os.environ.get("LIFE_MODEL_STEPS", "25"))
START = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)  # a Monday morning in New York

# How visitors ask to be reached: the way a consultation needs follows from it (the form's rule).
CONTACTS = {
    "email only": {"email": "e@example.com", "phone": "", "preferred_contact": "email"},
    "phone only": {"email": "", "phone": "555-010-0101", "preferred_contact": "call"},
    "both": {"email": "b@example.com", "phone": "555-010-0102", "preferred_contact": "email"},
}


class Life(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.now = START
        self.clock = mock.patch("django.utils.timezone.now", lambda: self.now)
        self.clock.start()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        open_hours(days_ahead=4)
        PracticeSettings.objects.update_or_create(pk=1, defaults={"email": "hello@wells.example"})
        self.numbers = []
        self.sequences = {}  # invite UID -> the last SEQUENCE sent for it
        self.told = {}  # invite UID -> what the visitor's last email about it said: (method, start)
        self.erased = set()

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.clock.stop()

    # Helpers

    def requests(self, statuses=None):
        found = ConsultationRequest.objects.filter(pk__in=self.numbers)
        return list(found.filter(status__in=statuses) if statuses else found)

    def confirmed_upcoming(self):
        return list(moves.upcoming_confirmed(self.numbers, self.now).order_by("pk"))

    # Visitors

    @rule(contact=st.sampled_from(list(CONTACTS)), count=st.integers(0, 3), skip=st.integers(0, 8),
          video=st.booleans())  # fmt: skip
    def visitor_sends_the_form(self, contact, count, skip, video):
        way = Booking.Way.VIDEO if video or contact == "email only" else Booking.Way.PHONE
        with transaction.atomic():
            consultation = make_request(**CONTACTS[contact], received_at=self.now, status_changed_at=self.now)
            queue_notifications(consultation)
        self.numbers.append(consultation.pk)
        times = [t.starts_at for t in open_times(self.now)[skip : skip + count]]
        if not times:
            return
        try:
            held = holds.hold(consultation.pk, times, way, now=self.now)
        except holds.TimeTaken:
            return  # the form came back saying which went: told
        # Every time the visitor sent is held.
        assert sorted(b.starts_at for b in held) == sorted(times)

    @precondition(lambda self: self.numbers)
    @rule(data=st.data(), move=st.booleans())
    def visitor_cancels_or_moves(self, data, move):
        upcoming = self.confirmed_upcoming()
        if not upcoming:
            return
        booking = data.draw(st.sampled_from(upcoming))
        self.cancel_or_move(data, booking, move, Booking.By.VISITOR)

    @precondition(lambda self: self.numbers)
    @rule(data=st.data())
    def visitor_withdraws(self, data):
        consultation = data.draw(st.sampled_from(self.requests() or [None]))
        if consultation is None:
            return
        erase([consultation.pk], None, AuditEntry.Action.WITHDRAW, detail="withdrawn")
        self.erased.add(consultation.pk)

    # The therapist

    @precondition(lambda self: self.numbers)
    @rule(data=st.data())
    def therapist_confirms(self, data):
        held = list(
            Booking.objects.filter(
                request_id__in=self.numbers, state=State.HELD, held_until__gt=self.now
            ).exclude(request__status__in=moves.FINAL)
        )
        if not held:
            return
        booking = data.draw(st.sampled_from(held))
        confirm_time(booking.request, booking, None)

    @precondition(lambda self: self.numbers)
    @rule(data=st.data())
    def therapist_offers_other_times(self, data):
        consultation = data.draw(st.sampled_from(self.requests(moves.OPEN) or [None]))
        if consultation is None or not consultation.email or booked_reason(consultation):
            return  # the offer page refuses these (intake.consultation_time.booking_panel)
        send_offer(consultation, subject="Times", body="Other times", user=None)

    @precondition(lambda self: self.numbers)
    @rule(data=st.data(), status=st.sampled_from([*ConsultationRequest.FINAL_STATUSES, Status.WAITLISTED]))
    def therapist_changes_the_status(self, data, status):
        consultation = data.draw(st.sampled_from(self.requests() or [None]))
        if consultation is None:
            return
        with transaction.atomic():
            consultation.change_status(status)

    @precondition(lambda self: self.numbers)
    @rule(data=st.data(), move=st.booleans())
    def therapist_cancels_or_moves(self, data, move):
        upcoming = self.confirmed_upcoming()
        if not upcoming:
            return
        booking = data.draw(st.sampled_from(upcoming))
        self.cancel_or_move(data, booking, move, Booking.By.THERAPIST)

    @precondition(lambda self: self.numbers)
    @rule(data=st.data())
    def therapist_erases(self, data):
        consultation = data.draw(st.sampled_from(self.requests() or [None]))
        if consultation is None:
            return
        erase([consultation.pk], None, AuditEntry.Action.ERASE, detail="erased")
        self.erased.add(consultation.pk)

    def cancel_or_move(self, data, booking, move, by):
        if move:
            times = [
                t
                for t in open_times(self.now, keep_for=booking.request_id)
                if t.starts_at != booking.starts_at
            ]
            if times:
                moves.move(booking, data.draw(st.sampled_from(times)).starts_at, by)
                return
        moves.cancel(booking, by, message="Sorry.")

    # The worker and the clock

    @rule()
    def worker_checks(self):
        """What the mail worker does at each check: sweeps, reminders, warnings, then sends."""
        holds.release_lapsed(self.now)
        queue_due_reminders(self.now)
        moves.warn_before_lapse(self.now)
        for notification in Notification.objects.filter(sent_at__isnull=True).order_by("created_at", "id"):
            self.deliver(notification)

    @rule(hours=st.sampled_from([1, 6, 13, 25, 49]))
    def time_passes(self, hours):
        self.worker_checks()  # the worker runs every few seconds: it has sent what was due
        self.now += datetime.timedelta(hours=hours)

    def deliver(self, notification):
        email = (
            build_email(notification)
            if notification.kind != Kind.REPLY or notification.request.email
            else None
        )
        for _, content, mimetype in email.attachments if email else []:
            if "text/calendar" not in mimetype:
                continue
            cal = Calendar.from_ical(content)
            (event,) = cal.walk("VEVENT")
            uid, sequence = str(event["uid"]), int(event["sequence"])
            key = (uid, tuple(email.to))
            assert sequence > self.sequences.get(key, -1), "each invite's SEQUENCE is higher than the last"
            self.sequences[key] = sequence
            if notification.kind == Kind.INVITE_VISITOR:
                self.told[uid] = (str(cal["method"]), event["dtstart"].dt)
        notification.sent_at = self.now
        notification.save(update_fields=["sent_at"])

    # Invariants

    @invariant()
    def no_final_or_erased_request_holds_or_confirms_a_time(self):
        keeping = Booking.objects.taking_time(self.now).filter(starts_at__gt=self.now)
        assert not keeping.filter(request__status__in=moves.FINAL).exists()
        assert not Booking.objects.filter(request_id__in=self.erased).exists()

    @invariant()
    def reminders_only_for_confirmed_upcoming_consultations(self):
        unsent = Notification.objects.filter(kind=Kind.REMINDER, sent_at__isnull=True)
        assert not unsent.exclude(booking__state=State.CONFIRMED, booking__starts_at__gt=self.now).exists()

    @invariant()
    def a_confirmed_consultation_can_reach_the_person(self):
        for booking in Booking.objects.filter(state=State.CONFIRMED).select_related("request"):
            assert booking.way != Booking.Way.PHONE or booking.request.phone

    @invariant()
    def every_held_time_is_counted_where_the_therapist_looks(self):
        holding = (
            Booking.objects.filter(state=State.HELD, held_until__gt=self.now)
            .values("request")
            .distinct()
            .count()
        )
        assert needs_attention(self.now)["holding"] == holding

    @invariant()
    def no_two_kept_times_overlap(self):
        kept = list(Booking.objects.filter(state__in=Booking.KEEPS_TIME).order_by("starts_at"))
        for earlier, later in zip(kept, kept[1:], strict=False):
            assert earlier.ends_at <= later.starts_at

    @invariant()
    def what_the_visitor_was_told_matches_the_database(self):
        """
        A visitor whose last email confirmed a time has that time confirmed, or an email about the
        change on its way. An erased request's visitor is not emailed (intake.life.moves says why).
        """
        for uid, (method, start) in self.told.items():
            if method != "REQUEST":
                continue
            bookings = Booking.objects.filter(invite_uid=uid.partition("@")[0])
            if not bookings.exists():
                continue  # erased: see the docstring
            confirmed = bookings.filter(state=State.CONFIRMED, starts_at=start).exists()
            on_its_way = Notification.objects.filter(
                booking__in=bookings, kind=Kind.INVITE_VISITOR, sent_at__isnull=True
            ).exists()
            passed = start <= self.now
            assert confirmed or on_its_way or passed


def test_the_life_of_requests_keeps_its_invariants():
    run_state_machine_as_test(
        Life,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=os.environ.get("LIFE_MODEL_RANDOM") != "1",
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
