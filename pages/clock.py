"""The practice's one clock: every time the therapist reads is in settings.TIME_ZONE, never UTC beside it."""

from django.utils import timezone


def time_of_day(moment):
    """A time (or a moment's time) as the clock writes it: "3:04 pm"."""
    return f"{moment.hour % 12 or 12}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"


def local_date(day, year=True):
    """A day as the clock writes it: "27 November 2026", or "27 November" when the year goes without saying."""
    return f"{day.day} {day:%B %Y}" if year else f"{day.day} {day:%B}"


def local_time(moment):
    """A moment as the therapist reads it, on the practice's clock: "27 November 2026, 3:04 pm"."""
    moment = timezone.localtime(moment)
    return f"{local_date(moment)}, {time_of_day(moment)}"


def local_day(moment):
    """A moment's day with its weekday: "Fri 27 November 2026"."""
    moment = timezone.localtime(moment)
    return f"{moment:%a} {local_date(moment)}"


def local_day_and_time(moment):
    """A moment with its weekday, for times booked or offered: "Fri 27 November 2026, 3:04 pm"."""
    return f"{local_day(moment)}, {time_of_day(timezone.localtime(moment))}"
