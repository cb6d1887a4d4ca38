from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pages.models import Page, PracticeSettings
from pages.states import US_STATES


class ChoiceOption(models.Model):
    """A choice on the form that the therapist edits in admin, without a deploy."""

    label = models.CharField(max_length=200, help_text="As the visitor reads it on the form.")
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first.")
    active = models.BooleanField(
        "show on the form",
        default=True,
        help_text="Untick to retire a choice: past requests keep it. Deleting removes it from them too.",
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["label"], name="%(app_label)s_%(class)s_unique_label")]

    def __str__(self):
        return self.label


class Concern(ChoiceOption):
    class Meta(ChoiceOption.Meta):
        verbose_name = "relationship concern"


class Relationship(ChoiceOption):
    class Meta(ChoiceOption.Meta):
        verbose_name = "kind of relationship"
        verbose_name_plural = "kinds of relationship"


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    SCHEDULED = "scheduled", "Consultation scheduled"
    BECAME_CLIENT = "client", "Became a client"
    WAITLISTED = "waitlisted", "Waitlisted"
    REFERRED_OUT = "referred", "Referred out"
    NOT_A_FIT = "not_fit", "Not a fit"
    NO_RESPONSE = "no_response", "No response"
    SPAM = "spam", "Spam"
    CLOSED = "closed", "Closed"


class ConsultationRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=ConsultationRequest.OPEN_STATUSES)

    def awaiting_reply(self):
        return self.filter(status=ConsultationRequest.Status.NEW)

    def overdue(self, now=None):
        """New requests past the promised reply time, oldest first (computed in Python: business days)."""
        days = PracticeSettings.load().reply_business_days
        return [r for r in self.awaiting_reply().order_by("received_at") if r.is_overdue(days, now)]

    def from_same_people(self, selected):
        """The selected requests and every other one sharing an email address or phone number with them."""
        selected = list(selected)
        emails = {r.email.lower() for r in selected if r.email}
        phones = {phone_digits(r.phone) for r in selected if r.phone}
        matching_email = Q()
        for email in emails:
            matching_email |= Q(email__iexact=email)
        by_email = set(self.filter(matching_email).values_list("pk", flat=True)) if emails else set()
        by_phone = {
            pk
            for pk, phone in self.exclude(phone="").values_list("pk", "phone")
            if phone_digits(phone) in phones
        }
        return list(
            self.filter(pk__in={r.pk for r in selected} | by_email | by_phone).order_by("received_at")
        )

    def purgeable(self, days):
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(status__in=ConsultationRequest.PURGEABLE_STATUSES, status_changed_at__lt=cutoff)


