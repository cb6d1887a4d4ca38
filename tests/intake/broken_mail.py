"""A mail backend for tests: the mail server is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class MailServerDown(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, b"mail.practice.example is down for robin@example.com")
