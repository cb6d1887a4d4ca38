from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince

from intake.admin.audit_words import changes_in_words, status_in_words
from intake.admin.replying import ReplyingMixin
from intake.admin.request_pages import RequestPagesMixin
from intake.admin.timeline import FollowUpFilter, TimelineAdminMixin
from intake.consultation_time.booking_panel import BookingPanelMixin
from intake.consultation_time.consultation_change import ConsultationChangeMixin
from intake.life import moves
from intake.life.erasure import erase
from intake.life.export import csv_response
from intake.models import AuditEntry, ConsultationRequest, StatusChange
from pages.clock import local_time

Status = ConsultationRequest.Status
SUBMITTED = [
    "received_at", "name", "preferred_contact", "email", "phone", "voicemail_ok", "text_ok", "client_location",
    "out_of_area", "is_adult", "session_format", "availability_list", "payment", "insurer", "service",
    "concern_list", "relationship_list", "message", "heard_about", "emergency_notice_seen",
    "privacy_notice_version", "privacy_accepted_at", "joined_waitlist", "spam_reason",
]  # fmt: skip


SPAM_WEEK_DAYS = 7


class StatusFilter(admin.SimpleListFilter):
    """Open requests unless asked otherwise; spam is one click away, never in the default list."""

    title = "status"
    parameter_name = "status"
    default = "open"

    def lookups(self, request, model_admin):
        return [
            ("open", "Open"),
            ("overdue", "Past the reply promise"),
            ("untouched", f"Open, unchanged for {settings.INTAKE_RETENTION_DAYS}+ days"),
            ("all", "All except spam"),
            ("spam_week", f"Set aside as spam in the last {SPAM_WEEK_DAYS} days"),
            *Status.choices,
        ]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or self.default) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or self.default
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        if value == "untouched":
            return queryset.untouched(settings.INTAKE_RETENTION_DAYS)
        if value == "spam_week":
            return queryset.set_aside_as_spam(SPAM_WEEK_DAYS)
        if value == "all":
            return queryset.exclude(status=Status.SPAM)
        return queryset.filter(status=value) if value in Status.values else queryset.none()


