"""
The sign-in records django-axes keeps, under the names the admin shows (accounts.admin).
Proxies of axes' own tables: nothing is stored twice, and axes keeps writing them.
And staff members' passkeys.
"""

from axes.models import AccessAttempt, AccessLog
from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django_otp.models import Device


def when(moment):
    """The practice's one clock (pages/clock.py) through Django's DATETIME_FORMAT: accounts imports no app."""
    return localize(timezone.localtime(moment))


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


class Passkey(Device):
    """
    A staff member's passkey (WebAuthn), a second factor like the authenticator app (see
    docs/passkeys.md). Only the public key is kept: the private one never leaves the phone,
    laptop or security key. A django-otp device, so signing in with it marks the session as
    verified for the admin, and `reset_two_factor` (all of a user's devices) removes it too.
    """

    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    # Random bytes the authenticator stores as the account's handle; never the username or id.
    user_handle = models.BinaryField()
    # The authenticator's counter: an answer that does not move it on is refused (a copied key).
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "passkey"

    def __str__(self):
        return self.name
