from django.db import models

from intake.models.request import ConsultationRequest


class ReplyTemplate(models.Model):
    """A reply the therapist starts from, filled in with the request's details and edited before sending."""

    name = models.CharField(max_length=100, unique=True, help_text="For you, in the list of templates.")
    subject = models.CharField(
        max_length=200,
        help_text="Neutral on purpose: others may see the subject line. Placeholders work here too.",
    )
    body = models.TextField(
        help_text=(
            "Placeholders: {name}, {clinician}, {practice}, {reply_days}, {thanks} (fits whether they wrote "
            "a message), {picked_times} (the times they hold), {about_times} (those times, or a request "
            "for some), {location}, {referrals}, {withdraw_link}. Write {{ or }} for a brace."
        )
    )
    moves_to = models.CharField(
        "status after sending",
        max_length=20,
        choices=ConsultationRequest.Status,
        blank=True,
        help_text="Leave empty to keep the request's status.",
    )
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first.")

    class Meta:
        verbose_name = "reply template"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Referral(models.Model):
    """Someone the therapist refers people to when they cannot help: inserted into replies where ticked."""

    name = models.CharField(max_length=150, unique=True)
    helps_with = models.CharField("what they help with", max_length=300, blank=True)
    how_to_reach = models.CharField("how to reach them", max_length=300, help_text="Phone, email or website.")
    accepting_new_clients = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first.")

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
