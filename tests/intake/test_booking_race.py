"""
Visitors picking the same time at the same moment, through the form, on PostgreSQL as in production:
the database lets exactly one hold it; every other gets their form back with everything they typed.
"""

import datetime
import threading
from functools import partial

import pytest
from django.test import Client
from django.utils import timezone

from booking.models import Booking
from intake.form import spam
from intake.models import ConsultationRequest, Notification, SubmissionAttempt
from tests.clock_words import visitor_words
from tests.hours import AN_HOUR_A_DAY, offered, open_hours
from tests.html import form_values
from tests.intake.factories import aged_token, form_data, make_request
from tests.postgresql import only_on_postgresql
from tests.races import at_once

URL = "/consultation/"
VISITORS = 6
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    only_on_postgresql("races need PostgreSQL's concurrency"),
]


def said(start):
    """A time as the form's messages name it."""
    return visitor_words(start)


def send_at_once(forms):
    """Each form from its own visitor (address), thread and database connection, all released together."""
    return at_once(
        [
            partial(Client(REMOTE_ADDR=f"203.0.113.{index + 1}").post, URL, data)
            for index, data in enumerate(forms)
        ]
    )


@pytest.fixture
def all_checked_before_any_saves(monkeypatch):
    """
    Every form passes its checks (the time is open to each) before any is saved: then only the
    database's exclusion constraint stands between them, which is what this test is about.
    """
    checked = threading.Barrier(VISITORS)
    screen = spam.screen

    def screen_together(request, cleaned_data):
        checked.wait(timeout=20)
        return screen(request, cleaned_data)

    monkeypatch.setattr(spam, "screen", screen_together)


def test_visitors_picking_the_same_time_at_once_hold_it_exactly_once_and_lose_nothing(
    all_checked_before_any_saves,
):
    open_hours(AN_HOUR_A_DAY, days_ahead=4)
    wanted, other = offered()[:2]
    forms = [
        form_data(
            name=f"Visitor {number}",
            message=f"What visitor {number} typed.",
            times=[wanted.value, other.value] if number % 2 else [wanted.value],
            way="video",
            form_token=aged_token(),
        )
        for number in range(VISITORS)
    ]
    responses = send_at_once(forms)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302] + [409] * (VISITORS - 1), statuses
    winner = ConsultationRequest.objects.get()
    assert Booking.objects.filter(starts_at=wanted.starts_at).get().request == winner
    assert Booking.objects.filter(request=winner).count() == len(forms[int(winner.name.split()[1])]["times"])
    assert Notification.objects.count() == 1 and SubmissionAttempt.objects.count() == 1
    for number, response in enumerate(responses):
        if response.status_code == 302:
            continue
        html = response.content.decode()
        # Named, alone or with the visitor's other pick if the winner took that one too.
        assert said(wanted.starts_at) in html and "no longer open" in html
        values = form_values(html)
        assert values["name"] == f"Visitor {number}" and values["message"] == f"What visitor {number} typed."
        assert values["form_token"] == forms[number]["form_token"]
        assert f'value="{wanted.value}"' not in html, "the taken time is no longer offered"


def only_three_open():
    """Booking on, and every time but the first three held by someone else: three left to pick."""
    open_hours(AN_HOUR_A_DAY, days_ahead=4)
    times = offered()
    for time in times[3:]:
        Booking.objects.create(
            request=make_request(name="Someone else"),
            starts_at=time.starts_at,
            ends_at=time.ends_at,
            held_until=timezone.now() + datetime.timedelta(hours=1),
        )
    assert len(offered()) == 3
    return times[:3]


def test_twenty_visitors_picking_one_of_three_times_at_once_3_held_17_told_none_dropped():
    """
    While the last times go, the form stops offering any: a time sent then was once saved without
    its pick. Now each visitor either holds the time they sent, or is told (409) which one went.
    """
    three = only_three_open()
    visitors = 20
    forms = [
        form_data(
            name=f"Visitor {number}",
            message=f"What visitor {number} typed.",
            times=[three[number % 3].value],
            way="video",
            form_token=aged_token(),
        )
        for number in range(visitors)
    ]
    responses = send_at_once(forms)
    statuses = [response.status_code for response in responses]
    assert sorted(statuses) == [302] * 3 + [409] * 17, statuses
    saved = [request for request in ConsultationRequest.objects.all() if request.name.startswith("Visitor")]
    assert len(saved) == 3
    for consultation in saved:
        picked = forms[int(consultation.name.split()[1])]["times"]
        held = [booking.starts_at for booking in consultation.bookings.filter(state=Booking.State.HELD)]
        assert [time.strftime("%Y-%m-%dT%H:%MZ") for time in held] == picked, "held, never dropped"
    for number, response in enumerate(responses):
        if response.status_code == 409:
            html = response.content.decode()
            assert f"{said(three[number % 3].starts_at)} is no longer open" in html
            assert form_values(html)["message"] == f"What visitor {number} typed."
