import copy
import datetime

from django.db import models
from django.db.models import Q

from pages.freshness.per_version import per_content_version
from pages.models.page import Page
from pages.models.photo import Photo
from pages.us_states import STATE_NAMES

CRISIS_NOTICE = (
    "This website and its form are not for emergencies and are not monitored around the clock. "
    "In the US, call or text 988 (Suicide & Crisis Lifeline; chat at 988lifeline.org; Veterans press 1). "
    "If you are in immediate danger, call 911."
)
RELATIONSHIP_SAFETY_NOTICE = (
    "If you are not safe in a relationship, the National Domestic Violence Hotline is there at any hour: "
    "call 1-800-799-7233 or text START to 88788. Email and voicemail may be seen by others: "
    "choose a safe way to be contacted."
)


class PracticeSettings(models.Model):
    """The practice's details, one record: the header, footer, pages and the consultation form read them."""

    practice_name = models.CharField(max_length=120, default="Private psychotherapy practice")
    clinician_name = models.CharField(
        max_length=120, blank=True, help_text="Your name as clients should see it."
    )
    credentials = models.CharField(
        max_length=120, blank=True, help_text="For example: LMFT, LCSW, PhD. Leave empty to show none."
    )
    email = models.EmailField(
        "public email", blank=True, help_text="Shown on the site, and where new-request alerts go by default."
    )
    phone = models.CharField("public phone", max_length=40, blank=True)
    location = models.CharField(
        max_length=200,
        blank=True,
        help_text="City or neighbourhood; a street address only if you want it public.",
    )
    telehealth_note = models.CharField(
        max_length=200, blank=True, help_text="For example: Telehealth sessions across New York."
    )
    licensed_states = models.CharField(
        max_length=400,
        blank=True,
        help_text="Where you are licensed. Requests from anywhere else are marked 'out of area'.",
    )
    reply_business_days = models.PositiveSmallIntegerField(
        "reply within (business days)",
        default=2,
        help_text="The promise shown to visitors. Requests waiting longer are highlighted for you.",
    )
    digest_time = models.TimeField(
        "daily summary at",
        default=datetime.time(8, 0),
        help_text=(
            "When the day's summary of requests reaches you (in the practice's time zone). "
            "Counts only, and only on days with something to say."
        ),
    )
    accepting_new_clients = models.BooleanField(
        default=True, help_text="When off, the site says so and new requests join your waitlist."
    )
    crisis_notice = models.TextField(
        default=CRISIS_NOTICE, help_text="Shown in the footer and above the form."
    )
    relationship_safety_notice = models.TextField(
        default=RELATIONSHIP_SAFETY_NOTICE,
        help_text="Shown on pages about relationships and above the consultation form.",
    )
    privacy_page = models.ForeignKey(
        Page,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The privacy notice, linked in the footer and next to the form's send button.",
    )
    clinician_photo = models.ForeignKey(
        Photo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="your photo",
        help_text="Optional. A portrait, shown on the home and about pages and to search engines, "
        "cropped to 4:5 around its focal point.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "practice settings"
        verbose_name_plural = "practice settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="practice_settings_single_record")]

    def __str__(self):
        return "Practice settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        settings_record, _ = cls.objects.select_related("privacy_page", "clinician_photo").get_or_create(pk=1)
        cls._last_loaded = settings_record
        return settings_record

    @classmethod
    def last_loaded(cls):
        """
        The record this process read last, without asking the database (or the defaults):
        for the pages that must still show the practice's details and crisis text while
        the database is down.
        """
        return getattr(cls, "_last_loaded", None) or cls()

    @classmethod
    def for_request(cls, request):
        """
        Once per request, however many templates and views ask, and from the database only after an
        edit (pages/freshness/per_version.py). A copy: what one request might change is not the next one's.
        """
        if not hasattr(request, "_practice_settings"):
            request._practice_settings = copy.copy(_latest_settings())
        return request._practice_settings

    @property
    def licensed_state_codes(self):
        return [code for code in self.licensed_states.split(",") if code in STATE_NAMES]

    @property
    def licensed_state_names(self):
        return [STATE_NAMES[code] for code in self.licensed_state_codes]

    @property
    def reply_promise(self):
        days = self.reply_business_days
        return f"I reply within {days} business day{'s' if days != 1 else ''}."

    @property
    def clinician_line(self):
        return ", ".join(part for part in [self.clinician_name, self.credentials] if part)


_latest_settings = per_content_version(PracticeSettings.load)
