"""
Visitors picking the same time at the same moment, through the form, on PostgreSQL as in production:
the database lets exactly one hold it; every other gets their form back with everything they typed.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from booking.forms import TAKEN
from booking.models import Booking
from intake import spam
from intake.models import ConsultationRequest, Notification, SubmissionAttempt
from tests.html import form_values
from tests.intake.booking_hours import booking_on, offered
from tests.intake.factories import aged_token, form_data

URL = "/consultation/"
VISITORS = 6
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL's concurrency"),
]


def send_at_once(forms):
    """Each form from its own visitor (address), thread and database connection, all released together."""
    start = threading.Barrier(len(forms))
    responses = [None] * len(forms)

    def send(index, data):
        client = Client(REMOTE_ADDR=f"203.0.113.{index + 1}")
        start.wait(timeout=10)
        try:
            responses[index] = client.post(URL, data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=item) for item in enumerate(forms)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


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
    booking_on()
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
        assert TAKEN in html
        values = form_values(html)
        assert values["name"] == f"Visitor {number}" and values["message"] == f"What visitor {number} typed."
        assert values["form_token"] == forms[number]["form_token"]
        assert f'value="{wanted.value}"' not in html, "the taken time is no longer offered"
