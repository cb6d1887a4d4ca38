"""The practice's one clock: every time the therapist reads is in settings.TIME_ZONE, never UTC beside it."""

from django.utils import timezone
from django.utils.formats import date_format


def local_time(moment):
    """A moment as the therapist reads it: "27 November 2026, 4:13 p.m."."""
    return date_format(timezone.localtime(moment), "j F Y, g:i a")
