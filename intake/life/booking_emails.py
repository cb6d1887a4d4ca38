"""
The emails about a booked consultation, each with its calendar invite (booking.invite), written
from the booking when the worker sends them so a retry always carries the booking as it is now:

- to the visitor (only if they gave an email): the confirmed time, how it happens, the link to
  cancel or move it, and an invite naming them; after a cancellation, a CANCEL for their calendar;
- to the practice: "Consultation #N", a time and an admin link, with an invite carrying the number
  only: no name, because the therapist's calendar is synced, shared and shown on locked screens;
- the day-before reminder, once, to visitors who asked to be contacted by email.

The practice's booking notices (times picked from a link) are written when queued, by number only.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from booking import invite
from booking.links import manage_token
from booking.models import Booking, ConsultationHours
from intake.models import ConsultationRequest, Notification
from pages.clock import local_day_and_time, visitor_when

REMINDER_BEFORE = timedelta(hours=24)


def when(booking):
    """The visitor's words for its time (pages.clock): "Tuesday 8 December at 12:00 pm (New York time)"."""
    return visitor_when(booking.starts_at)


def how(booking, hours):
    if booking.way == Booking.Way.VIDEO:
        if hours.video_link:
            return f"by video call, at {hours.video_link}"
        return "by video call: I will email you the link beforehand"
    return "by phone: I will call you at the number you gave"


def manage_link(booking):
    return settings.SITE_URL + reverse("intake:my_consultation", args=[manage_token(booking)])


def queue_invites(booking, message=""):
    """
    Queue the invites for a booking just confirmed, moved or cancelled; call inside its transaction.
    `message`: the therapist's own words to the visitor, kept with their email (a cancellation's why).
    """
    consultation = booking.request
    if consultation.email:
        Notification.objects.create(
            request=consultation, booking=booking, kind=Notification.Kind.INVITE_VISITOR, body=message
        )
    Notification.objects.create(request=consultation, booking=booking, kind=Notification.Kind.INVITE_PRACTICE)
    return bool(consultation.email)


def queue_booking_notice(consultation, subject, body):
    """A notice to the practice written now, by request number only (see the module docstring)."""
    Notification.objects.create(
        request=consultation, kind=Notification.Kind.BOOKING_NOTICE, subject=subject, body=body
    )


def reminders_due(now=None):
    """Confirmed consultations starting within a day, for visitors who chose email, not yet reminded."""
    now = now or timezone.now()
    return Booking.objects.filter(
        state=Booking.State.CONFIRMED,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
        reminder_queued_at__isnull=True,
        request__preferred_contact=ConsultationRequest.Contact.EMAIL,
    ).exclude(request__email="")


def queue_due_reminders(now=None):
    """Queue each due reminder once: the booking is marked and its reminder written in one transaction."""
    now = now or timezone.now()
    queued = 0
    for booking in reminders_due(now).select_related("request"):
        # The claim is one UPDATE: a second worker looking at the same moment claims nothing. In
        # the reminder's own transaction, so a worker stopped between the two leaves neither.
        with transaction.atomic():
            if Booking.objects.filter(
                pk=booking.pk, state=Booking.State.CONFIRMED, reminder_queued_at__isnull=True
            ).update(reminder_queued_at=now):
                Notification.objects.create(
                    request=booking.request, booking=booking, kind=Notification.Kind.REMINDER
                )
                queued += 1
    return queued


def drop_unsent(booking):
    """
    Drop the emails about a booking not sent yet, as it is cancelled or moved: they would say what
    is no longer so (a reminder of the old time, a confirmation just before its cancellation). Call
    inside that transaction, before queue_invites. One a worker is sending right now is waited for,
    and kept: it went out.
    """
    unsent = Notification.objects.select_for_update().filter(
        booking=booking, kind__in=Notification.ABOUT_A_BOOKING, sent_at__isnull=True
    )
    return Notification.objects.filter(pk__in=list(unsent.values_list("pk", flat=True))).delete()[0]


