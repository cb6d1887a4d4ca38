import contextlib
import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections

from intake.life.booking_emails import queue_due_reminders
from intake.life.digest import make_daily_digest
from intake.life.moves import warn_before_lapse
from intake.life.notifications import send_due_notifications

logger = logging.getLogger(__name__)

# What an unreachable database raises: a refused or dropped connection, a server shutting
# down or starting up. Anything else is a bug, and ends the process for all to see.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


class Command(BaseCommand):
    help = (
        "Send the emails about new consultation requests, retrying failed ones with back-off "
        "(30 s, then doubling, at most 5 minutes apart), and make the therapist's daily summary once "
        "its time has passed. Runs until stopped, riding out database outages; --once does what is "
        "due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help="Send what is due now (and the daily summary, if its time has passed), then exit (for cron).",
        )
        parser.add_argument(
            "--interval", type=float, default=5, help="Seconds between checks for due emails (default 5)."
        )

    def handle(self, *, once, interval, verbosity, **options):
        if once:
            make_daily_digest()
            queue_due_reminders()
            warn_before_lapse()
            self.report(*send_due_notifications(), verbosity)
            return
        self.running = True
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        if verbosity:
            self.stdout.write(f"Sending consultation request emails; checking every {interval:g} s.")
        database_down = False
        try:
            while self.running:
                database_down = self.poll(database_down, interval, verbosity)
                self.sleep(interval)
                # A long-running process: drop a connection the database has closed, as each web request does.
                if self.running:
                    close_old_connections()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def poll(self, database_down, interval, verbosity):
        """Send what is due, once. Returns whether the database is out of reach, logging only the changes."""
        try:
            # Before sending, so a summary made now goes out in this same check.
            make_daily_digest()
            queue_due_reminders()
            warn_before_lapse()
            sent, failed = send_due_notifications()
        except OUTAGE_ERRORS as error:
            # Whatever is left of the connection goes; the next check opens a new one.
            with contextlib.suppress(DatabaseError):
                connections.close_all()
            if not database_down:
                # The kind of error only: its text may quote the row being written.
                logger.error(
                    "Database unavailable (%s); emails wait, checking again every %g s.",
                    type(error).__name__,
                    interval,
                )
            return True
        if database_down:
            logger.warning("Database available again; sending what is due.")
        self.report(sent, failed, verbosity)
        return False

    def report(self, sent, failed, verbosity):
        if verbosity and (sent or failed):
            self.stdout.write(f"{sent} sent, {failed} failed (will retry)")

    def stop(self, signum, frame):
        self.running = False

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.5, seconds))
