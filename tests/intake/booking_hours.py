"""Consultation hours with booking on, for the tests of the time picker on the consultation form."""

import datetime

from booking.models import ConsultationHours, WeeklyWindow
from booking.slots import open_times


def booking_on(**fields):
    """
    Booking on, every day 10:00 to 11:00 New York time: 20 minutes and a 10-minute break, so two
    times a day (10:00 and 10:30), from tomorrow (a day's notice) for four days ahead (six to eight times).
    """
    hours = ConsultationHours.load()
    for name, value in {"booking_on": True, "days_ahead": 4, **fields}.items():
        setattr(hours, name, value)
    hours.save()
    for weekday in range(7):
        WeeklyWindow.objects.create(
            hours=hours, weekday=weekday, starts=datetime.time(10), ends=datetime.time(11)
        )
    return hours


def offered():
    """The times the form offers now, soonest first."""
    return open_times(hours=ConsultationHours.load())
