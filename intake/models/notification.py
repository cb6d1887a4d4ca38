from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from at_rest.fields import EncryptedCharField, EncryptedTextField
from intake.models.request import ConsultationRequest
from intake.models.timeline import TimelineEntry
from pages.clock import local_time, time_of_day


def new_message_id():
    """A Message-ID for one email, made once: every attempt to send it carries the same one."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


class Notification(models.Model):
    """
    An email to send, written in the same transaction as its request (an outbox) and
    delivered by `manage.py send_notifications`, which retries until the mail server takes it.
    """

    class Kind(models.TextChoices):
        PRACTICE = "practice", "Alert to the practice"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement to the visitor"
        REPLY = "reply", "Reply to the visitor"
        WITHDRAWAL = "withdrawal", "Withdrawal notice to the practice"
        DIGEST = "digest", "Daily summary to the practice"
        INVITE_VISITOR = "invite_visitor", "Consultation invite to the visitor"
        INVITE_PRACTICE = "invite_practice", "Consultation invite to the practice"
        REMINDER = "reminder", "Consultation reminder to the visitor"
        BOOKING_NOTICE = "booking_notice", "Booking notice to the practice"
        CANCEL_ERASED = "cancel_erased", "Cancellation to the practice (request deleted)"

    # The emails about a booked time: each names its booking, and is written from it when sent.
    ABOUT_A_BOOKING = [Kind.INVITE_VISITOR, Kind.INVITE_PRACTICE, Kind.REMINDER]

    # One per request for the two emails every request gets; any number of replies.
    ONCE_PER_REQUEST = [Kind.PRACTICE, Kind.ACKNOWLEDGEMENT]

    request = models.ForeignKey(
        ConsultationRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="Empty for the practice's withdrawal notices, daily summaries and cancellations of deleted "
        "requests: they name no request.",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    reply = models.ForeignKey(
        TimelineEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The reply's text, kept in the request's timeline.",
    )
    booking = models.ForeignKey(
        "booking.Booking",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="The consultation time an invite or reminder is about.",
    )
    # Written when queued, for the practice's emails that carry numbers only (withdrawal, summary).
    subject = EncryptedCharField(max_length=200, blank=True)
    body = EncryptedTextField(blank=True)
    # The practice's CANCEL for a consultation whose request is deleted with it (intake.life.moves): numbers only.
    invite = models.TextField(blank=True)
    # A worker stopped after the mail server took the email and before it was marked sent
    # sends it again: the same Message-ID lets mail programs show the two copies as one.
    message_id = models.CharField(max_length=200, default=new_message_id, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField("next try", default=timezone.now)
    sent_at = models.DateTimeField("sent", null=True, blank=True)
    last_error = models.CharField(
        max_length=200,
        blank=True,
        help_text="The kind of error only: a mail server's message may quote addresses.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind"],
                condition=Q(kind__in=["practice", "acknowledgement"]),
                name="intake_notification_one_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["withdrawal", "digest", "cancel_erased"]) | Q(request__isnull=False),
                name="intake_notification_request_unless_practice_notice",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reply") | Q(reply__isnull=False), name="intake_notification_reply_has_text"
            ),
            models.UniqueConstraint(fields=["message_id"], name="intake_notification_unique_message_id"),
            models.CheckConstraint(
                condition=~Q(kind__in=["invite_visitor", "invite_practice", "reminder"])
                | Q(booking__isnull=False),
                name="intake_notification_invite_has_booking",
            ),
            # The day-before reminder goes once, however many workers look for due ones.
            models.UniqueConstraint(
                fields=["booking"], condition=Q(kind="reminder"), name="intake_notification_one_reminder"
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="intake_notification_due"
            )
        ]

    def __str__(self):
        if self.request_id is None:
            return self.get_kind_display()
        return f"{self.get_kind_display()} for request #{self.request_id}"

    @property
    def state(self):
        if self.sent_at:
            return f"sent {local_time(self.sent_at)}"
        if self.attempts:
            return (
                f"not sent yet: {self.attempts} failed tries ({self.last_error}); "
                f"next try {time_of_day(self.next_attempt_at)}"
            )
        return "queued"
