"""
A local SMTP server (aiosmtpd) that records every message it is handed, with its Message-ID and
when it arrived. A test can stop it (connections are then refused), start it again on the same
port, or make it hold its final reply to a message it has already taken in.
"""

import asyncio
import email
import email.policy
import logging
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from tests.stack import free_port, listening, wait_until

# aiosmtpd logs every SMTP command at INFO; the arrivals list says what a test needs.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Arrival:
    message_id: str
    subject: str
    recipients: tuple[str, ...]
    at: float  # time.time()


class MailServer:
    def __init__(self):
        self.port = free_port()
        self.arrivals = []
        self.reply_delay = 0
        self._lock = threading.RLock()  # the condition below calls received()
        self._arrived = threading.Condition(self._lock)
        self._controller = None

    # aiosmtpd calls this once the whole message is in (after the client's final ".").
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        arrival = Arrival(
            message_id=str(message["Message-ID"] or ""),
            subject=str(message["Subject"] or ""),
            recipients=tuple(envelope.rcpt_tos),
            at=time.time(),
        )
        with self._arrived:
            self.arrivals.append(arrival)
            delay = self.reply_delay
            self._arrived.notify_all()
        if delay:
            # The message is taken in; the "250" that tells the client so comes late.
            await asyncio.sleep(delay)
        return "250 Message accepted for delivery"

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self):
        """Stop listening: the worker's next connection is refused."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self):
        return self._controller is not None

    def received(self):
        with self._lock:
            return list(self.arrivals)

    def wait_for(self, condition, timeout, what):
        """Wait until `condition(arrivals)` is true; fail after `timeout` seconds saying `what` was awaited."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while not condition(self.arrivals):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"within {timeout} s the mail server never saw {what}")
                self._arrived.wait(remaining)
            return list(self.arrivals)


class SinkProcess:
    """
    An SMTP server in a process of its own that takes every message and keeps none: for `make bench`,
    whose load client's threads would otherwise share their process (and its GIL) with the mail
    worker's deliveries, and time them as the site's.
    """

    def __init__(self):
        self.port = free_port()
        self._process = None

    def start(self):
        self._process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "--nosetuid", "--class", "aiosmtpd.handlers.Sink",
             "--listen", f"127.0.0.1:{self.port}"],
        )  # fmt: skip
        wait_until(lambda: listening(self.port), "the SMTP sink", self._process, timeout=20)

    def stop(self):
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None
