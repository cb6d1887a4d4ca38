"""Forms sent at the same moment, on PostgreSQL as in production: no 500, no extra row, the limit held."""

from functools import partial

import pytest
from django.test import Client

from intake.form import spam
from intake.models import ConsultationRequest, Notification, SubmissionAttempt
from tests.intake.factories import form_data
from tests.postgresql import only_on_postgresql
from tests.races import at_once

URL = "/consultation/"
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    only_on_postgresql("races need PostgreSQL's concurrency"),
]


def send_at_once(forms, addresses=("203.0.113.50",)):
    """Each form from its own thread and database connection, all released together; the statuses."""
    calls = [
        partial(Client(REMOTE_ADDR=addresses[index % len(addresses)]).post, URL, data)
        for index, data in enumerate(forms)
    ]
    return [response.status_code for response in at_once(calls)]


def test_the_same_form_sent_twice_at_the_same_moment_is_one_request():
    data = form_data()
    assert send_at_once([data, data, data]) == [302, 302, 302]
    assert ConsultationRequest.objects.count() == 1
    assert Notification.objects.count() == 1
    assert SubmissionAttempt.objects.count() == 1


def test_the_same_form_sent_at_once_from_different_addresses_is_one_request():
    """A phone switching from wifi to its mobile network mid-send: two addresses, one form."""
    data = form_data()
    assert send_at_once([data] * 4, addresses=["203.0.113.1", "198.51.100.2"]) == [302] * 4
    assert ConsultationRequest.objects.count() == 1
    assert Notification.objects.count() == 1


def test_ten_different_forms_at_once_from_one_visitor_save_exactly_the_limit():
    statuses = send_at_once([form_data() for _ in range(10)])
    assert sorted(statuses) == [302] * spam.RATE_LIMIT + [429] * (10 - spam.RATE_LIMIT)
    assert ConsultationRequest.objects.count() == spam.RATE_LIMIT
    assert Notification.objects.count() == spam.RATE_LIMIT
