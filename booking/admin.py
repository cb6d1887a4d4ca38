"""
The consultation times in admin: the consultation hours (one record, with its weekly windows
and days off, and a preview of what visitors see), the booked consultations (read only, by
request number), and the therapist's private calendar feeds (made and revoked here).
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from booking.models import HOLD_HOURS, Booking, CalendarFeed, ConsultationHours, DayOff, WeeklyWindow
from booking.slots import open_times
from pages.clock import local_day_and_time, time_of_day
from pages.models import PracticeSettings
from pages.time_fields import PlainTimeField, PlainTimeInput

PREVIEW_COUNT = 8


class LabelledRows(BaseInlineFormSet):
    """
    A table of rows whose every field names itself to a screen reader ("Weekday, row 2"): a
    tabular inline shows its labels only once, as column headings, which assistive technology
    does not tie to the fields.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            label = "Delete" if name == "DELETE" else capfirst(field.label or name)
            field.widget.attrs["aria-label"] = f"{label}, {row}"


class WeeklyWindowFormSet(LabelledRows):
    """Refuses two windows of one weekday that overlap: the same time would be offered twice."""

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("starts")
            and form.cleaned_data.get("ends")
        ]
        for index, form in enumerate(kept):
            for other in kept[index + 1 :]:
                one, two = form.cleaned_data, other.cleaned_data
                if (
                    one["weekday"] == two["weekday"]
                    and one["starts"] < two["ends"]
                    and two["starts"] < one["ends"]
                ):
                    day = WeeklyWindow.Weekday(one["weekday"]).label
                    raise forms.ValidationError(
                        f"Two {day} windows overlap ({time_of_day(one['starts'])} to {time_of_day(one['ends'])} "
                        f"and {time_of_day(two['starts'])} to {time_of_day(two['ends'])}): make them one "
                        "window, or move one."
                    )


class WeeklyWindowInline(admin.TabularInline):
    model = WeeklyWindow
    formset = WeeklyWindowFormSet
    # Written as people write times (9am, 14:00) and shown back on the practice's clock: 9:00 am.
    formfield_overrides = {
        models.TimeField: {"form_class": PlainTimeField, "widget": PlainTimeInput(attrs={"size": 8})}
    }
    extra = 0
    verbose_name = "weekly window"
    verbose_name_plural = "weekly windows: when you offer consultations, every week"


class DayOffInline(admin.TabularInline):
    model = DayOff
    formset = LabelledRows
    extra = 0
    verbose_name_plural = "days off: no consultations on these dates, whatever the windows say"


@admin.register(ConsultationHours)
class ConsultationHoursAdmin(admin.ModelAdmin):
    """One record: the list view goes straight to it, and it can be neither added nor deleted."""

    inlines = [WeeklyWindowInline, DayOffInline]
    readonly_fields = ["next_open_times"]

    def get_fieldsets(self, request, obj=None):
        return [
            (
                "Booking on the consultation form",
                {
                    "fields": ["booking_on", "next_open_times"],
                    "description": "When this is on, people asking for a free consultation pick the "
                    "times that suit them from your weekly windows below. Each picked time is held for "
                    f"{HOLD_HOURS} hours, or until you answer on the request's page. All times are in the "
                    f"practice's time zone, {settings.TIME_ZONE}.",
                },
            ),
            ("The consultation", {"fields": ["length_minutes", "buffer_minutes", "video_link"]}),
            ("Which times are offered", {"fields": ["minimum_notice_hours", "days_ahead", "most_per_day"]}),
        ]

    def changelist_view(self, request, extra_context=None):
        return redirect("admin:booking_consultationhours_change", 1)

    def get_object(self, request, object_id, from_field=None):
        # The one record, made with its defaults the first time anyone opens it.
        return ConsultationHours.load() if str(object_id) == "1" else None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="what visitors are offered (as saved)")
    def next_open_times(self, hours):
        """What visitors see now, or why they see nothing."""
        if not hours.booking_on:
            return "None: booking is off, so the form asks for no time and you arrange one by reply."
        if not PracticeSettings.load().accepting_new_clients:
            return (
                "None: the practice is not accepting new clients (Practice settings), "
                "so no times are offered."
            )
        if not hours.windows.exists():
            return "None yet: add a weekly window below, then save."
        times = open_times(hours=hours)
        if not times:
            return (
                f"None in the next {hours.days_ahead} days: every time in your windows is taken, "
                "on a day off, or sooner than the minimum notice."
            )
        # A semicolon between times: each one has a comma of its own ("7 December 2026, 9:00 am").
        shown = "; ".join(local_day_and_time(time.starts_at) for time in times[:PREVIEW_COUNT])
        more = f" and {len(times) - PREVIEW_COUNT} more" if len(times) > PREVIEW_COUNT else ""
        return f"Next open times: {shown}{more}."


