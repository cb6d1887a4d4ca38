"""Small factories for the tests of a booked consultation: the hours, and a confirmed booking."""

import datetime
import uuid

from django.utils import timezone

from booking.models import Booking, ConsultationHours, WeeklyWindow
from booking.slots import practice_zone
from tests.intake.factories import make_request


def consultation_hours(**kwargs):
    """Booking on, twenty minutes with a ten-minute break, every day from 9:00 to 17:00."""
    hours = ConsultationHours.load()
    for name, value in {"booking_on": True, **kwargs}.items():
        setattr(hours, name, value)
    hours.save()
    for weekday in WeeklyWindow.Weekday.values:
        WeeklyWindow.objects.create(
            hours=hours, weekday=weekday, starts=datetime.time(9), ends=datetime.time(17)
        )
    return hours


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
