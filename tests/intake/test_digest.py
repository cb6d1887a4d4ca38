"""The therapist's daily summary: at its time, in the practice's zone, once a day, counts only."""

from datetime import UTC, datetime, time, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from intake.life import digest as digest_module
from intake.life.notifications import send_due_notifications
from intake.management.commands import send_notifications
from intake.models import ConsultationRequest, DailyDigest, Notification
from pages.models import PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.intake.broken_mail import SlowMailServer
from tests.intake.factories import make_request, make_reviewer
from tests.intake.sentinels import everything_in, leaks, sentinel_request
from tests.races import at_once

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
INBOX = "therapist@practice.example"
MAIL_DOWN = {"default": {"BACKEND": "tests.intake.broken_mail.MailServerDown"}}
LIST = "/admin/intake/consultationrequest/"
NOTHING = {
    "new": 0,
    "overdue": 0,
    "follow_ups_today": 0,
    "follow_ups_overdue": 0,
    "failed_emails": 0,
    "holding": 0,
}


@pytest.fixture(autouse=True)
def practice(settings):
    settings.TIME_ZONE = "America/New_York"
    settings.PRACTICE_NOTIFY_EMAIL = INBOX
    settings.SITE_URL = "https://practice.example"


def at(*args):
    """A moment given in UTC."""
    return datetime(*args, tzinfo=UTC)


def summary_at(hour, minute=0):
    PracticeSettings.objects.update_or_create(pk=1, defaults={"digest_time": time(hour, minute)})


def digests():
    return Notification.objects.filter(kind=Notification.Kind.DIGEST)


def test_the_summary_is_not_made_before_its_time_and_is_made_once_it_has_passed():
    """8:00 in New York in November is 13:00 UTC (EST, five hours behind)."""
    make_request()
    assert digest_module.make_daily_digest(at(2026, 11, 27, 12, 59)) is None
    assert not DailyDigest.objects.exists() and not digests().exists()
    made = digest_module.make_daily_digest(at(2026, 11, 27, 13, 0))
    assert made.day == datetime(2026, 11, 27).date()
    assert made.sent and digests().count() == 1


def test_the_summary_time_is_the_practices_own_and_can_be_changed(settings):
    summary_at(7, 30)
    make_request()
    assert digest_module.make_daily_digest(at(2026, 11, 27, 12, 29)) is None
    assert digest_module.make_daily_digest(at(2026, 11, 27, 12, 30)) is not None
    settings.TIME_ZONE = "America/Los_Angeles"
    assert digest_module.make_daily_digest(at(2026, 11, 28, 15, 29)) is None, "7:29 in Los Angeles"
    assert digest_module.make_daily_digest(at(2026, 11, 28, 15, 30)).day.isoformat() == "2026-11-28"


def test_on_the_day_the_clocks_go_forward_the_summary_comes_at_8_local_time():
    """March 8, 2026: New York moves to EDT at 2:00, so 8:00 is 12:00 UTC, an hour earlier than in winter."""
    make_request()
    assert digest_module.make_daily_digest(at(2026, 3, 8, 11, 59)) is None
    assert digest_module.make_daily_digest(at(2026, 3, 8, 12, 0)).day.isoformat() == "2026-03-08"


def test_the_day_is_the_practices_day_not_utcs():
    """At 03:00 UTC on the 28th it is still the evening of the 27th in New York."""
    make_request()
    assert digest_module.make_daily_digest(at(2026, 11, 28, 3, 0)).day.isoformat() == "2026-11-27"
    assert digest_module.make_daily_digest(at(2026, 11, 28, 12, 59)) is None, "before the 28th's 8:00"


def test_the_summary_counts_what_waits_and_says_so_in_its_subject_and_body():
    now = at(2025, 6, 17, 14, 0)  # not the day the tests run: "today" is the summary's day
    today = timezone.localdate(now)
    make_request(received_at=now - timedelta(hours=1))
    make_request(received_at=now - timedelta(days=8))
    make_request(received_at=now - timedelta(days=9))
    make_request(status=Status.CONTACTED, follow_up_on=today, received_at=now - timedelta(days=3))
    make_request(status=Status.WAITLISTED, follow_up_on=today - timedelta(days=2), received_at=now)
    make_request(status=Status.CLOSED, follow_up_on=today - timedelta(days=2), received_at=now)
    make_request(status=Status.SPAM, received_at=now)
    Notification.objects.create(request=make_request(status=Status.CLOSED), kind="practice", attempts=2)
    Notification.objects.create(request=make_request(status=Status.CLOSED), kind="practice")  # not tried yet
    sent = make_request(status=Status.CLOSED)
    Notification.objects.create(request=sent, kind="practice", attempts=3, sent_at=now)  # failed, then sent
    made = digest_module.make_daily_digest(now)
    assert made.counts == {
        "new": 3,
        "overdue": 2,
        "follow_ups_today": 1,
        "follow_ups_overdue": 1,
        "failed_emails": 1,
        "holding": 0,
    }
    email = digests().get()
    assert email.request is None
    assert email.subject == (
        "Your practice today: 3 new, 2 past your reply promise, 1 follow-up due today, "
        "1 follow-up overdue, 1 email not sent"
    )
    assert "- 3 new requests awaiting your reply\n" in email.body
    assert "- 2 past your reply promise\n" in email.body
    assert "- 1 follow-up due today\n- 1 follow-up overdue\n" in email.body
    assert "- 1 email not sent yet (it will be retried)\n" in email.body
    assert "https://practice.example/admin/intake/consultationrequest/?status=open" in email.body


