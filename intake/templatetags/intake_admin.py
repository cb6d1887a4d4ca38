from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from intake.admin.consultations import SPAM_WEEK_DAYS
from intake.life.attention import (
    FAILED_EMAILS,
    count_each,
    first_lapse,
    holding_requests,
    lapse_words,
    waiting_requests,
)
from intake.life.practice_stats import in_words, practice_stats
from intake.models import ConsultationRequest, Notification

register = template.Library()

# An email the worker has not sent within this long is waiting on a stopped worker or a refusing server.
EMAIL_WAIT_LIMIT = timedelta(minutes=5)


@register.inclusion_tag("admin/intake/summary.html", takes_context=True)
def consultation_summary(context):
    """What needs the therapist's attention, for the admin index: two queries, however much there is."""
    request = context["request"]
    if not request.user.has_perm("intake.view_consultationrequest"):
        return {"show": False}
    requests = ConsultationRequest.objects
    days = settings.INTAKE_RETENTION_DAYS
    now = timezone.now()
    # The daily summary's counts (intake/life/attention.py), and two that only the home page shows.
    counts = count_each(
        **waiting_requests(now),
        untouched=requests.untouched(days),
        spam_week=requests.set_aside_as_spam(SPAM_WEEK_DAYS),
        holding=holding_requests(now),
        first_lapse=first_lapse(now),
    )
    emails = Notification.objects.filter(sent_at__isnull=True).aggregate(
        failed=Count("pk", filter=FAILED_EMAILS),
        late=Count("pk", filter=Q(created_at__lt=now - EMAIL_WAIT_LIMIT)),
    )
    return {
        "show": True,
        "retention_days": days,
        "spam_days": SPAM_WEEK_DAYS,
        "holds_lapse": lapse_words(counts["first_lapse"]),
        **counts,
        **emails,
    }


@register.inclusion_tag("admin/intake/practice_stats.html", takes_context=True)
def practice_overview(context):
    """How the practice is doing, below the summary: aggregates only, a fixed number of queries."""
    if not context["request"].user.has_perm("intake.view_consultationrequest"):
        return {"show": False}
    stats = practice_stats()
    median = stats["median_reply"]
    return {"show": True, **stats, "median_reply_words": None if median is None else in_words(median)}
