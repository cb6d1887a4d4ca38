"""
Many visitors sending the form for the same time at once, on PostgreSQL: the database's
exclusion constraint lets exactly one keep it, and everyone else is told it is taken.
"""

import datetime

import psycopg
import pytest
from django.db import IntegrityError, transaction

from booking import holds
from booking.models import Booking
from tests.booking.conftest import at
from tests.hours import BACK_TO_BACK, open_hours
from tests.intake.factories import make_request
from tests.postgresql import only_on_postgresql
from tests.races import at_once as race

# serialized_rollback: the data migrations ship (content types, groups, choices) come back for the tests after.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    only_on_postgresql("races need PostgreSQL's concurrency and its exclusion constraint"),
]

THREADS = 8
NOW = at(2026, 12, 1, 9)
TIME = at(2026, 12, 7, 9)


def outcome_name(error):
    """The error's class, or DeadlockDetected when the database broke a deadlock (Django calls that OperationalError)."""
    if isinstance(error.__cause__, psycopg.errors.DeadlockDetected):
        return "DeadlockDetected"
    return type(error).__name__


def at_once(calls):
    """Each call's outcome, all made at the same moment: "ok", or the name of the error it raised."""
    return [outcome_name(result) if isinstance(result, Exception) else "ok" for result in race(calls)]


@pytest.fixture
def requests():
    open_hours([(0, "09:00", "12:00")], **BACK_TO_BACK)
    return [make_request() for _ in range(THREADS)]


def kept():
    return list(Booking.objects.filter(state__in=Booking.KEEPS_TIME).values_list("request_id", "starts_at"))


def test_eight_visitors_holding_the_same_time_at_once_one_gets_it(requests):
    outcomes = at_once(
        [lambda request=request: holds.hold(request.pk, [TIME], "phone", now=NOW) for request in requests]
    )
    assert sorted(outcomes) == ["TimeTaken"] * (THREADS - 1) + ["ok"]
    [(winner, starts_at)] = kept()
    assert starts_at == TIME
    assert winner == requests[outcomes.index("ok")].pk


def test_overlapping_times_held_at_once_one_gets_it(requests):
    # Each visitor's pick includes 9:30; some also 9:00 or 10:00. Only one pick can be kept whole.
    picks = [
        [TIME + datetime.timedelta(minutes=30)] + ([TIME] if index % 2 else []) for index in range(THREADS)
    ]
    outcomes = at_once(
        [
            lambda request=request, pick=pick: holds.hold(request.pk, pick, "phone", now=NOW)
            for request, pick in zip(requests, picks, strict=True)
        ]
    )
    assert outcomes.count("ok") == 1
    assert {request_id for request_id, _ in kept()} == {requests[outcomes.index("ok")].pk}


def test_a_lapsed_hold_confirmed_while_seven_others_hold_its_time_stays_single(requests):
    [lapsed] = holds.hold(requests[0].pk, [TIME], "phone", now=NOW)
    later = NOW + datetime.timedelta(hours=49)
    calls = [lambda: holds.confirm(Booking.objects.get(pk=lapsed.pk), now=later)] + [
        lambda request=request: holds.hold(request.pk, [TIME], "phone", now=later) for request in requests[1:]
    ]
    outcomes = at_once(calls)
    assert sorted(outcomes) == ["TimeTaken"] * (THREADS - 1) + ["ok"]
    assert len(kept()) == 1


def test_eight_confirmed_bookings_inserted_at_once_bypassing_holds_one_is_kept(requests):
    def insert(request):
        with transaction.atomic():
            return Booking.objects.create(
                request=request,
                starts_at=TIME,
                ends_at=TIME + datetime.timedelta(minutes=30),
                state=Booking.State.CONFIRMED,
            )

    outcomes = at_once([lambda request=request: insert(request) for request in requests])
    # PostgreSQL checks an exclusion constraint after inserting, so two inserts at the same moment
    # may each wait for the other: it breaks that deadlock by refusing one, as it refuses the rest.
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"IntegrityError", "DeadlockDetected"}
    assert len(kept()) == 1


@pytest.mark.parametrize(
    "state, other_state, refused",
    [
        ("confirmed", "confirmed", True),
        ("held", "confirmed", True),
        ("held", "held", True),
        ("released", "confirmed", False),
        ("cancelled", "held", False),
        ("moved", "confirmed", False),
    ],
)
def test_the_database_itself_refuses_an_overlapping_time_kept_twice(requests, state, other_state, refused):
    Booking.objects.create(
        request=requests[0],
        starts_at=TIME,
        ends_at=TIME + datetime.timedelta(minutes=30),
        state=state,
        held_until=NOW + datetime.timedelta(hours=48),
    )
    overlapping = {
        "request": requests[1],
        "starts_at": TIME + datetime.timedelta(minutes=29),
        "ends_at": TIME + datetime.timedelta(minutes=59),
        "state": other_state,
        "held_until": NOW + datetime.timedelta(hours=48),
    }
    if refused:
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(**overlapping)
    else:
        Booking.objects.create(**overlapping)


def test_the_database_lets_one_time_end_where_the_next_begins(requests):
    Booking.objects.create(
        request=requests[0], starts_at=TIME, ends_at=TIME + datetime.timedelta(minutes=30), state="confirmed"
    )
    Booking.objects.create(
        request=requests[1],
        starts_at=TIME + datetime.timedelta(minutes=30),
        ends_at=TIME + datetime.timedelta(minutes=60),
        state="confirmed",
    )
    assert len(kept()) == 2


def test_visitors_taking_different_times_of_a_day_at_once_stay_within_its_cap():
    # Eight different free times of one Monday, a cap of one a day: only one visitor may have that day.
    open_hours([(0, "09:00", "13:00")], most_per_day=1, **BACK_TO_BACK)
    visitors = [make_request() for _ in range(THREADS)]
    times = [TIME + datetime.timedelta(minutes=30 * index) for index in range(THREADS)]
    outcomes = at_once(
        [
            lambda request=request, time=time: holds.hold(request.pk, [time], "phone", now=NOW)
            for request, time in zip(visitors, times, strict=True)
        ]
    )
    assert sorted(outcomes) == ["TimeTaken"] * (THREADS - 1) + ["ok"]
    assert len(kept()) == 1


def test_the_database_refuses_a_hold_without_an_end():
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            request=make_request(), starts_at=TIME, ends_at=TIME + datetime.timedelta(minutes=30)
        )
