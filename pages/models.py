import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from pages.us_states import STATE_NAMES


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages a visitor may see: published, and past their publish-at time if they have one."""
        return self.filter(status=Page.Status.PUBLISHED).filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=Now())
        )

    def in_menu(self):
        return self.published().filter(show_in_menu=True).order_by("menu_order", "title")


class Page(models.Model):
    """One public page. Its body is written in sections and rendered to HTML once, when saved."""

    class Kind(models.TextChoices):
        HOME = "home", "Home page"
        SERVICE = "service", "Service (ends with a consultation request button)"
        STANDARD = "standard", "Standard (about, fees, FAQ, privacy)"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (only you can see it)"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        max_length=200, help_text="The main heading of the page, also shown in the browser tab."
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The page's web address: /slug/. Lowercase words joined by hyphens. "
        "If you change it, the old address keeps working.",
    )
    kind = models.CharField(
        max_length=20, choices=Kind, default=Kind.STANDARD, help_text="Decides the page's layout."
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences about the page. Search engines show it under the title.",
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publish at",
        null=True,
        blank=True,
        help_text="Optional. A published page with a future time stays hidden until then, "
        "and goes live on its own.",
    )
    show_in_menu = models.BooleanField("show in the menu", default=False)
    menu_title = models.CharField(
        max_length=60, blank=True, help_text="Optional shorter name for the menu. The title is used if empty."
    )
    menu_order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers come first in the menu."
    )
    show_relationship_safety_notice = models.BooleanField(
        "show the relationship safety notice",
        default=False,
        help_text="Adds the domestic violence hotline from the practice settings to this page.",
    )
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(kind="home"), name="one_home_page"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.kind == self.Kind.HOME:
            return reverse("home")
        return reverse("page", kwargs={"slug": self.slug})

    @property
    def menu_label(self):
        return self.menu_title or self.title

    @property
    def is_live(self):
        return self.status == self.Status.PUBLISHED and (
            self.publish_at is None or self.publish_at <= timezone.now()
        )

    @property
    def visibility(self):
        """Who can see the page now, in the therapist's words: draft, scheduled or published."""
        if self.status == self.Status.DRAFT:
            return "draft"
        return "published" if self.is_live else "scheduled"


# Filled in each time a page is shown, from INTAKE_RETENTION_DAYS: the setting can change
# without anyone saving the privacy notice again.
RETENTION_DAYS_PLACEHOLDER = "{retention_days}"


class Photo(models.Model):
    """An image uploaded in admin, kept without metadata, with renditions made once (pages/photos.py)."""

    title = models.CharField(max_length=120, help_text="For you: a name to find the photo by in lists.")
    alt_text = models.CharField(
        "description for screen readers",
        max_length=250,
        blank=True,
        help_text="What the photo shows, in a sentence, for people who cannot see it "
        "(for example: “Dr. Wells smiling in her office, bookshelves behind her”).",
    )
    decorative = models.BooleanField(
        "decorative only",
        default=False,
        help_text="Tick if the photo adds nothing a reader would miss; screen readers then skip it.",
    )
    focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the important part is, from the left edge (0) to the right (100). "
        "Crops keep it in view.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="From the top (0) to the bottom (100).",
    )
    master = models.FileField(editable=False)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    renditions = models.JSONField(editable=False, default=dict)
    created_at = models.DateTimeField("uploaded", auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100), name="photo_focal_point_inside"
            ),
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""), name="photo_alt_text_or_decorative"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.decorative and not self.alt_text.strip():
            raise ValidationError(
                {
                    "alt_text": "Describe the photo, or tick “decorative only” if it adds nothing a reader would miss."
                },
                code="alt_text_required",
            )


class Section(models.Model):
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    heading = models.CharField(max_length=200, blank=True, help_text="Optional heading above this section.")
    text = models.TextField(
        blank=True,
        help_text="Leave an empty line between paragraphs. *Italic*, **bold**, "
        "[link text](https://example.com), lines starting with '- ' become a bulleted list, "
        "and a line starting with '### ' a subheading. "
        f"Write {RETENTION_DAYS_PLACEHOLDER} where the number of days consultation requests are kept "
        "should appear: the site fills in the number it actually uses.",
    )
    photo = models.ForeignKey(
        Photo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional. Shown under the section's heading, cropped to 3:2 around its focal point.",
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.heading or f"Section {self.order}"


class PageRevision(models.Model):
    """A snapshot of a page and its sections, taken at every save in admin, so any version can come back."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField("saved", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.content.get('title', self.page)} ({self.created_at:%Y-%m-%d %H:%M})"


class SlugRedirect(models.Model):
    """An old address of a page, kept when its slug changes so links and bookmarks still work."""

    old_slug = models.SlugField(max_length=100, unique=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return f"/{self.old_slug}/ → {self.page.get_absolute_url()}"


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
        """Loaded once per request, however many templates and views ask."""
        if not hasattr(request, "_practice_settings"):
            request._practice_settings = cls.load()
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
