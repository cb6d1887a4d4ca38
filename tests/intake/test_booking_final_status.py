"""A request that reaches a final status lets go of the times it holds, however the status changed."""

import datetime

import pytest
from django.utils import timezone

from booking import holds
from booking.models import Booking
from intake.life.booking_emails import reminders_due
from intake.models import ConsultationRequest, Notification
from tests.hours import open_hours
from tests.html import form_values
from tests.intake.booking_setup import change_url, hold_times
from tests.intake.factories import make_request
from tests.intake.replying import send

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
LIST = "/admin/intake/consultationrequest/"


@pytest.fixture
def holding():
    open_hours()
    consultation = make_request()
    hold_times(consultation, 2)
    return consultation


def states(consultation):
    return set(Booking.objects.filter(request=consultation).values_list("state", flat=True))


@pytest.mark.parametrize("status", ConsultationRequest.FINAL_STATUSES)
def test_each_final_status_lets_go_of_held_times(holding, status):
    holding.change_status(status)
    assert states(holding) == {Booking.State.RELEASED}


@pytest.mark.parametrize("status", [Status.CONTACTED, Status.WAITLISTED])
def test_an_open_status_keeps_them(holding, status):
    holding.change_status(status)
    assert states(holding) == {Booking.State.HELD}


@pytest.mark.parametrize("status", ConsultationRequest.FINAL_STATUSES)
def test_a_final_status_cancels_the_confirmed_upcoming_consultation(holding, status):
    """Issue 23: a declined visitor was reminded of a consultation that stayed confirmed."""
    chosen = Booking.objects.filter(request=holding).first()
    holds.confirm(chosen)
    Notification.objects.create(request=holding, booking=chosen, kind=Notification.Kind.REMINDER)
    holding.change_status(status)
    chosen.refresh_from_db()
    assert chosen.state == Booking.State.CANCELLED
    assert chosen.ended_by == Booking.By.THERAPIST
    assert chosen.invite_sequence == 1
    kinds = sorted(Notification.objects.filter(booking=chosen).values_list("kind", flat=True))
    assert kinds == [Notification.Kind.INVITE_PRACTICE, Notification.Kind.INVITE_VISITOR]
    assert not reminders_due(chosen.starts_at - datetime.timedelta(hours=1)).exists()
    assert Booking.objects.taking_time().filter(request=holding).count() == 0


def test_a_consultation_that_happened_stays_as_it_was(holding):
    chosen = Booking.objects.filter(request=holding).first()
    holds.confirm(chosen)
    Booking.objects.filter(pk=chosen.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(days=1, minutes=-20),
    )
    holding.change_status(Status.BECAME_CLIENT)
    chosen.refresh_from_db()
    assert chosen.state == Booking.State.CONFIRMED
    assert not Notification.objects.filter(booking=chosen).exists()


def test_saving_the_request_page_with_a_final_status_lets_go(reviewer, holding):
    data = form_values(reviewer.get(change_url(holding)).content.decode())
    data = {k: v for k, v in data.items() if not k.startswith("_")} | {
        "status": Status.NOT_A_FIT,
        "_save": "Save",
    }
    response = reviewer.post(change_url(holding), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert states(holding) == {Booking.State.RELEASED}


def test_the_list_action_lets_go(reviewer, holding):
    other = make_request(name="Sam")
    hold_times(other, 1, skip=6)
    reviewer.post(LIST, {"action": "close", "_selected_action": [holding.pk], "select_across": 0, "index": 0})
    assert states(holding) == {Booking.State.RELEASED}
    assert states(other) == {Booking.State.HELD}


def test_a_reply_template_moving_to_a_final_status_lets_go(reviewer, holding):
    send(reviewer, holding, "Not a fit right now")
    holding.refresh_from_db()
    assert holding.status == Status.NOT_A_FIT
    assert states(holding) == {Booking.State.RELEASED}
