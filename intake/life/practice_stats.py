"""
How the practice is doing, for the admin home page: aggregates only, from what the requests
themselves say (nothing about visitors is tracked, on the site or anywhere else). Spam is left out.

Four queries whatever the data: one for the counts, one for the reply times (the median is taken
here, as SQLite has no median), one for each list of sources.
"""

import statistics
from collections import Counter
from datetime import datetime, time, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from intake.models import ConsultationRequest, StatusChange

Status = ConsultationRequest.Status
# Long enough to mean something for a practice with a few requests a week, short enough to be recent.
WINDOW_DAYS = 90
TOP = 5
# "How did you hear about me" is typed by visitors, and an answer given once can name them or the
# person who sent them ("my sister Ana Ruiz"). Answers given by this many requests or more are
# about a channel, not a person; the rest are never shown here.
HEARD_ABOUT_AT_LEAST = 2


def month_start(day):
    """Midnight on the first of `day`'s month, in the practice's time zone."""
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min))


def reached(status):
    """Requests in `status` now, or that were in it at some point (a client was once scheduled)."""
    return Q(status=status) | Q(pk__in=StatusChange.objects.filter(to_status=status).values("request"))


def practice_stats(now=None):
    """The figures for the admin home page, as of `now`; see the module's docstring."""
    now = now or timezone.now()
    this_month = month_start(timezone.localdate(now))
    last_month = month_start(this_month.date() - timedelta(days=1))
    requests = ConsultationRequest.objects.exclude(status=Status.SPAM)
    in_window = Q(received_at__gte=now - timedelta(days=WINDOW_DAYS))
    overdue = ConsultationRequest.objects.overdue(now).values("pk")  # the admin's own rule
    counts = requests.aggregate(
        this_month=Count("pk", filter=Q(received_at__gte=this_month)),
        last_month=Count("pk", filter=Q(received_at__gte=last_month, received_at__lt=this_month)),
        received=Count("pk", filter=in_window),
        answered_in_time=Count("pk", filter=in_window & Q(first_reply_at__lte=F("reply_due_at"))),
        answered_late=Count("pk", filter=in_window & Q(first_reply_at__gt=F("reply_due_at"))),
        waiting_late=Count("pk", filter=in_window & Q(pk__in=overdue)),
        consultations=Count(
            "pk", filter=in_window & (reached(Status.SCHEDULED) | reached(Status.BECAME_CLIENT))
        ),
        clients=Count("pk", filter=in_window & reached(Status.BECAME_CLIENT)),
    )
    recent = requests.filter(in_window)
    replied = recent.exclude(first_reply_at=None).values_list("received_at", "first_reply_at")
    reply_times = [reply - received for received, reply in replied]
    services = list(
        recent.values("service__title").annotate(requests=Count("pk")).order_by("-requests", "service__title")
    )
    # Counted here, not in the database: the answers are stored encrypted.
    answers = Counter(
        text.strip().lower() for text in recent.exclude(heard_about="").values_list("heard_about", flat=True)
    )
    heard_about = sorted(
        (
            {"answer": answer, "requests": n}
            for answer, n in answers.items()
            if answer and n >= HEARD_ABOUT_AT_LEAST
        ),
        key=lambda row: (-row["requests"], row["answer"]),
    )[:TOP]
    # Judged on time or not: every reply, and every request still waiting past its promise.
    due = counts["answered_in_time"] + counts["answered_late"] + counts["waiting_late"]
    return {
        **counts,
        "this_month_start": this_month,
        "last_month_start": last_month,
        "window_days": WINDOW_DAYS,
        "median_reply": statistics.median(reply_times) if reply_times else None,
        "replies": len(reply_times),
        "due": due,
        "in_time_percent": round(100 * counts["answered_in_time"] / due) if due else None,
        "services": [row for row in services if row["service__title"]][:TOP],
        "no_service": sum(row["requests"] for row in services if not row["service__title"]),
        "heard_about": list(heard_about),
        "heard_about_at_least": HEARD_ABOUT_AT_LEAST,
    }


def in_words(duration):
    """A reply time as the therapist would say it: 40 minutes, 5 hours, 2.5 days."""
    minutes = round(duration.total_seconds() / 60)
    if minutes < 60:
        return f"{minutes} minute{'s' * (minutes != 1)}"
    hours = round(minutes / 60)
    if hours < 48:
        return f"{hours} hour{'s' * (hours != 1)}"
    return f"{round(hours / 24, 1):g} days"
