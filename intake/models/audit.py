from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# One visit to the list of requests is one entry: listing, paging, filtering and sorting it again
# adds nothing while the same person has a list entry from the last 30 minutes (as long as admin's
# idle limit), so the log stays readable. Opening a request is always an entry of its own.
LIST_VISIT = timedelta(minutes=30)


class AuditEntry(models.Model):
    """
    Who viewed, changed, exported or deleted which request, and when. Append-only: never
    changed or deleted (admin offers neither). Request numbers only, never personal data.
    """

    class Action(models.TextChoices):
        LIST = "list", "Viewed the list"
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        EXPORT = "export", "Exported"
        DELETE = "delete", "Deleted"
        ERASE = "erase", "Erased on request"
        WITHDRAW = "withdraw", "Withdrawn by the visitor"
        PURGE = "purge", "Purged (retention)"

    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField("who", max_length=150, help_text="Kept if the account is deleted.")
    action = models.CharField(max_length=10, choices=Action)
    request_number = models.PositiveBigIntegerField("request", null=True, blank=True, db_index=True)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"
        ordering = ["-at", "-id"]

    def __str__(self):
        number = f" #{self.request_number}" if self.request_number else ""
        return f"{self.username} {self.get_action_display().lower()}{number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ARG002 - Model.delete's signature
        raise PermissionError("The audit log is append-only.")

    @classmethod
    def record(cls, action, user=None, numbers=(None,), detail=""):
        username = user.get_username() if user else "system"
        cls.objects.bulk_create(
            cls(user=user, username=username, action=action, request_number=number, detail=detail)
            for number in numbers
        )

    @classmethod
    def record_list_view(cls, user, count):
        """A "viewed the list" entry, unless this visit already has one (LIST_VISIT)."""
        visit_start = timezone.now() - LIST_VISIT
        if not cls.objects.filter(action=cls.Action.LIST, user=user, at__gt=visit_start).exists():
            cls.record(cls.Action.LIST, user, detail=f"{count} request{'' if count == 1 else 's'}")
