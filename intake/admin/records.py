"""The admin's supporting records: the form's choices, the audit log and the outbox, the last two read-only."""

from django.contrib import admin

from intake.admin.audit_words import what_happened
from intake.models import AuditEntry, Concern, Notification, Relationship


@admin.register(Concern, Relationship)
class ChoiceOptionAdmin(admin.ModelAdmin):
    list_display = ["label", "order", "active"]
    list_editable = ["order", "active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the site writes itself: shown, never added, changed or deleted in admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: nobody, not even a superuser, edits or deletes the audit log here."""

    list_display = ["at", "username", "what"]
    list_filter = ["action", "at"]
    search_fields = ["=request_number", "username"]
    date_hierarchy = "at"

    @admin.display(description="what")
    def what(self, obj):
        return what_happened(obj)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["request", "kind", "state", "attempts", "created_at"]
    list_filter = ["kind", ("sent_at", admin.EmptyFieldListFilter)]
    fields = ["request", "kind", "created_at", "attempts", "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields
