"""The practice's one clock: every time the therapist reads is in settings.TIME_ZONE, never UTC beside it."""

from django.utils import timezone


def local_time(moment):
    """A moment as the therapist reads it, on the practice's clock: "27 November 2026, 3:04 pm"."""
    moment = timezone.localtime(moment)
    hour = moment.hour % 12 or 12
    return f"{moment.day} {moment:%B %Y}, {hour}:{moment:%M} {'am' if moment.hour < 12 else 'pm'}"
