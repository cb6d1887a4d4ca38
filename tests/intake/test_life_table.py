"""
intake.life.moves.TABLE walked against the code: each row's move made through the path the site uses
(admin pages, the visitor's pages, the worker's and the clock's functions), then the request's
status, the booking's state and the emails queued compared with what the row says.
"""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from booking import holds
from booking.links import manage_token
from booking.models import Booking
from booking.slots import open_times
from intake.consultation_time.offered_times import pick_token
from intake.life import moves
from intake.life.booking_emails import queue_due_reminders
from intake.life.withdrawal import withdraw_token
from intake.models import ConsultationRequest, Notification
from tests.hours import open_hours
from tests.intake.booking_setup import confirm_url, hold_times, offer_url
from tests.intake.factories import form_data, make_request
from tests.intake.replying import send

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
State = Booking.State
LIST = "/admin/intake/consultationrequest/"


def confirmed(consultation):
    booking = hold_times(consultation, 1)[0]
    holds.confirm(booking)
    consultation.change_status(Status.SCHEDULED)
    return booking


def consultation_url(consultation, booking):
    return f"{LIST}{consultation.pk}/consultation/{booking.pk}/"


# Each driver sets up the row's "before" and returns (request, booking or None, the move to make).


def send_the_form(reviewer):
    visitor = Client()
    time = open_times()[0]

    def act():
        response = visitor.post("/consultation/", form_data(times=[time.value], way="video"))
        assert response.status_code == 302, response.content.decode()[:500]

    class Later:  # the request does not exist yet: found after the move
        pk = None

    return Later, None, act


def confirm_a_held_time(reviewer):
    consultation = make_request()
    booking = hold_times(consultation, 2)[0]
    return consultation, booking, lambda: reviewer.post(confirm_url(consultation), {"booking": booking.pk})


def offer_other_times(reviewer):
    consultation = make_request()
    booking = hold_times(consultation, 1)[0]
    body = "Here are other times."
    return (
        consultation,
        booking,
        lambda: reviewer.post(offer_url(consultation), {"subject": "Times", "body": body}),
    )


def offer_while_confirmed(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)

    def act():
        response = reviewer.post(offer_url(consultation), {"subject": "Times", "body": "Other times"})
        assert response.status_code == 400 and "Cancel or move" in response.content.decode()

    return consultation, booking, act


def pick_offered_times(reviewer):
    consultation = make_request(status=Status.CONTACTED)
    token = pick_token(consultation)
    chosen = {"times": [open_times()[0].value], "way": "video"}
    return consultation, None, lambda: Client().post(f"/consultation/times/{token}/", chosen)


def reply_keeping_it_open(reviewer):
    consultation = make_request()
    booking = hold_times(consultation, 1)[0]
    return consultation, booking, lambda: send(reviewer, consultation, "Offer a consultation")


def final_status(reviewer):
    consultation = make_request(status=Status.CONTACTED)
    booking = hold_times(consultation, 1)[0]
    action = {"action": "close", "_selected_action": [consultation.pk], "select_across": 0, "index": 0}
    return consultation, booking, lambda: reviewer.post(LIST, action)


