"""
Every change to a request's life locks the request before its bookings (intake/life/moves.py).

The therapist closing a request locks it, then its bookings (ConsultationRequest.change_status,
moves.answered). A visitor's link that locked the booking first and the request second would, at the
same moment, wait for the therapist while the therapist waits for it: PostgreSQL then kills one of
them with a deadlock error. One order for every path keeps the second in line instead.
"""

import re
import threading

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from booking.links import manage_token
from booking.models import Booking
from intake.life import moves
from intake.models import ConsultationRequest
from tests.hours import open_hours
from tests.intake.bookings import confirmed_booking
from tests.intake.factories import make_request
from tests.postgresql import only_on_postgresql

pytestmark = only_on_postgresql("row locks need PostgreSQL")
Status = ConsultationRequest.Status
REQUESTS = ConsultationRequest._meta.db_table
BOOKINGS = Booking._meta.db_table
LOCKED = re.compile(r'FROM "(\w+)".*FOR (?:NO KEY )?UPDATE', re.DOTALL)


def link(booking):
    return reverse("intake:my_consultation", args=[manage_token(booking)])


def tables_locked(action):
    """The tables whose rows `action` locks FOR UPDATE, in order."""
    locked = []

    def record(execute, sql, params, many, context):
        if match := LOCKED.search(sql):
            locked.append(match.group(1))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        action()
    return locked


def request_first(locked):
    return BOOKINGS not in locked or REQUESTS in locked[: locked.index(BOOKINGS)]


@pytest.fixture
def booking(db):
    open_hours()
    consultation = make_request()
    consultation.change_status(Status.SCHEDULED)
    return confirmed_booking(consultation)


def test_the_visitor_cancelling_by_link_locks_the_request_first(client, booking):
    locked = tables_locked(lambda: client.post(link(booking), {"action": "cancel"}))
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert request_first(locked), locked


def test_the_visitor_moving_by_link_locks_the_request_first(client, booking):
    page = client.get(link(booking)).content.decode()
    new_time = re.search(r'name="time" value="([^"]+)"', page).group(1)
    locked = tables_locked(lambda: client.post(link(booking), {"time": new_time}))
    assert Booking.objects.filter(request=booking.request, state=Booking.State.CONFIRMED).exclude(
        pk=booking.pk
    )
    assert request_first(locked), locked


def test_the_therapist_cancelling_locks_the_request_first(booking):
    locked = tables_locked(lambda: moves.cancel(booking, Booking.By.THERAPIST))
    assert request_first(locked), locked


# serialized_rollback: the data migrations' rows (content types, groups) come back for the tests after;
# without it, the flush makes new content types and the next serialized test cannot restore the old.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_visitor_cancelling_while_the_therapist_closes_the_request_waits_and_is_told_it_is_cancelled():
    """
    Both hold their first lock before either takes its second (a barrier after each first lock).
    With the visitor's link locking the booking first, PostgreSQL killed one side as a deadlock.
    """
    open_hours()
    consultation = make_request()
    consultation.change_status(Status.SCHEDULED)
    booking = confirmed_booking(consultation)
    both_started = threading.Barrier(2, timeout=10)
    outcome = {}

    def therapist():
        try:
            with transaction.atomic():
                locked = ConsultationRequest.objects.select_for_update().get(pk=consultation.pk)
                both_started.wait()
                locked.change_status(Status.NOT_A_FIT)
            outcome["therapist"] = "closed"
        except Exception as error:  # noqa: BLE001 - the test reports what the therapist would have seen
            outcome["therapist"] = repr(error)
        finally:
            connections.close_all()

    def visitor():
        try:
            original = moves.lock_request
            # The visitor's view has read the link; it takes its first lock once the therapist holds theirs.
            with_barrier = lambda *args: (both_started.wait(), original(*args))[1]  # noqa: E731
            moves.lock_request = with_barrier
            try:
                outcome["visitor"] = Client(raise_request_exception=False).post(
                    link(booking), {"action": "cancel"}
                )
            finally:
                moves.lock_request = original
        finally:
            connections.close_all()

    threads = [threading.Thread(target=therapist), threading.Thread(target=visitor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["therapist"] == "closed"
    assert outcome["visitor"].status_code == 410
    assert "has already been cancelled" in outcome["visitor"].content.decode()
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert ConsultationRequest.objects.get().status == Status.NOT_A_FIT
