"""
The open times a visitor is offered: the weekly windows walked in real time in the practice's
zone (America/New_York here, across both clock changes), less notice, breaks, days off, the
per-day cap and the times someone keeps.
"""

import datetime
import itertools

import pytest

from booking import holds, slots
from booking.models import Booking, DayOff
from tests.booking.conftest import at, utc
from tests.hours import BACK_TO_BACK, every_day, open_hours
from tests.intake.factories import make_request
from tests.postgresql import only_on_postgresql

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, SUNDAY = 0, 1, 2, 3, 6


def starts(times):
    return [time.starts_at for time in times]


def on_day(times, day):
    return [time for time in times if time.local.date() == day]


def assert_back_to_back(times, length, step):
    """No time twice, none skipped, each exactly the length: in UTC, where an hour is an hour."""
    assert len(set(starts(times))) == len(times)
    for time in times:
        assert time.ends_at - time.starts_at == length
        assert time.starts_at.utcoffset() is not None
    for earlier, later in itertools.pairwise(times):
        assert later.starts_at - earlier.starts_at == step


# Clocks change


def test_the_night_clocks_spring_forward_offers_the_two_real_hours_of_a_one_to_four_window():
    # Sunday March 8, 2026: 02:00 EST becomes 03:00 EDT, so 01:00 to 04:00 on the wall is two hours.
    open_hours([(SUNDAY, "01:00", "04:00")], **BACK_TO_BACK)
    times = on_day(slots.open_times(now=at(2026, 3, 2, 9)), datetime.date(2026, 3, 8))
    assert starts(times) == [
        utc(2026, 3, 8, 6),
        utc(2026, 3, 8, 6, 30),
        utc(2026, 3, 8, 7),
        utc(2026, 3, 8, 7, 30),
    ]
    assert [f"{time.local:%H:%M %Z}" for time in times] == [
        "01:00 EST",
        "01:30 EST",
        "03:00 EDT",
        "03:30 EDT",
    ]
    assert_back_to_back(times, datetime.timedelta(minutes=30), datetime.timedelta(minutes=30))


def test_the_night_clocks_fall_back_offers_the_four_real_hours_of_a_one_to_four_window_each_once():
    # Sunday November 1, 2026: 02:00 EDT becomes 01:00 EST, so 01:00 to 04:00 on the wall is four hours.
    open_hours([(SUNDAY, "01:00", "04:00")], **BACK_TO_BACK)
    times = on_day(slots.open_times(now=at(2026, 10, 26, 9)), datetime.date(2026, 11, 1))
    assert starts(times) == [utc(2026, 11, 1, 5) + datetime.timedelta(minutes=30 * n) for n in range(8)]
    assert [f"{time.local:%H:%M %Z}" for time in times][:4] == [
        "01:00 EDT",
        "01:30 EDT",
        "01:00 EST",
        "01:30 EST",
    ]
    assert_back_to_back(times, datetime.timedelta(minutes=30), datetime.timedelta(minutes=30))


