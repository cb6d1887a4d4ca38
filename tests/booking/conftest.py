import datetime
from zoneinfo import ZoneInfo

import pytest

from booking.models import ConsultationHours, WeeklyWindow

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(autouse=True)
def new_york(settings):
    """Every booking test reads the clock in the practice's zone, named here rather than assumed."""
    settings.TIME_ZONE = "America/New_York"


def at(year, month, day, hour=0, minute=0):
    """A wall-clock time in New York (the first of two, in the hour clocks go back)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def utc(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=datetime.UTC)


def open_hours(windows=(), **fields):
    """The consultation hours, booking on, with `windows` as (weekday, "HH:MM", "HH:MM")."""
    hours = ConsultationHours.load()
    defaults = {
        "booking_on": True,
        "length_minutes": 30,
        "buffer_minutes": 0,
        "minimum_notice_hours": 0,
        "days_ahead": 21,
        "most_per_day": None,
    }
    for name, value in (defaults | fields).items():
        setattr(hours, name, value)
    hours.save()
    hours.windows.all().delete()
    for weekday, starts, ends in windows:
        WeeklyWindow.objects.create(
            hours=hours,
            weekday=weekday,
            starts=datetime.time.fromisoformat(starts),
            ends=datetime.time.fromisoformat(ends),
        )
    return hours
