"""
The free consultation's calendar: when the therapist offers it (ConsultationHours, its weekly
windows and days off), the times visitors hold or the therapist confirmed (Booking), and the
private calendar feed that shows the confirmed ones in the therapist's own calendar.

Booking knows a request only by its number (`request_id`): the request itself, with who sent
it and why, belongs to the intake app, which uses this one.
"""

import datetime
import hashlib

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone

from pages.clock import local_date, local_day_and_time, time_of_day

HOLD_HOURS = 48


class ConsultationHours(models.Model):
    """When free consultations can be booked: one record, edited in admin."""

    class Length(models.IntegerChoices):
        FIFTEEN = 15, "15 minutes"
        TWENTY = 20, "20 minutes"
        THIRTY = 30, "30 minutes"

    booking_on = models.BooleanField(
        "let visitors pick a time",
        default=False,
        help_text="Off: the form asks for no time and you arrange one by reply. "
        "Times are never offered while the practice is not accepting new clients.",
    )
    length_minutes = models.PositiveSmallIntegerField(
        "consultation length", choices=Length, default=Length.TWENTY
    )
    buffer_minutes = models.PositiveSmallIntegerField("break between consultations (minutes)", default=10)
    minimum_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)", default=24, help_text="No time sooner than this is offered."
    )
    days_ahead = models.PositiveSmallIntegerField(
        "how far ahead (days)", default=21, help_text="No time later than this is offered."
    )
    most_per_day = models.PositiveSmallIntegerField(
        "at most a day",
        null=True,
        blank=True,
        help_text="Consultations on one day, held or confirmed. Empty: as many as the windows fit.",
    )
    video_link = models.URLField(
        blank=True,
        help_text="The link a visitor who chose video joins with, written in their invite. "
        "Empty: the invite says you will send the link.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "consultation hours"
        verbose_name_plural = "consultation hours"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="booking_hours_single_record")]

    def __str__(self):
        return "Consultation hours"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        hours, _ = cls.objects.get_or_create(pk=1)
        return hours

    @property
    def length(self):
        return datetime.timedelta(minutes=self.length_minutes)

    @property
    def buffer(self):
        return datetime.timedelta(minutes=self.buffer_minutes)


class WeeklyWindow(models.Model):
    """A stretch of one weekday in which consultations are offered, in the practice's time zone."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    hours = models.ForeignKey(ConsultationHours, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=Weekday)
    starts = models.TimeField(help_text="For example 9am or 12:30 pm.")
    ends = models.TimeField(help_text="The last consultation ends by then.")

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name = "weekly window"

    def __str__(self):
        return f"{self.get_weekday_display()} {time_of_day(self.starts)} to {time_of_day(self.ends)}"

    def clean(self):
        if self.starts is not None and self.ends is not None and self.ends <= self.starts:
            raise ValidationError({"ends": "The end must be later than the start, on the same day."})


class DayOff(models.Model):
    """A date with no consultations, whatever the weekly windows say."""

    hours = models.ForeignKey(ConsultationHours, on_delete=models.CASCADE, related_name="days_off")
    date = models.DateField()

    class Meta:
        ordering = ["date"]
        verbose_name = "day off"
        verbose_name_plural = "days off"
        constraints = [models.UniqueConstraint(fields=["date"], name="booking_dayoff_unique_date")]

    def __str__(self):
        return local_date(self.date)


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class ExclusionOnPostgreSQL(ExclusionConstraint):
    """
    The exclusion constraint, left out on SQLite (`make run` without a DATABASE_URL), which has
    none: a developer's machine only. PostgreSQL, which every deploy and CI run uses, enforces it.
    """

    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor)
            if schema_editor.connection.vendor == "postgresql"
            else None
        )

    def create_sql(self, model, schema_editor):
        return (
            super().create_sql(model, schema_editor)
            if schema_editor.connection.vendor == "postgresql"
            else None
        )

    def remove_sql(self, model, schema_editor):
        return (
            super().remove_sql(model, schema_editor)
            if schema_editor.connection.vendor == "postgresql"
            else None
        )


class BookingQuerySet(models.QuerySet):
    def taking_time(self, now=None):
        """Bookings that keep their time from everyone else: confirmed, or held and not yet lapsed."""
        now = now or timezone.now()
        return self.filter(Q(state=Booking.State.CONFIRMED) | Q(state=Booking.State.HELD, held_until__gt=now))

    def lapsed(self, now=None):
        """Holds nobody answered within HOLD_HOURS: their time is free again."""
        return self.filter(state=Booking.State.HELD, held_until__lte=now or timezone.now())


class Booking(models.Model):
    """
    A time a visitor picked (held) or the therapist confirmed. The database itself refuses two
    bookings that overlap while both keep their time (the exclusion constraint), so however many
    visitors press "send" at once, a time is never held or confirmed twice.
    """

    class State(models.TextChoices):
        HELD = "held", "Held for the therapist's answer"
        CONFIRMED = "confirmed", "Confirmed"
        RELEASED = "released", "Released"
        CANCELLED = "cancelled", "Cancelled"
        MOVED = "moved", "Moved to another time"

    class By(models.TextChoices):
        """Who cancelled or moved a confirmed consultation (intake.life.moves has every move)."""

        VISITOR = "visitor", "the visitor"
        THERAPIST = "therapist", "the therapist"

    class Way(models.TextChoices):
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"

    # The states in which a booking keeps its time (a held one only until held_until).
    KEEPS_TIME = [State.HELD, State.CONFIRMED]

    request = models.ForeignKey(
        "intake.ConsultationRequest", on_delete=models.CASCADE, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    way = models.CharField("by", max_length=10, choices=Way, default=Way.PHONE)
    state = models.CharField(max_length=10, choices=State, default=State.HELD)
    held_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The invite's UID and SEQUENCE: a moved consultation is the same calendar event, updated.
    invite_uid = models.CharField(max_length=100, blank=True)
    invite_sequence = models.PositiveSmallIntegerField(default=0)
    ended_by = models.CharField(
        "cancelled or moved by", max_length=10, choices=By, blank=True, help_text="Empty while it stands."
    )
    reminder_queued_at = models.DateTimeField(null=True, blank=True)
    # When the practice was told this hold lapses soon (intake.life.moves.warn_before_lapse), once.
    lapse_warned_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "booked consultation"
        constraints = [
            ExclusionOnPostgreSQL(
                name="booking_no_two_keep_one_time",
                expressions=[(TsTzRange("starts_at", "ends_at", RangeBoundary()), RangeOperators.OVERLAPS)],
                # Lapsed holds still count here until they are marked released: holds.hold() releases
                # them in the same transaction before it takes their time.
                condition=Q(state__in=["held", "confirmed"]),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            # A hold always ends: after HOLD_HOURS, or when the therapist answers.
            models.CheckConstraint(
                condition=~Q(state="held") | Q(held_until__isnull=False), name="booking_hold_has_an_end"
            ),
        ]
        indexes = [models.Index(fields=["request", "state"], name="booking_request_state")]

    def __str__(self):
        return f"Consultation #{self.request_id} at {local_day_and_time(self.starts_at)}"


class CalendarFeed(models.Model):
    """
    A private iCalendar address for the therapist's calendar app. Only a hash of its token is
    kept: the address is shown once, when made, and cannot be read back from the database.
    """

    name = models.CharField(max_length=100, help_text="Which calendar uses it, e.g. 'Phone'.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_read_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "calendar feed"

    def __str__(self):
        return self.name

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()
