from django.conf import settings
from django.db import models
from django.utils import timezone

from at_rest.fields import EncryptedCharField, EncryptedTextField
from intake.models.request import ConsultationRequest


class TimelineEntry(models.Model):
    """
    One dated contact with the person who wrote, or a note about them: replies sent from admin,
    calls and texts logged, notes. Part of the request: audited, purged and erased with it.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", "Email reply"
        CALL = "call", "Call or text"
        NOTE = "note", "Note"

    class Outcome(models.TextChoices):
        SPOKE = "spoke", "Spoke with them"
        VOICEMAIL = "voicemail", "Left a voicemail"
        NO_ANSWER = "no_answer", "No answer, no message left"
        TEXT_SENT = "text_sent", "Sent a text"

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=10, choices=Kind)
    at = models.DateTimeField("when", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome, blank=True, help_text="Calls and texts only.")
    subject = EncryptedCharField(max_length=200, blank=True, help_text="Email replies only.")
    text = EncryptedTextField(blank=True, help_text="The reply as sent, or a short note.")

    class Meta:
        verbose_name = "timeline entry"
        verbose_name_plural = "timeline"
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="call") | models.Q(outcome=""),
                name="intake_timeline_outcome_for_calls",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="call") | ~models.Q(outcome=""),
                name="intake_timeline_call_has_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on request #{self.request_id}"
