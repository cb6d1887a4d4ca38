"""
"Reply by email" on a request's page: choose a template, read it filled in, edit, send.

A mixin for ConsultationRequestAdmin, so the request's admin stays about the request. Sending is
intake.life.replies.send_reply; the email itself goes out through the outbox, with the alerts' retries.
"""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html

from intake.life.replies import (
    fill,
    held_times,
    no_email_reason,
    one_line,
    placeholder_errors,
    prefill,
    send_reply,
    uses_placeholder,
    validate_placeholders,
    values_for,
)
from intake.life.visitor_links import for_staff
from intake.models import Referral, ReplyTemplate
from pages.clock import local_day_and_time
from pages.models import PracticeSettings


class ReferralChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name}: {obj.helps_with}" if obj.helps_with else obj.name
        return label if obj.accepting_new_clients else f"{label} (not taking new clients)"


class ReplyForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose a template to start from.",
            "invalid_choice": "That template has just been deleted: choose another.",
        },
    )
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "{about_times}, {picked_times}, {thanks} and {location} are filled in from the request. "
            "{referrals} becomes the referrals you tick, and {withdraw_link} their own link to withdraw "
            "the request, when you send; a reply without it gets it added at the end. "
            "Write {{ or }} for a brace."
        ),
    )
    referrals = ReferralChoices(
        queryset=Referral.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Referrals to insert",
    )

    def clean_subject(self):
        subject = one_line(self.cleaned_data["subject"])
        validate_placeholders(subject)
        return subject

    def clean_body(self):
        validate_placeholders(self.cleaned_data["body"])
        return self.cleaned_data["body"]

    def clean(self):
        cleaned = super().clean()
        texts = [cleaned.get("subject", ""), cleaned.get("body", "")]
        if not cleaned.get("referrals") and any(uses_placeholder(text, "referrals") for text in texts):
            self.add_error("referrals", "Tick at least one referral, or remove {referrals} from the message.")
        return cleaned


def chosen_template(number):
    return (
        ReplyTemplate.objects.filter(pk=number).first() if number.isdecimal() and len(number) < 10 else None
    )


class ReplyingMixin:
    """Adds the reply page (`<id>/reply/`) and the "Reply by email" button to the request's admin."""

    def get_urls(self):
        reply = path(
            "<path:object_id>/reply/",
            self.admin_site.admin_view(self.reply_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_reply",
        )
        return [reply, *super().get_urls()]

    @admin.display(description="reply")
    def reply_by_email(self, obj):
        reason = no_email_reason(obj)
        if reason:
            return format_html('<p class="intake-reply-reason">{}</p>', reason)
        url = reverse("admin:intake_consultationrequest_reply", args=[obj.pk])
        return format_html('<a class="button intake-reply-button" href="{}">Reply by email</a>', url)

    def reply_view(self, request, object_id):
        consultation = self.request_for_page(request, object_id)
        if consultation is None:
            return self.request_gone(request, object_id)
        reason = no_email_reason(consultation)
        if reason:
            # Sending anyway (an old page, a hand-made request) is refused with the same reason.
            return self.reply_page(
                request, consultation, reason=reason, status=400 if request.method == "POST" else 200
            )

        template, preview, template_errors = None, None, []
        if request.method == "POST":
            form = ReplyForm(request.POST)
            if form.is_valid():
                template = form.cleaned_data["template"]
                if "send" in request.POST:
                    send_reply(
                        consultation,
                        template=template,
                        subject=form.cleaned_data["subject"],
                        body=form.cleaned_data["body"],
                        referrals=form.cleaned_data["referrals"],
                        user=request.user,
                    )
                    self.message_user(
                        request, f"Reply to request #{consultation.pk} queued: it goes out within a minute."
                    )
                    return redirect("admin:intake_consultationrequest_change", consultation.pk)
                values = values_for(consultation, form.cleaned_data["referrals"])
                # The visitor's links named, not shown: they are the visitor's credential.
                preview = {
                    "subject": for_staff(fill(form.cleaned_data["subject"], values)),
                    "body": for_staff(fill(form.cleaned_data["body"], values)),
                }
            else:
                template = chosen_template(form.data.get("template", ""))
        else:
            template, form, template_errors = self.start_from(request, consultation)

        return self.reply_page(
            request,
            consultation,
            form=form,
            chosen=template,
            preview=preview,
            template_errors=template_errors,
        )

    def start_from(self, request, consultation):
        """The template chosen by its link, and the form filled in from it (or a template's mistakes)."""
        template = chosen_template(request.GET.get("template", ""))
        if template is None:
            return None, None, []
        errors = placeholder_errors(template.subject) + placeholder_errors(template.body)
        if errors:
            # Saved before the check existed, or outside admin: shown as written, to fix before sending.
            subject, body = template.subject, template.body
        else:
            values = values_for(consultation)
            subject, body = prefill(template.subject, values), prefill(template.body, values)
        form = ReplyForm(initial={"template": template, "subject": subject, "body": body})
        return template, form, errors

    def reply_page(self, request, consultation, status=200, **context):
        return self.request_page(
            request,
            consultation,
            "reply.html",
            title=f"Reply to request #{consultation.pk} by email",
            audited_as="reply page",
            status=status,
            templates=ReplyTemplate.objects.all(),
            practice=PracticeSettings.for_request(request),  # the header read it already
            can_edit_templates=request.user.has_perm("intake.change_replytemplate"),
            can_edit_referrals=request.user.has_perm("intake.change_referral"),
            # The times they picked, so the reply does not ask for what they already gave.
            held=[
                local_day_and_time(booking.starts_at) + f", by {booking.get_way_display().lower()}"
                for booking in held_times(consultation)
            ],
            **context,
        )
