"""
The visitor's own "withdraw my request" link, carried by the acknowledgement and every reply.

The link holds the request's number and a piece of its one-time form token, signed with the
site's secret: it cannot be guessed or altered into another person's request, and it names
nobody (a forwarded or logged URL shows a number and a signature, nothing else).

It works until the request is gone: withdrawn (once), erased, purged, or due to be purged under
the retention rule, so a link never outlives what the privacy notice promises to keep.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from intake.models import AuditEntry, ConsultationRequest

SALT = "intake.withdraw"


class LinkNotValid(Exception):
    """The link was altered or cut short: its signature does not match."""


class LinkUsed(Exception):
    """The request was withdrawn already: the link works once."""


class LinkExpired(Exception):
    """The request was deleted (erased or purged), or the retention rule has it due for deletion."""


def withdraw_token(consultation):
    # No time stamp in it (Signer, not signing.dumps): the link expires with the request, by the
    # retention rule, and every email about one request carries the same link.
    return signing.Signer(salt=SALT).sign_object([consultation.pk, consultation.form_token[:16]])


def withdraw_link(consultation):
    return settings.SITE_URL + reverse("intake:withdraw", args=[withdraw_token(consultation)])


def read_token(token):
    """The (request number, form token prefix) a link was made for; LinkNotValid if it was altered."""
    try:
        number, token_prefix = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkNotValid from error
    if not isinstance(number, int) or not isinstance(token_prefix, str):
        raise LinkNotValid
    return number, token_prefix


def request_for(token, lock=False):
    """The request this link may withdraw, locked if asked; LinkNotValid, LinkUsed or LinkExpired if none."""
    number, token_prefix = read_token(token)
    requests = ConsultationRequest.objects.select_for_update() if lock else ConsultationRequest.objects
    consultation = requests.filter(pk=number).first()
    if consultation is None:
        if AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAW, request_number=number).exists():
            raise LinkUsed
        raise LinkExpired
    # Only this site can sign a link, so a mismatch means a number reused after a restore, or a
    # request that is not the one the email was about: it is not theirs to withdraw.
    if not constant_time_compare(consultation.form_token[:16], token_prefix):
        raise LinkNotValid
    if ConsultationRequest.objects.purgeable(settings.INTAKE_RETENTION_DAYS).filter(pk=number).exists():
        raise LinkExpired
    return consultation
