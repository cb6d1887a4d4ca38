"""
How people read a time, written here by hand and independently of pages/clock.py, so that a test
comparing the two fails when the clock's format changes by accident.
"""

from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")


def half(local):
    return "am" if local.hour < 12 else "pm"


def visitor_words(start, zone=NEW_YORK):
    """ "Wednesday 9 December at 10:00 am (New York time)"."""
    local = start.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B} at {local:%-I:%M} {half(local)} (New York time)"


def visitor_day_and_time(start, zone=NEW_YORK):
    """ "Wednesday 9 December at 10:00 am", as a page lists held times under its zone line."""
    return visitor_words(start, zone).removesuffix(" (New York time)")


def therapist_words(moment, zone=NEW_YORK):
    """ "9 December 2026, 10:00 am"."""
    local = moment.astimezone(zone)
    return f"{local.day} {local:%B %Y}, {local:%-I:%M} {half(local)}"


def therapist_day_and_time(moment, zone=NEW_YORK):
    """ "Wed 9 December 2026, 10:00 am": a time booked, held or offered, with its weekday."""
    return f"{moment.astimezone(zone):%a} {therapist_words(moment, zone)}"
