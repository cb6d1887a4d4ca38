"""
The practice's one clock: every date and time a person reads is written here, on the practice's
zone (settings.TIME_ZONE), never UTC beside it, in one format per audience.

- The therapist, in admin (lists, change forms, the timeline, notes, the practice's emails):
  `local_time` "7 December 2026, 7:35 am", `local_date` "7 December 2026" (or "7 December" where the
  year goes without saying), `time_of_day` "7:35 am"; a time booked, held or offered also says its
  weekday, `local_day_and_time` "Mon 7 December 2026, 7:35 am". Django's own dates in admin use the
  same formats (practice/formats/en/formats.py).
- The visitor, on pages and in their emails: `visitor_when` "Tuesday 8 December at 12:00 pm (New
  York time)", or its parts `visitor_day` "Tuesday 8 December" and `visitor_time` "12:00 pm".
- Machines (form values, CSV cells, <time datetime>, stored stamps): the `*_stamp` and `form_value`
  functions at the end, in ISO 8601 forms that sort and parse.

On the night clocks go back, 1:30 am happens twice; a time read then carries its zone, "1:30 am EST".
tests/practice/test_one_clock.py fails when a module or template formats a date or time itself.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# How a picked consultation time travels in a form: its start in UTC, to the minute.
FORM_VALUE = "%Y-%m-%dT%H:%MZ"
# What <input type="datetime-local"> reads and sends: the practice's wall clock, to the minute.
DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def practice_zone():
    return ZoneInfo(settings.TIME_ZONE)


def zone_name():
    """ "America/New_York" as people say it: "New York time"."""
    return settings.TIME_ZONE.rpartition("/")[2].replace("_", " ") + " time"


def local(moment):
    return moment.astimezone(practice_zone())


def repeated(moment):
    """Whether the practice's wall clock reads this moment's time twice that day (the hour clocks go back)."""
    wall = local(moment)
    return wall.replace(fold=1 - wall.fold).utcoffset() != wall.utcoffset()


def time_of_day(value):
    """ "7:35 am": a wall-clock time, or a moment's time with its zone where that night reads it twice."""
    wall = local(value) if isinstance(value, datetime.datetime) else value
    words = f"{wall.hour % 12 or 12}:{wall.minute:02d} {'am' if wall.hour < 12 else 'pm'}"
    if isinstance(value, datetime.datetime) and repeated(value):
        return f"{words} {wall.tzname()}"
    return words


# The therapist's formats.


def local_date(day, year=True):
    """ "27 November 2026", or "27 November" when the year goes without saying; a moment's date on the practice's clock."""
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    return f"{day.day} {day:%B %Y}" if year else f"{day.day} {day:%B}"


def month(day):
    """ "December": a month by name, as the practice's statistics head their columns."""
    return f"{day:%B}"


def local_time(moment):
    """A moment as the therapist reads it, on the practice's clock: "27 November 2026, 3:04 pm"."""
    return f"{local_date(moment)}, {time_of_day(moment)}"


def local_day(moment):
    """A moment's day with its weekday: "Fri 27 November 2026"."""
    return f"{local(moment):%a} {local_date(moment)}"


def local_day_and_time(moment):
    """A moment with its weekday, for times booked, held or offered: "Fri 27 November 2026, 3:04 pm"."""
    return f"{local_day(moment)}, {time_of_day(moment)}"


# The visitor's formats.


def visitor_day(day):
    """ "Tuesday 8 December": a date, or a moment's date on the practice's clock."""
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    return f"{day:%A} {day.day} {day:%B}"


def visitor_time(moment):
    """ "12:00 pm", or "1:00 am EST" where that wall-clock hour happens twice."""
    return time_of_day(moment)


def visitor_when(moment):
    """ "Tuesday 8 December at 12:00 pm (New York time)": a consultation's time in the visitor's words."""
    return f"{visitor_day(moment)} at {visitor_time(moment)} ({zone_name()})"


# Machines' formats: these sort and parse, and no person is meant to read them.


def form_value(moment):
    """How a form names a consultation time: "2026-12-08T17:00Z"."""
    return moment.astimezone(datetime.UTC).strftime(FORM_VALUE)


def parse_form_value(value):
    """The UTC start a form value names, or None if it names no time."""
    try:
        return datetime.datetime.strptime(value, FORM_VALUE).replace(tzinfo=datetime.UTC)
    except (TypeError, ValueError):
        return None


def iso_stamp(moment, timespec="auto"):
    """ISO 8601 on the practice's clock, with its offset: "2026-12-08T12:00:00-05:00" (<time datetime>, CSV)."""
    return timezone.localtime(moment).isoformat(timespec=timespec)


def iso_day(day):
    return day.isoformat()


def stored_stamp(moment):
    """ISO 8601 in the moment's own zone (UTC, as read from the database), for what is stored and compared."""
    return moment.isoformat()


def record_stamp(moment):
    """ "2026-12-08 17:00:00": a moment to the second as stored, kept exactly as records already hold it."""
    return f"{moment:%Y-%m-%d %H:%M:%S}"
