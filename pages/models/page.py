from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from pages.clock import local_time
from pages.models.photo import Photo


class PageQuerySet(models.QuerySet):
    def published(self):
        """Pages a visitor may see: published, and past their publish-at time if they have one."""
        return self.filter(status=Page.Status.PUBLISHED).filter(
            Q(publish_at__isnull=True) | Q(publish_at__lte=Now())
        )

    def services(self):
        """The service pages a visitor may see: listed on the home page and offered by the form."""
        return self.published().filter(kind=Page.Kind.SERVICE)

    def in_menu(self):
        return self.published().filter(show_in_menu=True).order_by("menu_order", "title")

    def next_change_at(self):
        """
        The earliest moment after now when what visitors see changes on its own: a scheduled
        page going live, or a live page's scheduled changes. None when nothing is scheduled.
        """
        return self.schedule().next_change_at

    def schedule(self):
        """next_change_at, and whether a scheduled draft is already due (publish_due_changes), in one query."""
        now = timezone.now()
        found = self.aggregate(
            next_page=Min("publish_at", filter=Q(status=Page.Status.PUBLISHED, publish_at__gt=now)),
            next_draft=Min("draft_publish_at", filter=Q(draft_publish_at__gt=now)),
            due=Count("pk", filter=Q(draft_publish_at__lte=now, draft_revision__isnull=False)),
        )
        times = [at for at in (found["next_page"], found["next_draft"]) if at is not None]
        return Schedule(next_change_at=min(times, default=None), drafts_due=found["due"] > 0)


class Schedule(NamedTuple):
    next_change_at: datetime | None
    drafts_due: bool


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
        "web address",
        max_length=100,
        unique=True,
        help_text="What comes after the site's name in the page's address, for example fees in /fees/. "
        "Lowercase words joined by hyphens. If you change it, the old address keeps working.",
        error_messages={
            "unique": "Another page already has this address. Choose another, for example one with a word more.",
            "invalid": "Use only lowercase letters, numbers and hyphens, for example couples-therapy.",
        },
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
    # What visitors see is this row. Changes to a live page wait in a draft revision until
    # published (pages/drafts.py); a page never published keeps its changes in the row itself.
    live_revision = models.ForeignKey(
        "PageRevision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    draft_revision = models.ForeignKey(
        "PageRevision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    draft_publish_at = models.DateTimeField(
        "changes go live at",
        null=True,
        blank=True,
        editable=False,
        help_text="When the draft's changes replace the live page on their own.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["menu_order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="home"),
                name="one_home_page",
                violation_error_message="The site already has a home page. Choose another kind of page, "
                "or change the home page itself.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.summary = one_line_ending(self.summary)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.kind == self.Kind.HOME:
            return reverse("home")
        return reverse("page", kwargs={"slug": self.slug})

    def clean(self):
        from pages.addresses import reserved_message  # reads the URL configuration, which imports models

        if self.slug and (message := reserved_message(self.slug)):
            raise ValidationError({"slug": message}, code="reserved_address")

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

    def save(self, *args, **kwargs):
        # Browsers send a text box's lines ending in CRLF: stored as typed they would make every
        # section look changed in History and Compare.
        self.heading, self.text = one_line_ending(self.heading), one_line_ending(self.text)
        super().save(*args, **kwargs)


def one_line_ending(text):
    return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


class PageRevision(models.Model):
    """A snapshot of a page and its sections, taken at every save in admin, so any version can come back."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="revisions")
    created_at = models.DateTimeField("saved", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    content = models.JSONField()
    # Counted per page from 1, never reused: the therapist tells versions apart (and the audit
    # names a removed one) by it, even two saved in the same minute.
    number = models.PositiveIntegerField("version", editable=False, default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="one_number_per_version_of_a_page"),
        ]

    def __str__(self):
        return f"Version {self.number}, saved {local_time(self.created_at)}"

    def save(self, *args, **kwargs):
        if not self.number:
            with transaction.atomic():
                # The page's row is locked while its next number is taken: two saves never share one.
                Page.objects.select_for_update().filter(pk=self.page_id).exists()
                last = PageRevision.objects.filter(page_id=self.page_id).aggregate(last=Max("number"))["last"]
                self.number = (last or 0) + 1
                return super().save(*args, **kwargs)
        return super().save(*args, **kwargs)


class SlugRedirect(models.Model):
    """An old address of a page, kept when its slug changes so links and bookmarks still work."""

    old_slug = models.SlugField("old address", max_length=100, unique=True)
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="old_slugs")

    class Meta:
        verbose_name = "old address"
        verbose_name_plural = "old addresses"

    def __str__(self):
        return f"/{self.old_slug}/ → {self.page.get_absolute_url()}"