@pytest.mark.parametrize("length, buffer", [(20, 10), (15, 0), (30, 15)])
@pytest.mark.parametrize(
    "now, day, first, count",
    [
        # The window 01:00 to 04:00 holds 2 real hours in spring and 4 in autumn.
        (at(2026, 3, 2, 9), datetime.date(2026, 3, 8), utc(2026, 3, 8, 6), 120),
        (at(2026, 10, 26, 9), datetime.date(2026, 11, 1), utc(2026, 11, 1, 5), 240),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_any_length_and_break_steps_evenly_through_the_night_clocks_change(
    now, day, first, count, length, buffer
):
    open_hours(
        [(SUNDAY, "01:00", "04:00")], length_minutes=length, buffer_minutes=buffer, minimum_notice_hours=0
    )
    times = on_day(slots.open_times(now=now), day)
    step = datetime.timedelta(minutes=length + buffer)
    assert times[0].starts_at == first
    assert_back_to_back(times, datetime.timedelta(minutes=length), step)
    # Not one more would fit before the window's real end.
    window_end = first + datetime.timedelta(minutes=count)
    assert times[-1].ends_at <= window_end < times[-1].starts_at + step + datetime.timedelta(minutes=length)


@pytest.mark.parametrize(
    "now, day, noon_utc",
    [
        (at(2026, 3, 2, 9), datetime.date(2026, 3, 8), utc(2026, 3, 8, 16)),  # EDT, UTC-4
        (at(2026, 10, 26, 9), datetime.date(2026, 11, 1), utc(2026, 11, 1, 17)),  # EST, UTC-5
    ],
    ids=["spring-forward", "fall-back"],
)
def test_an_ordinary_window_on_the_day_clocks_change_keeps_its_wall_clock_hours(now, day, noon_utc):
    open_hours([(SUNDAY, "12:00", "14:00")], length_minutes=20, buffer_minutes=10, minimum_notice_hours=0)
    times = on_day(slots.open_times(now=now), day)
    assert starts(times) == [noon_utc + datetime.timedelta(minutes=30 * n) for n in range(4)]
    assert [f"{time.local:%H:%M}" for time in times] == ["12:00", "12:30", "13:00", "13:30"]
    assert_back_to_back(times, datetime.timedelta(minutes=20), datetime.timedelta(minutes=30))


def test_a_window_starting_inside_the_hour_that_does_not_exist_starts_when_the_clock_reaches_it():
    open_hours([(SUNDAY, "02:30", "04:00")], **BACK_TO_BACK)
    times = on_day(slots.open_times(now=at(2026, 3, 2, 9)), datetime.date(2026, 3, 8))
    # 02:30 is never shown on a wall clock that night: it is 03:30 EDT; one half hour remains.
    assert starts(times) == [utc(2026, 3, 8, 7, 30)]


def test_a_form_value_names_the_time_in_utc_and_reads_back_to_the_same_time():
    open_hours([(SUNDAY, "01:00", "04:00")], **BACK_TO_BACK)
    times = on_day(slots.open_times(now=at(2026, 10, 26, 9)), datetime.date(2026, 11, 1))
    values = [time.value for time in times]
    assert values[:3] == ["2026-11-01T05:00Z", "2026-11-01T05:30Z", "2026-11-01T06:00Z"]
    assert [slots.parse_value(value) for value in values] == starts(times)
    assert slots.parse_value("2026-11-01 05:00") is None and slots.parse_value(None) is None


# Notice, breaks, days off, the cap, how far ahead


def test_no_time_sooner_than_the_minimum_notice_is_offered():
    open_hours(
        [(MONDAY, "08:00", "12:00"), (TUESDAY, "08:00", "12:00")],
        minimum_notice_hours=24,
        length_minutes=30,
        buffer_minutes=0,
    )
    times = slots.open_times(now=at(2026, 12, 7, 9, 10))  # Monday 09:10
    assert times[0].local == at(2026, 12, 8, 9, 30)  # Tuesday: 09:00 is 23 h 50 min away
    assert all(time.starts_at >= at(2026, 12, 8, 9, 10) for time in times)


def test_a_time_exactly_the_minimum_notice_away_is_offered():
    open_hours([(TUESDAY, "08:00", "12:00")], minimum_notice_hours=24, length_minutes=30, buffer_minutes=0)
    times = slots.open_times(now=at(2026, 12, 7, 9))
    assert times[0].local == at(2026, 12, 8, 9)


def test_the_minimum_notice_is_counted_in_real_hours_across_the_night_clocks_change():
    open_hours([(SUNDAY, "01:00", "06:00")], minimum_notice_hours=24, length_minutes=30, buffer_minutes=0)
    # Saturday 03:00 EST; 24 real hours later the wall clock reads 04:00 EDT, not 03:00.
    times = slots.open_times(now=at(2026, 3, 7, 3))
    assert times[0].starts_at == utc(2026, 3, 8, 8)
    assert f"{times[0].local:%H:%M %Z}" == "04:00 EDT"


def test_the_break_separates_the_times_a_window_offers():
    open_hours([(MONDAY, "09:00", "11:00")], length_minutes=20, buffer_minutes=10, minimum_notice_hours=0)
    times = on_day(slots.open_times(now=at(2026, 12, 1, 9)), datetime.date(2026, 12, 7))
    assert [f"{time.local:%H:%M}-{time.ends_at.astimezone(time.local.tzinfo):%H:%M}" for time in times] == [
        "09:00-09:20",
        "09:30-09:50",
        "10:00-10:20",
        "10:30-10:50",
    ]


def test_the_break_is_kept_on_both_sides_of_a_time_someone_keeps():
    open_hours([(MONDAY, "09:00", "12:00")], length_minutes=20, buffer_minutes=10, minimum_notice_hours=0)
    # The therapist confirmed an odd time, 10:05 to 10:25.
    Booking.objects.create(
        request=make_request(),
        starts_at=at(2026, 12, 7, 10, 5),
        ends_at=at(2026, 12, 7, 10, 25),
        state=Booking.State.CONFIRMED,
    )
    times = on_day(slots.open_times(now=at(2026, 12, 1, 9)), datetime.date(2026, 12, 7))
    # 09:30-09:50 ends 15 minutes before it; 10:00 overlaps; 10:30 starts only 5 minutes after it.
    assert [f"{time.local:%H:%M}" for time in times] == ["09:00", "09:30", "11:00", "11:30"]


def test_a_break_of_exactly_the_buffer_is_enough():
    open_hours([(MONDAY, "09:00", "12:00")], length_minutes=20, buffer_minutes=10, minimum_notice_hours=0)
    Booking.objects.create(
        request=make_request(),
        starts_at=at(2026, 12, 7, 10),
        ends_at=at(2026, 12, 7, 10, 20),
        state=Booking.State.CONFIRMED,
    )
    times = on_day(slots.open_times(now=at(2026, 12, 1, 9)), datetime.date(2026, 12, 7))
    assert [f"{time.local:%H:%M}" for time in times] == ["09:00", "09:30", "10:30", "11:00", "11:30"]


def test_times_that_no_longer_keep_their_place_are_open():
    open_hours([(MONDAY, "09:00", "10:00")], **BACK_TO_BACK)
    for state in (Booking.State.RELEASED, Booking.State.CANCELLED, Booking.State.MOVED):
        Booking.objects.create(
            request=make_request(), starts_at=at(2026, 12, 7, 9), ends_at=at(2026, 12, 7, 9, 30), state=state
        )
    times = on_day(slots.open_times(now=at(2026, 12, 1, 9)), datetime.date(2026, 12, 7))
    assert [f"{time.local:%H:%M}" for time in times] == ["09:00", "09:30"]


def test_a_day_off_offers_nothing_and_the_days_around_it_stay_open():
    hours = open_hours(every_day("09:00", "10:00"), **BACK_TO_BACK)
    DayOff.objects.create(hours=hours, date=datetime.date(2026, 12, 8))
    days = [day for day, _ in slots.grouped_by_day(slots.open_times(now=at(2026, 12, 7, 0)))]
    assert datetime.date(2026, 12, 7) in days and datetime.date(2026, 12, 9) in days
    assert datetime.date(2026, 12, 8) not in days


def test_the_cap_counts_held_and_confirmed_consultations_of_that_day():
    open_hours([(MONDAY, "09:00", "11:00"), (TUESDAY, "09:00", "11:00")], most_per_day=2, **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    monday, tuesday = datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)
    # Below the cap, every free time of the day is offered, not only the first ones.
    assert len(on_day(slots.open_times(now=now), monday)) == 4
    Booking.objects.create(
        request=make_request(),
        starts_at=at(2026, 12, 7, 9),
        ends_at=at(2026, 12, 7, 9, 30),
        state=Booking.State.HELD,
        held_until=now + datetime.timedelta(hours=48),
    )
    assert [f"{time.local:%H:%M}" for time in on_day(slots.open_times(now=now), monday)] == [
        "09:30",
        "10:00",
        "10:30",
    ]
    Booking.objects.create(
        request=make_request(),
        starts_at=at(2026, 12, 7, 10, 30),
        ends_at=at(2026, 12, 7, 11),
        state=Booking.State.CONFIRMED,
    )
    times = slots.open_times(now=now)
    assert on_day(times, monday) == []
    assert len(on_day(times, tuesday)) == 4


def test_one_visitor_holding_several_times_of_a_day_is_one_consultation_under_the_cap():
    open_hours([(MONDAY, "09:00", "11:00")], most_per_day=2, **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    visitor = make_request()
    for hour, minute in [(9, 0), (9, 30)]:
        Booking.objects.create(
            request=visitor,
            starts_at=at(2026, 12, 7, hour, minute),
            ends_at=at(2026, 12, 7, hour, minute) + datetime.timedelta(minutes=30),
            state=Booking.State.HELD,
            held_until=now + datetime.timedelta(hours=48),
        )
    times = on_day(slots.open_times(now=now), datetime.date(2026, 12, 7))
    assert [f"{time.local:%H:%M}" for time in times] == ["10:00", "10:30"]


def test_a_lapsed_hold_does_not_count_towards_the_cap():
    open_hours([(MONDAY, "09:00", "12:00")], most_per_day=1, **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    Booking.objects.create(
        request=make_request(),
        starts_at=at(2026, 12, 7, 9),
        ends_at=at(2026, 12, 7, 9, 30),
        state=Booking.State.HELD,
        held_until=now - datetime.timedelta(minutes=1),
    )
    times = on_day(slots.open_times(now=now), datetime.date(2026, 12, 7))
    assert [f"{time.local:%H:%M}" for time in times][:2] == ["09:00", "09:30"]


def test_no_time_is_offered_beyond_the_days_ahead():
    open_hours(every_day("09:00", "10:00"), days_ahead=2, **BACK_TO_BACK)
    days = [day for day, _ in slots.grouped_by_day(slots.open_times(now=at(2026, 12, 7, 8)))]
    assert days == [datetime.date(2026, 12, 7), datetime.date(2026, 12, 8), datetime.date(2026, 12, 9)]


def test_nothing_is_offered_while_booking_is_off():
    hours = open_hours([(MONDAY, "09:00", "12:00")], booking_on=False, **BACK_TO_BACK)
    assert slots.open_times(now=at(2026, 12, 1, 9)) == []
    with pytest.raises(holds.TimeTaken):
        holds.hold(make_request().pk, [at(2026, 12, 7, 9)], "phone", now=at(2026, 12, 1, 9), hours=hours)
    assert not Booking.objects.exists()


def test_nothing_is_offered_while_the_practice_is_not_accepting_new_clients():
    hours = open_hours([(MONDAY, "09:00", "12:00")], **BACK_TO_BACK)
    assert slots.open_times(now=at(2026, 12, 1, 9), accepting_new_clients=True)
    assert slots.open_times(now=at(2026, 12, 1, 9), accepting_new_clients=False) == []
    with pytest.raises(holds.TimeTaken):
        holds.hold(
            make_request().pk,
            [at(2026, 12, 7, 9)],
            "phone",
            now=at(2026, 12, 1, 9),
            hours=hours,
            accepting_new_clients=False,
        )


def test_nothing_is_offered_without_windows():
    open_hours([], **BACK_TO_BACK)
    assert slots.open_times(now=at(2026, 12, 1, 9)) == []


def test_a_visitor_moving_their_consultation_sees_their_own_time_as_open():
    open_hours([(MONDAY, "09:00", "10:00")], **BACK_TO_BACK)
    mine = make_request()
    Booking.objects.create(
        request=mine,
        starts_at=at(2026, 12, 7, 9),
        ends_at=at(2026, 12, 7, 9, 30),
        state=Booking.State.CONFIRMED,
    )
    now = at(2026, 12, 1, 9)
    assert len(on_day(slots.open_times(now=now), datetime.date(2026, 12, 7))) == 1
    assert len(on_day(slots.open_times(now=now, keep_for=mine.pk), datetime.date(2026, 12, 7))) == 2


# Holds


def test_a_held_time_is_not_offered_again_until_its_hold_lapses_then_it_can_be_held_again():
    open_hours([(MONDAY, "09:00", "10:00")], **BACK_TO_BACK)
    first, second = make_request(), make_request()
    now = at(2026, 12, 1, 9)
    time = at(2026, 12, 7, 9)
    [held] = holds.hold(first.pk, [time], "phone", now=now)
    assert held.held_until == now + datetime.timedelta(hours=48)
    assert time not in starts(slots.open_times(now=now))
    with pytest.raises(holds.TimeTaken):
        holds.hold(second.pk, [time], "phone", now=now + datetime.timedelta(hours=47))

    later = now + datetime.timedelta(hours=48, minutes=1)
    assert time in starts(slots.open_times(now=later))
    [taken_over] = holds.hold(second.pk, [time], "video", now=later)
    held.refresh_from_db()
    assert held.state == Booking.State.RELEASED
    assert (taken_over.request_id, taken_over.state, taken_over.way) == (
        second.pk,
        Booking.State.HELD,
        "video",
    )


def test_a_hold_lasts_48_real_hours_across_the_night_clocks_go_back():
    open_hours(every_day("09:00", "10:00"), **BACK_TO_BACK)
    now = at(2026, 10, 31, 12)  # Saturday noon EDT; the clocks go back that night
    [held] = holds.hold(make_request().pk, [at(2026, 11, 3, 9)], "phone", now=now)
    assert held.held_until - now == datetime.timedelta(hours=48)
    held.refresh_from_db()
    assert held.held_until == utc(2026, 11, 2, 16)


def test_release_lapsed_marks_only_lapsed_holds_released():
    now = at(2026, 12, 1, 9)
    lapsed, current, confirmed = (
        Booking.objects.create(
            request=make_request(),
            starts_at=at(2026, 12, 7, hour),
            ends_at=at(2026, 12, 7, hour, 30),
            state=state,
            held_until=held_until,
        )
        for hour, state, held_until in [
            (9, Booking.State.HELD, now),
            (10, Booking.State.HELD, now + datetime.timedelta(seconds=1)),
            (11, Booking.State.CONFIRMED, None),
        ]
    )
    assert holds.release_lapsed(now) == 1
    assert [b.state for b in Booking.objects.order_by("starts_at")] == ["released", "held", "confirmed"]


def test_holding_several_times_holds_all_or_none():
    open_hours([(MONDAY, "09:00", "11:00")], **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    holds.hold(make_request().pk, [at(2026, 12, 7, 10)], "phone", now=now)
    mine = make_request()
    with pytest.raises(holds.TimeTaken):
        holds.hold(mine.pk, [at(2026, 12, 7, 9), at(2026, 12, 7, 10)], "phone", now=now)
    assert not Booking.objects.filter(request=mine).exists()
    held = holds.hold(mine.pk, [at(2026, 12, 7, 9, 30), at(2026, 12, 7, 9)], "phone", now=now)
    assert [booking.starts_at for booking in held] == [at(2026, 12, 7, 9), at(2026, 12, 7, 9, 30)]


def test_a_time_not_on_the_grid_cannot_be_held():
    open_hours([(MONDAY, "09:00", "11:00")], **BACK_TO_BACK)
    with pytest.raises(holds.TimeTaken):
        holds.hold(make_request().pk, [at(2026, 12, 7, 9, 10)], "phone", now=at(2026, 12, 1, 9))


def test_confirming_one_held_time_releases_the_others_of_that_request():
    open_hours([(MONDAY, "09:00", "11:00")], **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    first, second = holds.hold(make_request().pk, [at(2026, 12, 7, 9), at(2026, 12, 7, 10)], "phone", now=now)
    holds.confirm(second, now=now)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (Booking.State.RELEASED, Booking.State.CONFIRMED)
    assert second.held_until is None and second.confirmed_at == now
    assert second.invite_uid.startswith("consultation-")
    assert at(2026, 12, 7, 9) in starts(slots.open_times(now=now))


@only_on_postgresql("the time's exclusion constraint is PostgreSQL's")
def test_confirming_a_lapsed_hold_someone_else_has_taken_since_raises_time_taken():
    open_hours([(MONDAY, "09:00", "11:00")], **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    [lapsing] = holds.hold(make_request().pk, [at(2026, 12, 7, 9)], "phone", now=now)
    later = now + datetime.timedelta(hours=49)
    holds.hold(make_request().pk, [at(2026, 12, 7, 9)], "phone", now=later)
    with pytest.raises(holds.TimeTaken):
        holds.confirm(lapsing, now=later)
    lapsing.refresh_from_db()
    assert lapsing.state == Booking.State.RELEASED


def test_cancelling_frees_the_time_at_once():
    open_hours([(MONDAY, "09:00", "10:00")], **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    [held] = holds.hold(make_request().pk, [at(2026, 12, 7, 9)], "phone", now=now)
    holds.confirm(held, now=now)
    holds.cancel(held, Booking.By.VISITOR)
    assert at(2026, 12, 7, 9) in starts(slots.open_times(now=now))


def test_moving_keeps_the_invite_uid_one_sequence_later_and_frees_the_old_time():
    open_hours([(MONDAY, "09:00", "10:00")], **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    [held] = holds.hold(make_request().pk, [at(2026, 12, 7, 9)], "video", now=now)
    holds.confirm(held, now=now)
    moved = holds.move(held, at(2026, 12, 7, 9, 30), Booking.By.VISITOR, now=now)
    held.refresh_from_db()
    assert held.state == Booking.State.MOVED
    assert (moved.invite_uid, moved.invite_sequence, moved.way) == (held.invite_uid, 1, "video")
    assert starts(on_day(slots.open_times(now=now), datetime.date(2026, 12, 7))) == [at(2026, 12, 7, 9)]
    with pytest.raises(holds.TimeTaken):
        holds.move(moved, at(2026, 12, 7, 9, 15), Booking.By.VISITOR, now=now)


def test_release_holds_frees_what_a_request_held_and_keeps_what_was_confirmed():
    open_hours([(MONDAY, "09:00", "11:00")], **BACK_TO_BACK)
    now = at(2026, 12, 1, 9)
    request = make_request()
    first, _ = holds.hold(request.pk, [at(2026, 12, 7, 9), at(2026, 12, 7, 10)], "phone", now=now)
    assert holds.release_holds(request.pk) == 2
    assert len(on_day(slots.open_times(now=now), datetime.date(2026, 12, 7))) == 4
