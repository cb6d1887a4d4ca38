"""
The visitor's own "withdraw my request" link, carried by the acknowledgement and every reply.

The link holds the request's number and a piece of its one-time form token, signed with the
site's secret (pages.signed_links reads it): it cannot be guessed or altered into another person's
request, and it names nobody (a forwarded or logged URL shows a number and a signature, nothing else).

It works until the request is gone: withdrawn (once), erased, purged, or due to be purged under
the retention rule, so a link never outlives what the privacy notice promises to keep. The pages
it opens are intake.life.withdrawal_views.
"""

from django.conf import settings
from django.urls import reverse

from intake.models import AuditEntry, ConsultationRequest
from pages.signed_links import LinkExpired, LinkUsed, LinkWords, ProblemWords, SignedLink

SALT = "intake.withdraw"
# No time stamp in it (no `days`): the link expires with the request, by the retention rule, and
# every email about one request carries the same link.
WITHDRAW = SignedLink(SALT, secret_piece=lambda consultation: consultation.form_token[:16])

WORDS = LinkWords(
    problems={
        "used": ProblemWords(
            title="Already withdrawn",
            heading="This request has already been withdrawn",
            lead="It was deleted from this website when it was withdrawn. There is nothing more to do.",
            contact=False,
        ),
        "expired": ProblemWords(
            title="Already deleted",
            heading="This request has already been deleted, or the link has expired",
            lead=(
                "Requests are deleted from this website some time after they are closed, and the link "
                "stops working then."
            ),
        ),
    },
    reach="If you still want to ask about your data",
    not_valid_advice="Nothing has been deleted.",
)


def withdraw_token(consultation):
    return WITHDRAW.token(consultation)


def withdraw_link(consultation):
    return settings.SITE_URL + reverse("intake:withdraw", args=[withdraw_token(consultation)])


def withdrawn_or_deleted(number):
    """A gone request's problem: withdrawn with a link (used), or erased or purged (expired)."""
    if AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAW, request_number=number).exists():
        return LinkUsed()
    return LinkExpired()


def request_for(token, lock=False):
    """The request this link may withdraw, locked if asked; LinkNotValid, LinkUsed or LinkExpired if none."""
    consultation = WITHDRAW.record(token, ConsultationRequest.objects, lock=lock, gone=withdrawn_or_deleted)
    if (
        ConsultationRequest.objects.purgeable(settings.INTAKE_RETENTION_DAYS)
        .filter(pk=consultation.pk)
        .exists()
    ):
        raise LinkExpired
    return consultation
