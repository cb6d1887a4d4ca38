"""The reply templates and the referral list, both edited by the therapist."""

from django import forms
from django.contrib import admin

from intake.life.replies import validate_placeholders
from intake.models import Referral, ReplyTemplate
from pages.edit_conflicts import EditConflictMixin


class ReplyTemplateForm(forms.ModelForm):
    """A template with an unknown placeholder or a stray brace is refused here, not when a reply is sent."""

    class Meta:
        model = ReplyTemplate
        fields = ["name", "subject", "body", "moves_to", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 80})}

    def clean_subject(self):
        validate_placeholders(self.cleaned_data["subject"])
        return self.cleaned_data["subject"]

    def clean_body(self):
        validate_placeholders(self.cleaned_data["body"])
        return self.cleaned_data["body"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(EditConflictMixin, admin.ModelAdmin):
    form = ReplyTemplateForm
    list_display = ["name", "subject", "moves_to", "order"]
    list_editable = ["order"]
    fieldsets = [
        (
            None,
            {
                "fields": ["name", "subject", "body", "moves_to", "order"],
                "description": (
                    "What each placeholder becomes: {name}, the name they asked you to use; {clinician}, "
                    "your name (the practice's if Practice settings has none); {practice}, the practice's "
                    "name; {reply_days}, the business days you promise to reply within; {referrals}, the "
                    "referrals you tick when replying; {withdraw_link}, their own link to withdraw the "
                    "request (every reply carries it: it is added at the end if the text leaves it out)."
                ),
            },
        )
    ]

    class Media:
        css = {"all": ["css/intake-admin.css"]}


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["name", "helps_with", "accepting_new_clients", "order"]
    list_editable = ["accepting_new_clients", "order"]
    search_fields = ["name", "helps_with"]
