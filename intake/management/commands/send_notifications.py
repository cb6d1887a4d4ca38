import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from intake.notifications import send_due_notifications


class Command(BaseCommand):
    help = (
        "Send the emails about new consultation requests, retrying failed ones with back-off "
        "(30 s, then doubling, at most 5 minutes apart). Runs until stopped; --once sends what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit (for cron).")
        parser.add_argument(
            "--interval", type=float, default=5, help="Seconds between checks for due emails (default 5)."
        )

    def handle(self, *, once, interval, verbosity, **options):
        if once:
            self.report(*send_due_notifications(), verbosity)
            return
        self.running = True
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        if verbosity:
            self.stdout.write(f"Sending consultation request emails; checking every {interval:g} s.")
        try:
            while self.running:
                self.report(*send_due_notifications(), verbosity)
                self.sleep(interval)
                # A long-running process: drop a connection the database has closed, as each web request does.
                if self.running:
                    close_old_connections()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def report(self, sent, failed, verbosity):
        if verbosity and (sent or failed):
            self.stdout.write(f"{sent} sent, {failed} failed (will retry)")

    def stop(self, signum, frame):
        self.running = False

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.5, seconds))
