"""
A time of day as people write it (9am, 9:30 pm, 14:00), shown back as the practice's clock writes
it (pages.clock.time_of_day, "9:00 am"): the daily summary's time and the consultation hours' windows.
"""

import datetime
import re

from django import forms

from pages.clock import time_of_day


class PlainTimeField(forms.TimeField):
    """A time as people write it: 9am, 9:30 pm, 14:00; shown back as 9:00 am (the practice's clock's way)."""

    WRITTEN = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*([ap])?\.?\s*m?\.?\s*$", re.I)
    default_error_messages = {"invalid": "Write a time such as 9am, 9:30 am or 14:00."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.time):
            return value
        found = self.WRITTEN.match(str(value))
        if not found:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        hour, minute, half = int(found.group(1)), int(found.group(2) or 0), (found.group(3) or "").lower()
        if half:
            if not 1 <= hour <= 12:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            hour = hour % 12 + (12 if half == "p" else 0)
        if hour > 23 or minute > 59:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return datetime.time(hour, minute)


class PlainTimeInput(forms.TextInput):
    def format_value(self, value):
        if isinstance(value, datetime.time):
            return time_of_day(value)
        return super().format_value(value)
