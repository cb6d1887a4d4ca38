"""
The visitor's pages reached from their emails: cancel or move a consultation. (The page to pick
the times the therapist offered is intake.consultation_time.offered_times.)

Only a button's POST changes anything: mail scanners and link previews open (GET) every link in
an email. Each change is one transaction with the emails it causes (the outbox) and a note in
the request's timeline, so the therapist sees it where they look, by number, with no detail.
"""

from django import forms
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.cache import never_cache

from booking import holds, links
from booking.forms import TimesField
from booking.models import Booking, ConsultationHours
from booking.slots import open_times
from intake.life import moves
from intake.life.booking_emails import how, when
from pages.clock import zone_name
from pages.methods import allow_methods
from pages.signed_links import LinkProblem, LinkWords, ProblemWords, problem_page

# The session remembers which booking the "cancelled" and "moved" pages confirm, once.
CANCELLED = "booking_cancelled"
MOVED = "booking_moved"
BY_LINK = "with the link in their email"


class MoveForm(forms.Form):
    """One new time, of those open now; the way (phone or video) stays as it was."""

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        # Open times counting the visitor's own as free, less the one they have now.
        times = [
            time for time in open_times(keep_for=booking.request_id) if time.starts_at != booking.starts_at
        ]
        self.fields["time"] = TimesField(
            times,
            most=1,
            required=True,
            label="Pick a new time",
            help_text="The new time is yours at once, and your current time is freed.",
            error_messages={"required": "Please pick the new time, then press “Move to this time”."},
        )


@never_cache
@allow_methods("GET", "HEAD", "POST")
def my_consultation(request, token):
    """The consultation, a button to cancel it and the times to move it to; or why the link no longer works."""
    try:
        if request.method == "POST" and request.POST.get("action") == "cancel":
            request.session[CANCELLED] = cancel(token)
            response = redirect("intake:consultation_cancelled")
        elif request.method == "POST":
            response = move(request, token)
        else:
            # "Cancel this consultation" leads here first: one tap never cancels (issue 23).
            response = show(request, links.booking_for(token), confirm_cancel="cancel" in request.GET)
    except LinkProblem as problem:
        response = problem_page(request, problem, link_words())
    # The address holds the link's token: no path as Referer, not even to this site's own files
    # (see intake.life.withdrawal_views.withdraw for why not "no-referrer").
    response["Referrer-Policy"] = "strict-origin"
    return response


def show(request, booking, form=None, status=200, taken=False, confirm_cancel=False):
    context = {
        "confirm_cancel": confirm_cancel,
        "booking": booking,
        "when": when(booking),
        "how": how(booking, ConsultationHours.load()),
        "form": form or MoveForm(booking=booking),
        "zone_name": zone_name(),
        "taken": taken,
    }
    return render(request, "intake/my_consultation.html", context, status=status)


def cancel(token):
    """Cancel the link's consultation, free its time and tell both sides, in one transaction; return its pk."""
    with transaction.atomic():
        # The request before the booking (the one lock order, intake.life.moves), then the link checked again:
        # the therapist may have closed the request, cancelling this consultation, a moment earlier.
        moves.lock_request(links.booking_for(token))
        booking = links.booking_for(token, lock=True)
        moves.cancel(booking, Booking.By.VISITOR, how=f", {BY_LINK}")
    return booking.pk


def move(request, token):
    """Move to the time picked, or the page again: with what is missing, or with fresh times if it was taken."""
    booking = links.booking_for(token)
    form = MoveForm(request.POST, booking=booking)
    if not form.is_valid():
        return show(request, booking, form)
    try:
        with transaction.atomic():
            moves.lock_request(booking)  # the one lock order (intake.life.moves), as in cancel()
            booking = links.booking_for(token, lock=True)
            moved = moves.move(booking, form.cleaned_data["time"][0], Booking.By.VISITOR, how=f", {BY_LINK}")
    except holds.TimeTaken:
        # Someone else took it a moment earlier: nothing changed; the page again, with the times open now.
        return show(request, links.booking_for(token), status=409, taken=True)
    request.session[MOVED] = moved.pk
    return redirect("intake:consultation_moved")


def link_words():
    """
    What the page says when the link does not work: "moved" points to the newest email, which has the
    link that works now; "cancelled" has nothing more to do.
    """
    new_request = format_html(
        'If you would like another time, you are welcome to <a href="{}">send a new request</a>.',
        reverse("intake:consultation"),
    )
    return LinkWords(
        problems={
            Booking.State.CANCELLED: ProblemWords(
                title="Already cancelled",
                heading="This consultation has already been cancelled",
                lead="Its time is free again, and there is nothing more to do.",
                advice=new_request,
            ),
            Booking.State.MOVED: ProblemWords(
                title="Already moved",
                heading="This consultation has been moved",
                lead=(
                    "This link is for the time it had before. Please use the link in the newest email "
                    "about your consultation: it shows the time as it is now, and lets you change it again."
                ),
            ),
            "expired": ProblemWords(
                heading="This link no longer works",
                lead=(
                    "The link works until the consultation starts. This one has started or passed, or is "
                    "no longer booked."
                ),
            ),
        },
        reach="If you need to reach {practice} about it",
        not_valid_advice="Nothing has been changed.",
    )


@never_cache
def cancelled(request):
    # Shown once, like the withdrawn page: later it says nothing about anyone.
    booking = Booking.objects.filter(pk=request.session.pop(CANCELLED, None)).first()
    return render(request, "intake/consultation_cancelled.html", {"when": booking and when(booking)})


@never_cache
def moved(request):
    booking = Booking.objects.filter(pk=request.session.pop(MOVED, None)).first()
    return render(request, "intake/consultation_moved.html", {"when": booking and when(booking)})