def ics_attachment(message, content, method):
    message.attach("consultation.ics", content, f"text/calendar; method={method}; charset=utf-8")


def booking_email(notification, practice, practice_recipient):
    """The email for one of Notification.ABOUT_A_BOOKING or a booking notice."""
    booking, consultation = notification.booking, notification.request
    headers = {"Message-ID": notification.message_id}
    if notification.kind == Notification.Kind.BOOKING_NOTICE:
        return EmailMessage(notification.subject, notification.body, to=[practice_recipient], headers=headers)
    hours = ConsultationHours.load()
    cancelled = booking.state in (Booking.State.CANCELLED, Booking.State.RELEASED)
    method = "CANCEL" if cancelled else "REQUEST"
    if notification.kind == Notification.Kind.INVITE_PRACTICE:
        subject, body = practice_text(booking, cancelled)
        message = EmailMessage(subject, body, to=[practice_recipient], headers=headers)
        content = invite.practice_invite(
            booking, practice, hours, cancelled=cancelled, recipient=practice_recipient
        )
        ics_attachment(message, content, method)
        return message
    subject, body = visitor_text(notification.kind, booking, practice, hours, cancelled, notification.body)
    message = EmailMessage(
        subject,
        body,
        to=[consultation.email],
        reply_to=[practice.email] if practice.email else None,
        headers=headers,
    )
    content = invite.visitor_invite(
        booking, practice, hours, consultation.name, consultation.email, cancelled=cancelled
    )
    ics_attachment(message, content, method)
    return message


def practice_text(booking, cancelled):
    number = booking.request_id
    admin = settings.SITE_URL + reverse("admin:intake_consultationrequest_change", args=[number])
    if cancelled:
        by = f" by {booking.get_ended_by_display()}" if booking.ended_by else ""
        subject = f"Consultation #{number} was cancelled"
        said = f"Consultation #{number} on {local_day_and_time(booking.starts_at)} is cancelled{by}, and the time is open again."
    elif booking.invite_sequence:
        subject = f"Consultation #{number} was moved"
        said = f"Consultation #{number} was moved to {local_day_and_time(booking.starts_at)}."
    else:
        subject = f"Consultation #{number} is booked"
        said = f"Consultation #{number} is booked for {local_day_and_time(booking.starts_at)}."
    body = (
        f"{said}\nThe attached invite updates your calendar.\n\n"
        f"The request, in admin (sign-in needed):\n{admin}\n\n"
        "This email carries no details on purpose: they stay on the website's server.\n"
    )
    return subject, body


def visitor_text(kind, booking, practice, hours, cancelled, message=""):
    name = practice.practice_name
    if cancelled:
        subject = f"Your consultation with {name} is cancelled"
        said = (
            f"Your free consultation on {when(booking)} is cancelled. The attached update removes it "
            "from your calendar.\nIf you would like another time, reply to this email or use the form on "
            "the website again."
        )
    else:
        if kind == Notification.Kind.REMINDER:
            subject = f"Reminder: your consultation with {name} tomorrow"
            said = f"A reminder of your free consultation on {when(booking)}, {how(booking, hours)}."
        elif booking.invite_sequence:
            subject = f"Your consultation with {name} is moved"
            said = f"Your free consultation is now on {when(booking)}, {how(booking, hours)}."
        else:
            subject = f"Your consultation with {name} is confirmed"
            said = f"Your free consultation is confirmed for {when(booking)}, {how(booking, hours)}."
        said += (
            f"\nIt lasts about {hours.length_minutes} minutes. The attached invite adds it to your calendar."
            f"\n\nIf you need to cancel or move it, you can, until it starts:\n{manage_link(booking)}"
        )
    if message:
        said = f"{message.strip()}\n\n{said}"
    return subject, f"{said}\n\n{practice.crisis_notice}\n"
