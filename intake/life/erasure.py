"""
Erasing requests: the admin's "Erase everything from this person", the visitor's own "withdraw my
request" link and the retention purge. One function, so all three delete exactly the same
things (the request and everything it owns, by CASCADE: status history, timeline, emails, its
concern and relationship links) and leave the same trace: an audit entry per number, nothing else,
and the practice's calendar a CANCEL for a consultation still to come (intake.life.moves).
"""

from django.db import transaction

from intake.life.moves import cancel_for_erasure
from intake.models import AuditEntry, ConsultationRequest


def erase(numbers, user, action, detail):
    """
    Delete these requests with everything they own and audit them by number, in one transaction.
    Returns the numbers actually erased: one deleted meanwhile (by a purge, or a second click) is
    neither counted nor audited twice.
    """
    with transaction.atomic():
        # Locked, so two erasures of the same request at once erase and audit it once.
        erased = list(
            ConsultationRequest.objects.filter(pk__in=numbers)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", flat=True)
        )
        cancel_for_erasure(erased)
        ConsultationRequest.objects.filter(pk__in=erased).delete()
        AuditEntry.record(action, user, erased, detail=detail)
    return erased
