"""Small factories for the tests of a booked consultation: a time, and a confirmed booking (the hours: tests/hours.py)."""

import datetime
import uuid

from django.utils import timezone

from booking.models import Booking
from pages.clock import practice_zone
from tests.intake.factories import make_request


def at(days, hour, minute=0):
    """A wall-clock time in the practice's zone, `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=practice_zone())


def confirmed_booking(consultation=None, starts_at=None, way=Booking.Way.PHONE, **kwargs):
    """A confirmed consultation, as holds.confirm leaves it (unless told otherwise): in three days at 10:00."""
    starts_at = starts_at or at(3, 10)
    fields = {
        "request": consultation or make_request(),
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(minutes=20),
        "way": way,
        "state": Booking.State.CONFIRMED,
        "confirmed_at": timezone.now(),
        "invite_uid": f"consultation-{uuid.uuid4()}",
    }
    return Booking.objects.create(**fields | kwargs)
