"""One clock: every date and time a person reads is written by pages/clock.py, one format per audience."""

import datetime

import pytest
from django.utils import formats

from pages import clock
from tests.practice.clock_scan import formatting_found, python_hits, script_hits, template_hits

# Files that may write a date or time themselves, and why.
ALLOWED = {
    "pages/clock.py": "the one clock itself",
    "at_rest/backups.py": "a backup file's name, stamped in UTC so names sort; at_rest imports no app",
    "bench/run.py": "the benchmark report's first line, for developers, in UTC",
    "static/js/booking-times.js": (
        "the visitor's own time in their browser's zone, which the server cannot know, written as "
        "visitor_time writes it (test_browser_booking)"
    ),
    "accounts/models.py": (
        "accounts imports no app, so its sign-in times use Django's DATETIME_FORMAT, which "
        "test_django_writes_dates_as_the_clock_does proves is the clock's"
    ),
}

UTC = datetime.UTC


def test_no_module_or_template_formats_a_date_or_time_outside_the_clock():
    found = formatting_found()
    own = {path: hits for path, hits in found.items() if path not in ALLOWED}
    assert own == {}, "Write dates and times with pages/clock.py (or its template filters, {% load clock %})."


def test_every_allowed_file_still_needs_its_place_on_the_list():
    assert set(ALLOWED) <= set(formatting_found()), (
        "an allowed file that formats nothing any more leaves the list"
    )


@pytest.mark.parametrize(
    "source",
    [
        "when = moment.strftime('%H:%M')",
        "when = f'{moment:%a %b %-d}'",
        "when = date_format(moment, 'M j')",
        "when = formats.localize(moment)",
        "when = dateformat.format(moment, 'j F')",
        "when = moment.isoformat()",
        "when = format(moment, '%H:%M')",
        "widget = AdminTimeWidget(format='%H:%M')",
    ],
)
def test_the_scan_sees_each_way_python_writes_a_time(source):
    assert python_hits(source)


@pytest.mark.parametrize(
    "source",
    ['{{ moment|date:"M j" }}', "{{ moment|time }}", "{{ moment | timesince }}", '{% now "Y" %}'],
)
def test_the_scan_sees_each_way_a_template_writes_a_time(source):
    assert template_hits(source)


def test_the_scan_sees_a_script_writing_a_time():
    assert script_hits("new Intl.DateTimeFormat('en-US', options).format(start)")
    assert script_hits("start.toLocaleTimeString()") and script_hits("start.toLocaleString('en-US')")


def test_the_scan_leaves_other_code_alone():
    assert python_hits("total = f'{share:.0%}'; label = f'{name:>10}'; text = '50% off'.upper()") == []
    assert template_hits("{{ value|default:'–' }} {{ page.updated_by }}") == []


def test_the_therapist_reads_one_format():
    assert clock.local_time(datetime.datetime(2026, 12, 7, 12, 35, tzinfo=UTC)) == "7 December 2026, 7:35 am"
    assert clock.local_date(datetime.date(2026, 12, 7)) == "7 December 2026"
    assert clock.local_date(datetime.datetime(2026, 12, 8, 2, 0, tzinfo=UTC)) == "7 December 2026", (
        "New York's date"
    )
    assert clock.time_of_day(datetime.time(0, 5)) == "12:05 am"
    assert clock.time_of_day(datetime.time(12, 0)) == "12:00 pm"
    assert clock.month(datetime.date(2026, 12, 1)) == "December"


def test_the_visitor_reads_the_day_the_time_and_the_zone():
    moment = datetime.datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert clock.visitor_when(moment) == "Tuesday 8 December at 12:00 pm (New York time)"
    assert clock.visitor_day(moment) == "Tuesday 8 December"
    assert clock.visitor_time(moment) == "12:00 pm"


def test_a_time_the_clock_reads_twice_carries_its_zone_for_both_audiences():
    # Sunday November 1, 2026: New York's clocks go back at 2:00, so 1:30 am happens twice.
    first, second = (
        datetime.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        datetime.datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
    )
    assert clock.visitor_when(first) == "Sunday 1 November at 1:30 am EDT (New York time)"
    assert clock.visitor_when(second) == "Sunday 1 November at 1:30 am EST (New York time)"
    assert clock.local_time(second) == "1 November 2026, 1:30 am EST"
    assert clock.visitor_time(datetime.datetime(2026, 11, 1, 8, 30, tzinfo=UTC)) == "3:30 am", (
        "read once: no zone"
    )


def test_a_form_value_goes_there_and_back():
    moment = datetime.datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert clock.form_value(moment) == "2026-12-08T17:00Z"
    assert clock.parse_form_value(clock.form_value(moment)) == moment
    assert clock.parse_form_value("2026-12-08 17:00") is None and clock.parse_form_value(None) is None


@pytest.mark.parametrize("hour", range(24))
def test_django_writes_dates_as_the_clock_does(hour):
    """Fields Django's admin shows itself (read-only dates, list columns) read like the clock's own."""
    moment = datetime.datetime(2026, 3, 2, hour, 5, tzinfo=UTC)
    assert formats.localize(clock.local(moment)) == clock.local_time(moment)
    assert formats.localize(clock.local(moment).date()) == clock.local_date(moment)
    assert formats.localize(clock.local(moment).time()) == clock.time_of_day(clock.local(moment).time())