class ConsultationRequest(models.Model):
    """
    A first contact from someone who would like a free consultation. Health information:
    never shown outside admin, never put in an email, deleted on a schedule.
    """

    Status = RequestStatus

    class Contact(models.TextChoices):
        EMAIL = "email", "Email"
        CALL = "call", "Phone call"
        TEXT = "text", "Text message"

    class SessionFormat(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        TELEHEALTH = "telehealth", "Telehealth (video)"
        EITHER = "either", "Either is fine"

    class Availability(models.TextChoices):
        WEEKDAY_MORNINGS = "weekday_mornings", "Weekday mornings"
        WEEKDAY_AFTERNOONS = "weekday_afternoons", "Weekday afternoons"
        WEEKDAY_EVENINGS = "weekday_evenings", "Weekday evenings"
        WEEKENDS = "weekends", "Weekends"

    class Payment(models.TextChoices):
        SELF_PAY = "self_pay", "Self-pay"
        INSURANCE = "insurance", "Insurance"
        NOT_SURE = "not_sure", "Not sure yet"

    OUTSIDE_US = "outside"
    STATE_CHOICES = [*US_STATES, (OUTSIDE_US, "Outside the US")]
    OPEN_STATUSES = [Status.NEW, Status.CONTACTED, Status.SCHEDULED, Status.WAITLISTED]
    PURGEABLE_STATUSES = [Status.CLOSED, Status.SPAM, Status.NO_RESPONSE]

    received_at = models.DateTimeField("received", default=timezone.now, editable=False, db_index=True)
    name = models.CharField("name to use", max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    preferred_contact = models.CharField(max_length=10, choices=Contact)
    voicemail_ok = models.BooleanField("OK to leave a voicemail", default=False)
    text_ok = models.BooleanField("OK to text", default=False)
    state = models.CharField("location during sessions", max_length=10, choices=STATE_CHOICES)
    out_of_area = models.BooleanField(
        default=False, help_text="They will be outside the states where you were licensed when they wrote."
    )
    is_adult = models.BooleanField("18 or older", default=False)
    session_format = models.CharField(max_length=20, choices=SessionFormat, blank=True)
    availability = models.JSONField(default=list, blank=True)
    payment = models.CharField(max_length=20, choices=Payment, blank=True)
    insurer = models.CharField(max_length=100, blank=True)
    service = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Page.Kind.SERVICE},
        help_text="The service page they came from, if any.",
    )
    concerns = models.ManyToManyField(Concern, blank=True, related_name="+")
    relationships = models.ManyToManyField(Relationship, blank=True, related_name="+")
    message = models.CharField(max_length=1000, blank=True)
    heard_about = models.CharField("heard about the practice from", max_length=200, blank=True)
    emergency_notice_seen = models.BooleanField("understood the form is not for emergencies", default=False)
    privacy_notice_version = models.CharField(max_length=100)
    privacy_accepted_at = models.DateTimeField("privacy notice accepted")
    joined_waitlist = models.BooleanField(
        "sent while not accepting new clients",
        default=False,
        help_text="The visitor was told the request joins your waitlist.",
    )
    # The one-time token of the form it came from: a double click or a refresh finds it and stops.
    form_token = models.CharField(max_length=64, editable=False)
    spam_reason = models.CharField(max_length=100, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    first_reply_at = models.DateTimeField(
        "first reply",
        null=True,
        blank=True,
        editable=False,
        help_text="Recorded when the request first leaves “New” (except for spam).",
    )
    follow_up_on = models.DateField("next follow-up", null=True, blank=True)
    notes = models.TextField("internal notes", blank=True, help_text="Only reviewers see these.")

    objects = ConsultationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "consultation request"
        ordering = ["-received_at", "-id"]
        permissions = [("export_consultationrequest", "Can export consultation requests as CSV")]
        constraints = [
            models.UniqueConstraint(fields=["form_token"], name="intake_request_unique_form_token"),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="intake_request_status_is_known"
            ),
            models.CheckConstraint(
                condition=~Q(preferred_contact="email") | ~Q(email=""),
                name="intake_request_email_when_email_preferred",
            ),
            models.CheckConstraint(
                condition=Q(preferred_contact="email") | ~Q(phone=""),
                name="intake_request_phone_when_call_or_text",
            ),
            models.CheckConstraint(
                condition=Q(first_reply_at__isnull=True) | Q(first_reply_at__gte=models.F("received_at")),
                name="intake_request_reply_after_receipt",
            ),
        ]

    def __str__(self):
        # Never the name: this text lands in admin's history and in log entries.
        return f"Request #{self.pk}"

    def change_status(self, new_status, user=None):
        """Move to a new status, keeping the history and the first-reply time. Saves."""
        old_status = self.status
        if new_status == old_status:
            return
        now = timezone.now()
        if old_status == self.Status.NEW and new_status != self.Status.SPAM and self.first_reply_at is None:
            self.first_reply_at = now
        self.status = new_status
        self.status_changed_at = now
        self.save(update_fields=["status", "status_changed_at", "first_reply_at"])
        StatusChange.objects.create(
            request=self, from_status=old_status, to_status=new_status, changed_by=user, changed_at=now
        )

    def reply_due_at(self, business_days):
        return add_business_days(self.received_at, business_days)

    def is_overdue(self, business_days, now=None):
        return self.status == self.Status.NEW and (now or timezone.now()) > self.reply_due_at(business_days)

    def availability_labels(self):
        labels = dict(self.Availability.choices)
        return [labels.get(code, code) for code in self.availability]


def phone_digits(phone):
    """Digits only, without a leading US country code: 555-123-4567 and +1 (555) 123 4567 match."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def add_business_days(start, days):
    """The same local time, `days` weekdays later (Saturdays and Sundays do not count)."""
    moment = timezone.localtime(start)
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class StatusChange(models.Model):
    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("from", max_length=20, choices=ConsultationRequest.Status)
    to_status = models.CharField("to", max_length=20, choices=ConsultationRequest.Status)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField("when", default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class SubmissionAttempt(models.Model):
    """A saved form post, counted for the rate limit under a salted hash of the address, never the address."""

    client_key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client_key", "at"], name="intake_attempt_key_at")]

    def __str__(self):
        return f"{self.client_key[:8]}… at {self.at:%Y-%m-%d %H:%M}"