class ConcernFilter(admin.RelatedFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "None chosen"


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    verbose_name = "status change"
    verbose_name_plural = "status history"
    fields = ["changed_at", "changed_by", "from_status", "to_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("intake.view_consultationrequest")


@admin.register(ConsultationRequest)
class ConsultationRequestAdmin(
    TimelineAdminMixin,
    ReplyingMixin,
    BookingPanelMixin,
    ConsultationChangeMixin,
    RequestPagesMixin,
    admin.ModelAdmin,
):
    list_display = ["number", "received", "who", "contact", "where", "status", "waiting", "next_follow_up"]
    list_display_links = ["number", "who"]
    list_filter = [
        StatusFilter,
        FollowUpFilter,
        ("concerns", ConcernFilter),
        "received_at",
        "out_of_area",
        "preferred_contact",
    ]
    # Searched in the application: they are encrypted (TimelineAdminMixin.get_search_results).
    search_fields = ["name", "email", "phone"]
    list_per_page = 50
    view_on_site = False
    actions = ["mark_contacted", "mark_spam", "close", "export_csv", "erase_person"]
    inlines = [StatusChangeInline]
    readonly_fields = [
        "contact_permissions", "contact_to_read", "reply_by_email", "waiting", "first_reply_at", "notification_state",
        "timeline_entries", "email_link", "phone_link", "consultation_time", "consultation_time_to_read",
        *SUBMITTED,
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["contact_permissions", "reply_by_email"]}),
        ("Your follow-up", {"fields": ["status", "follow_up_on", "waiting", "first_reply_at"]}),
        ("Consultation time", {"fields": ["consultation_time"]}),
        ("Timeline", {"fields": ["add_note", "timeline_entries"]}),
        (
            "How to reach them",
            {"fields": ["name", "preferred_contact", "email_link", "phone_link", "voicemail_ok", "text_ok"]},
        ),
        (
            "Where and when",
            {"fields": ["client_location", "out_of_area", "is_adult", "session_format", "availability_list"]},
        ),
        ("Payment", {"fields": ["payment", "insurer"]}),
        (
            "What brings them",
            {"fields": ["service", "concern_list", "relationship_list", "message", "heard_about"]},
        ),
        (
            "Record",
            {
                "classes": ["collapse"],
                "fields": [
                    "received_at", "joined_waitlist", "emergency_notice_seen", "privacy_notice_version",
                    "privacy_accepted_at", "spam_reason", "notification_state",
                ],
            },
        ),
    ]  # fmt: skip

    class Media:
        css = {"all": ["css/intake-admin.css"]}

    def get_fieldsets(self, request, obj=None):
        """Staff who may only read a request see how to reach them, without buttons that would refuse them."""
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        to_read = {"consultation_time": "consultation_time_to_read"}
        return [
            (None, {"fields": ["contact_to_read"]}),
            *(
                (name, {**options, "fields": [to_read.get(field, field) for field in options["fields"]]})
                for name, options in fieldsets[1:]
            ),
        ]

    def has_add_permission(self, request):
        return False  # requests arrive through the form only

    def has_export_permission(self, request):
        return request.user.has_perm("intake.export_consultationrequest")

    @admin.display(description="#", ordering="id")
    def number(self, obj):
        return obj.pk

    @admin.display(description="received", ordering="received_at")
    def received(self, obj):
        return local_time(obj.received_at)

    # Not sortable: the name is stored encrypted, so the database cannot order by it.
    @admin.display(description="name")
    def who(self, obj):
        return obj.name

    @admin.display(description="contact", ordering="preferred_contact")
    def contact(self, obj):
        return obj.get_preferred_contact_display()

    # Not sortable: the state is stored encrypted, and the database would sort the sealed texts.
    @admin.display(description="where")
    def where(self, obj):
        if obj.out_of_area:
            return format_html(
                '{} <span class="intake-badge intake-badge--warn">out of area</span>', obj.client_location
            )
        return obj.client_location

    @admin.display(description="waiting", ordering="received_at")
    def waiting(self, obj):
        if obj.status != Status.NEW:
            return (
                f"replied after {timesince(obj.received_at, obj.first_reply_at)}"
                if obj.first_reply_at
                else "–"
            )
        if obj.is_overdue():
            return format_html(
                '<strong class="intake-overdue" title="The reply promised to them was due {}">'
                "{}, overdue</strong>",
                local_time(obj.reply_due_at),
                timesince(obj.received_at, depth=1),
            )
        return timesince(obj.received_at, depth=1)

    @admin.display(description="availability")
    def availability_list(self, obj):
        return ", ".join(obj.availability_labels()) or "–"

    @admin.display(description="concerns")
    def concern_list(self, obj):
        return format_html_join("", "<div>{}</div>", ((c.label,) for c in obj.concerns.all())) or "–"

    @admin.display(description="relationships")
    def relationship_list(self, obj):
        return ", ".join(r.label for r in obj.relationships.all()) or "–"

    @admin.display(description="emails")
    def notification_state(self, obj):
        rows = ((n.get_kind_display(), n.state) for n in obj.notifications.all())
        return format_html_join("", "<div>{}: {}</div>", rows) or "none (spam is never announced)"

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if request.method == "GET" and response.status_code == 200 and "cl" in (response.context_data or {}):
            AuditEntry.record_list_view(request.user, response.context_data["cl"].result_count)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            AuditEntry.record(AuditEntry.Action.VIEW, request.user, [int(object_id)])
        return response

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        obj.status = form.initial.get("status", new_status)
        super().save_model(request, obj, form, change)
        obj.change_status(new_status, user=request.user)
        if not form.changed_data:
            return  # nothing changed, or only a note added (audited on its own)
        AuditEntry.record(AuditEntry.Action.CHANGE, request.user, [obj.pk], detail=changes_in_words(form))

    def delete_model(self, request, obj):
        number = obj.pk
        super().delete_model(request, obj)
        AuditEntry.record(AuditEntry.Action.DELETE, request.user, [number])

    def delete_queryset(self, request, queryset):
        numbers = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        AuditEntry.record(AuditEntry.Action.DELETE, request.user, numbers)

    def set_status(self, request, queryset, status):
        changed = []
        with transaction.atomic():
            for consultation in queryset.exclude(status=status):
                consultation.change_status(status, user=request.user)
                changed.append(consultation.pk)
            AuditEntry.record(AuditEntry.Action.CHANGE, request.user, changed, detail=status_in_words(status))
        self.message_user(request, f"{len(changed)} marked “{Status(status).label}”.")

    @admin.action(description="Mark selected as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self.set_status(request, queryset, Status.CONTACTED)

    @admin.action(description="Mark selected as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self.set_status(request, queryset, Status.SPAM)

    @admin.action(description="Close selected", permissions=["change"])
    def close(self, request, queryset):
        self.set_status(request, queryset, Status.CLOSED)

    @admin.action(description="Export selected as CSV", permissions=["export"])
    def export_csv(self, request, queryset):
        return csv_response(queryset, request.user)

    @admin.action(description="Erase everything from this person (on their request)", permissions=["delete"])
    def erase_person(self, request, queryset):
        matches = ConsultationRequest.objects.from_same_people(queryset)
        numbers = [consultation.pk for consultation in matches]
        confirmed = request.POST.get("confirm") == "yes"
        shown = sorted(int(n) for n in request.POST.getlist("shown") if n.isdecimal())
        # Erase exactly what the therapist saw: if a request arrived or went meanwhile, ask again.
        if not confirmed or shown != sorted(numbers):
            AuditEntry.record(
                AuditEntry.Action.VIEW, request.user, numbers, detail="listed to confirm an erasure"
            )
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Erase this person's requests?",
                "selected": queryset,
                "matches": matches,
                "list_changed": confirmed,
            }
            return TemplateResponse(
                request, "admin/intake/consultationrequest/erase_confirmation.html", context
            )
        booked = moves.upcoming_confirmed(numbers).count()
        erased = erase(
            numbers, request.user, AuditEntry.Action.ERASE, detail="erased on the person's request"
        )
        # intake.life.moves says why the person gets no email: this is where the therapist learns it.
        cancelled = (
            f" Their {booked} confirmed consultation(s) are cancelled and your calendar gets the "
            "cancellation; they were not emailed, as their details are gone: tell them yourself."
            if booked
            else ""
        )
        self.message_user(
            request, f"Erased {len(erased)} request(s). The audit log keeps only their numbers.{cancelled}"
        )
        return None
