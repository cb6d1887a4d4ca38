"""
The time picker's questions, for the consultation form and the visitor's pages from their emails:
up to three open times, and phone or video. Rendered by templates/includes/booking_times.html,
grouped by day in the practice's time zone.
"""

from django import forms
from django.core.exceptions import ValidationError

from booking.models import Booking
from booking.slots import grouped_by_day, parse_value

MOST_TIMES = 3


class OneOfTheTimes(forms.CheckboxSelectMultiple):
    """Radio buttons for a field that takes one time (moving a consultation), still read as a list."""

    input_type = "radio"


class TimesField(forms.MultipleChoiceField):
    """Up to MOST_TIMES of the open times given; cleans to their UTC starts, soonest first."""

    def __init__(self, open_times, most=MOST_TIMES, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", OneOfTheTimes if most == 1 else forms.CheckboxSelectMultiple)
        super().__init__(choices=[(time.value, time.value) for time in open_times], **kwargs)
        self.open_times = open_times
        self.most = most
        self.error_messages["invalid_choice"] = (
            "One of the times you picked was just taken by someone else, or is no longer offered. "
            "The times below are the ones open now: please pick again."
        )

    @property
    def days(self):
        return grouped_by_day(self.open_times)

    def clean(self, value):
        value = super().clean(value)
        if len(value) > self.most:
            raise ValidationError(
                f"Please pick up to {self.most} times (you picked {len(value)}).", code="too_many"
            )
        return sorted(parse_value(item) for item in value)


class WayField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "By phone or by video?")
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("initial", Booking.Way.PHONE)
        kwargs.setdefault("required", False)
        super().__init__(choices=Booking.Way.choices, **kwargs)

    def clean(self, value):
        return super().clean(value) or Booking.Way.PHONE
