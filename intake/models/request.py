from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from at_rest.encryption import blind_index
from at_rest.fields import EncryptedCharField, EncryptedEmailField, EncryptedTextField
from intake.models.choices import Concern, Relationship
from pages.models import Page
from pages.phones import national_digits
from pages.us_states import US_STATES


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
        """New requests past the reply time promised when they were sent: the one rule for "overdue"."""
        return self.awaiting_reply().filter(reply_due_at__lt=now or timezone.now())

    def follow_ups_due_today(self, today=None):
        """Open requests whose next follow-up is today, in the practice's time zone."""
        return self.open().filter(follow_up_on=today or timezone.localdate())

    def follow_ups_overdue(self, today=None):
        """Open requests whose next follow-up date has passed without a new one being set."""
        return self.open().filter(follow_up_on__lt=today or timezone.localdate())

    def from_same_people(self, selected):
        """
        The selected requests and every other one sharing an email address or phone number with them,
        oldest first, each with `matched_by`: why it is included ("selected", "same email", "same phone").
        """
        selected = list(selected)
        emails = {lookup_hashes(r.email, "")[0] for r in selected if r.email}
        phones = {lookup_hashes("", r.phone)[1] for r in selected if phone_digits(r.phone)}
        by_email = set(self.filter(email_hash__in=emails).values_list("pk", flat=True)) if emails else set()
        by_phone = set(self.filter(phone_hash__in=phones).values_list("pk", flat=True)) if phones else set()
        chosen = {r.pk for r in selected}
        matches = list(self.filter(pk__in=chosen | by_email | by_phone).order_by("received_at", "id"))
        for match in matches:
            reasons = [("same email", by_email), ("same phone", by_phone)]
            match.matched_by = (
                ["selected"] if match.pk in chosen else [r for r, pks in reasons if match.pk in pks]
            )
        return matches

    def purgeable(self, days):
        """Requests in a final status for longer than `days`: the retention rule the privacy notice states."""
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(status__in=ConsultationRequest.FINAL_STATUSES, status_changed_at__lt=cutoff)

    def set_aside_as_spam(self, days):
        """Requests that became spam in the last `days` days, by the form's defences or by hand."""
        since = timezone.now() - timedelta(days=days)
        return self.filter(status=ConsultationRequest.Status.SPAM, status_changed_at__gte=since)

    def untouched(self, days):
        """Open requests nobody has changed for `days`: flagged for the therapist, never deleted."""
        return self.open().filter(updated_at__lt=timezone.now() - timedelta(days=days))


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
    LOCATION_CHOICES = [*US_STATES, (OUTSIDE_US, "Outside the US")]
    OPEN_STATUSES = [Status.NEW, Status.CONTACTED, Status.SCHEDULED, Status.WAITLISTED]
    # The website is not the clinical record: once a request has an outcome, even "became a
    # client", it is deleted INTAKE_RETENTION_DAYS after reaching it (purge_consultations).
    FINAL_STATUSES = [
        Status.BECAME_CLIENT,
        Status.REFERRED_OUT,
        Status.NOT_A_FIT,
        Status.NO_RESPONSE,
        Status.SPAM,
        Status.CLOSED,
    ]

    received_at = models.DateTimeField("received", default=timezone.now, editable=False, db_index=True)
    # What the visitor typed is stored encrypted (at_rest/fields.py, docs/privacy-at-rest.md).
    name = EncryptedCharField("name to use", max_length=100)
    email = EncryptedEmailField(blank=True)
    phone = EncryptedCharField(max_length=40, blank=True)
    # Keyed hashes (at_rest.encryption.blind_index), kept on save: the same email or phone number,
    # however it was typed, finds the same person (duplicates, erasure) without storing either.
    email_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # Name, email and phone (also as digits) in one sealed value, lower case: admin's search decrypts
    # one value a request instead of three (intake/admin/timeline.py).
    search_text = EncryptedTextField(blank=True, editable=False)
    preferred_contact = models.CharField(max_length=10, choices=Contact)
    voicemail_ok = models.BooleanField("OK to leave a voicemail", default=False)
    text_ok = models.BooleanField("OK to text", default=False)
    # Encrypted too: where someone will be is what they told us, and with a name it locates them.
    client_location = EncryptedCharField("location during sessions", max_length=10, choices=LOCATION_CHOICES)
    out_of_area = models.BooleanField(
        default=False, help_text="They will be outside the states where you were licensed when they wrote."
    )
    is_adult = models.BooleanField("18 or older", default=False)
    session_format = models.CharField(max_length=20, choices=SessionFormat, blank=True)
    availability = models.JSONField(default=list, blank=True)
    payment = models.CharField(max_length=20, choices=Payment, blank=True)
    insurer = EncryptedCharField(max_length=100, blank=True)
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
    message = EncryptedCharField(max_length=1000, blank=True)
    heard_about = EncryptedCharField("heard about the practice from", max_length=200, blank=True)
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
    form_opened_at = models.DateTimeField(
        "form opened",
        null=True,
        blank=True,
        editable=False,
        help_text="When the visitor opened the form; some take days to decide to send it.",
    )
    spam_reason = models.CharField(max_length=100, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=Status, default=Status.NEW)
    status_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    reply_due_at = models.DateTimeField(
        "reply due",
        editable=False,
        db_index=True,
        help_text="The reply promise shown to the visitor when they sent it, as a date.",
    )
    first_reply_at = models.DateTimeField(
        "first reply",
        null=True,
        blank=True,
        editable=False,
        help_text="Recorded when the request first leaves “New” (except for spam).",
    )
    follow_up_on = models.DateField("next follow-up", null=True, blank=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

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
            models.CheckConstraint(
                condition=Q(reply_due_at__gte=models.F("received_at")),
                name="intake_request_reply_due_after_receipt",
            ),
        ]

    def __str__(self):
        # Never the name: this text lands in admin's history and in log entries.
        return f"Request #{self.pk}"

    def save(self, *args, **kwargs):
        derived = self.refreshed_hashes()
        for name, value in derived.items():
            setattr(self, name, value)
        fields = kwargs.get("update_fields")
        if fields is not None and {"name", "email", "phone"} & set(fields):
            kwargs["update_fields"] = {*fields, *derived}
        super().save(*args, **kwargs)

    def refreshed_hashes(self):
        """The lookup hashes (under the current FIELD_HASH_KEY) and search text of the email and phone."""
        email_hash, phone_hash = lookup_hashes(self.email, self.phone)
        return {
            "email_hash": email_hash,
            "phone_hash": phone_hash,
            "search_text": search_text(self.name, self.email, self.phone),
        }

    def change_status(self, new_status, user=None):
        """
        Move to a new status, keeping the history and the first-reply time. Saves. A final status
        lets go of the times the request still holds and cancels its confirmed upcoming consultation
        (intake.life.moves.answered): the therapist has answered, another way.
        """
        from intake.life.moves import answered  # booking's models point here: imported when used

        old_status = self.status
        if new_status == old_status:
            return
        now = timezone.now()
        if old_status == self.Status.NEW and new_status != self.Status.SPAM and self.first_reply_at is None:
            self.first_reply_at = now
        self.status = new_status
        self.status_changed_at = now
        self.save(update_fields=["status", "status_changed_at", "first_reply_at", "updated_at"])
        StatusChange.objects.create(
            request=self, from_status=old_status, to_status=new_status, changed_by=user, changed_at=now
        )
        if new_status in self.FINAL_STATUSES:
            answered(self, now, user)

    def is_overdue(self, now=None):
        return self.status == self.Status.NEW and (now or timezone.now()) > self.reply_due_at

    def availability_labels(self):
        labels = dict(self.Availability.choices)
        return [labels.get(code, code) for code in self.availability]


def phone_digits(phone):
    """The key a phone number is searched and matched by (pages/phones.py)."""
    return national_digits(phone)


def lookup_hashes(email, phone):
    """The blind indexes of an email address (any case) and a phone number (any format)."""
    return blind_index(email.strip().lower()), blind_index(phone_digits(phone))


def search_text(name, email, phone):
    return "\n".join([name, email, phone, phone_digits(phone)]).casefold()


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
