"""
"Consultation time" on a request's page: the times the visitor picked (held until the therapist
answers or HOLD_HOURS pass), confirmed, cancelled or moved; "Confirm" on a held one, and "Offer
other times" (a reply with a link to pick again, intake.consultation_time.offered_times).

Confirming is one transaction: the time confirmed and the other picks let go (booking.holds), the
status "Consultation scheduled" through the request's own status change (history and first reply
kept), the invites queued in the outbox for the visitor and the practice, and an audit entry.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone

from booking import holds
from booking.models import HOLD_HOURS, Booking, ConsultationHours
from booking.slots import open_times
from intake.consultation_time.offered_times import (
    LINK_DAYS,
    OFFER_SUBJECT,
    link_lines,
    offer_text,
    send_offer,
)
from intake.life import moves
from intake.life.booking_emails import queue_invites
from intake.life.replies import no_email_reason, one_line
from intake.life.visitor_links import for_staff
from intake.models import AuditEntry, ConsultationRequest, TimelineEntry
from pages.clock import local_day_and_time, zone_name
from pages.models import PracticeSettings

Status = ConsultationRequest.Status
SHOWN = [Booking.State.HELD, Booking.State.CONFIRMED, Booking.State.CANCELLED, Booking.State.MOVED]


def panel_rows(consultation, now=None):
    """
    The request's times, soonest first, each with what it is now. A hold that lapsed unanswered
    stays on the list (the time may still be free) until the therapist answers or the visitor
    picks again; times let go by an answer (confirming another, offering others, a final status)
    are not shown.
    """
    now = now or timezone.now()
    bookings = list(consultation.bookings.all())
    live = [b for b in bookings if b.state == Booking.State.CONFIRMED or holds.held_now(b, now)]
    newest = max((b.created_at for b in bookings), default=None)
    rows = []
    for booking in bookings:
        lapsed = holds.lapsed_unanswered(booking, now)
        if lapsed and (live or booking.created_at != newest):
            continue
        if booking.state not in SHOWN and not lapsed:
            continue
        rows.append({"booking": booking, "lapsed": lapsed, "held": holds.held_now(booking, now)})
    final = consultation.status in ConsultationRequest.FINAL_STATUSES
    for row in rows:
        row["can_confirm"] = (row["held"] or row["lapsed"]) and not final
        row["changeable"] = row["booking"].state == Booking.State.CONFIRMED and row["booking"].starts_at > now
    return rows


# "Offer other times" while a consultation is confirmed would send a link whose page only says it is
# confirmed: the therapist moves or cancels it instead (the table in intake.life.moves).
BOOKED = "A consultation is confirmed: use “Cancel or move” on it instead of offering other times."


def booked_reason(consultation):
    return BOOKED if moves.upcoming_confirmed([consultation.pk]).exists() else ""


class OfferForm(forms.Form):
    subject = forms.CharField(max_length=200, initial=OFFER_SUBJECT)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=f"The link to pick times (it works for {LINK_DAYS} days) and their link to withdraw the "
        "request are added at the end when you send.",
    )

    def clean_subject(self):
        return one_line(self.cleaned_data["subject"])


def no_times_reason(practice, now=None):
    """Why an offer now would show the visitor no times, or "" if some are open."""
    if open_times(now, ConsultationHours.load(), practice.accepting_new_clients):
        return ""
    return (
        "No times are open just now, so the link would show none: check Consultation hours (booking "
        "on, weekly windows, days off) and that the practice is accepting new clients."
    )


def tell_them(consultation):
    """How the therapist tells a visitor without email of the time, as they asked to be contacted."""
    by = "text" if consultation.preferred_contact == ConsultationRequest.Contact.TEXT else "phone"
    return f"They gave no email: tell them by {by}."


def confirm_time(consultation, booking, user):
    """
    Confirm one of the request's times, in one transaction (see the module docstring). Returns
    True if the visitor gets an invite by email. Raises holds.TimeTaken, with nothing changed.
    """
    with transaction.atomic():
        consultation = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
        holds.confirm(booking)
        old_status = consultation.status
        consultation.change_status(Status.SCHEDULED, user=user)
        emailed = queue_invites(booking)
        TimelineEntry.objects.create(
            request=consultation,
            kind=TimelineEntry.Kind.NOTE,
            by=user,
            text=f"Confirmed the consultation for {local_day_and_time(booking.starts_at)}, {booking.get_way_display().lower()}. "
            + ("The confirmation and invite go to them by email." if emailed else "They gave no email."),
        )
        detail = "confirmed the consultation time"
        if old_status != Status.SCHEDULED:
            detail += f", status {Status(old_status).label} → {Status.SCHEDULED.label}"
        AuditEntry.record(AuditEntry.Action.CHANGE, user, [consultation.pk], detail=detail)
    return emailed


class BookingPanelMixin:
    """For ConsultationRequestAdmin: the "Consultation time" panel, "Confirm" and "Offer other times"."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/confirm-time/",
                self.admin_site.admin_view(self.confirm_time_view),
                name="{}_{}_confirm_time".format(*info),
            ),
            path(
                "<path:object_id>/offer-times/",
                self.admin_site.admin_view(self.offer_times_view),
                name="{}_{}_offer_times".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id and self.has_change_permission(request):
            # The Confirm buttons submit this form (outside the request's own form, see the template).
            extra_context["confirm_time_url"] = reverse(
                "admin:intake_consultationrequest_confirm_time",
                args=[unquote(object_id)],
                current_app=self.admin_site.name,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def panel(self, obj, can_change):
        context = {
            "consultation": obj,
            "rows": panel_rows(obj),
            "can_change": can_change,
            "zone_name": zone_name(),
            "hold_hours": HOLD_HOURS,
            "no_email": no_email_reason(obj),
            "final": obj.status in ConsultationRequest.FINAL_STATUSES,
            "booked": booked_reason(obj),
            "offer_url": reverse("admin:intake_consultationrequest_offer_times", args=[obj.pk]),
        }
        return render_to_string("admin/intake/consultationrequest/booking_panel.html", context)

    @admin.display(description="times")
    def consultation_time(self, obj):
        return self.panel(obj, can_change=True)

    @admin.display(description="times")
    def consultation_time_to_read(self, obj):
        return self.panel(obj, can_change=False)

    def confirm_time_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        consultation = self.request_for_page(request, object_id)
        if consultation is None:
            return self.request_gone(request, object_id)
        change_url = self.request_url(consultation)
        number = request.POST.get("booking", "")
        rows = panel_rows(consultation) if number.isdecimal() and len(number) < 12 else []
        row = next((row for row in rows if row["booking"].pk == int(number) and row["can_confirm"]), None)
        if row is None:
            self.message_user(
                request,
                "That time is not waiting for your answer any more: the page below shows what it is now.",
                messages.ERROR,
            )
            return redirect(change_url)
        booking = row["booking"]
        try:
            emailed = confirm_time(consultation, booking, request.user)
        except holds.TimeTaken:
            self.message_user(
                request,
                f"{local_day_and_time(booking.starts_at)} was taken by someone else after this hold lapsed. Nothing was changed: "
                "confirm another of their times, or offer other times.",
                messages.ERROR,
            )
            return redirect(change_url)
        said = f"Confirmed request #{consultation.pk} for {local_day_and_time(booking.starts_at)}, {booking.get_way_display().lower()}. "
        if emailed:
            self.message_user(request, said + "The invites are on their way to you and to them.")
        else:
            consultation.refresh_from_db()
            self.message_user(
                request, said + "Your invite is on its way. " + tell_them(consultation), messages.WARNING
            )
        return redirect(change_url)

    def offer_times_view(self, request, object_id):
        consultation = self.request_for_page(request, object_id)
        if consultation is None:
            return self.request_gone(request, object_id)
        practice = PracticeSettings.for_request(request)
        reason = (
            no_email_reason(consultation)
            or (
                "This request is closed: reopen it first."
                if consultation.status in ConsultationRequest.FINAL_STATUSES
                else ""
            )
            or booked_reason(consultation)
        )
        if not reason and request.method == "POST":
            reason = no_times_reason(practice)
        form = None
        if not reason:
            initial = {"subject": OFFER_SUBJECT, "body": offer_text(consultation, practice)}
            form = OfferForm(request.POST if request.method == "POST" else None, initial=initial)
            if form.is_valid():
                send_offer(
                    consultation,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    user=request.user,
                )
                self.message_user(
                    request,
                    f"Other times offered to request #{consultation.pk}: the reply goes out within a minute, "
                    "and the times they held are free again.",
                )
                return redirect(self.request_url(consultation))
        return self.request_page(
            request,
            consultation,
            "offer_times.html",
            title=f"Offer other times: request #{consultation.pk}",
            audited_as="offer times page",
            status=400 if reason and request.method == "POST" else 200,
            form=form,
            reason=reason,
            warning="" if reason else no_times_reason(practice),
            # The visitor's links named, not shown: they are the visitor's credential.
            ending=for_staff(link_lines(consultation)),
            holding=[row for row in panel_rows(consultation) if row["held"]],
            practice=practice,
        )
