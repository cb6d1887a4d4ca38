"""A mail backend for tests: the mail server is down."""

import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, b"mail.practice.example is down for robin@example.com")


class SlowMailServer(BaseEmailBackend):
    """Takes half a second per message, long enough for a second worker to try the same one."""

    sent = []

    def send_messages(self, email_messages):
        time.sleep(0.5)
        self.sent.extend(email_messages)
        return len(email_messages)