def final_status_when_confirmed(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    action = {"action": "close", "_selected_action": [consultation.pk], "select_across": 0, "index": 0}
    return consultation, booking, lambda: reviewer.post(LIST, action)


def reply_with_a_final_status(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    return consultation, booking, lambda: send(reviewer, consultation, "Not a fit right now")


def therapist_cancels(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    data = {"action": "cancel", "message": "I am unwell that day."}
    return consultation, booking, lambda: reviewer.post(consultation_url(consultation, booking), data)


def therapist_moves(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    new = [t for t in open_times(keep_for=consultation.pk) if t.starts_at != booking.starts_at][-1]
    data = {"action": "move", "time": new.value}
    return consultation, booking, lambda: reviewer.post(consultation_url(consultation, booking), data)


def visitor_cancels(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    link = f"/consultation/time/{manage_token(booking)}/"
    return consultation, booking, lambda: Client().post(link, {"action": "cancel"})


def visitor_moves(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    new = [t for t in open_times(keep_for=consultation.pk) if t.starts_at != booking.starts_at][-1]
    link = f"/consultation/time/{manage_token(booking)}/"
    return consultation, booking, lambda: Client().post(link, {"action": "move", "time": [new.value]})


def call(outcome):
    def driver(reviewer):
        consultation = make_request(
            phone="555-123-4567", received_at=timezone.now() - datetime.timedelta(hours=2)
        )
        at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        url = f"{LIST}{consultation.pk}/log-call/"
        return consultation, None, lambda: reviewer.post(url, {"at": at, "outcome": outcome, "note": ""})

    return driver


def erase(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    data = {
        "action": "erase_person",
        "_selected_action": [consultation.pk],
        "confirm": "yes",
        "shown": [consultation.pk],
        "select_across": 0,
        "index": 0,
    }
    return consultation, booking, lambda: reviewer.post(LIST, data)


def withdraw(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    return (
        consultation,
        booking,
        lambda: Client().post(f"/consultation/withdraw/{withdraw_token(consultation)}/"),
    )


def purge(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    # Confirmed before this change and never cancelled: the purge still cancels it in calendars.
    ConsultationRequest.objects.filter(pk=consultation.pk).update(
        status=Status.CLOSED, status_changed_at=timezone.now() - datetime.timedelta(days=400)
    )
    return consultation, booking, lambda: call_command("purge_consultations", stdout=open("/dev/null", "w"))


def a_hold_lapses(reviewer):
    consultation = make_request()
    booking = hold_times(consultation, 1)[0]
    return (
        consultation,
        booking,
        lambda: holds.release_lapsed(booking.held_until + datetime.timedelta(seconds=1)),
    )


def warn(reviewer):
    consultation = make_request(status=Status.CONTACTED)
    booking = hold_times(consultation, 1)[0]
    return (
        consultation,
        booking,
        lambda: moves.warn_before_lapse(booking.held_until - datetime.timedelta(hours=11)),
    )


def reminder(reviewer):
    consultation = make_request()
    booking = confirmed(consultation)
    return consultation, booking, lambda: queue_due_reminders(booking.starts_at - datetime.timedelta(hours=2))


DRIVERS = {
    "send the form with times": send_the_form,
    "confirm a held time": confirm_a_held_time,
    "offer other times": offer_other_times,
    "offer other times while confirmed: refused": offer_while_confirmed,
    "pick offered times": pick_offered_times,
    "reply keeping it open": reply_keeping_it_open,
    "final status (page, list)": final_status,
    "final status with a confirmed consultation": final_status_when_confirmed,
    "reply with a final status, confirmed": reply_with_a_final_status,
    "therapist cancels": therapist_cancels,
    "therapist moves": therapist_moves,
    "visitor cancels": visitor_cancels,
    "visitor moves": visitor_moves,
    "call or text that reached them": call("spoke"),
    "call with no answer": call("no_answer"),
    "erase on their request": erase,
    "withdraw with their link": withdraw,
    "purge after the retention days": purge,
    "a hold lapses": a_hold_lapses,
    "warn before holds lapse": warn,
    "day-before reminder": reminder,
}


def test_every_row_has_a_driver_and_every_driver_a_row():
    assert [move.name for move in moves.TABLE] == list(DRIVERS)


@pytest.mark.parametrize("move", moves.TABLE, ids=[move.name for move in moves.TABLE])
def test_every_row_names_code_that_exists(move):
    """The table says where each move is made: a name renamed in the code is renamed in the table."""
    assert callable(import_string(move.code))


@pytest.mark.parametrize("move", moves.TABLE, ids=[move.name for move in moves.TABLE])
def test_the_code_makes_the_move_as_the_table_says(reviewer, move, settings):
    settings.INTAKE_ACKNOWLEDGE_VISITORS = True
    open_hours()
    consultation, booking, act = DRIVERS[move.name](reviewer)
    before = consultation.pk and ConsultationRequest.objects.get(pk=consultation.pk).status
    if move.request_before:
        assert before in move.request_before
    if booking is not None:
        booking.refresh_from_db()
        assert booking.state == move.booking_before
    sequence = booking and booking.invite_sequence
    already = set(Notification.objects.values_list("pk", flat=True))

    act()

    queued = Notification.objects.exclude(pk__in=already)
    assert sorted(queued.values_list("kind", flat=True)) == sorted(move.sends)
    if consultation.pk is None:  # the form's request, made by the move
        made = ConsultationRequest.objects.get()
        assert made.status == move.request_after
        assert set(made.bookings.values_list("state", flat=True)) == {move.booking_after}
        return
    after = ConsultationRequest.objects.filter(pk=consultation.pk).first()
    if move.request_after == moves.GONE:
        assert after is None and not Booking.objects.filter(request_id=consultation.pk).exists()
        return
    expected = {
        moves.SAME: before,
        moves.ANSWERED: Status.CONTACTED if before == Status.NEW else before,
        moves.FINAL_ONE: after.status,
    }.get(move.request_after, move.request_after)
    assert after.status == expected
    if move.request_after == moves.FINAL_ONE:
        assert after.status in moves.FINAL
    if booking is not None:
        booking.refresh_from_db()
        assert booking.state == move.booking_after
        if move.booking_after in (State.CANCELLED, State.MOVED):
            newest = max(b.invite_sequence for b in Booking.objects.filter(invite_uid=booking.invite_uid))
            assert newest == sequence + 1, "every change to an invite raises its SEQUENCE"
    elif move.booking_after != moves.NONE:
        assert set(after.bookings.values_list("state", flat=True)) == {move.booking_after}
