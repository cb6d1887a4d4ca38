"""
What needs the therapist's attention, counted one way for both places that show it: the daily
summary email (intake/life/digest.py) and the top of the admin home page (the consultation_summary tag).
Each count comes from the queryset method that holds its rule, so the two can never disagree.
"""

from django.db.models import Count, Min, Q, Subquery
from django.utils import timezone

from booking.models import Booking
from intake.models import ConsultationRequest, Notification
from pages.clock import local_day_and_time

# An email the mail server has refused at least once and that still waits for its next try.
FAILED_EMAILS = Q(sent_at__isnull=True, attempts__gt=0)


def waiting_requests(now):
    """The requests counted in the summary and on the home page, by name, as of `now`."""
    requests = ConsultationRequest.objects
    today = timezone.localdate(now)
    return {
        "new": requests.awaiting_reply(),
        "overdue": requests.overdue(now),
        "follow_ups_today": requests.follow_ups_due_today(today),
        "follow_ups_overdue": requests.follow_ups_overdue(today),
    }


def count_each(**querysets):
    """One query counting the requests in each queryset (an expression given instead is computed as is)."""
    return ConsultationRequest.objects.aggregate(
        **{
            name: Count("pk", filter=Q(pk__in=queryset.values("pk")))
            if hasattr(queryset, "values")
            else queryset
            for name, queryset in querysets.items()
        }
    )


def holding_requests(now):
    """
    Requests holding times for the therapist's answer, whatever their status: a reply or "Offer
    other times" does not end a hold the visitor made after it.
    """
    held = Booking.objects.filter(state=Booking.State.HELD, held_until__gt=now)
    return ConsultationRequest.objects.filter(pk__in=held.values("request_id"))


def first_lapse(now):
    """When the first held time is let go, as an expression for count_each's one query."""
    held = Booking.objects.filter(state=Booking.State.HELD, held_until__gt=now).order_by("held_until")
    return Min(Subquery(held.values("held_until")[:1]))


def held_times(now):
    """(how many requests hold times, when the first is let go): one query."""
    counts = count_each(holding=holding_requests(now), first_lapse=first_lapse(now))
    return counts["holding"], counts["first_lapse"]


def lapse_words(moment):
    return local_day_and_time(moment) if moment else ""


def needs_attention(now=None):
    """
    The counts the daily summary sends: new requests, those past the reply promise, follow-ups due
    today and overdue, emails that failed, and requests holding times (when the first lapses: see
    held_times). Numbers only. Two queries.
    """
    now = now or timezone.now()
    counts = count_each(**waiting_requests(now), holding=holding_requests(now))
    counts["failed_emails"] = Notification.objects.filter(FAILED_EMAILS).count()
    return counts
