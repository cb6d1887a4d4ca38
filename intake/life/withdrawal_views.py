"""
The visitor's "withdraw my request" link's pages: what withdrawing deletes and one button, then
"withdrawn". The link itself is intake.life.withdrawal; what it deletes, intake.life.erasure.
"""

from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from booking.models import Booking
from intake.life import withdrawal
from intake.life.erasure import erase
from intake.life.notifications import queue_withdrawal_notice
from intake.models import AuditEntry
from pages.clock import local_day_and_time
from pages.methods import allow_methods
from pages.signed_links import LinkProblem, problem_page

# Which request the "withdrawn" page confirms, once (as the thank-you page greets one, once).
WITHDREW = "intake_withdrew"
# The audit entry's detail for a withdrawal, which has no signed-in user to name.
WITHDRAWN_BY = "by the visitor, with the link in their email"
# The link pressed in a browser signed in to admin: the audit names that staff member, not the visitor.
WITHDRAWN_IN_STAFF_SESSION = "with the visitor's link, in a staff member's signed-in session"


@never_cache
@allow_methods("GET", "HEAD", "POST")
def withdraw(request, token):
    """
    What withdrawing deletes and one button; or, for a link that no longer works, why, kindly.
    Only the button's POST deletes: mail scanners and link previews open (GET) every link in an email.
    """
    try:
        if request.method == "POST":
            signed_in = request.user if request.user.is_authenticated else None
            request.session[WITHDREW] = withdraw_request(token, signed_in)
            return redirect("intake:withdrawn")
        consultation = withdrawal.request_for(token)
    except LinkProblem as problem:
        response = problem_page(request, problem, withdrawal.WORDS)
    else:
        response = render(request, "intake/withdraw.html", {"number": consultation.pk})
    # The address holds the link's token: send no path as Referer, not even to this site's own
    # files. Not "no-referrer": with it, browsers send "Origin: null" with the form, and the
    # CSRF check rightly refuses that.
    response["Referrer-Policy"] = "strict-origin"
    return response


def withdraw_request(token, signed_in=None):
    """
    Erase the link's request and tell the practice its number, in one transaction; return the
    number. The audit says who pressed the button: the visitor, or the `signed_in` staff member.
    """
    with transaction.atomic():
        consultation = withdrawal.request_for(token, lock=True)
        upcoming = consultation.bookings.filter(
            state=Booking.State.CONFIRMED, starts_at__gt=timezone.now()
        ).first()
        # This request only, not every request sharing its email or phone as admin's erasure finds:
        # the link proves only that its holder got this request's email. A phone number or an
        # address can be shared or mistyped, and the therapist checks such matches one by one.
        detail = WITHDRAWN_IN_STAFF_SESSION if signed_in else WITHDRAWN_BY
        erase([consultation.pk], signed_in, AuditEntry.Action.WITHDRAW, detail=detail)
        queue_withdrawal_notice(consultation.pk, local_day_and_time(upcoming.starts_at) if upcoming else "")
    return consultation.pk


@never_cache
def withdrawn(request):
    # Like the thank-you page, shown once with the number: later it says nothing about anyone.
    number = request.session.pop(WITHDREW, None)
    return render(request, "intake/withdrawn.html", {"number": number})
