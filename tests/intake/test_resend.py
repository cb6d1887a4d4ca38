"""Delivery is at least once; a resend is harmless: every attempt at one email carries the same Message-ID."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from intake.life.notifications import queue_notifications, send_due_notifications
from intake.models import Notification
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db


class DropsTheConnection(BaseEmailBackend):
    """A mail server that hangs up after the message was handed over: the worker must try again."""

    tried = []

    def send_messages(self, email_messages):
        self.tried.extend(email.message()["Message-ID"] for email in email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def notify_address(settings):
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"
    settings.INTAKE_ACKNOWLEDGE_VISITORS = True


def make_due():
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def message_ids(emails):
    return [email.message()["Message-ID"] for email in emails]


def test_each_email_carries_the_message_id_made_when_it_was_queued():
    queue_notifications(make_request())
    send_due_notifications()
    stored = dict(Notification.objects.values_list("kind", "message_id"))
    assert {email.to[0]: email.message()["Message-ID"] for email in mail.outbox} == {
        "therapist@practice.example": stored["practice"],
        "robin@example.com": stored["acknowledgement"],
    }
    assert stored["practice"] != stored["acknowledgement"], "each email its own"


def test_the_message_id_names_the_senders_domain_never_the_servers_host_name(settings):
    settings.DEFAULT_FROM_EMAIL = "Calm Harbor <alerts@calmharbor.example>"
    queue_notifications(make_request())
    domains = {n.message_id.rpartition("@")[2] for n in Notification.objects.all()}
    assert domains == {"calmharbor.example>"}


def test_a_failed_attempt_and_the_retry_that_succeeds_carry_the_same_message_id():
    queue_notifications(make_request())
    DropsTheConnection.tried.clear()
    with override_settings(MAILERS={"default": {"BACKEND": f"{__name__}.DropsTheConnection"}}):
        assert send_due_notifications() == (0, 2)
    make_due()
    assert send_due_notifications() == (2, 0)
    assert sorted(DropsTheConnection.tried) == sorted(message_ids(mail.outbox))
    assert sorted(message_ids(mail.outbox)) == sorted(
        Notification.objects.values_list("message_id", flat=True)
    )


def test_an_email_sent_again_after_a_crash_before_the_commit_has_the_same_message_id(monkeypatch):
    """The mail server took it, then the database went away before the row was marked sent."""
    queue_notifications(make_request(preferred_contact="call", phone="555-123-4567"))
    original_save = Notification.save

    def database_gone(notification, *args, **kwargs):
        if "sent_at" in kwargs.get("update_fields", ()):
            raise OperationalError("server closed the connection unexpectedly")
        return original_save(notification, *args, **kwargs)

    monkeypatch.setattr(Notification, "save", database_gone)
    with pytest.raises(OperationalError):
        send_due_notifications()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is None, "the crash undid the 'sent' mark"

    monkeypatch.setattr(Notification, "save", original_save)
    assert send_due_notifications() == (1, 0)
    first, again = message_ids(mail.outbox)
    assert first == again == Notification.objects.get().message_id
