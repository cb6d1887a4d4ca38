"""The notification worker, and how compose, cron and `make run` start it and the purge."""

import signal
import threading
import time
from io import StringIO

import pytest
import yaml
from django.core import mail
from django.core.management import call_command

from intake.life.notifications import queue_notifications
from intake.management.commands.send_notifications import Command
from practice.settings import BASE_DIR
from tests.intake.factories import make_request

pytestmark = pytest.mark.usefixtures("no_daily_summary")


@pytest.mark.django_db
def test_the_worker_sends_what_is_due_and_stops_cleanly_on_sigterm(settings, monkeypatch):
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"
    queue_notifications(make_request())
    command = Command()

    def stopped_by_docker(seconds):
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)

    monkeypatch.setattr(command, "sleep", stopped_by_docker)
    handler_before = signal.getsignal(signal.SIGTERM)
    call_command(command, "--interval", "0", verbosity=0)
    assert len(mail.outbox) == 1
    assert signal.getsignal(signal.SIGTERM) is handler_before


@pytest.mark.django_db
def test_once_says_what_it_sent_and_is_silent_when_nothing_was_due_or_quiet_is_asked(settings):
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"

    def once(**options):
        out = StringIO()
        call_command("send_notifications", "--once", stdout=out, **options)
        return out.getvalue()

    queue_notifications(make_request())
    assert once() == "1 sent, 0 failed (will retry)\n"
    assert once() == "", "nothing was due"
    queue_notifications(make_request())
    assert once(verbosity=0) == ""
    assert len(mail.outbox) == 2


def test_the_worker_checks_every_five_seconds_unless_told_otherwise():
    parser = Command().create_parser("manage.py", "send_notifications")
    assert parser.parse_args([]).interval == 5
    assert parser.parse_args(["--interval", "0.5"]).interval == 0.5


def test_a_stop_ends_the_workers_wait_within_a_second_and_otherwise_it_waits_the_whole_interval():
    """Docker allows ten seconds between SIGTERM and SIGKILL: the wait is taken in short naps."""
    command = Command()
    command.running = True
    stopper = threading.Timer(0.2, command.stop, args=(signal.SIGTERM, None))
    stopper.start()
    started = time.monotonic()
    command.sleep(5)
    assert time.monotonic() - started < 1.2
    command.running = True
    started = time.monotonic()
    command.sleep(0.3)
    assert time.monotonic() - started >= 0.3


def compose_services():
    return yaml.safe_load((BASE_DIR / "compose.yaml").read_text())["services"]


def test_compose_runs_the_notification_worker_next_to_the_site():
    worker = compose_services()["worker"]
    assert worker["command"] == ["python", "manage.py", "send_notifications"]
    assert worker["restart"] == "unless-stopped"
    assert worker["healthcheck"] == {"disable": True}, "the image's health check asks a web server"
    assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}


def test_compose_has_a_purge_job_for_cron_that_up_does_not_start():
    purge = compose_services()["purge"]
    assert purge["command"] == ["python", "manage.py", "purge_consultations"]
    assert purge["profiles"] == ["jobs"]


def test_make_run_starts_the_worker_and_stops_it_with_the_server():
    makefile = (BASE_DIR / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ntest:")]
    assert "manage.py send_notifications &" in run
    assert "trap 'kill" in run
    assert "manage.py runserver" in run


def test_the_docs_explain_consultation_requests():
    readme = (BASE_DIR / "docs" / "behaviour.md").read_text()
    section = readme[readme.index("## Consultation requests") :]
    for words in (
        "send_notifications",
        "Consultation reviewers",
        "export",
        "purge_consultations",
        "cron",
        "Erase",
    ):
        assert words in section, words
