from django.db import models
from django.utils import timezone

from pages.clock import local_date


class DailyDigest(models.Model):
    """
    The day's summary for the therapist, one row per day (the unique day is what keeps two workers
    or a restart from sending it twice). Counts only: never anything about a person.
    """

    day = models.DateField(unique=True)
    made_at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)
    sent = models.BooleanField(
        default=False, help_text="False when there was nothing to say and no email was queued."
    )

    class Meta:
        verbose_name = "daily summary"
        verbose_name_plural = "daily summaries"
        ordering = ["-day"]

    def __str__(self):
        return f"Summary for {local_date(self.day)}"
