"""Helpers for the booking tests: consultation hours open every day, and times a request holds."""

import datetime

from booking import holds
from booking.models import ConsultationHours, WeeklyWindow
from booking.slots import open_times

LIST = "/admin/intake/consultationrequest/"


def open_hours(**changes):
    """Booking on, 09:00 to 17:00 every day, 20-minute consultations: plenty of open times."""
    hours = ConsultationHours.load()
    for name, value in ({"booking_on": True, "minimum_notice_hours": 24, "days_ahead": 14} | changes).items():
        setattr(hours, name, value)
    hours.save()
    for weekday in range(7):
        WeeklyWindow.objects.create(
            hours=hours, weekday=weekday, starts=datetime.time(9), ends=datetime.time(17)
        )
    return hours


def hold_times(consultation, count=3, skip=0, way="phone", now=None):
    """The request holds `count` open times (after skipping `skip`); returns the bookings."""
    times = open_times(now, keep_for=consultation.pk)[skip : skip + count]
    return holds.hold(consultation.pk, [time.starts_at for time in times], way, now=now)


def change_url(consultation):
    return f"{LIST}{consultation.pk}/change/"


def confirm_url(consultation):
    return f"{LIST}{consultation.pk}/confirm-time/"


def offer_url(consultation):
    return f"{LIST}{consultation.pk}/offer-times/"
