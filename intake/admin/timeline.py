"""
The request's page as a record of contacts: how to reach them, the dated timeline of replies, calls
and notes (newest first, never edited), logging a call or text, adding a note; and, on the list,
the next follow-up and a phone search that finds a number however it was typed.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split

from intake.admin.calls import CallLogForm, log_call, ways_to_reach
from intake.life.visitor_links import for_staff
from intake.models import AuditEntry, ConsultationRequest, TimelineEntry
from intake.models.request import phone_digits
from pages.clock import iso_stamp, local_date, local_time
from pages.phones import tel_href

# Only digits and what people put between them: "(555) 123-4567", "+1 555 123 4567", "555.123.4567".
PHONE_LIKE = re.compile(r"^[\d\s()+.\-]*\d[\d\s()+.\-]*$")


class ConsultationRequestForm(forms.ModelForm):
    add_note = forms.CharField(
        label="Add a note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to the timeline, dated now, when you save. Notes cannot be changed or deleted "
        "later, so keep them short and factual. Only reviewers see them.",
    )

    @cached_property
    def changed_data(self):
        # A note is a new timeline entry, audited as "added a note", not a change to the request.
        return [name for name in super().changed_data if name != "add_note"]


class FollowUpFilter(admin.SimpleListFilter):
    """Follow-ups that come back: open requests whose next follow-up is today or has passed."""

    title = "next follow-up"
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("today", "Due today"), ("overdue", "Overdue")]

    def queryset(self, request, queryset):
        if self.value() == "today":
            return queryset.follow_ups_due_today()
        if self.value() == "overdue":
            return queryset.follow_ups_overdue()
        return queryset


def timeline_html(entries):
    """
    Each contact: when (in the practice's zone), who, what kind and outcome, subject and text as
    written, but for the visitor's links, named rather than shown (intake/life/visitor_links.py).
    """

    def meta(entry):
        return [
            entry.by.get_username() if entry.by else None,
            entry.get_kind_display(),
            entry.get_outcome_display() if entry.outcome else None,
        ]

    rows = (
        (
            iso_stamp(entry.at),
            local_time(entry.at),
            " · ".join(part for part in meta(entry) if part),
            format_html('<p class="intake-timeline__subject">Subject: {}</p>', for_staff(entry.subject))
            if entry.subject
            else "",
            format_html('<div class="intake-timeline__text">{}</div>', for_staff(entry.text))
            if entry.text
            else "",
        )
        for entry in entries
    )
    items = format_html_join(
        "",
        '<li class="intake-timeline__entry"><p class="intake-timeline__meta">'
        '<time datetime="{}">{}</time> · {}</p>{}{}</li>',
        rows,
    )
    return format_html('<ol class="intake-timeline">{}</ol>', items) if items else "Nothing yet."


class TimelineAdminMixin:
    """For ConsultationRequestAdmin: the contact block, the timeline, notes, call logging and phone search."""

    form = ConsultationRequestForm

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/log-call/",
                self.admin_site.admin_view(self.log_call_view),
                name="{}_{}_log_call".format(*info),
            ),
            *super().get_urls(),
        ]

    def log_call_url(self, consultation):
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_log_call",
            args=[consultation.pk],
            current_app=self.admin_site.name,
        )

    @admin.display(description="contact")
    def contact_permissions(self, obj):
        return ways_to_reach(obj, self.log_call_url(obj))

    @admin.display(description="contact")
    def contact_to_read(self, obj):
        return ways_to_reach(obj, None)

    @admin.display(description="email")
    def email_link(self, obj):
        return format_html('<a href="mailto:{}">{}</a>', obj.email, obj.email) if obj.email else "–"

    @admin.display(description="phone")
    def phone_link(self, obj):
        if not obj.phone:
            return "–"
        return format_html('<a href="{}">{}</a>', tel_href(obj.phone), obj.phone)

    @admin.display(description="timeline")
    def timeline_entries(self, obj):
        return timeline_html(obj.timeline.select_related("by"))

    @admin.display(description="next follow-up", ordering="follow_up_on")
    def next_follow_up(self, obj):
        if not obj.follow_up_on:
            return "–"
        today = timezone.localdate()
        shown = local_date(obj.follow_up_on, year=obj.follow_up_on.year != today.year)
        if obj.status not in ConsultationRequest.OPEN_STATUSES or obj.follow_up_on > today:
            return shown
        state = "due today" if obj.follow_up_on == today else "overdue"
        return format_html('{} <span class="intake-badge intake-badge--warn">{}</span>', shown, state)

    def get_search_results(self, request, queryset, search_term):
        """
        Name, email and phone as admin's search would (every word in one of them, any case); a phone
        number also by its digits, however it was typed. They are stored encrypted, so the
        database cannot compare them: the matching happens here, on the decrypted values.
        """
        term = search_term.strip()
        if not term:
            return queryset, False
        words = [word.strip("\"'").casefold() for word in smart_split(term)]
        digits = phone_digits(term) if PHONE_LIKE.match(term) else ""
        found = [
            pk
            for pk, text in queryset.values_list("pk", "search_text")
            if all(word in text for word in words) or (digits and digits in text)
        ]
        return queryset.filter(pk__in=found), False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note = form.cleaned_data.get("add_note")
        if note:
            TimelineEntry.objects.create(
                request=form.instance, kind=TimelineEntry.Kind.NOTE, by=request.user, text=note
            )
            AuditEntry.record(
                AuditEntry.Action.CHANGE, request.user, [form.instance.pk], detail="added a note"
            )

    def log_call_view(self, request, object_id):
        consultation = self.request_for_page(request, object_id)
        if consultation is None:
            return self.request_gone(request, object_id)
        change_url = self.request_url(consultation)
        if not consultation.phone:
            self.message_user(request, "This request has no phone number to call or text.", messages.WARNING)
            return redirect(change_url)
        form = CallLogForm(request.POST if request.method == "POST" else None, consultation=consultation)
        if form.is_valid():
            log_call(consultation, request.user, **form.cleaned_data)
            self.message_user(request, f"Logged on request #{consultation.pk}.")
            return redirect(change_url)
        # The page shows their number and what they allowed: opening it is a view like any other.
        return self.request_page(
            request,
            consultation,
            "log_call.html",
            title=f"Log a call or text: request #{consultation.pk}",
            audited_as="opened to log a call",
            contact=ways_to_reach(consultation),
            form=form,
        )
