"""
The open times for a free consultation: the weekly windows, stepped by length plus break, in
the practice's time zone, less days off, minimum notice, the per-day cap and every time that
someone already keeps.

Each window is walked in real (UTC) time from its start to its end as the clock on the wall
reads them that day, so a window on the day clocks change still offers exactly the minutes it
really has, and no time is offered twice or skipped.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from booking.models import Booking, ConsultationHours
from pages.clock import form_value, parse_form_value, practice_zone, visitor_time


@dataclass(frozen=True)
class OpenTime:
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def value(self):
        """How the form names the time: its start in UTC, to the minute."""
        return form_value(self.starts_at)

    @property
    def local(self):
        return self.starts_at.astimezone(practice_zone())

    @property
    def clock(self):
        """The picker's label: "1:30 am", with the zone ("1:30 am EDT") when that night's clock reads it twice."""
        return visitor_time(self.starts_at)


def wall_clock(day, time):
    """
    The moment, in UTC, a wall clock in the practice reads `time` on `day`; a time inside a
    spring-forward gap moves past it (02:30 becomes 03:30), and in the hour clocks go back the
    first of the two is meant.

    In UTC, because Python adds a timedelta to a datetime in its own zone by the wall clock:
    01:30 EST plus 30 minutes would be 02:00, an hour that night does not have.
    """
    naive = datetime.datetime.combine(day, time)
    return naive.replace(tzinfo=practice_zone()).astimezone(datetime.UTC)


# The UTC start a form value names, or None if it names no time (pages.clock keeps the format).
parse_value = parse_form_value


def open_times(now=None, hours=None, accepting_new_clients=True, keep_for=None):
    """
    Every time a visitor may pick now, soonest first. `keep_for`: a request whose own bookings
    do not count as taken (a visitor moving their consultation sees their own time as open).
    """
    hours = hours or ConsultationHours.load()
    if not hours.booking_on or not accepting_new_clients:
        return []
    now = (now or timezone.now()).astimezone(datetime.UTC)
    zone = practice_zone()
    earliest = now + datetime.timedelta(hours=hours.minimum_notice_hours)
    first_day = now.astimezone(zone).date()
    last_day = first_day + datetime.timedelta(days=hours.days_ahead)
    windows = list(hours.windows.all())
    days_off = set(
        hours.days_off.filter(date__gte=first_day, date__lte=last_day).values_list("date", flat=True)
    )
    taken = taken_times(now, first_day, last_day, keep_for)
    times = []
    day = first_day
    while day <= last_day:
        if day not in days_off:
            times.extend(times_on(day, windows, hours, earliest, last_day, taken))
        day += datetime.timedelta(days=1)
    return times


def times_on(day, windows, hours, earliest, last_day, taken):
    """
    One day's open times: all of them while the day has room under the per-day cap, none once
    it is full. The cap counts consultations, i.e. requests: one visitor holding three times that
    day is one consultation, and the therapist confirms one of them.
    """
    zone = practice_zone()
    booked_that_day = len({request for start, _, request in taken if start.astimezone(zone).date() == day})
    if hours.most_per_day is not None and booked_that_day >= hours.most_per_day:
        return []
    found = []
    for window in windows:
        if window.weekday != day.weekday():
            continue
        start, window_end = wall_clock(day, window.starts), wall_clock(day, window.ends)
        while start + hours.length <= window_end:
            end = start + hours.length
            if (
                start >= earliest
                and start.astimezone(zone).date() <= last_day
                and is_free(start, end, hours.buffer, taken)
            ):
                found.append(OpenTime(start, end))
            start = end + hours.buffer
    found.sort(key=lambda time: time.starts_at)
    return found


def is_free(start, end, buffer, taken):
    """Free when it overlaps no kept booking, counting the break on either side of it."""
    return all(
        end + buffer <= taken_start or start >= taken_end + buffer for taken_start, taken_end, _ in taken
    )


def taken_times(now, first_day, last_day, keep_for=None):
    bookings = Booking.objects.taking_time(now).filter(
        ends_at__gte=wall_clock(first_day, datetime.time.min),
        starts_at__lt=wall_clock(last_day + datetime.timedelta(days=1), datetime.time.min),
    )
    if keep_for is not None:
        bookings = bookings.exclude(request_id=keep_for)
    return list(bookings.values_list("starts_at", "ends_at", "request_id"))


def grouped_by_day(times):
    """[(date, [OpenTime, ...]), ...] in the practice's time zone, for the picker."""
    days = {}
    for time in times:
        days.setdefault(time.local.date(), []).append(time)
    return list(days.items())
