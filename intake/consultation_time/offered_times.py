"""
"Offer other times": the therapist's reply carrying a signed link, and the page that link opens,
where the visitor picks up to three of the times open now.

The link holds the request's number and a piece of its one-time form token, signed with the site's
secret under its own salt and stamped with the time it was made: it cannot be altered into another
request, it names nobody, and it works for LINK_DAYS days while the request is open. The page shows
no name or answer from the request: whoever holds the link sees it.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from booking.forms import TimesField, WayField
from booking.holds import TimeTaken, hold, release_holds
from booking.models import HOLD_HOURS, Booking, ConsultationHours
from booking.slots import open_times
from intake.life.booking_emails import queue_booking_notice
from intake.life.replies import WITHDRAW_LINE, record_reply
from intake.life.withdrawal import withdraw_link
from intake.models import AuditEntry, ConsultationRequest
from pages.clock import zone_name
from pages.methods import allow_methods
from pages.models import PracticeSettings
from pages.signed_links import LinkExpired, LinkProblem, LinkWords, ProblemWords, SignedLink, problem_page

SALT = "intake.pick_times"
LINK_DAYS = 14
OFFER_SUBJECT = "Times for your free consultation"
AUDIT_DETAIL = "offered other times (a reply with a link to pick them)"
NO_NUMBER = (
    "For a phone call I need your phone number, which your request does not have: choose a video "
    "call, or reply to my email with your number."
)


PICK = SignedLink(SALT, secret_piece=lambda consultation: consultation.form_token[:16], days=LINK_DAYS)

WORDS = LinkWords(
    problems={
        "expired": ProblemWords(
            heading="This link no longer works",
            lead=(
                f"Links to pick a time work for {LINK_DAYS} days, while your request is open. This one is "
                "older, or the request has been closed."
            ),
        ),
    },
    reach="To find a time",
    offer_phone_too=True,
)


def pick_token(consultation):
    return PICK.token(consultation)


def pick_link(consultation):
    return settings.SITE_URL + reverse("intake:pick_times", args=[pick_token(consultation)])


def request_for(token, lock=False):
    """The open request a link is for, locked if asked; LinkNotValid or LinkExpired if none."""
    consultation = PICK.record(token, ConsultationRequest.objects, lock=lock)
    if consultation.status not in ConsultationRequest.OPEN_STATUSES:
        raise LinkExpired
    return consultation


# The reply, from admin.


def offer_text(consultation, practice):
    """The message the therapist starts from: friendly, with their name, and signed."""
    clinician = practice.clinician_name or practice.practice_name
    return (
        f"Hello {consultation.name},\n\n"
        "Thank you for your patience. I would be glad to talk with you in a free consultation, by phone "
        "or video. Please pick up to three of the times I have open with the link below, and I will "
        "confirm one of them by email.\n\n"
        f"Warmly,\n{clinician}"
    )


def link_lines(consultation):
    """What every offer ends with, whatever the therapist wrote: the link to pick, and to withdraw."""
    return (
        f"Pick the times that suit you here (the link works for {LINK_DAYS} days):\n{pick_link(consultation)}"
        f"\n\n{WITHDRAW_LINE.format(withdraw_link=withdraw_link(consultation))}"
    )


def send_offer(consultation, *, subject, body, user):
    """
    Send the offer as a reply (timeline entry and outbox email, with its retries), let go of the
    times the request holds, and move a new request to Contacted, in one transaction.
    """
    with transaction.atomic():
        consultation = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
        entry = record_reply(consultation, subject, f"{body.rstrip()}\n\n{link_lines(consultation)}", user)
        release_holds(consultation.pk)
        detail = AUDIT_DETAIL
        if consultation.status == ConsultationRequest.Status.NEW:
            consultation.change_status(ConsultationRequest.Status.CONTACTED, user=user)
            detail += ", status New → Contacted"
        AuditEntry.record(AuditEntry.Action.CHANGE, user, [consultation.pk], detail=detail)
    return entry


# The visitor's page.


class PickForm(forms.Form):
    """
    Up to three times and the way, both chosen by the visitor. `phone`: the request's number, which a
    phone call needs, as on the consultation form (this page shows no answer, so it cannot ask for one).
    """

    def __init__(self, *args, times, phone="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["times"] = TimesField(
            times,
            required=True,
            label="Pick up to three times that suit you",
            error_messages={"required": "Please pick at least one time."},
        )
        self.fields["way"] = WayField(required=True)
        self.phone = phone

    def clean_way(self):
        way = self.cleaned_data["way"]
        if way == Booking.Way.PHONE and not self.phone:
            raise ValidationError(NO_NUMBER, code="needs_phone")
        return way

    def a_time_went(self):
        return any(error.code == "taken" for error in self.errors.as_data().get("times", []))


def notice_text(number):
    """The practice's notice: the number and an admin link, nothing from the request."""
    admin = settings.SITE_URL + reverse("admin:intake_consultationrequest_change", args=[number])
    return (
        f"Request #{number} picked times for the free consultation, with the link in your reply. "
        f"They are held for you for {HOLD_HOURS} hours.\n\n"
        f"Confirm one on the request's page in admin (sign-in needed):\n{admin}\n\n"
        "This email carries no details on purpose: they stay on the website's server.\n"
    )


