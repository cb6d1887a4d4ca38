"""The practice is told about each request, reliably, and without a single health detail."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends import smtp
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.life import notifications
from intake.life.notifications import retry_delay, send_due_notifications, send_one
from intake.models import ConsultationRequest, Notification
from pages.models import PracticeSettings
from tests.faults.mail import MailServer
from tests.intake.broken_mail import SlowMailServer
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
MAIL_DOWN = {"default": {"BACKEND": "tests.intake.broken_mail.MailServerDown"}}
MAIL_UP = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
SENTINELS = {
    "name": "Sentinelname Quokka",
    "email": "sentinel.quokka@example.com",
    "phone": "555-987-6543",
    "message": "Sentinel message about my partner",
    "insurer": "Sentinelcare",
    "heard_about": "Sentinel podcast",
}


@pytest.fixture(autouse=True)
def notify_address(settings):
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"
    settings.SITE_URL = "https://practice.example"


def submit(client, **overrides):
    response = client.post("/consultation/", form_data(**overrides))
    assert response.status_code == 302
    return ConsultationRequest.objects.latest("id")


def make_due():
    Notification.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_the_alert_is_sent_by_the_worker_to_practice_notify_email(client):
    consultation = submit(client)
    assert send_due_notifications() == (1, 0)
    (email,) = mail.outbox
    assert email.to == ["therapist@practice.example"]
    assert email.subject == f"New consultation request #{consultation.pk}"
    assert (
        f"https://practice.example/admin/intake/consultationrequest/{consultation.pk}/change/" in email.body
    )
    assert Notification.objects.get().sent_at is not None


def test_the_alert_falls_back_to_the_practice_email(client, settings):
    settings.PRACTICE_NOTIFY_EMAIL = ""
    practice = PracticeSettings.load()
    practice.email = "public@practice.example"
    practice.save()
    submit(client)
    send_due_notifications()
    assert mail.outbox[0].to == ["public@practice.example"]


def test_with_no_address_at_all_the_alert_waits_visibly(client, settings):
    settings.PRACTICE_NOTIFY_EMAIL = ""
    submit(client)
    assert send_due_notifications() == (0, 1)
    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert notification.last_error == "NoRecipient"


def test_the_alert_carries_no_name_contact_details_concerns_or_message(client):
    consultation = submit(client, **SENTINELS)
    send_due_notifications()
    (email,) = mail.outbox
    text = email.subject + email.body + str(email.message())
    for label in [c.label for c in consultation.concerns.all()] + list(SENTINELS.values()):
        assert label not in text
    assert "Sentinel" not in text and "Quokka" not in text
    # Digit runs long enough that the Message-ID's random number never holds one by chance.
    for phone in ("987-6543", "987 6543", "9876543"):
        assert phone not in text


def test_with_the_mail_server_down_the_request_is_saved_the_visitor_thanked_and_the_alert_kept(client):
    with override_settings(MAILERS=MAIL_DOWN):
        response = client.post("/consultation/", form_data(), follow=True)
        assert response.status_code == 200
        assert "Thank you, Robin" in response.content.decode()
        assert send_due_notifications() == (0, 1)
    assert ConsultationRequest.objects.count() == 1
    notification = Notification.objects.get()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert notification.last_error == "SMTPConnectError"
    assert notification.next_attempt_at - timezone.now() <= timedelta(minutes=1), (
        "first retry within a minute"
    )


def test_after_an_outage_the_alert_is_delivered_exactly_once(client, no_daily_summary):
    submit(client)
    with override_settings(MAILERS=MAIL_DOWN):
        for _ in range(6):
            make_due()
            send_due_notifications()
    assert Notification.objects.get().attempts == 6
    assert mail.outbox == []

    send_due_notifications()
    assert mail.outbox == [], "not before its retry time"
    make_due()
    assert send_due_notifications() == (1, 0)
    make_due()
    assert send_due_notifications() == (0, 0)
    call_command("send_notifications", "--once", verbosity=0)
    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.sent_at is not None
    assert notification.last_error == ""
    assert notification.attempts == 7, "six failed tries and the one that worked"


def test_emails_already_sent_never_crowd_out_the_ones_still_waiting(client):
    first = submit(client)
    send_due_notifications()
    second = submit(client)
    assert send_due_notifications(limit=1) == (1, 0)
    assert [email.subject for email in mail.outbox] == [
        f"New consultation request #{first.pk}",
        f"New consultation request #{second.pk}",
    ]


def test_an_email_another_worker_has_just_sent_is_not_sent_again(client):
    submit(client)
    send_due_notifications()
    assert send_one(Notification.objects.get().pk) is None
    assert len(mail.outbox) == 1


def test_retries_back_off_from_30_seconds_to_at_most_five_minutes():
    delays = [retry_delay(attempt).total_seconds() for attempt in range(1, 12)]
    assert delays[:5] == [30, 60, 120, 240, 300]
    assert max(delays) == 300
    assert delays == sorted(delays)


def test_the_mail_servers_error_text_never_reaches_the_log(client, caplog):
    submit(client, **SENTINELS)
    with override_settings(MAILERS=MAIL_DOWN), caplog.at_level("DEBUG"):
        send_due_notifications()
    assert "SMTPConnectError" in caplog.text
    assert "robin@example.com" not in caplog.text
    for value in SENTINELS.values():
        assert value not in caplog.text


def test_a_failed_try_is_logged_by_number_kind_of_error_and_next_try_only(client, caplog):
    submit(client, **SENTINELS)
    notification = Notification.objects.get()
    with override_settings(MAILERS=MAIL_DOWN), caplog.at_level("WARNING", logger="intake.life.notifications"):
        send_due_notifications()
    assert [r.getMessage() for r in caplog.records if r.name == "intake.life.notifications"] == [
        f"Notification {notification.pk} not sent (SMTPConnectError); try 2 in 0:00:30"
    ]


def test_in_development_an_alert_with_no_address_is_printed_for_practice_at_localhost(client, settings):
    settings.PRACTICE_NOTIFY_EMAIL = ""
    settings.DEBUG = True
    submit(client)
    assert send_due_notifications() == (1, 0)
    assert mail.outbox[0].to == ["practice@localhost"]


def test_the_state_of_each_alert_shows_in_admin(client, admin_client):
    consultation = submit(client)
    url = f"/admin/intake/consultationrequest/{consultation.pk}/change/"
    assert "Alert to the practice: queued" in admin_client.get(url).content.decode()
    with override_settings(MAILERS=MAIL_DOWN):
        send_due_notifications()
    assert "1 failed tries (SMTPConnectError)" in admin_client.get(url).content.decode()
    make_due()
    send_due_notifications()
    assert "Alert to the practice: sent" in admin_client.get(url).content.decode()


def test_the_acknowledgement_is_off_by_default(client):
    submit(client)
    assert list(Notification.objects.values_list("kind", flat=True)) == ["practice"]


@override_settings(INTAKE_ACKNOWLEDGE_VISITORS=True)
def test_the_acknowledgement_goes_to_a_visitor_who_chose_email_and_carries_no_details(client):
    consultation = submit(client, **(SENTINELS | {"name": "Robin"}))
    send_due_notifications()
    acknowledgement = next(email for email in mail.outbox if email.to == [SENTINELS["email"]])
    text = acknowledgement.subject + acknowledgement.body
    for label in [c.label for c in consultation.concerns.all()]:
        assert label not in text
    for value in (SENTINELS["message"], SENTINELS["insurer"], SENTINELS["phone"], "Robin"):
        assert value not in text
    assert "I reply within" in text


@override_settings(INTAKE_ACKNOWLEDGE_VISITORS=True)
@pytest.mark.parametrize("contact", ["call", "text"])
def test_the_acknowledgement_is_never_sent_to_a_visitor_who_did_not_choose_email(client, contact):
    submit(client, preferred_contact=contact)
    send_due_notifications()
    assert [email.to for email in mail.outbox] == [["therapist@practice.example"]]


@override_settings(INTAKE_ACKNOWLEDGE_VISITORS=True)
def test_spam_is_never_announced_to_anyone(client):
    submit(client, reference_code="bot")
    send_due_notifications()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_each_alert_exactly_once(client):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; development on SQLite runs one worker")
    submit(client)
    SlowMailServer.sent.clear()

    def worker():
        try:
            send_due_notifications()
        finally:
            connection.close()

    with override_settings(MAILERS={"default": {"BACKEND": "tests.intake.broken_mail.SlowMailServer"}}):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(SlowMailServer.sent) == 1
    assert Notification.objects.get().attempts == 1


@pytest.fixture
def smtp_server(settings, monkeypatch):
    """A real SMTP server on loopback, and how many connections the mail backend opened to it."""
    server = MailServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": 5},
        }
    }
    opened = []

    class CountedSMTP(smtplib.SMTP):
        def __init__(self, *args, **kwargs):
            opened.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(smtp.EmailBackend, "connection_class", CountedSMTP)
    yield server, opened
    server.stop()


def test_a_batch_of_emails_goes_over_one_connection_to_the_mail_server(client, smtp_server):
    server, opened = smtp_server
    for _ in range(3):
        submit(client)
    with CaptureQueriesContext(connection) as queries:
        assert send_due_notifications() == (3, 0)
    assert len(server.received()) == 3
    assert len(opened) == 1
    settings_read = [query for query in queries if 'FROM "pages_practicesettings"' in query["sql"]]
    assert len(settings_read) == 1, "the practice settings are read once for the batch"


def test_after_a_failure_the_next_email_of_the_batch_opens_a_new_connection(client, smtp_server, monkeypatch):
    server, opened = smtp_server
    for _ in range(2):
        submit(client)
    first = Notification.objects.order_by("next_attempt_at").first()
    real_build = notifications.build_email

    def broken_once(notification, practice=None):
        if notification.pk == first.pk:
            raise smtplib.SMTPServerDisconnected("the server hung up")
        return real_build(notification, practice)

    monkeypatch.setattr(notifications, "build_email", broken_once)
    assert send_due_notifications() == (1, 1)
    assert len(opened) == 2, "the batch's connection, closed after the failure, then a new one"
    assert len(server.received()) == 1
