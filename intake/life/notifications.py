"""
The emails about a request: an alert to the practice, optionally an acknowledgement to the visitor,
and the replies the therapist sends from admin.

Why an outbox table and our own small worker instead of Django's tasks API with
django-tasks-db: the tasks API has no retries. A failed task stays failed, so a
retry would have to be a new task enqueued from inside the failing one, and a worker
stopped between the failure and that enqueue would end the chain and lose the alert.
Here a Notification row stays unsent until a mail server has accepted it; the
worker (`manage.py send_notifications`) only ever moves it to "sent" or to a later
retry, so nothing can drop it. The row is written in the request's own transaction.

Delivery is at least once, not exactly once: a worker stopped after the mail server
took an email and before its row was marked sent sends it again. Every attempt
carries the row's own Message-ID, so the copies are recognisably one email.

No email the site writes carries a name, contact details, concerns or a message:
the practice's alert has the request number and an admin link; the acknowledgement
only says that the request arrived, with the link to withdraw it; the notice of a
withdrawal has the number and a link to the audit log, the only place the number is
left. The one exception is a reply the therapist writes in admin (intake.life.replies): it
goes to the visitor's own address with the text the therapist sent, which may use
their name, and nothing else of the request. The daily summary (intake.life.digest) has counts only.
A booked consultation's emails (intake.life.booking_emails) give the practice a number and a time; the
visitor's own copy names them, at their own address.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from intake.life.booking_emails import booking_email, ics_attachment
from intake.life.withdrawal import withdraw_link
from intake.models import ConsultationRequest, Notification
from pages.models import PracticeSettings

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 5 * 60
# In the practice's alert when the visitor picked consultation times on the form: which, only in admin.
TIMES_PICKED = "They picked times for the free consultation: held for 48 hours, or until you answer.\n\n"


class NoRecipient(Exception):
    """Nowhere to send it: for an alert, neither PRACTICE_NOTIFY_EMAIL nor the practice's email is set."""


def queue_notifications(consultation):
    """Write the emails for a new request; call inside the transaction that saves it."""
    Notification.objects.create(request=consultation, kind=Notification.Kind.PRACTICE)
    if (
        settings.INTAKE_ACKNOWLEDGE_VISITORS
        and consultation.preferred_contact == ConsultationRequest.Contact.EMAIL
        and consultation.email
    ):
        Notification.objects.create(request=consultation, kind=Notification.Kind.ACKNOWLEDGEMENT)


def queue_withdrawal_notice(number, consultation_was=""):
    """
    Tell the practice a request was withdrawn, by number only; call inside the transaction that erases it.
    `consultation_was`: when its confirmed consultation was to be (intake.life.booking_emails.when), if it had one.
    """
    audit_log = settings.SITE_URL + reverse("admin:intake_auditentry_changelist") + f"?q={number}"
    # The booking goes with the request, so the therapist's calendar is the one place it is left.
    cancelled = (
        f"Its consultation on {consultation_was} is cancelled with it: the time is open again. "
        "A separate email carries the cancellation for your calendar.\n\n"
        if consultation_was
        else ""
    )
    Notification.objects.create(
        kind=Notification.Kind.WITHDRAWAL,
        subject=f"Request #{number} was withdrawn",
        body=(
            f"Request #{number} was withdrawn by the person who sent it, with the link in the email "
            "they received. It has been deleted from the website with everything it held, your notes "
            "and replies included.\n\n"
            f"{cancelled}"
            f"The audit log keeps the number only (sign-in needed):\n{audit_log}\n"
        ),
    )


def retry_delay(attempts):
    """30 s after the first failure, then doubling, never more than five minutes."""
    return timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), LONGEST_WAIT_SECONDS))


def admin_link(consultation):
    return settings.SITE_URL + reverse("admin:intake_consultationrequest_change", args=[consultation.pk])


def practice_recipient(practice):
    """Where the practice's own emails go. In development (`make run`, console mail) there is always somewhere."""
    recipient = settings.PRACTICE_NOTIFY_EMAIL or practice.email or (settings.DEBUG and "practice@localhost")
    if not recipient:
        raise NoRecipient
    return recipient


