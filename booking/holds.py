"""
Taking, confirming and letting go of times. Each call runs in the caller's transaction (or its
own), and the database's exclusion constraint has the last word: if another visitor took a
time a moment earlier, TimeTaken names it and nothing of this call is kept.
"""

import datetime
import uuid

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from booking.models import HOLD_HOURS, Booking, ConsultationHours
from booking.slots import open_times

# The advisory lock's namespace and key: numbers no other lock of the site uses ("BOOK" in ASCII).
BOOKING_LOCK = [0x424F4F4B, 1]


class TimeTaken(Exception):
    """A time was not open any more: picked by someone else, or no longer offered."""


def hold(request_id, starts, way, now=None, hours=None, accepting_new_clients=True):
    """
    Hold the times starting at `starts` (UTC datetimes, open now) for a request, for HOLD_HOURS
    or until the therapist answers. Raises TimeTaken if any is not open: then none is held.
    """
    now = (now or timezone.now()).astimezone(datetime.UTC)
    hours = hours or ConsultationHours.load()
    try:
        with transaction.atomic():
            open_now = open_times_locked(now, hours, accepting_new_clients, keep_for=request_id)
            if any(start not in open_now for start in starts):
                raise TimeTaken
            return [
                Booking.objects.create(
                    request_id=request_id,
                    starts_at=start,
                    ends_at=open_now[start].ends_at,
                    way=way,
                    state=Booking.State.HELD,
                    held_until=now + datetime.timedelta(hours=HOLD_HOURS),
                    created_at=now,
                )
                for start in sorted(starts)
            ]
    except IntegrityError as error:
        raise TimeTaken from error


def open_times_locked(now, hours, accepting_new_clients=True, keep_for=None):
    """
    The open times by start, read while holding the booking lock until the transaction ends.

    The exclusion constraint alone keeps two bookings off one time; the lock (one for all booking
    writes: there are a handful a day) also keeps the per-day cap exact when two visitors take
    the last two times of a day at once, since each then reads what the other wrote.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", BOOKING_LOCK)
    release_lapsed(now)
    return {time.starts_at: time for time in open_times(now, hours, accepting_new_clients, keep_for=keep_for)}


def release_lapsed(now=None):
    """Mark holds nobody answered in time as released, so the constraint lets their time go."""
    return Booking.objects.lapsed(now).update(state=Booking.State.RELEASED)


def release_holds(request_id, now=None):
    """
    The therapist answered another way (other times offered, or a final status): free what was
    held. `held_until` becomes the moment it was let go, so a hold let go early is never taken
    for one that lapsed (which keeps its full HOLD_HOURS: see lapsed_unanswered).
    """
    return Booking.objects.filter(request_id=request_id, state=Booking.State.HELD).update(
        state=Booking.State.RELEASED, held_until=now or timezone.now()
    )


def held_now(booking, now=None):
    """Held, and its HOLD_HOURS not yet over."""
    return booking.state == Booking.State.HELD and booking.held_until > (now or timezone.now())


def lapsed_unanswered(booking, now=None):
    """A hold that ran its full HOLD_HOURS with no answer (swept to released or not yet)."""
    now = now or timezone.now()
    if booking.state not in (Booking.State.HELD, Booking.State.RELEASED) or booking.held_until is None:
        return False
    full = booking.held_until - booking.created_at >= datetime.timedelta(hours=HOLD_HOURS)
    return booking.held_until <= now and full


def confirm(booking, now=None):
    """
    Confirm one of a request's held times (or any time the therapist chose) and free the rest.
    Raises TimeTaken if its hold lapsed and someone else has the time now.
    """
    now = (now or timezone.now()).astimezone(datetime.UTC)
    try:
        with transaction.atomic():
            release_lapsed(now)
            Booking.objects.filter(request_id=booking.request_id, state=Booking.State.HELD).exclude(
                pk=booking.pk
            ).update(state=Booking.State.RELEASED, held_until=now)
            booking.state = Booking.State.CONFIRMED
            booking.confirmed_at = now
            booking.held_until = None
            booking.invite_uid = booking.invite_uid or f"consultation-{uuid.uuid4()}"
            booking.save(update_fields=["state", "confirmed_at", "held_until", "invite_uid"])
    except IntegrityError as error:
        raise TimeTaken from error
    return booking


def cancel(booking, by):
    """
    Cancel a confirmed consultation (`by` a Booking.By): the time is free again at once. The
    invite's SEQUENCE rises, as iTIP asks of every change, the cancellation included (RFC 5546 2.1.4).
    """
    booking.state = Booking.State.CANCELLED
    booking.ended_by = by
    booking.invite_sequence += 1
    booking.save(update_fields=["state", "ended_by", "invite_sequence"])


def move(booking, start, by, now=None, hours=None):
    """
    Move a confirmed consultation to another open time: a new confirmed booking carrying the same
    invite UID, one sequence later, so calendars update the event instead of adding one.
    """
    now = (now or timezone.now()).astimezone(datetime.UTC)
    hours = hours or ConsultationHours.load()
    try:
        with transaction.atomic():
            open_now = open_times_locked(now, hours, keep_for=booking.request_id)
            if start not in open_now:
                raise TimeTaken
            booking.state = Booking.State.MOVED
            booking.ended_by = by
            booking.save(update_fields=["state", "ended_by"])
            return Booking.objects.create(
                request_id=booking.request_id,
                starts_at=start,
                ends_at=open_now[start].ends_at,
                way=booking.way,
                state=Booking.State.CONFIRMED,
                created_at=now,
                confirmed_at=now,
                invite_uid=booking.invite_uid,
                invite_sequence=booking.invite_sequence + 1,
            )
    except IntegrityError as error:
        raise TimeTaken from error
