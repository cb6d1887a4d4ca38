"""
The time picker's questions, for the consultation form and the visitor's pages from their emails:
up to three open times, and phone or video. Rendered by templates/includes/booking_times.html,
grouped by day in the practice's time zone.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from booking.models import Booking
from booking.slots import grouped_by_day, parse_value

MOST_TIMES = 3
NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
TAKEN = (
    "One of the times you picked was just taken by someone else, or is no longer offered. "
    "The times below are the ones open now: please pick again."
)


class OneOfTheTimes(forms.CheckboxSelectMultiple):
    """Radio buttons for a field that takes one time (moving a consultation), still read as a list."""

    input_type = "radio"


class TimesField(forms.MultipleChoiceField):
    """Up to MOST_TIMES of the open times given; cleans to their UTC starts, soonest first."""

    # Its messages say what they are about: an error summary need not put the label before them.
    messages_name_the_question = True

    def __init__(self, open_times, most=MOST_TIMES, **kwargs):
        kwargs.setdefault(
            "label",
            "Pick a time that suits you"
            if most == 1
            else f"Pick up to {NUMBERS.get(most, most)} times that suit you",
        )
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", OneOfTheTimes if most == 1 else forms.CheckboxSelectMultiple)
        super().__init__(choices=[(time.value, time.value) for time in open_times], **kwargs)
        self.open_times = open_times
        self.most = most
        self.error_messages["invalid_choice"] = TAKEN

    @property
    def days(self):
        return grouped_by_day(self.open_times)

    @property
    def zone(self):
        """The practice's time zone by its IANA name, for the page's script to compare with the visitor's."""
        return settings.TIME_ZONE

    def first_id(self, auto_id):
        """The id of the picker's first checkbox (the template's ids), for an error summary's link."""
        if not self.open_times:
            return auto_id
        return f"{auto_id}_{slugify(self.open_times[0].value)}"

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