class UpcomingFilter(admin.SimpleListFilter):
    title = "state and date"
    parameter_name = "which"

    def lookups(self, request, model_admin):
        return [("every", "Every booking, past and let go too")]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "Upcoming, held or confirmed"
            yield choice

    def queryset(self, request, queryset):
        if self.value() == "every":
            return queryset
        now = timezone.now()
        return queryset.taking_time(now).filter(ends_at__gte=now)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """Read only, by request number: who it is stays on the request's own page."""

    list_display = ["time", "request_link", "way", "state", "hold_lapses"]
    list_filter = [UpcomingFilter]
    fields = ["request_link", "time", "way", "state", "hold_lapses", "confirmed_at"]
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="time", ordering="starts_at")
    def time(self, booking):
        return local_day_and_time(booking.starts_at)

    @admin.display(description="request")
    def request_link(self, booking):
        url = reverse("admin:intake_consultationrequest_change", args=[booking.request_id])
        return format_html('<a href="{}">Request #{}</a>', url, booking.request_id)

    @admin.display(description="hold lapses")
    def hold_lapses(self, booking):
        if booking.state != Booking.State.HELD or booking.held_until is None:
            return "-"
        return local_day_and_time(booking.held_until)


class CalendarFeedAddForm(forms.ModelForm):
    class Meta:
        model = CalendarFeed
        fields = ["name"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """
    Adding one makes a long random address, shown once; only a hash of it is kept. Deleting one
    is revoking it: its address stops working at once.
    """

    list_display = ["name", "created_at", "last_read_at"]
    fields = ["name", "created_at", "last_read_at"]
    readonly_fields = ["created_at", "last_read_at"]
    actions = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CalendarFeedAddForm
            kwargs["fields"] = ["name"]
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else self.fields

    def save_model(self, request, obj, form, change):
        if not change:
            token = secrets.token_urlsafe(32)
            obj.token_hash = CalendarFeed.hash(token)
            # Kept for this response only: the page after saving shows it once.
            request.calendar_feed_token = token
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        url = settings.SITE_URL + reverse("calendar_feed", args=[request.calendar_feed_token])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Calendar feed “{obj.name}” added",
            "feed": obj,
            "feed_url": url,
            "instructions": INSTRUCTIONS,
        }
        response = TemplateResponse(request, "admin/booking/calendarfeed/added.html", context)
        response["Cache-Control"] = "no-store"
        return response

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {"title": "Revoke this calendar feed?", **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(
            request,
            f"Revoked “{obj_display}”: its address stopped working now. "
            "Remove the subscription from that calendar app too.",
        )
        return redirect("admin:booking_calendarfeed_changelist")


# The steps for each calendar app, shown with a new feed's address.
INSTRUCTIONS = [
    (
        "Google Calendar",
        "on a computer, open calendar.google.com, then beside “Other calendars” choose + and "
        "“From URL”, paste the address and choose “Add calendar”. It appears on your phone too.",
    ),
    (
        "Apple Calendar",
        "on an iPhone, open Settings → Apps → Calendar → Calendar Accounts → Add Account → Other → "
        "Add Subscribed Calendar and paste the address; on a Mac, in Calendar choose File → "
        "New Calendar Subscription.",
    ),
    (
        "Outlook",
        "in Outlook on the web or the new Outlook, choose Add calendar → Subscribe from web, "
        "paste the address, give it a name and choose Import.",
    ),
]