@never_cache
@allow_methods("GET", "HEAD", "POST")
def pick_times(request, token):
    try:
        response = pick_page(request, token)
    except LinkProblem as problem:
        response = problem_page(request, problem, WORDS)
    # The address holds the link's token: no path as Referer (see intake.life.withdrawal_views.withdraw).
    response["Referrer-Policy"] = "strict-origin"
    return response


def pick_page(request, token):
    """The times already picked or confirmed, or the open times and the form; a POST holds them."""
    consultation = request_for(token)
    practice = PracticeSettings.for_request(request)
    now = timezone.now()
    context = {"number": consultation.pk, "zone_name": zone_name(), "hold_hours": HOLD_HOURS}
    confirmed = consultation.bookings.filter(state=Booking.State.CONFIRMED, starts_at__gt=now).first()
    if confirmed:
        return render(
            request, "intake/pick_times.html", context | {"state": "confirmed", "booking": confirmed}
        )
    held = list(consultation.bookings.filter(state=Booking.State.HELD, held_until__gt=now))
    if held:
        return render(request, "intake/pick_times.html", context | {"state": "held", "held": held})

    hours = ConsultationHours.load()
    times = open_times(now, hours, practice.accepting_new_clients, keep_for=consultation.pk)
    posted = request.POST if request.method == "POST" else None
    form = PickForm(posted, times=times, phone=consultation.phone)
    if not times:
        # A POST's picks went while the page was open: say so (409), never a plain "none open".
        went = bool(posted and posted.getlist("times"))
        return render(
            request,
            "intake/pick_times.html",
            context | {"state": "none", "went": went},
            status=409 if went else 200,
        )
    if form.is_valid():
        try:
            with transaction.atomic():
                consultation = request_for(token, lock=True)
                if not Booking.objects.filter(request_id=consultation.pk).taking_time(now).exists():
                    hold(
                        consultation.pk,
                        form.cleaned_data["times"],
                        form.cleaned_data["way"],
                        now=now,
                        hours=hours,
                        accepting_new_clients=practice.accepting_new_clients,
                    )
                    queue_booking_notice(
                        consultation, f"Request #{consultation.pk} picked times", notice_text(consultation.pk)
                    )
        except TimeTaken:
            times = open_times(
                timezone.now(), hours, practice.accepting_new_clients, keep_for=consultation.pk
            )
            if not times:
                return render(
                    request, "intake/pick_times.html", context | {"state": "none", "went": True}, status=409
                )
            # Again with what they sent: the time that went is named, the others still ticked.
            form = PickForm(request.POST, times=times, phone=consultation.phone)
            if form.is_valid():
                context["taken"] = True  # every pick is open again by now: still say what happened
            return render(
                request, "intake/pick_times.html", context | {"state": "pick", "form": form}, status=409
            )
        else:
            # The page again, by GET: it thanks them and shows what they picked, however often reloaded.
            return redirect(request.path)
    status = 409 if form.is_bound and form.a_time_went() else 200
    return render(request, "intake/pick_times.html", context | {"state": "pick", "form": form}, status=status)
