"""
The visitor's own "withdraw my request" link, carried by the acknowledgement and every reply.

The link holds the request's number and a piece of its one-time form token, signed with the
site's secret: it cannot be guessed or altered into another person's request, and it names
nobody (a forwarded or logged URL shows a number and a signature, nothing else).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "intake.withdraw"


class LinkNotValid(Exception):
    """The link was altered or cut short: its signature does not match."""


def withdraw_token(consultation):
    return signing.dumps([consultation.pk, consultation.form_token[:16]], salt=SALT)


def withdraw_link(consultation):
    return settings.SITE_URL + reverse("intake:withdraw", args=[withdraw_token(consultation)])


def read_token(token):
    """The (request number, form token prefix) a link was made for; LinkNotValid if it was altered."""
    try:
        number, token_prefix = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkNotValid from error
    return number, token_prefix
