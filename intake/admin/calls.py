"""
Calls and texts: how to reach a person by phone, what they allowed, and logging a call or text.

What they allowed is a safety rule, not a preference: on a relationship page, a voicemail or a text
someone else hears or reads can put the person who wrote at risk. So the log refuses an outcome they
did not allow instead of warning about it.
"""

from datetime import timedelta

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from intake.models import AuditEntry, ConsultationRequest, TimelineEntry
from pages.clock import DATETIME_INPUT, local_time
from pages.phones import sms_href, tel_href

Outcome = TimelineEntry.Outcome
# A clock a few minutes fast on someone's phone should not make "just now" a future time.
CLOCK_SLACK = timedelta(minutes=5)

AUDIT_DETAIL = {
    Outcome.SPOKE: "logged a call (spoke with them)",
    Outcome.VOICEMAIL: "logged a call (left voicemail)",
    Outcome.NO_ANSWER: "logged a call (no answer)",
    Outcome.TEXT_SENT: "logged a text",
}


def voicemail_words(consultation):
    if consultation.voicemail_ok:
        return "You may leave a voicemail"
    return "Do not leave a voicemail: others may hear it"


def text_words(consultation):
    return "Texts are OK" if consultation.text_ok else "Do not text"


def ways_to_reach(consultation, log_call_url=None):
    """The number and address as links, and what they allowed, in plain words; first on the page."""
    preferred = consultation.get_preferred_contact_display().lower()
    links = []
    if consultation.phone:
        links.append(
            format_html('<a href="{}">Call {}</a>', tel_href(consultation.phone), consultation.phone)
        )
        if consultation.text_ok:
            links.append(
                format_html('<a href="{}">Text {}</a>', sms_href(consultation.phone), consultation.phone)
            )
    if consultation.email:
        links.append(format_html('<a href="mailto:{}">{}</a>', consultation.email, consultation.email))
    allowed = ""
    if consultation.phone:
        rules = [(consultation.voicemail_ok, voicemail_words(consultation))]
        rules.append((consultation.text_ok, text_words(consultation)))
        allowed = format_html(
            '<ul class="intake-permissions">{}</ul>',
            format_html_join(
                "",
                '<li class="intake-permission intake-permission--{}">{}</li>',
                (("ok" if ok else "no", words) for ok, words in rules),
            ),
        )
    log_link = ""
    if consultation.phone and log_call_url:
        log_link = format_html(
            '<a class="button intake-log-call" href="{}">Log a call or text</a>', log_call_url
        )
    return format_html(
        '<div class="intake-contact"><p class="intake-contact__preferred">Prefers {}</p>'
        '<p class="intake-contact__links">{}</p>{}{}</div>',
        preferred,
        format_html_join(" ", "{}", ((link,) for link in links)),
        allowed,
        log_link,
    )


class CallLogForm(forms.Form):
    at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    outcome = forms.ChoiceField(label="What happened", choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label="Short note",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, for you and other reviewers: for example “will call back Thursday”.",
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation
        zone = timezone.get_current_timezone_name()
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["at"].help_text = f"Now, unless you are logging an earlier call. Time zone: {zone}."

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at > timezone.now() + CLOCK_SLACK:
            raise forms.ValidationError("That time has not happened yet.", code="future")
        # The form gives minutes: a call in the minute the request arrived is not before it.
        if at < self.consultation.received_at.replace(second=0, microsecond=0):
            received = local_time(self.consultation.received_at)
            raise forms.ValidationError(
                f"That is before the request arrived ({received}).", code="before_request"
            )
        return at

    def clean_outcome(self):
        outcome = self.cleaned_data["outcome"]
        if outcome == Outcome.VOICEMAIL and not self.consultation.voicemail_ok:
            raise forms.ValidationError(
                "They did not allow voicemails: someone else may hear them. If you left one by "
                "mistake, choose what else happened and say so in the note.",
                code="voicemail_not_allowed",
            )
        if outcome == Outcome.TEXT_SENT and not self.consultation.text_ok:
            raise forms.ValidationError(
                "They did not allow texts: someone else may read them. If you sent one by "
                "mistake, choose what else happened and say so in the note.",
                code="text_not_allowed",
            )
        return outcome


def log_call(consultation, user, at, outcome, note=""):
    """
    Keep the call in the timeline; as a first contact that reached them (not "no answer") it moves a
    new request to Contacted, the first reply timed when the call was made.
    """
    with transaction.atomic():
        entry = TimelineEntry.objects.create(
            request=consultation, kind=TimelineEntry.Kind.CALL, at=at, by=user, outcome=outcome, text=note
        )
        detail = AUDIT_DETAIL[outcome]
        # A call nobody answered reached nobody: it is not a reply, and the request stays New.
        if consultation.status == ConsultationRequest.Status.NEW and outcome != Outcome.NO_ANSWER:
            if consultation.first_reply_at is None:
                # The first reply is when the call was made, not when it was logged (never before
                # the request arrived: the form's minutes may put it up to a minute earlier).
                consultation.first_reply_at = max(at, consultation.received_at)
            consultation.change_status(ConsultationRequest.Status.CONTACTED, user=user)
            detail += ", status New → Contacted"
        AuditEntry.record(AuditEntry.Action.CHANGE, user, [consultation.pk], detail=detail)
    return entry
