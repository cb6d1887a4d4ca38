"""
The therapist's daily summary: how many requests wait, and one link to admin. Counts only.

Made by the mail worker that already runs (`manage.py send_notifications`, each time it checks),
never by cron: once the practice's summary time has passed today, in the practice's time zone, the
first check that finds no DailyDigest row for today makes one. The row's unique day is what keeps
two workers, or a restart, from making a second; its email goes through the outbox like the alerts,
with the same retries.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from intake.life.attention import held_times, lapse_words, needs_attention
from intake.models import DailyDigest, Notification
from pages.models import PracticeSettings

# (count, words for one, words for several), in the order the summary says them.
LINES = [
    ("new", "new request awaiting your reply", "new requests awaiting your reply"),
    ("overdue", "past your reply promise", "past your reply promise"),
    ("follow_ups_today", "follow-up due today", "follow-ups due today"),
    ("follow_ups_overdue", "follow-up overdue", "follow-ups overdue"),
    (
        "failed_emails",
        "email not sent yet (it will be retried)",
        "emails not sent yet (they will be retried)",
    ),
    (
        "holding",
        "request holding consultation times for your answer",
        "requests holding consultation times for your answer",
    ),
]
# The subject, shorter: only what is not zero, so the inbox alone says whether to open admin.
SUBJECT_WORDS = [
    ("new", "new", "new"),
    ("overdue", "past your reply promise", "past your reply promise"),
    ("follow_ups_today", "follow-up due today", "follow-ups due today"),
    ("follow_ups_overdue", "follow-up overdue", "follow-ups overdue"),
    ("failed_emails", "email not sent", "emails not sent"),
    ("holding", "holding times", "holding times"),
]


def say(count, one, several):
    return f"{count} {one if count == 1 else several}"


def make_daily_digest(now=None):
    """
    Make today's summary if its time has passed and no worker has made it yet; return it, or None.

    One summary per day, made at the first check after the summary time: a day with nothing to
    say (every count zero) still gets its row, with sent=False and no email, so the day is done.
    A request arriving later that day (at 10:00, after an 8:00 summary) does not bring a second,
    late summary; tomorrow's counts it, and the alert for it went out when it arrived.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    day = local.date()
    if local.time() < PracticeSettings.load().digest_time or DailyDigest.objects.filter(day=day).exists():
        return None
    counts = needs_attention(now)
    try:
        with transaction.atomic():
            digest = DailyDigest.objects.create(
                day=day, made_at=now, counts=counts, sent=any(counts.values())
            )
            if digest.sent:
                Notification.objects.create(
                    kind=Notification.Kind.DIGEST,
                    subject=digest_subject(counts),
                    body=digest_body(counts, held_times(now)[1]),
                )
    except IntegrityError:
        return None  # another worker made today's summary a moment ago
    return digest


def digest_subject(counts):
    """Neutral, numbers only: 'Your practice today: 3 new, 1 past your reply promise'."""
    parts = [say(counts[key], one, several) for key, one, several in SUBJECT_WORDS if counts.get(key)]
    return "Your practice today: " + ", ".join(parts)


def digest_body(counts, first_lapse=None):
    link = settings.SITE_URL + reverse("admin:intake_consultationrequest_changelist") + "?status=open"
    return (
        "Your consultation requests today:\n\n"
        + "".join(f"- {say(counts.get(key, 0), one, several)}\n" for key, one, several in LINES)
        + (f"  The first of those times is let go {lapse_words(first_lapse)}.\n" if first_lapse else "")
        + f"\nOpen them in admin (sign-in needed):\n{link}\n\n"
        "This email carries counts only, on purpose: the details stay on the website's server.\n"
    )
