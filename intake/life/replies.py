"""
Replies written from admin: a template's placeholders checked and filled, and a reply sent.

Templates are filled with `str.format_map` on a dict of the known values only, and every text is
checked with `string.Formatter().parse` first, so a typo such as `{nmae}`, a stray brace or
`{name.__class__}` is a form error naming it, never a crash or a peek into an object.

The reply form shows the text with the person's name, the clinician, the practice, the reply
days, the times they hold ({picked_times}, or {about_times}: the sentence that fits whether they
picked any), thanks that fit whether they wrote anything ({thanks}) and where they are
({location}) already filled in, for the therapist to read and edit; `{referrals}` and `{withdraw_link}`
stay as placeholders until it is sent, so the referrals are the ones ticked when sending and the
withdraw link cannot be broken by an edit.
"""

import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.life.booking_emails import when
from intake.life.withdrawal import withdraw_link
from intake.models import AuditEntry, ConsultationRequest, Notification, TimelineEntry
from pages.models import PracticeSettings

PLACEHOLDERS = [
    "name",
    "clinician",
    "practice",
    "reply_days",
    "thanks",
    "picked_times",
    "about_times",
    "location",
    "referrals",
    "withdraw_link",
]
# Filled only when the reply is sent: see the module docstring.
FILLED_WHEN_SENT = ["referrals", "withdraw_link"]
LISTED = ", ".join(f"{{{placeholder}}}" for placeholder in PLACEHOLDERS)
# Every reply carries the visitor's withdraw link: added at the end when an edit took it out.
WITHDRAW_LINE = "If you would rather I deleted your request, you can withdraw it here: {withdraw_link}"


def placeholder_errors(text):
    """What is wrong with the placeholders in `text`, in words the therapist can act on; [] if nothing."""
    try:
        fields = [(field, spec, conversion) for _, field, spec, conversion in string.Formatter().parse(text)]
    except ValueError as error:
        brace = "}" if "'}'" in str(error) and "Single" in str(error) else "{"
        return [
            f"There is a “{brace}” on its own. Write {{{{ or }}}} for a brace in the text, "
            "or finish the placeholder."
        ]
    errors = []
    for field, spec, conversion in fields:
        if field is None:
            continue
        written = "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if field not in PLACEHOLDERS or spec or conversion:
            errors.append(f"Unknown placeholder {written}. The placeholders are {LISTED}.")
    return errors


def validate_placeholders(text):
    errors = placeholder_errors(text)
    if errors:
        raise ValidationError(errors, code="placeholder")


def uses_placeholder(text, placeholder):
    return any(field == placeholder for _, field, _, _ in string.Formatter().parse(text))


def format_referrals(referrals):
    """Each ticked referral as a short plain-text block: name, what they help with, how to reach them."""
    blocks = []
    for referral in referrals:
        lines = [referral.name]
        if referral.helps_with:
            lines.append(f"Helps with: {referral.helps_with}")
        lines.append(f"How to reach them: {referral.how_to_reach}")
        if not referral.accepting_new_clients:
            lines.append("Not taking new clients just now: ask about a waitlist.")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def held_times(consultation, now=None):
    """The times the request holds for the therapist's answer now, soonest first."""
    from booking.models import Booking  # booking's models point at intake's: imported when used

    return list(
        consultation.bookings.filter(state=Booking.State.HELD, held_until__gt=now or timezone.now()).order_by(
            "starts_at"
        )
    )


def picked_times(held):
    """One line per held time: "- Tuesday, December 8 at 10:00 AM (New York time), by video call"."""
    return "\n".join(f"- {when(booking)}, by {booking.get_way_display().lower()}" for booking in held)


def about_times(held):
    """
    The sentence about a time that fits what the request holds: the times they picked, held for
    them, or the question to answer with some.
    """
    if held:
        return (
            "You picked these times, and I am holding them for you:\n"
            f"{picked_times(held)}\n"
            "I will confirm one of them by email."
        )
    return "Could you reply with two or three times over the next week that suit you? I will confirm one of them."


def thanks(consultation):
    """Thanks for what they wrote only if they wrote something."""
    if consultation.message.strip():
        return "Thank you for reaching out, and for telling me a little about what brings you."
    return "Thank you for reaching out."


def location(consultation):
    if consultation.client_location == ConsultationRequest.OUTSIDE_US:
        return "outside the US"
    return consultation.get_client_location_display()


def values_for(consultation, referrals=()):
    """Every placeholder's value for this request; nothing else can be filled in."""
    practice = PracticeSettings.load()
    held = held_times(consultation)
    return {
        "name": consultation.name,
        "clinician": practice.clinician_name or practice.practice_name,
        "practice": practice.practice_name,
        "reply_days": practice.reply_business_days,
        "thanks": thanks(consultation),
        "picked_times": picked_times(held) or "(none)",
        "about_times": about_times(held),
        "location": location(consultation),
        "referrals": format_referrals(referrals),
        "withdraw_link": withdraw_link(consultation),
    }


def fill(text, values):
    """The text with its placeholders filled in; check it with placeholder_errors first."""
    return text.format_map(values)


def prefill(text, values):
    """
    The text as the reply form first shows it: placeholders filled in except FILLED_WHEN_SENT, and
    the result still a valid template (literal braces, in the text or in a name, written doubled).
    """
    parts = []
    for literal, field, _, _ in string.Formatter().parse(text):
        parts.append(escape_braces(literal))
        if field in FILLED_WHEN_SENT:
            parts.append(f"{{{field}}}")
        elif field is not None:
            parts.append(escape_braces(str(values[field])))
    return "".join(parts)


def escape_braces(text):
    return text.replace("{", "{{").replace("}", "}}")


def one_line(text):
    """A subject is one header line: a line break in one would be refused by the mail library."""
    return " ".join(text.split())


def send_reply(consultation, *, template, subject, body, referrals, user):
    """
    Record the reply in the request's timeline and queue its email, move the request to the
    template's status and record the first reply, in one transaction. Returns the timeline entry.
    """
    values = values_for(consultation, referrals)
    if not any(field == "withdraw_link" for _, field, _, _ in string.Formatter().parse(body)):
        body = f"{body.rstrip()}\n\n{WITHDRAW_LINE}"
    with transaction.atomic():
        consultation = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
        entry = record_reply(consultation, fill(subject, values), fill(body, values), user)
        if template.moves_to:
            consultation.change_status(template.moves_to, user=user)
        AuditEntry.record(
            AuditEntry.Action.CHANGE, user, [consultation.pk], detail=f"sent a reply ({template.name})"
        )
    return entry


def record_reply(consultation, subject, text, user):
    """
    A reply as written, in the request's timeline with its email queued, and the first reply noted;
    call inside a transaction holding the request's row (send_reply, offered_times.send_offer).
    """
    entry = TimelineEntry.objects.create(
        request=consultation,
        kind=TimelineEntry.Kind.REPLY,
        by=user,
        subject=one_line(subject)[:200],
        text=text,
    )
    Notification.objects.create(request=consultation, kind=Notification.Kind.REPLY, reply=entry)
    if consultation.first_reply_at is None:
        # A reply that keeps the status (or moves it from something other than New) still answers them.
        consultation.first_reply_at = entry.at
        consultation.save(update_fields=["first_reply_at", "updated_at"])
    return entry


def no_email_reason(consultation):
    """Why this request cannot be answered by email, or "" when it can."""
    if consultation.email:
        return ""
    if consultation.preferred_contact == ConsultationRequest.Contact.TEXT:
        return "They asked for a text message and gave no email address: text them instead, and log it."
    return "They asked for a phone call and gave no email address: call them instead, and log it."
