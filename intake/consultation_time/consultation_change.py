"""
"Cancel or move" on a confirmed consultation, from the request's page: the therapist can do what
the visitor can with their link, through the same moves (intake.life.moves), so the invites, SEQUENCE
and status follow the same rules. A cancellation carries the therapist's own words to the visitor.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path

from booking import holds
from booking.models import Booking
from booking.slots import open_times, parse_value
from intake.life import moves
from intake.models import AuditEntry
from pages.clock import local_day_and_time
from pages.models import PracticeSettings


class CancelForm(forms.Form):
    message = forms.CharField(
        label="Your message to them",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class MoveForm(forms.Form):
    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        times = [t for t in open_times(keep_for=booking.request_id) if t.starts_at != booking.starts_at]
        self.fields["time"] = forms.ChoiceField(
            label="New time",
            choices=[
                (
                    t.value,
                    local_day_and_time(t.starts_at),
                )
                for t in times
            ],
            error_messages={"invalid_choice": "That time is not open any more: pick another."},
        )

    def clean_time(self):
        return parse_value(self.cleaned_data["time"])


class ConsultationChangeMixin:
    """For ConsultationRequestAdmin: `<id>/consultation/<booking>/`, cancel or move a confirmed time."""

    def get_urls(self):
        return [
            path(
                "<path:object_id>/consultation/<int:booking_id>/",
                self.admin_site.admin_view(self.consultation_change_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_consultation",
            ),
            *super().get_urls(),
        ]

    def consultation_change_view(self, request, object_id, booking_id):
        consultation = self.request_for_page(request, object_id)
        if consultation is None:
            return self.request_gone(request, object_id)
        change_url = self.request_url(consultation)
        booking = moves.upcoming_confirmed([consultation.pk]).filter(pk=booking_id).first()
        if booking is None:
            self.message_user(
                request, "That consultation is not confirmed and upcoming any more.", messages.ERROR
            )
            return redirect(change_url)
        cancel_form, move_form = CancelForm(), MoveForm(booking=booking)
        action = request.POST.get("action") if request.method == "POST" else None
        if action == "cancel":
            cancel_form = CancelForm(request.POST)
            if cancel_form.is_valid():
                emailed = moves.cancel(
                    booking,
                    Booking.By.THERAPIST,
                    user=request.user,
                    message=cancel_form.cleaned_data["message"],
                )
                AuditEntry.record(
                    AuditEntry.Action.CHANGE,
                    request.user,
                    [consultation.pk],
                    detail="cancelled the consultation",
                )
                said = f"Cancelled the consultation on {local_day_and_time(booking.starts_at)}; the time is open again. "
                self.message_user(
                    request,
                    said
                    + (
                        "The cancellation goes to them and to you."
                        if emailed
                        else "Tell them yourself: no email."
                    ),
                    messages.SUCCESS if emailed else messages.WARNING,
                )
                return redirect(change_url)
        elif action == "move":
            move_form = MoveForm(request.POST, booking=booking)
            if move_form.is_valid():
                try:
                    moved = moves.move(
                        booking, move_form.cleaned_data["time"], Booking.By.THERAPIST, user=request.user
                    )
                except holds.TimeTaken:
                    move_form = MoveForm(booking=booking)
                    self.message_user(request, "That time was just taken: pick another.", messages.ERROR)
                else:
                    AuditEntry.record(
                        AuditEntry.Action.CHANGE,
                        request.user,
                        [consultation.pk],
                        detail="moved the consultation",
                    )
                    self.message_user(
                        request,
                        f"Moved the consultation to {local_day_and_time(moved.starts_at)}; the update goes out.",
                    )
                    return redirect(change_url)
        return self.request_page(
            request,
            consultation,
            "consultation_change.html",
            title=f"Cancel or move the consultation: request #{consultation.pk}",
            audited_as="consultation page",
            booking=booking,
            when=local_day_and_time(booking.starts_at),
            cancel_form=cancel_form,
            move_form=move_form,
            practice=PracticeSettings.for_request(request),
        )
