"""Helpers for the booking tests: times a request holds, and the admin pages about them (the hours: tests/hours.py)."""

from booking import holds
from booking.slots import open_times

LIST = "/admin/intake/consultationrequest/"


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
