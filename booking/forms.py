"""
The time picker's questions, for the consultation form and the visitor's pages from their emails:
up to three open times, and phone or video. Rendered by templates/includes/booking_times.html,
grouped by day in the practice's time zone.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from booking.models import Booking
from booking.slots import grouped_by_day, parse_value
from pages.clock import visitor_when

MOST_TIMES = 3
NUMBERS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
TAKEN = (
    "One of the times you picked was just taken by someone else, or is no longer offered. "
    "The times below are the ones open now: please pick again."
)
# A time that went (taken by others, booking switched off, inside the minimum notice): named, and what now.
WENT = "{times} {verb} no longer open: someone else took it just now, or it is no longer offered."
OTHERS_OPEN = " The times below are the ones open now: please pick again."
NONE_OPEN = " No other time is open just now."
# Values no picker ever sent: their own plain words, never "taken by someone else".
UNREADABLE = "A time you sent could not be read. Please pick again from the times below."
PASSED = "{times} {verb} already passed. Please pick a time still to come."
CHOOSE_WAY = "Choose whether you would like a phone call or a video call."


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

    def validate(self, value):
        """
        Each value sent names a time open now. If not, why, in words that fit: a time that went is
        named (the view answers 409 for code "taken"); an unreadable or past value is not called taken.
        """
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        starts = [parse_value(item) for item in value]
        if None in starts:
            raise ValidationError(UNREADABLE, code="unreadable")
        now = timezone.now()
        if passed := [start for start in starts if start <= now]:
            raise ValidationError(PASSED.format(**in_words(passed, "has", "have")), code="past")
        offered = {time.value for time in self.open_times}
        if went := [start for item, start in zip(value, starts, strict=True) if item not in offered]:
            advice = OTHERS_OPEN if self.open_times else NONE_OPEN
            raise ValidationError(WENT.format(**in_words(went, "is", "are")) + advice, code="taken")

    def clean(self, value):
        value = super().clean(value)
        if len(value) > self.most:
            raise ValidationError(
                f"Please pick up to {self.most} times (you picked {len(value)}).", code="too_many"
            )
        return sorted(parse_value(item) for item in value)


def in_words(starts, singular, plural):
    """{"times": "Tuesday 8 December at 10:00 am (New York time) and ...", "verb": ...}: on the practice's clock."""
    words = [visitor_when(start) for start in sorted(starts)]
    joined = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return {"times": joined[0].upper() + joined[1:], "verb": singular if len(words) == 1 else plural}


class WayField(forms.ChoiceField):
    """
    Phone or video. Nothing is chosen for the visitor: a preselected "Phone call" once asked an
    email-only visitor for a number in a box they could not see. Required wherever times are picked
    (the forms say so, as the picks are optional on the consultation form).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "By phone or by video?")
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"required": CHOOSE_WAY})
        super().__init__(choices=Booking.Way.choices, **kwargs)
