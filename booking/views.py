"""The therapist's private calendar feed: confirmed consultations by number, for a calendar app."""

import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone

from booking import invite
from booking.models import Booking, CalendarFeed, ConsultationHours
from pages.methods import allow_methods
from pages.models import PracticeSettings

# Consultations this long ago stay in the feed, so last week's are still in the calendar.
FEED_DAYS_BACK = 30


@allow_methods("GET", "HEAD")
def calendar_feed(request, token):
    """
    The feed for a token: looked up by its hash (the database compares hashes, never the token),
    so a wrong or revoked address is a plain 404. No session or cookie is read or set.
    """
    now = timezone.now()
    updated = CalendarFeed.objects.filter(token_hash=CalendarFeed.hash(token)).update(last_read_at=now)
    if not updated:
        raise Http404
    bookings = Booking.objects.filter(
        state=Booking.State.CONFIRMED, starts_at__gte=now - datetime.timedelta(days=FEED_DAYS_BACK)
    ).order_by("starts_at", "id")
    body = invite.feed(bookings, PracticeSettings.load(), ConsultationHours.load(), now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
