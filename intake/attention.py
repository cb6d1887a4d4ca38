"""
What needs the therapist's attention, counted one way for both places that show it: the daily
summary email (intake/digest.py) and the top of the admin home page (the consultation_summary tag).
Each count comes from the queryset method that holds its rule, so the two can never disagree.
"""

from django.db.models import Count, Q
from django.utils import timezone

from intake.models import ConsultationRequest, Notification

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
    """One query counting the requests in each queryset."""
    return ConsultationRequest.objects.aggregate(
        **{name: Count("pk", filter=Q(pk__in=queryset.values("pk"))) for name, queryset in querysets.items()}
    )


def needs_attention(now=None):
    """
    The counts the daily summary sends: new requests, those past the reply promise, follow-ups due
    today and overdue, and emails that failed. Numbers only. Two queries.
    """
    now = now or timezone.now()
    counts = count_each(**waiting_requests(now))
    counts["failed_emails"] = Notification.objects.filter(FAILED_EMAILS).count()
    return counts
