"""
The consultation form and its thank-you page. (The visitor's withdraw link and its pages are
intake.life.withdrawal_views.)

A sent form is screened, saved with its alert and the times it picked held (booking.holds)
in one transaction, and answered with a redirect to the thank-you page. Whatever goes wrong,
the visitor gets the form back with everything they typed: with the mistakes marked, with
a picked time someone else held a moment earlier (status 409, nothing saved, the open times
refreshed), with a request to wait (the hourly limit), during a database outage with
"could not be saved just now" (status 503), or when the site's CSRF check refused it (status 403,
see form_not_checked).

No form value reaches an error report or a log: practice.error_privacy withholds them
for every view, and the form's data never goes into a URL.
"""

import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from booking.forms import TAKEN
from booking.holds import TimeTaken, hold
from booking.models import Booking, ConsultationHours
from booking.slots import OpenTime, open_times, parse_value
from intake.form import spam
from intake.form.cache import rendered_form
from intake.form.forms import ConsultationForm, join_words
from intake.form.options import FormOptions, latest_options
from intake.life.notifications import queue_notifications
from intake.models import ConsultationRequest, add_business_days
from pages.clock import record_stamp, zone_name
from pages.freshness.per_version import per_content_version
from pages.methods import allow_methods
from pages.models import PracticeSettings

# The session remembers which request the thank-you page greets, once.
THANKS_FOR = "intake_thanks_for"
# That this browser sent a request: the form, opened again (browser Back), says so instead (see sent_here).
SENT_HERE = "intake_sent_here"
# The on-form summary is the notice when no privacy page is chosen in the practice settings.
PRIVACY_SUMMARY_VERSION = "form summary v1"
# What the database raises while it is down or restarting.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


@allow_methods("GET", "HEAD", "POST")
@never_cache
def consultation(request):
    if request.method == "POST":
        try:
            return send(request)
        except DATABASE_UNREACHABLE:
            return not_saved(request)
    if sent_here(request):
        return render(request, "intake/consultation_sent.html", {"crisis_notice_above": True})
    practice = PracticeSettings.for_request(request)
    options = latest_options()
    form = ConsultationForm(
        options=options,
        licensed_states=licensed_states(practice),
        open_times=bookable_times(consultation_hours(), practice),
        initial={"service": preselected_service(request, options), "form_token": spam.new_form_token()},
    )
    return show_form(request, form, form_html=rendered_form(form, practice))


def sent_here(request):
    """
    Whether this browser sent a request in this session (it lasts 30 minutes, and ends with the browser),
    and the visitor has not asked for a new form ("?new"). Browser Back after sending then shows the
    request as sent, not a form whose restored ticks could send a second request for a time never picked.
    """
    if "new" in request.GET:
        request.session.pop(SENT_HERE, None)
        return False
    return bool(request.session.get(SENT_HERE))


def preselected_service(request, options):
    """The service a link chose ("?service=<slug>"), if the form offers it: nothing else reaches the form's cache key."""
    slug = request.GET.get("service", "")
    return slug if options.service_page_id(slug) is not None else ""


def consultation_hours():
    """
    The booking settings, read without writing (ConsultationHours.load() would save the record on a
    visitor's page view): none saved yet means booking is off. From the database only after an edit
    (its row moves the content version, booking 0005); a copy, so no request changes the next one's.
    """
    return copy.copy(_latest_hours())


_latest_hours = per_content_version(
    lambda: ConsultationHours.objects.filter(pk=1).first() or ConsultationHours()
)


def bookable_times(hours, practice):
    """The times the form offers: none while booking is off or the practice is not accepting new clients."""
    if not hours.booking_on or not practice.accepting_new_clients:
        return []
    return open_times(hours=hours, accepting_new_clients=practice.accepting_new_clients)


def send(request):
    """Screen, save, redirect: or the form again, with what is wrong or why it has to wait."""
    practice = PracticeSettings.for_request(request)
    hours = consultation_hours()
    form = ConsultationForm(
        request.POST,
        options=latest_options(),
        licensed_states=licensed_states(practice),
        open_times=bookable_times(hours, practice),
    )
    if not form.is_valid():
        if "times" in form.errors and (earlier := received_before(request.POST)):
            # Sent again (a double tap, a reload): its times are held by its own first sending.
            request.session[THANKS_FOR] = earlier.pk
            return redirect("intake:thanks")
        return show_form(request, form, status=409 if a_time_went(form) else 200)
    try:
        with transaction.atomic():
            verdict = spam.screen(request, form.cleaned_data)
            if verdict.rate_limited:
                return show_form(request, form, status=429, rate_limited=True)
            number = verdict.already_received or save_request(form, verdict, practice, hours).pk
    except IntegrityError:
        # The same form, sent twice at the same moment from two addresses: the first one won.
        number = (
            ConsultationRequest.objects.filter(form_token=verdict.nonce).values_list("pk", flat=True).first()
        )
        if number is None:
            raise
    except TimeTaken:
        # Everything in the transaction was rolled back: no request, no alert, no count towards the
        # visitor's hour, and the form token's nonce unused, so sending the form again works.
        return time_taken(request, practice)
    request.session[THANKS_FOR] = number
    request.session[SENT_HERE] = True
    return redirect("intake:thanks")


def a_time_went(form):
    """
    Whether a time the visitor picked is no longer open (taken, booking off, inside the notice): 409,
    like a time taken at the last moment, and unlike their own mistakes (200).
    """
    return any(error.code == "taken" for error in form.errors.as_data().get("times", []))