def test_the_subject_names_only_what_is_not_zero():
    assert digest_module.digest_subject(NOTHING | {"new": 1}) == "Your practice today: 1 new"
    assert (
        digest_module.digest_subject(NOTHING | {"follow_ups_today": 2, "failed_emails": 3})
        == "Your practice today: 2 follow-ups due today, 3 emails not sent"
    )


def test_on_a_day_with_nothing_to_say_no_email_goes_but_the_day_is_done():
    """A request arriving after the summary was made waits for tomorrow's: no late second summary."""
    make_request(status=Status.CONTACTED)
    made = digest_module.make_daily_digest(at(2026, 11, 27, 13, 0))
    assert made.counts == NOTHING
    assert made.sent is False
    assert not digests().exists()
    make_request(received_at=at(2026, 11, 27, 15, 0))
    assert digest_module.make_daily_digest(at(2026, 11, 27, 15, 0, 5)) is None
    assert not digests().exists()
    assert DailyDigest.objects.count() == 1
    assert digest_module.make_daily_digest(at(2026, 11, 28, 13, 0)).counts["new"] == 1, "the next day"


def test_the_email_goes_to_the_practice_inbox_through_the_outbox():
    make_request()
    digest_module.make_daily_digest(at(2026, 11, 27, 13, 0))
    assert send_due_notifications() == (1, 0)
    (email,) = mail.outbox
    assert email.to == [INBOX]
    assert email.subject == "Your practice today: 1 new"
    assert email.extra_headers["Message-ID"] == digests().get().message_id


def test_without_a_notify_address_the_summary_goes_to_the_practices_public_email(settings):
    settings.PRACTICE_NOTIFY_EMAIL = ""
    PracticeSettings.objects.update_or_create(pk=1, defaults={"email": "hello@practice.example"})
    make_request()
    digest_module.make_daily_digest(at(2026, 11, 27, 13, 0))
    send_due_notifications()
    assert mail.outbox[0].to == ["hello@practice.example"]


def test_with_no_address_at_all_the_summary_waits_visibly_and_in_development_is_printed(settings):
    settings.PRACTICE_NOTIFY_EMAIL = ""
    make_request()
    digest_module.make_daily_digest(at(2026, 11, 27, 13, 0))
    assert send_due_notifications() == (0, 1)
    assert digests().get().last_error == "NoRecipient"
    settings.DEBUG = True
    digests().update(next_attempt_at=timezone.now())
    assert send_due_notifications() == (1, 0)
    assert mail.outbox[0].to == ["practice@localhost"]


@pytest.mark.parametrize("contact", ConsultationRequest.Contact.values)
def test_the_summary_carries_no_detail_of_any_request(contact):
    """Every field of a waiting request holds a sentinel; none reaches the summary's subject, body or headers."""
    consultation, needles = sentinel_request(contact)
    ConsultationRequest.objects.filter(pk=consultation.pk).update(status=Status.NEW)
    Notification.objects.create(request=consultation, kind="practice", attempts=1, sent_at=None)
    made = digest_module.make_daily_digest(at(2026, 11, 27, 13, 0))
    assert made.counts == {
        "new": 1,
        "overdue": 1,
        "follow_ups_today": 0,
        "follow_ups_overdue": 1,
        "failed_emails": 1,
        "holding": 0,
    }, "the sentinel request is counted"
    digests().update(next_attempt_at=timezone.now())
    send_due_notifications()
    (summary,) = [email for email in mail.outbox if email.subject.startswith("Your practice today")]
    assert leaks(everything_in(summary), needles) == []
    assert f"#{consultation.pk}" not in everything_in(summary), "not even the request's number"
    assert all(isinstance(value, int) for value in made.counts.values())


def test_a_second_call_the_same_day_sends_nothing_as_after_a_restart():
    summary_at(0, 0)  # always due, whatever the test clock says
    make_request()
    call_command("send_notifications", "--once", verbosity=0)
    call_command("send_notifications", "--once", verbosity=0)
    assert len(mail.outbox) == 1
    assert DailyDigest.objects.count() == 1 and digests().count() == 1


