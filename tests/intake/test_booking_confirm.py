"""Confirming one of the times a visitor picked, from the request's page in admin."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.utils import timezone

from booking import holds
from booking.models import HOLD_HOURS, Booking
from intake.consultation_time.booking_panel import panel_rows
from intake.life.notifications import send_due_notifications
from intake.models import AuditEntry, ConsultationRequest, Notification, StatusChange, TimelineEntry
from pages.clock import time_of_day
from tests.accounts.signing_in import sign_in
from tests.clock_words import therapist_day_and_time
from tests.hours import open_hours
from tests.intake.booking_setup import change_url, confirm_url, hold_times, offer_url
from tests.intake.factories import make_request
from tests.postgresql import only_on_postgresql

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


@pytest.fixture
def picked():
    """A new request holding three times."""
    open_hours()
    consultation = make_request(name="Robin")
    bookings = hold_times(consultation, 3)
    return consultation, bookings


def lapse(bookings):
    """Held HOLD_HOURS ago and never answered."""
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(
        created_at=timezone.now() - datetime.timedelta(hours=HOLD_HOURS + 1),
        held_until=timezone.now() - datetime.timedelta(hours=1),
    )


def messages_on(response):
    return [str(message) for message in response.context["messages"]]


def test_the_page_shows_each_held_time_with_its_hold_and_a_confirm_button(reviewer, picked):
    consultation, bookings = picked
    html = reviewer.get(change_url(consultation)).content.decode()
    assert "Consultation time" in html
    assert "Times are New York time." in html
    for booking in bookings:
        start = timezone.localtime(booking.starts_at)
        assert f"{start:%a} {start.day} {start:%B %Y}, {time_of_day(start)}" in html
        assert f'name="booking" value="{booking.pk}"' in html
    until = timezone.localtime(bookings[0].held_until)
    assert f"held until {until:%a} {until.day} {until:%B %Y}, {time_of_day(until)}" in html
    assert html.count('form="intake-booking-actions"') == 3
    # The buttons submit a form of their own, outside the request's form, with its CSRF token.
    actions = re.search(
        r'<form id="intake-booking-actions" method="post" action="([^"]+)" hidden>(.*?)</form>', html
    )
    assert actions.group(1) == confirm_url(consultation)
    assert "csrfmiddlewaretoken" in actions.group(2)
    assert f'href="{offer_url(consultation)}"' in html


def test_confirm_schedules_lets_go_of_the_other_picks_and_queues_both_invites(reviewer, picked):
    consultation, bookings = picked
    chosen = bookings[1]
    response = reviewer.post(confirm_url(consultation), {"booking": chosen.pk}, follow=True)
    chosen.refresh_from_db()
    assert chosen.state == Booking.State.CONFIRMED and chosen.confirmed_at and chosen.held_until is None
    assert {b.state for b in Booking.objects.exclude(pk=chosen.pk)} == {Booking.State.RELEASED}
    consultation.refresh_from_db()
    assert consultation.status == Status.SCHEDULED
    assert consultation.first_reply_at is not None
    change = StatusChange.objects.get(request=consultation)
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.NEW,
        Status.SCHEDULED,
        reviewer.user,
    )
    invites = Notification.objects.filter(request=consultation).order_by("kind")
    assert [(n.kind, n.booking_id) for n in invites] == [
        (Notification.Kind.INVITE_PRACTICE, chosen.pk),
        (Notification.Kind.INVITE_VISITOR, chosen.pk),
    ]
    entry = AuditEntry.objects.get(action="change", request_number=consultation.pk)
    assert entry.detail == "confirmed the consultation time, status New → Consultation scheduled"
    note = TimelineEntry.objects.get(request=consultation)
    assert note.text == (
        f"Confirmed the consultation for {therapist_day_and_time(chosen.starts_at)}, phone call. "
        "The confirmation and invite go to them by email."
    )
    assert messages_on(response) == [
        f"Confirmed request #{consultation.pk} for {therapist_day_and_time(chosen.starts_at)}, phone call. "
        "The invites are on their way to you and to them."
    ]
    html = response.content.decode()
    assert 'form="intake-booking-actions"' not in html  # nothing left to confirm
    assert "confirmed" in html


@pytest.mark.parametrize(("contact", "by"), [("call", "phone"), ("text", "text")])
def test_without_an_email_only_the_practice_invite_is_queued_and_the_therapist_is_told_how(
    reviewer, contact, by
):
    open_hours()
    consultation = make_request(email="", phone="555-010-0199", preferred_contact=contact)
    chosen = hold_times(consultation, 1)[0]
    response = reviewer.post(confirm_url(consultation), {"booking": chosen.pk}, follow=True)
    assert list(Notification.objects.values_list("kind", flat=True)) == [Notification.Kind.INVITE_PRACTICE]
    assert messages_on(response) == [
        f"Confirmed request #{consultation.pk} for {therapist_day_and_time(chosen.starts_at)}, phone call. Your invite is on its way. "
        f"They gave no email: tell them by {by}."
    ]
    assert TimelineEntry.objects.get().text.endswith("They gave no email.")


def test_confirming_needs_permission_to_change_requests(client, picked):
    consultation, bookings = picked
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    sign_in(client, viewer)
    html = client.get(change_url(consultation)).content.decode()
    assert "held until" in html  # they see the times
    assert 'form="intake-booking-actions"' not in html and "intake-booking-actions" not in html
    assert "Offer other times" not in html
    assert client.post(confirm_url(consultation), {"booking": bookings[0].pk}).status_code == 403
    assert client.get(offer_url(consultation)).status_code == 403
    assert set(Booking.objects.values_list("state", flat=True)) == {Booking.State.HELD}
    assert not Notification.objects.exists()


def test_a_get_changes_nothing(reviewer, picked):
    consultation, bookings = picked
    response = reviewer.get(confirm_url(consultation), {"booking": bookings[0].pk})
    assert response.status_code == 405
    assert set(Booking.objects.values_list("state", flat=True)) == {Booking.State.HELD}
    consultation.refresh_from_db()
    assert consultation.status == Status.NEW
    assert not Notification.objects.exists()


@only_on_postgresql("the time's exclusion constraint is PostgreSQL's")
def test_a_time_taken_after_its_hold_lapsed_is_an_error_and_nothing_changes(reviewer, picked):
    consultation, bookings = picked
    lapse(bookings)
    # Their holds lapsed; someone else took the first of their times.
    other = make_request(name="Sam")
    holds.hold(other.pk, [bookings[0].starts_at], "phone")
    page = reviewer.get(change_url(consultation)).content.decode()
    assert "lapsed: held 48 hours without an answer, so someone else may have taken it" in page
    response = reviewer.post(confirm_url(consultation), {"booking": bookings[0].pk}, follow=True)
    assert messages_on(response) == [
        f"{therapist_day_and_time(bookings[0].starts_at)} was taken by someone else after this hold lapsed. Nothing was changed: "
        "confirm another of their times, or offer other times."
    ]
    consultation.refresh_from_db()
    assert consultation.status == Status.NEW
    assert not Booking.objects.filter(request=consultation, state=Booking.State.CONFIRMED).exists()
    assert not Notification.objects.exists()
    assert not AuditEntry.objects.filter(action="change").exists()


def test_a_lapsed_time_still_free_can_be_confirmed(reviewer, picked):
    consultation, bookings = picked
    lapse(bookings)
    holds.release_lapsed()
    reviewer.post(confirm_url(consultation), {"booking": bookings[2].pk})
    assert Booking.objects.get(pk=bookings[2].pk).state == Booking.State.CONFIRMED
    consultation.refresh_from_db()
    assert consultation.status == Status.SCHEDULED


def test_a_time_let_go_by_an_answer_or_of_another_request_cannot_be_confirmed(reviewer, picked):
    consultation, bookings = picked
    other = make_request(name="Sam")
    theirs = hold_times(other, 1, skip=5)[0]
    holds.release_holds(consultation.pk)
    for booking in [bookings[0], theirs]:
        response = reviewer.post(confirm_url(consultation), {"booking": booking.pk}, follow=True)
        assert messages_on(response) == [
            "That time is not waiting for your answer any more: the page below shows what it is now."
        ]
    assert not Booking.objects.filter(state=Booking.State.CONFIRMED).exists()
    assert not Notification.objects.exists()
    # Let go by an answer: no longer on the page.
    assert "held until" not in reviewer.get(change_url(consultation)).content.decode()


def test_a_second_click_confirms_nothing_twice(reviewer, picked):
    consultation, bookings = picked
    reviewer.post(confirm_url(consultation), {"booking": bookings[0].pk})
    reviewer.post(confirm_url(consultation), {"booking": bookings[0].pk})
    assert Notification.objects.count() == 2
    assert AuditEntry.objects.filter(action="change").count() == 1


def test_a_closed_request_offers_no_confirm_or_offer(reviewer, picked):
    consultation, bookings = picked
    consultation.change_status(Status.CLOSED)
    html = reviewer.get(change_url(consultation)).content.decode()
    assert 'form="intake-booking-actions"' not in html and "Offer other times" not in html


def test_both_get_the_invite_in_their_calendar_and_the_practice_no_name(reviewer, picked, settings):
    settings.PRACTICE_NOTIFY_EMAIL = "wells@practice.example"
    consultation, bookings = picked
    reviewer.post(confirm_url(consultation), {"booking": bookings[0].pk})
    send_due_notifications()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"robin@example.com", "wells@practice.example"}
    for message in by_recipient.values():
        (invite,) = [a for a in message.attachments if a[2].startswith("text/calendar; method=REQUEST")]
        assert "BEGIN:VEVENT" in invite[1]
    practice_copy = by_recipient["wells@practice.example"].message().as_string()
    assert "Robin" not in practice_copy and "robin@example.com" not in practice_copy


def test_a_scheduled_request_confirming_again_keeps_its_status_and_says_so(reviewer):
    open_hours()
    consultation = make_request(status=Status.SCHEDULED)
    chosen = hold_times(consultation, 1)[0]
    reviewer.post(confirm_url(consultation), {"booking": chosen.pk})
    assert AuditEntry.objects.get(action="change").detail == "confirmed the consultation time"
    assert not StatusChange.objects.exists()


def test_cancelled_and_moved_times_are_shown_without_a_button(reviewer, picked):
    consultation, bookings = picked
    holds.confirm(bookings[0])
    moved_to = holds.move(bookings[0], bookings[1].starts_at, Booking.By.VISITOR)
    holds.cancel(moved_to, Booking.By.VISITOR)
    html = reviewer.get(change_url(consultation)).content.decode()
    assert "moved by the visitor to another time" in html
    assert "cancelled by the visitor" in html
    assert 'form="intake-booking-actions"' not in html


def test_a_request_with_no_times_says_so(reviewer):
    html = reviewer.get(change_url(make_request())).content.decode()
    assert "No time picked or confirmed." in html


def test_times_let_go_by_an_answer_stay_off_the_list_after_48_hours(picked):
    consultation, bookings = picked
    holds.release_holds(consultation.pk)
    later = timezone.now() + datetime.timedelta(hours=HOLD_HOURS + 1)
    assert panel_rows(consultation, now=later) == []
    # Whereas holds nobody answered show as lapsed: the newest picks only.
    hold_times(consultation, 2, skip=5)
    later = timezone.now() + datetime.timedelta(hours=HOLD_HOURS + 1)
    rows = panel_rows(consultation, now=later)
    assert [(row["lapsed"], row["can_confirm"]) for row in rows] == [(True, True), (True, True)]