def received_before(post):
    """The request this very form saved before, if any (its token names it)."""
    nonce, _, _ = spam.read_form_token(post.get("form_token"))
    return ConsultationRequest.objects.filter(form_token=nonce).first()


def time_taken(request, practice):
    """
    Another visitor held a picked time a moment earlier. The form comes back with everything sent,
    the times open now (the taken one gone, the other picks still ticked), and what happened, by the
    picker. Status 409: not the visitor's mistake (a form with mistakes is a 200), and nothing saved,
    like the 429 and 503 answers.
    """
    form = ConsultationForm(
        request.POST,
        options=latest_options(),
        licensed_states=licensed_states(practice),
        open_times=bookable_times(consultation_hours(), practice),
    )
    form.is_valid()
    if not a_time_went(form):
        # Every time sent is open again by now (another hold let go at once): still say what happened.
        form.add_error("times", ValidationError(TAKEN, code="taken"))
    return show_form(request, form, status=409)


def save_request(form, verdict, practice, hours=None):
    """
    Save the request, and unless it looks like spam, hold the times it picked and queue the emails about
    it, inside the caller's transaction. booking.holds.TimeTaken: a time was taken; roll it all back.
    """
    consultation = form.save(commit=False)
    consultation.received_at = timezone.now()
    consultation.reply_due_at = add_business_days(consultation.received_at, practice.reply_business_days)
    consultation.form_token = verdict.nonce
    consultation.form_opened_at = verdict.form_opened_at
    licensed = practice.licensed_state_codes
    consultation.out_of_area = bool(licensed) and consultation.client_location not in licensed
    consultation.joined_waitlist = not practice.accepting_new_clients
    consultation.privacy_notice_version = privacy_notice_version(practice)
    consultation.privacy_accepted_at = consultation.received_at
    if verdict.spam_reason:
        consultation.status = ConsultationRequest.Status.SPAM
        consultation.spam_reason = verdict.spam_reason
    consultation.save()
    form.save_choices(consultation)
    if not verdict.spam_reason:
        if times := form.cleaned_data.get("times"):
            hold(
                consultation.pk,
                times,
                form.cleaned_data["way"],
                hours=hours,
                accepting_new_clients=practice.accepting_new_clients,
            )
        queue_notifications(consultation)
    return consultation


def not_saved(request):
    """The database could not be reached: the form comes back as it was sent, and nothing was saved."""
    # Shown without the database: the practice's details as last read, and no menu.
    practice = PracticeSettings.last_loaded()
    form = ConsultationForm(
        initial=sent_values(request.POST) | {"times": request.POST.getlist("times")},
        options=FormOptions.last_loaded(),
        licensed_states=licensed_states(practice),
        open_times=picked_times(request.POST),
    )
    context = {"practice": practice, "menu_pages": []}
    response = show_form(request, form, status=503, not_saved=True, **context)
    response["Retry-After"] = "60"
    return response


def form_not_checked(request):
    """
    The CSRF check refused a sent form: the form comes back unsent with everything typed, under a
    token this browser's cookie matches, so pressing Send again works. The usual cause is harmless:
    two tabs opened before the browser held the site's cookie each got a cookie of their own, and
    the one kept is not the one the older tab's form was signed with. (practice.csrf_failure routes
    here; nothing from a refused form is saved or acted on, only shown back to the browser that sent it.)
    """
    try:
        practice = PracticeSettings.for_request(request)
        form = ConsultationForm(
            initial=sent_values(request.POST) | {"times": request.POST.getlist("times")},
            options=latest_options(),
            licensed_states=licensed_states(practice),
            open_times=bookable_times(consultation_hours(), practice),
        )
    except DATABASE_UNREACHABLE:
        return not_saved(request)
    return show_form(request, form, status=403, not_checked=True)


def sent_values(post):
    """A sent form's values as the initial data of a new one: lists where a question takes several."""
    return {name: post.getlist(name) if len(post.getlist(name)) > 1 else post.get(name) for name in post}


def picked_times(post):
    """
    The times a visitor picked, for the form drawn without the database: only those, still ticked, so
    sending again holds them if they are still open. (Their ends are not shown, and unknown just now.)
    """
    starts = sorted({start for start in map(parse_value, post.getlist("times")) if start})
    return [OpenTime(start, start) for start in starts]


def licensed_states(practice):
    return list(zip(practice.licensed_state_codes, practice.licensed_state_names, strict=True))


def show_form(request, form, status=200, **context):
    # The crisis text stands above the form; the footer leaves out its copy (crisis_notice_above).
    context = {
        "form": form,
        "retention_days": settings.INTAKE_RETENTION_DAYS,
        "crisis_notice_above": True,
        **context,
    }
    return render(request, "intake/consultation.html", context, status=status)


def privacy_notice_version(practice):
    page = practice.privacy_page
    if page is None:
        return PRIVACY_SUMMARY_VERSION
    return f"/{page.slug}/ as of {record_stamp(page.updated_at)}"[:100]


@never_cache
def thanks(request):
    # Shown once: a partner opening this page later in the same browser learns nothing.
    pk = request.session.pop(THANKS_FOR, None)
    consultation = ConsultationRequest.objects.filter(pk=pk).first() if pk else None
    held = list(consultation.bookings.filter(state=Booking.State.HELD)) if consultation else []
    practice = PracticeSettings.for_request(request)
    context = {
        "consultation": consultation,
        "held": held,
        "licensed_in": join_words(practice.licensed_state_names, "or"),
        "zone_name": zone_name(),
        "crisis_notice_above": True,
    }
    return render(request, "intake/thanks.html", context)