def test_once_makes_the_summary_when_it_is_due_and_sends_it_in_the_same_run():
    summary_at(0, 0)
    make_request()
    out = StringIO()
    call_command("send_notifications", "--once", stdout=out)
    assert out.getvalue() == "1 sent, 0 failed (will retry)\n"
    assert mail.outbox[0].subject == "Your practice today: 1 new"


def test_the_running_worker_makes_the_summary_at_a_check_and_sends_it_in_that_check(monkeypatch):
    summary_at(0, 0)
    make_request()
    command = send_notifications.Command()

    def one_check_then_stop(seconds):
        command.running = False

    monkeypatch.setattr(command, "sleep", one_check_then_stop)
    call_command(command, "--interval", "0", verbosity=0)
    assert [email.subject for email in mail.outbox] == ["Your practice today: 1 new"]


def test_a_worker_that_loses_the_race_for_the_day_makes_nothing(monkeypatch):
    """Another worker writes today's row between this one's check and its insert: the unique day wins."""
    make_request()
    counted = digest_module.needs_attention

    def meanwhile_another_worker(now):
        DailyDigest.objects.create(day=timezone.localdate(now), counts={"new": 1}, sent=True)
        return counted(now)

    monkeypatch.setattr(digest_module, "needs_attention", meanwhile_another_worker)
    assert digest_module.make_daily_digest(at(2026, 11, 27, 13, 0)) is None
    assert DailyDigest.objects.count() == 1
    assert not digests().exists(), "its email was never queued"


def test_the_summary_survives_a_mail_outage_retried_and_sent_once():
    summary_at(0, 0)
    make_request()
    with override_settings(MAILERS=MAIL_DOWN):
        for _ in range(3):
            call_command("send_notifications", "--once", verbosity=0)
            digests().update(next_attempt_at=timezone.now())
    waiting = digests().get()
    assert waiting.sent_at is None and waiting.attempts == 3 and mail.outbox == []
    call_command("send_notifications", "--once", verbosity=0)
    digests().update(next_attempt_at=timezone.now())
    call_command("send_notifications", "--once", verbosity=0)
    assert len(mail.outbox) == 1
    assert digests().get().attempts == 4
    assert DailyDigest.objects.count() == 1


def test_the_admin_home_shows_the_same_counts_as_the_summary(client):
    now = timezone.now()
    today = timezone.localdate()
    make_request()
    make_request(received_at=now - timedelta(days=8))
    make_request(name="Wren Today", status=Status.CONTACTED, follow_up_on=today)
    make_request(name="Tess Today", status=Status.CONTACTED, follow_up_on=today)
    make_request(name="Olive Overdue", status=Status.WAITLISTED, follow_up_on=today - timedelta(days=1))
    Notification.objects.create(request=make_request(status=Status.CLOSED), kind="practice", attempts=1)
    counts = digest_module.needs_attention(now)
    assert counts == {
        "new": 2,
        "overdue": 1,
        "follow_ups_today": 2,
        "follow_ups_overdue": 1,
        "failed_emails": 1,
        "holding": 0,
    }
    sign_in(client, make_reviewer())
    html = client.get("/admin/").content.decode()
    assert f"{counts['new']} new</a>" in html
    assert f"{counts['overdue']} past your reply promise" in html
    assert f"{counts['follow_ups_today']} follow-ups due today</a>" in html
    assert f"{counts['follow_ups_overdue']} follow-up overdue</a>" in html
    assert f"{counts['failed_emails']} email could not be sent yet" in html
    # Each follow-up count is one click from the requests it counts.
    due_today = client.get(LIST + "?follow_up=today").content.decode()
    assert f'href="{LIST}?follow_up=today"' in html
    assert "Wren Today" in due_today and "Tess Today" in due_today and "Olive Overdue" not in due_today
    overdue = client.get(LIST + "?follow_up=overdue").content.decode()
    assert f'href="{LIST}?follow_up=overdue"' in html
    assert "Olive Overdue" in overdue and "Wren Today" not in overdue


def test_the_admin_home_says_when_no_follow_up_is_due_or_overdue(client):
    make_request(status=Status.CONTACTED, follow_up_on=timezone.localdate() + timedelta(days=1))
    sign_in(client, make_reviewer())
    html = client.get("/admin/").content.decode()
    assert "no follow-up due today" in html
    assert "no follow-up overdue" in html
    assert "?follow_up=" not in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_moment_make_one_summary_and_send_one_email(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's concurrency; development on SQLite runs one worker")
    settings.MAILERS = {"default": {"BACKEND": "tests.intake.broken_mail.SlowMailServer"}}
    SlowMailServer.sent.clear()
    make_request()
    now = at(2026, 11, 27, 13, 0)

    def worker():
        made = digest_module.make_daily_digest(now)
        send_due_notifications()
        return made

    outcomes = at_once([worker, worker], timeout=10)
    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    made = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    assert errors == []
    assert len([one for one in made if one is not None]) == 1
    assert DailyDigest.objects.count() == 1
    assert digests().count() == 1
    assert len(SlowMailServer.sent) == 1
