"""The notification worker rides out a database outage of any length, says so once, and carries on."""

import logging
import socket
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import InterfaceError, OperationalError, ProgrammingError, connection, connections

from intake.life.notifications import queue_notifications
from intake.management.commands import send_notifications
from intake.models import Notification
from tests.intake.factories import make_request

WORKER_LOG = send_notifications.__name__
pytestmark = pytest.mark.usefixtures("no_daily_summary")
# What PostgreSQL's errors can say; none of it may reach the log.
ERROR_TEXT = 'duplicate key value (email)=(robin@example.com) violates "intake_request"'


@pytest.fixture(autouse=True)
def connection_checks_allowed(django_db_blocker):
    """
    Between polls the loop checks its connection (close_old_connections), which opens none. SQLite's
    in-memory test database keeps its connection open, so there the check reaches the database.
    """
    with django_db_blocker.unblock():
        yield


def run_worker(monkeypatch, polls, on_sleep=lambda count: None, verbosity=0, **options):
    """Run the worker loop in this process until `polls` checks are done; return the sleeps it asked for."""
    command = send_notifications.Command()
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        on_sleep(len(sleeps))
        if len(sleeps) >= polls:
            command.running = False

    monkeypatch.setattr(command, "sleep", sleep)
    call_command(command, "--interval", "7", verbosity=verbosity, **options)
    return sleeps


def scripted(monkeypatch, outcomes):
    """send_due_notifications answering each check in turn: an exception class raises, a tuple returns."""
    calls = iter(outcomes)

    def send_due_notifications():
        outcome = next(calls)
        if isinstance(outcome, type):
            raise outcome(ERROR_TEXT)
        return outcome

    monkeypatch.setattr(send_notifications, "send_due_notifications", send_due_notifications)


def worker_log(caplog):
    return [record for record in caplog.records if record.name == WORKER_LOG]


def test_an_outage_is_logged_once_when_it_starts_and_once_when_it_ends(monkeypatch, caplog):
    outcomes = [(0, 0), *[OperationalError] * 5, (1, 0), (0, 0), InterfaceError, OperationalError, (0, 0)]
    scripted(monkeypatch, outcomes)
    with caplog.at_level(logging.INFO, logger=WORKER_LOG):
        sleeps = run_worker(monkeypatch, polls=len(outcomes))
    assert sleeps == [7] * len(outcomes), "every check, in an outage too, waits the interval and goes on"
    assert [(r.levelname, r.getMessage()) for r in worker_log(caplog)] == [
        ("ERROR", "Database unavailable (OperationalError); emails wait, checking again every 7 s."),
        ("WARNING", "Database available again; sending what is due."),
        ("ERROR", "Database unavailable (InterfaceError); emails wait, checking again every 7 s."),
        ("WARNING", "Database available again; sending what is due."),
    ]
    assert "robin" not in caplog.text and "duplicate key" not in caplog.text


def test_an_outage_drops_the_broken_connections(monkeypatch):
    scripted(monkeypatch, [OperationalError, OperationalError, (0, 0)])
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    run_worker(monkeypatch, polls=3)
    assert closed == [True, True]


def test_an_outage_that_breaks_even_the_closing_of_connections_is_ridden_out(monkeypatch):
    scripted(monkeypatch, [OperationalError, OperationalError, (1, 0)])

    def close_all():
        raise OperationalError(ERROR_TEXT)

    monkeypatch.setattr(connections, "close_all", close_all)
    assert len(run_worker(monkeypatch, polls=3)) == 3


def test_the_running_worker_says_what_it_sent_at_each_check_and_nothing_when_there_was_nothing(monkeypatch):
    scripted(monkeypatch, [(2, 1), (0, 0), OperationalError, (0, 3)])
    out = StringIO()
    run_worker(monkeypatch, polls=4, verbosity=1, stdout=out)
    assert out.getvalue().splitlines() == [
        "Sending consultation request emails; checking every 7 s.",
        "2 sent, 1 failed (will retry)",
        "0 sent, 3 failed (will retry)",
    ]


def test_an_outage_longer_than_anyone_would_test_by_hand_is_still_ridden_out(monkeypatch, caplog):
    outcomes = [*[OperationalError] * 500, (1, 0)]
    scripted(monkeypatch, outcomes)
    with caplog.at_level(logging.INFO, logger=WORKER_LOG):
        assert len(run_worker(monkeypatch, polls=len(outcomes))) == len(outcomes)
    assert len(worker_log(caplog)) == 2


def test_an_outage_while_making_the_daily_summary_is_ridden_out_like_any_other(monkeypatch, caplog):
    scripted(monkeypatch, [(1, 0)])
    summaries = iter([OperationalError, None])

    def make_daily_digest():
        if failure := next(summaries):
            raise failure(ERROR_TEXT)

    monkeypatch.setattr(send_notifications, "make_daily_digest", make_daily_digest)
    with caplog.at_level(logging.INFO, logger=WORKER_LOG):
        assert run_worker(monkeypatch, polls=2) == [7, 7]
    assert [r.levelname for r in worker_log(caplog)] == ["ERROR", "WARNING"]
    assert "robin" not in caplog.text


def test_an_error_that_is_not_an_outage_still_stops_the_worker(monkeypatch):
    """A bug (a missing table, a bad query) must not hide behind a worker that looks alive."""
    scripted(monkeypatch, [ProgrammingError])
    with pytest.raises(ProgrammingError):
        run_worker(monkeypatch, polls=5)


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_when_the_real_database_comes_back_the_worker_uses_it_again(monkeypatch, settings, caplog):
    """
    PostgreSQL ends the worker's connection, then refuses new ones for three checks, then is
    back: the alert that waited goes out.
    """
    if connection.vendor != "postgresql":
        pytest.skip("ends a PostgreSQL connection from the server side")
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"
    queue_notifications(make_request(email="robin@example.com"))
    real = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(unused_port()))
    with pytest.raises(OperationalError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")  # as a restart does

    def database_back_after_three_checks(count):
        if count == 3:
            connection.settings_dict.update(real)

    try:
        with caplog.at_level(logging.INFO, logger=WORKER_LOG):
            run_worker(monkeypatch, polls=5, on_sleep=database_back_after_three_checks)
    finally:
        connection.settings_dict.update(real)
    assert [r.getMessage().split(";")[0] for r in worker_log(caplog)] == [
        "Database unavailable (OperationalError)",
        "Database available again",
    ]
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None
    assert "robin" not in caplog.text
