"""
The sign-in records django-axes keeps, under the names the admin shows (accounts.admin).
Proxies of axes' own tables: nothing is stored twice, and axes keeps writing them.
"""

from axes.models import AccessAttempt, AccessLog
from django.utils import timezone
from django.utils.formats import date_format


def when(moment):
    return date_format(timezone.localtime(moment), "M j, g:i a")


class SignIn(AccessLog):
    """One sign-in to admin: who, from which address, with which browser, and when they signed out."""

    class Meta:
        proxy = True
        ordering = ["-attempt_time"]
        verbose_name = "sign-in"
        verbose_name_plural = "sign-in log"

    def __str__(self):
        return f"{self.username} signed in {when(self.attempt_time)}"


class FailedSignIn(AccessAttempt):
    """Wrong passwords or codes for one username from one address; five lock that pair out for a while."""

    class Meta:
        proxy = True
        ordering = ["-attempt_time"]
        verbose_name = "failed sign-in"
        verbose_name_plural = "failed sign-ins"

    def __str__(self):
        return f"Failed sign-ins as {self.username}"