def build_email(notification, practice=None):
    consultation = notification.request
    practice = practice or PracticeSettings.load()
    if notification.kind == Notification.Kind.REPLY:
        return reply_email(notification, practice)
    if notification.kind in (*Notification.ABOUT_A_BOOKING, Notification.Kind.BOOKING_NOTICE):
        to_practice = notification.kind in (
            Notification.Kind.INVITE_PRACTICE,
            Notification.Kind.BOOKING_NOTICE,
        )
        return booking_email(notification, practice, practice_recipient(practice) if to_practice else None)
    if notification.kind in (
        Notification.Kind.WITHDRAWAL,
        Notification.Kind.DIGEST,
        Notification.Kind.CANCEL_ERASED,
    ):
        # Written when queued: a withdrawn request is gone by the time it is sent; the daily
        # summary holds the counts of the moment it was made (intake/life/digest.py).
        message = EmailMessage(
            notification.subject,
            notification.body,
            to=[practice_recipient(practice)],
            headers={"Message-ID": notification.message_id},
        )
        if notification.invite:
            ics_attachment(message, notification.invite, "CANCEL")
        return message
    if notification.kind == Notification.Kind.PRACTICE:
        recipient = practice_recipient(practice)
        body = (
            f"A new consultation request has arrived: #{consultation.pk}.\n\n"
            f"Open it in admin (sign-in needed):\n{admin_link(consultation)}\n\n"
            f"{TIMES_PICKED if consultation.bookings.exists() else ''}"
            "This email carries no details on purpose: they stay on the website's server.\n"
        )
        subject = f"New consultation request #{consultation.pk}"
    else:
        recipient = consultation.email
        subject = f"Your consultation request to {practice.practice_name}"
        body = (
            f"Thank you for getting in touch with {practice.practice_name}. Your request has arrived.\n"
            f"{practice.reply_promise}\n\n"
            "If you change your mind, you can withdraw your request and have it deleted:\n"
            f"{withdraw_link(consultation)}\n\n"
            f"{practice.crisis_notice}\n"
        )
    # The same Message-ID on every attempt: a copy sent again after a crash is recognisably the same email.
    # A visitor answering the acknowledgement reaches the practice, not the address the site sends from.
    reply_to = (
        [practice.email]
        if notification.kind == Notification.Kind.ACKNOWLEDGEMENT and practice.email
        else None
    )
    return EmailMessage(
        subject, body, to=[recipient], reply_to=reply_to, headers={"Message-ID": notification.message_id}
    )


def reply_email(notification, practice):
    """The therapist's reply, as kept in the request's timeline; the visitor's answer goes to the practice."""
    entry = notification.reply
    if not notification.request.email:
        raise NoRecipient
    return EmailMessage(
        entry.subject,
        entry.text,
        to=[notification.request.email],
        reply_to=[practice.email] if practice.email else None,
        headers={"Message-ID": notification.message_id},
    )


def send_due_notifications(limit=50):
    """
    Send what is due; return (sent, failed). Safe to run in several workers at once. One connection
    to the mail server and one reading of the practice settings serve the whole batch: a connection
    and a reading per email cost the worker as much CPU as the request that queued it.
    """
    sent = failed = 0
    due = Notification.objects.filter(sent_at__isnull=True, next_attempt_at__lte=timezone.now())
    due_ids = list(due.order_by("next_attempt_at").values_list("id", flat=True)[:limit])
    if not due_ids:
        return sent, failed
    practice = PracticeSettings.load()
    mailer = mailers.default
    with contextlib.suppress(OSError, smtplib.SMTPException):
        mailer.open()  # out of reach: each email below fails on its own and waits for its retry
    try:
        for notification_id in due_ids:
            delivered = send_one(notification_id, mailer, practice)
            if delivered is True:
                sent += 1
            elif delivered is False:
                failed += 1
    finally:
        mailer.close()
    return sent, failed


def send_one(notification_id, mailer=None, practice=None):
    """
    Send one notification, holding its row locked so no other worker sends it too. `mailer`: a
    mail backend that may stay open between emails (the default mailer, opened for this one, if not).
    Returns True when sent, False when it failed (a retry is scheduled), None if taken or already sent.
    """
    mailer = mailer or mailers.default
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("request", "booking")
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return None
        try:
            mailer.send_messages([build_email(notification, practice)])
        except Exception as error:  # any failure: SMTP, DNS, timeouts, missing address
            mailer.close()  # a connection in an unknown state: the next email opens another
            notification.attempts += 1
            notification.last_error = type(error).__name__
            notification.next_attempt_at = timezone.now() + retry_delay(notification.attempts)
            notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            # The exception's text may quote an address: log the kind of error only.
            logger.warning(
                "Notification %s not sent (%s); try %s in %s",
                notification.pk,
                notification.last_error,
                notification.attempts + 1,
                retry_delay(notification.attempts),
            )
            return False
        notification.sent_at = timezone.now()
        notification.attempts += 1
        notification.last_error = ""
        notification.save(update_fields=["sent_at", "attempts", "last_error"])
        return True
