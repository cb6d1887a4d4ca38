from django.db import models
from django.utils import timezone

from pages.clock import local_time


class SubmissionAttempt(models.Model):
    """A saved form post, counted for the rate limit under a salted hash of the address, never the address."""

    client_key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client_key", "at"], name="intake_attempt_key_at")]

    def __str__(self):
        return f"{self.client_key[:8]}… at {local_time(self.at)}"
