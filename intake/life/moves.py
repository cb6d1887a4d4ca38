"""
The life of a consultation request and its consultation: one table of every move, and the few
functions every path goes through, so a status, a booking and the emails about them agree.

Read TABLE as: who may make the move; the request's status before and after ("same": unchanged,
"gone": deleted); the booking's state before and after; and what the move queues in the outbox,
to whom. tests/intake/test_life_table.py walks every row against the code; the Hypothesis model
(tests/intake/test_life_model.py) drives them in random order and checks the invariants.

Three rules the table keeps, whatever path a move takes:

- A confirmed upcoming consultation never outlives its request's answer. A final status (by a
  reply, the request's page or a list action) cancels it, with CANCEL invites to both sides, the
  time freed and the day-before reminder dropped; held times are let go.
- Erasure (admin's "Erase everything from this person", the visitor's withdrawal, the retention
  purge) sends the practice's calendar its CANCEL, written when queued because the request and its
  booking are deleted in the same transaction. The visitor gets no email: they asked for their
  details to be deleted, so their address is not kept past the erasure to write to them, and on a
  relationship site an email arriving after they asked to be forgotten may be read by the person
  they fear. The withdrawal page they pressed says their consultation is cancelled with it; after
  an admin erasure the therapist tells them as they asked to be contacted (admin says so).
- Every change to an invite raises its SEQUENCE, the cancellation included (RFC 5546).

One lock order: a change locks the request (lock_request) before its bookings. The therapist's
status change holds the request when it reaches the bookings, so a visitor's link that locked the
booking first would deadlock against it; in this order the second waits, then finds what the first
did (tests/intake/test_life_lock_order.py).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from booking import holds, invite
from booking.models import Booking, ConsultationHours
from intake.life.booking_emails import drop_unsent, queue_invites
from intake.models import ConsultationRequest, Notification, TimelineEntry
from pages.clock import local_day_and_time

VISITOR, THERAPIST, WORKER, CLOCK = "visitor", "therapist", "worker", "clock"
Status = ConsultationRequest.Status
State = Booking.State
Kind = Notification.Kind
OPEN = frozenset(ConsultationRequest.OPEN_STATUSES)
FINAL = frozenset(ConsultationRequest.FINAL_STATUSES)
ANY = OPEN | FINAL
SAME, GONE, NONE = "same", "gone", "none"
ANSWERED = "answered"  # New becomes Contacted; any other status stays
FINAL_ONE = "final"  # the final status chosen


@dataclass(frozen=True)
class Move:
    name: str
    who: tuple
    request_before: frozenset
    request_after: str
    booking_before: str
    booking_after: str
    sends: tuple  # Notification kinds queued; INVITE_VISITOR and REMINDER only when they gave an email
    code: str  # where the move is made: a dotted path to it (tests/intake/test_life_table.py imports each)


TABLE = [
    Move("send the form with times", (VISITOR,), frozenset(), Status.NEW, NONE, State.HELD,
         (Kind.PRACTICE, Kind.ACKNOWLEDGEMENT), "intake.form.views.send"),
    Move("confirm a held time", (THERAPIST,), OPEN, Status.SCHEDULED, State.HELD, State.CONFIRMED,
         (Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.consultation_time.booking_panel.confirm_time"),
    Move("offer other times", (THERAPIST,), OPEN - {Status.SCHEDULED}, ANSWERED, State.HELD, State.RELEASED,
         (Kind.REPLY,), "intake.consultation_time.offered_times.send_offer"),
    Move("offer other times while confirmed: refused", (THERAPIST,), OPEN, SAME, State.CONFIRMED,
         State.CONFIRMED, (), "intake.consultation_time.booking_panel.booked_reason"),
    Move("pick offered times", (VISITOR,), OPEN, SAME, NONE, State.HELD,
         (Kind.BOOKING_NOTICE,), "intake.consultation_time.offered_times.pick_page"),
    Move("reply keeping it open", (THERAPIST,), OPEN, ANSWERED, State.HELD, State.HELD,
         (Kind.REPLY,), "intake.life.replies.send_reply"),
    Move("final status (page, list)", (THERAPIST,), OPEN, FINAL_ONE, State.HELD, State.RELEASED,
         (), "intake.life.moves.answered"),
    Move("final status with a confirmed consultation", (THERAPIST,), OPEN, FINAL_ONE, State.CONFIRMED,
         State.CANCELLED, (Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.life.moves.answered"),
    Move("reply with a final status, confirmed", (THERAPIST,), OPEN, FINAL_ONE, State.CONFIRMED,
         State.CANCELLED, (Kind.REPLY, Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.life.moves.answered"),
    Move("therapist cancels", (THERAPIST,), OPEN, Status.CONTACTED, State.CONFIRMED, State.CANCELLED,
         (Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.life.moves.cancel"),
    Move("therapist moves", (THERAPIST,), OPEN, SAME, State.CONFIRMED, State.MOVED,
         (Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.life.moves.move"),
    Move("visitor cancels", (VISITOR,), OPEN, Status.CONTACTED, State.CONFIRMED, State.CANCELLED,
         (Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.life.moves.cancel"),
    Move("visitor moves", (VISITOR,), OPEN, SAME, State.CONFIRMED, State.MOVED,
         (Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE), "intake.life.moves.move"),
    Move("call or text that reached them", (THERAPIST,), frozenset({Status.NEW}), Status.CONTACTED, NONE,
         NONE, (), "intake.admin.calls.log_call"),
    Move("call with no answer", (THERAPIST,), frozenset({Status.NEW}), SAME, NONE, NONE,
         (), "intake.admin.calls.log_call"),
    Move("erase on their request", (THERAPIST,), ANY, GONE, State.CONFIRMED, GONE,
         (Kind.CANCEL_ERASED,), "intake.life.erasure.erase"),
    Move("withdraw with their link", (VISITOR,), ANY, GONE, State.CONFIRMED, GONE,
         (Kind.CANCEL_ERASED, Kind.WITHDRAWAL), "intake.life.withdrawal_views.withdraw_request"),
    Move("purge after the retention days", (CLOCK,), FINAL, GONE, State.CONFIRMED, GONE,
         (Kind.CANCEL_ERASED,), "intake.management.commands.purge_consultations.Command"),
    Move("a hold lapses", (CLOCK,), ANY, SAME, State.HELD, State.RELEASED,
         (), "booking.holds.release_lapsed"),
    Move("warn before holds lapse", (WORKER,), ANY, SAME, State.HELD, State.HELD,
         (Kind.BOOKING_NOTICE,), "intake.life.moves.warn_before_lapse"),
    Move("day-before reminder", (WORKER,), frozenset({Status.SCHEDULED}), SAME, State.CONFIRMED,
         State.CONFIRMED, (Kind.REMINDER,), "intake.life.booking_emails.queue_due_reminders"),
]  # fmt: skip


# The practice hears of held times this long before they are let go, so it can still answer.
WARN_BEFORE = timedelta(hours=12)


def upcoming_confirmed(numbers, now=None):
    return Booking.objects.filter(
        request_id__in=numbers, state=State.CONFIRMED, starts_at__gt=now or timezone.now()
    )


def note(booking, text, user=None):
    TimelineEntry.objects.create(
        request_id=booking.request_id, kind=TimelineEntry.Kind.NOTE, by=user, text=text
    )


def answered(consultation, now, user=None):
    """
    The request reached a final status (ConsultationRequest.change_status, inside its transaction):
    let go of its held times and cancel its confirmed upcoming consultation, telling both sides.
    """
    holds.release_holds(consultation.pk, now)
    for booking in upcoming_confirmed([consultation.pk], now).select_for_update():
        end(booking, Booking.By.THERAPIST)
        status = Status(consultation.status).label
        note(
            booking,
            f"Cancelled the consultation on {local_day_and_time(booking.starts_at)}: the request is now {status}.",
            user,
        )


def end(booking, by, message=""):
    """Cancel one confirmed booking: the time freed, unsent emails about it dropped, CANCELs queued."""
    holds.cancel(booking, by)
    drop_unsent(booking)
    return queue_invites(booking, message=message)


def lock_request(booking):
    """Lock the booking's request, inside the caller's transaction: the first lock of any change to both."""
    return ConsultationRequest.objects.select_for_update().get(pk=booking.request_id)


def cancel(booking, by, user=None, message="", how=""):
    """
    The visitor (their link) or the therapist (the request's page) cancels a confirmed consultation,
    in one transaction: the time freed, CANCEL invites to both, and a scheduled request back to
    Contacted, since nothing is scheduled any more. Returns True if the visitor is emailed.
    """
    with transaction.atomic():
        consultation = lock_request(booking)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        emailed = end(booking, by, message)
        who = "The visitor cancelled" if by == Booking.By.VISITOR else "Cancelled"
        note(booking, f"{who} the consultation on {local_day_and_time(booking.starts_at)}{how}.", user)
        if consultation.status == Status.SCHEDULED and not upcoming_confirmed([consultation.pk]).exists():
            consultation.change_status(Status.CONTACTED, user=user)
    return emailed


def move(booking, start, by, user=None, how=""):
    """Move a confirmed consultation (one transaction): the invite updated, SEQUENCE one higher."""
    with transaction.atomic():
        lock_request(booking)
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        moved = holds.move(booking, start, by)
        drop_unsent(booking)
        queue_invites(moved)
        who = "The visitor moved" if by == Booking.By.VISITOR else "Moved"
        note(
            moved,
            f"{who} the consultation from {local_day_and_time(booking.starts_at)} to {local_day_and_time(moved.starts_at)}{how}.",
            user,
        )
    return moved


def cancel_for_erasure(numbers, now=None):
    """
    Before these requests are deleted (in the same transaction): the practice's CANCEL for each
    confirmed upcoming consultation, written now, by number only. No email to the visitor: see
    the module docstring. Returns how many were cancelled.
    """
    from intake.life.notifications import NoRecipient, practice_recipient  # it imports this module's users
    from pages.models import PracticeSettings

    now = now or timezone.now()
    practice, hours = PracticeSettings.load(), ConsultationHours.load()
    try:
        recipient = practice_recipient(practice)
    except NoRecipient:
        recipient = None
    cancelled = 0
    for booking in upcoming_confirmed(numbers, now).select_for_update():
        booking.state = State.CANCELLED
        booking.invite_sequence += 1
        Notification.objects.create(
            kind=Kind.CANCEL_ERASED,
            subject=f"Consultation #{booking.request_id} was cancelled",
            body=(
                f"Consultation #{booking.request_id} on {local_day_and_time(booking.starts_at)} is cancelled: its request was "
                "deleted from the website. The time is open again, and the attached update removes it "
                "from your calendar.\n\nThe person was not emailed: they asked for their details to be "
                "deleted, or the retention rule deleted them.\n"
            ),
            invite=invite.practice_invite(
                booking, practice, hours, cancelled=True, now=now, recipient=recipient
            ).decode(),
        )
        cancelled += 1
    return cancelled


def warn_before_lapse(now=None):
    """
    The worker, each check: tell the practice, by number, of each request whose held times start to
    be let go within WARN_BEFORE, once per hold. Returns how many notices it queued.
    """
    now = now or timezone.now()
    due = Booking.objects.filter(
        state=State.HELD, held_until__gt=now, held_until__lte=now + WARN_BEFORE, lapse_warned_at__isnull=True
    )
    queued = 0
    for number in sorted(set(due.values_list("request_id", flat=True))):
        with transaction.atomic():
            # The claim is one UPDATE: a second worker at the same moment claims nothing.
            if not due.filter(request_id=number).update(lapse_warned_at=now):
                continue
            first = Booking.objects.filter(request_id=number, state=State.HELD, held_until__gt=now).aggregate(
                first=Min("held_until")
            )["first"]
            admin = settings.SITE_URL + reverse("admin:intake_consultationrequest_change", args=[number])
            lapse = local_day_and_time(first)
            Notification.objects.create(
                request_id=number,
                kind=Kind.BOOKING_NOTICE,
                subject=f"Request #{number}: held times are let go soon",
                body=(
                    f"The consultation times request #{number} holds are let go on {lapse}, unless "
                    "you confirm one or offer other times before then.\n\n"
                    f"The request, in admin (sign-in needed):\n{admin}\n\n"
                    "This email carries no details on purpose: they stay on the website's server.\n"
                ),
            )
            queued += 1
    return queued
