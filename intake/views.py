from django.conf import settings
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from intake import spam
from intake.forms import ConsultationForm
from intake.models import ConsultationRequest, add_business_days
from intake.notifications import queue_notifications
from pages.models import PracticeSettings

SESSION_KEY = "intake_thanks_request"
# The on-form summary is the notice when no privacy page is chosen in the practice settings.
PRIVACY_SUMMARY_VERSION = "form summary v1"


@sensitive_variables()
@never_cache
@sensitive_post_parameters()
def consultation(request):
    practice = PracticeSettings.for_request(request)
    if request.method == "POST":
        form = ConsultationForm(request.POST)
        if form.is_valid():
            return received(request, form, practice)
    else:
        form = ConsultationForm(
            initial={"service": request.GET.get("service", ""), "form_token": spam.new_form_token()}
        )
    context = {"form": form, "retention_days": settings.INTAKE_RETENTION_DAYS}
    return render(request, "intake/consultation.html", context)


@sensitive_variables()
def received(request, form, practice):
    """A valid form: the same token again is the same request; then the rate limit; then save."""
    nonce, token_reason = spam.read_form_token(form.cleaned_data["form_token"])
    existing = ConsultationRequest.objects.filter(form_token=nonce).first()
    if existing is None:
        key = spam.client_key(request)
        if spam.rate_limited(key):
            return render(request, "intake/rate_limited.html", status=429)
        try:
            existing = receive_request(
                form,
                nonce=nonce,
                spam_reason=spam.spam_reason(form.cleaned_data, token_reason),
                practice=practice,
            )
        except IntegrityError:  # the same form, sent twice at the same moment
            existing = ConsultationRequest.objects.get(form_token=nonce)
        else:
            spam.count_attempt(key)
    request.session[SESSION_KEY] = existing.pk
    return redirect("intake:thanks")


@sensitive_variables()
def receive_request(form, *, nonce, spam_reason, practice):
    """Save the request and, unless it looks like spam, the emails about it: one transaction."""
    consultation = form.save(commit=False)
    consultation.received_at = timezone.now()
    consultation.reply_due_at = add_business_days(consultation.received_at, practice.reply_business_days)
    consultation.form_token = nonce
    licensed = practice.licensed_state_codes
    consultation.out_of_area = bool(licensed) and consultation.client_location not in licensed
    consultation.joined_waitlist = not practice.accepting_new_clients
    consultation.privacy_notice_version = privacy_notice_version(practice)
    consultation.privacy_accepted_at = timezone.now()
    if spam_reason:
        consultation.status = ConsultationRequest.Status.SPAM
        consultation.spam_reason = spam_reason
    with transaction.atomic():
        consultation.save()
        form.save_m2m()
        if not spam_reason:
            queue_notifications(consultation)
    return consultation


def privacy_notice_version(practice):
    page = practice.privacy_page
    if page is None:
        return PRIVACY_SUMMARY_VERSION
    return f"/{page.slug}/ as of {page.updated_at:%Y-%m-%d %H:%M:%S}"[:100]


@never_cache
def thanks(request):
    # Shown once: a partner opening this page later in the same browser learns nothing.
    pk = request.session.pop(SESSION_KEY, None)
    consultation = ConsultationRequest.objects.filter(pk=pk).first() if pk else None
    return render(request, "intake/thanks.html", {"consultation": consultation})
