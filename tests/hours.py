"""
The consultation hours the tests open: one helper for every test, so what a test changes is in its call.

Booking on; every field a test does not name keeps the model's default, as a therapist first finds it
(20-minute consultations, a 10-minute break, 24 hours' notice, 21 days ahead, no daily limit).
"""

import datetime

from booking.models import ConsultationHours, WeeklyWindow
from booking.slots import open_times


def every_day(starts="09:00", ends="17:00"):
    """One window a day, each day of the week, as (weekday, "HH:MM", "HH:MM")."""
    return [(weekday, starts, ends) for weekday in range(7)]


# The consultation form's few times: with the model's 20 minutes and 10-minute break, two a day (10:00
# and 10:30); with its day's notice and `days_ahead=4`, six to eight in all, few enough to list.
AN_HOUR_A_DAY = every_day("10:00", "11:00")

# Round numbers for the slot arithmetic (tests/booking): 30-minute times back to back, no notice.
BACK_TO_BACK = {"length_minutes": 30, "buffer_minutes": 0, "minimum_notice_hours": 0}


def open_hours(windows=None, **fields):
    """
    The consultation hours, booking on, with `windows` (weekday, "HH:MM", "HH:MM"; every day 9:00
    to 17:00 unless given) in place of any before, and `fields` set on them.
    """
    hours = ConsultationHours.load()
    for name, value in ({"booking_on": True} | fields).items():
        setattr(hours, name, value)
    hours.save()
    hours.windows.all().delete()
    for weekday, starts, ends in every_day() if windows is None else windows:
        WeeklyWindow.objects.create(
            hours=hours,
            weekday=weekday,
            starts=datetime.time.fromisoformat(starts),
            ends=datetime.time.fromisoformat(ends),
        )
    return hours


def offered():
    """The times the form offers now, soonest first."""
    return open_times(hours=ConsultationHours.load())
