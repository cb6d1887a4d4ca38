"""The visitor's link to cancel or move their consultation (intake.consultation_time.views.my_consultation)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import holds, slots
from booking.links import manage_token
from booking.models import Booking
from intake.consultation_time import views
from intake.life.booking_emails import when
from intake.models import ConsultationRequest, Notification, TimelineEntry
from pages.clock import zone_name
from pages.models import PracticeSettings
from tests.clock_words import therapist_day_and_time, visitor_words
from tests.intake.bookings import at, confirmed_booking
from tests.intake.factories import make_request
from tests.postgresql import only_on_postgresql

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hours")]


def link(booking):
    return reverse("intake:my_consultation", args=[manage_token(booking)])


def nothing_changed(booking, state=Booking.State.CONFIRMED):
    booking.refresh_from_db()
    assert booking.state == state
    assert Booking.objects.filter(request=booking.request).count() == 1
    assert not Notification.objects.exists()
    assert not TimelineEntry.objects.exists()


def a_new_time(booking):
    """An open time on another day than the booking's."""
    return next(
        time
        for time in slots.open_times(keep_for=booking.request_id)
        if time.local.date() != timezone.localtime(booking.starts_at).date()
    )


def test_the_page_shows_the_time_the_way_and_both_choices_and_no_name(client):
    booking = confirmed_booking(make_request(name="Zqvisitorname"))
    response = client.get(link(booking))
    page = response.content.decode()
    assert response.status_code == 200
    assert when(booking) in page
    assert "by phone: I will call you at the number you gave" in page
    assert "Cancel this consultation" in page
    assert f"only that consultation #{booking.request_id} was cancelled, nothing about you." in page
    assert "Move to this time" in page
    assert f"Times are {zone_name()}." in page, "the open times say whose clock they are on"
    assert "Someone else took that time" not in page, "only after a move lost its race"
    assert "Zqvisitorname" not in page
    # The crisis text, as on every visitor page.
    assert PracticeSettings.load().crisis_notice.split("\n")[0][:40] in page


def test_the_move_section_offers_one_open_time_as_radio_buttons_and_not_the_current_one(client):
    booking = confirmed_booking()
    page = client.get(link(booking)).content.decode()
    new = a_new_time(booking)
    assert f'type="radio" name="time" value="{new.value}"' in page
    assert 'type="checkbox" name="time"' not in page
    assert booking.starts_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ") not in page
    assert "The new time is yours at once, and your current time is freed." in page
    assert "I hold the times you pick" not in page
    assert 'name="way"' not in page, "moving keeps the way"


def test_with_no_other_time_open_the_page_says_so(client, hours):
    hours.windows.all().delete()
    page = client.get(link(confirmed_booking())).content.decode()
    assert "No other time is open just now." in page
    assert "Move to this time" not in page
    assert "Cancel this consultation" in page


def test_a_video_consultation_shows_the_video_link(client, hours):
    hours.video_link = "https://video.practice.example/room"
    hours.save()
    page = client.get(link(confirmed_booking(way=Booking.Way.VIDEO))).content.decode()
    assert "by video call, at https://video.practice.example/room" in page


def test_opening_the_link_changes_nothing_as_mail_scanners_open_every_link(client):
    booking = confirmed_booking()
    for _ in range(3):
        assert client.get(link(booking)).status_code == 200
    assert client.head(link(booking)).status_code == 200
    nothing_changed(booking)


def test_every_answer_keeps_the_link_out_of_referers_and_caches(client):
    booking = confirmed_booking()
    for response in [
        client.get(link(booking)),
        client.get(link(booking)[:-8] + "/"),
        client.post(link(booking), {"action": "move"}),
        client.post(link(booking), {"action": "cancel"}),
        client.get(link(booking)),
    ]:
        assert response["Referrer-Policy"] == "strict-origin"
        assert "no-store" in response["Cache-Control"]


def test_cancelling_frees_the_time_tells_both_sides_and_notes_it_in_one_go(client):
    consultation = make_request(status=ConsultationRequest.Status.CONTACTED)
    booking = confirmed_booking(consultation)
    assert booking.starts_at not in {time.starts_at for time in slots.open_times()}
    response = client.post(link(booking), {"action": "cancel"})
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:consultation_cancelled")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert booking.starts_at in {time.starts_at for time in slots.open_times()}
    assert sorted(Notification.objects.values_list("kind", "booking")) == [
        (Notification.Kind.INVITE_PRACTICE, booking.pk),
        (Notification.Kind.INVITE_VISITOR, booking.pk),
    ]
    entry = TimelineEntry.objects.get(request=consultation)
    assert entry.kind == TimelineEntry.Kind.NOTE and entry.by is None
    assert entry.text == (
        f"The visitor cancelled the consultation on {therapist_day_and_time(booking.starts_at)}, with the link in their email."
    )
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.CONTACTED, "the request's status stays"

    page = client.get(response["Location"]).content.decode()
    assert f"Your free consultation on {when(booking)} is cancelled." in page
    assert "An email confirming it is on its way to you" in page
    # Shown once: later, the page names no time.
    assert when(booking) not in client.get(response["Location"]).content.decode()


def test_a_cancelled_link_says_so_and_cancels_nothing_more(client):
    booking = confirmed_booking()
    client.post(link(booking), {"action": "cancel"})
    for response in [client.get(link(booking)), client.post(link(booking), {"action": "cancel"})]:
        assert response.status_code == 410
        assert "This consultation has already been cancelled" in response.content.decode()
    assert Notification.objects.count() == 2
    assert TimelineEntry.objects.count() == 1


def test_moving_confirms_the_new_time_as_the_same_invite_and_frees_the_old_one(client):
    consultation = make_request()
    booking = confirmed_booking(consultation)
    new = a_new_time(booking)
    response = client.post(link(booking), {"action": "move", "time": new.value})
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:consultation_moved")
    booking.refresh_from_db()
    moved = Booking.objects.get(request=consultation, state=Booking.State.CONFIRMED)
    assert booking.state == Booking.State.MOVED
    assert (moved.starts_at, moved.ends_at) == (new.starts_at, new.ends_at)
    assert moved.way == booking.way
    assert (moved.invite_uid, moved.invite_sequence) == (booking.invite_uid, booking.invite_sequence + 1)
    assert booking.starts_at in {time.starts_at for time in slots.open_times()}
    assert sorted(Notification.objects.values_list("kind", "booking")) == [
        (Notification.Kind.INVITE_PRACTICE, moved.pk),
        (Notification.Kind.INVITE_VISITOR, moved.pk),
    ]
    assert TimelineEntry.objects.get(request=consultation).text == (
        f"The visitor moved the consultation from {therapist_day_and_time(booking.starts_at)} to "
        f"{therapist_day_and_time(moved.starts_at)}, with the link in their email."
    )

    page = client.get(response["Location"]).content.decode()
    assert f"It is now on <strong>{when(moved)}</strong>." in page
    assert "use the link in that newest email: the link in earlier emails no longer works" in page
    assert when(moved) not in client.get(response["Location"]).content.decode()

    # The old link explains; the new one (in the newest email) works.
    old = client.get(link(booking))
    assert old.status_code == 410
    assert "Please use the link in the newest email about your consultation" in old.content.decode()
    assert client.get(link(moved)).status_code == 200


def test_moving_without_picking_a_time_asks_for_one_and_changes_nothing(client):
    booking = confirmed_booking()
    response = client.post(link(booking), {"action": "move"})
    assert response.status_code == 200
    assert "Please pick the new time, then press “Move to this time”." in response.content.decode()
    nothing_changed(booking)


def test_a_time_no_longer_open_when_the_page_is_sent_is_refused_with_the_times_open_now(client):
    booking = confirmed_booking()
    new = a_new_time(booking)
    holds.hold(make_request().pk, [new.starts_at], Booking.Way.PHONE)
    response = client.post(link(booking), {"action": "move", "time": new.value})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{visitor_words(new.starts_at)} is no longer open: someone else took it just now" in page
    assert f'value="{new.value}"' not in page
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
    assert not Notification.objects.exists()


@only_on_postgresql("the time's exclusion constraint is PostgreSQL's")
def test_a_time_taken_between_the_check_and_the_move_changes_nothing_and_shows_fresh_times(
    client, monkeypatch
):
    """Two visitors sending the same time at once: the database's constraint decides, and says so kindly."""
    booking = confirmed_booking()
    new = a_new_time(booking)
    seen = slots.open_times(keep_for=booking.request_id)
    other = holds.hold(make_request().pk, [new.starts_at], Booking.Way.PHONE)[0]
    # The form and holds.move both still see the time as open, as they would a moment before.
    calls = []

    def open_a_moment_ago(*args, **kwargs):
        calls.append(1)
        return seen if len(calls) == 1 else slots.open_times(*args, **kwargs)

    monkeypatch.setattr(views, "open_times", open_a_moment_ago)
    monkeypatch.setattr(holds, "open_times", lambda *args, **kwargs: seen)
    response = client.post(link(booking), {"action": "move", "time": new.value})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else took that time a moment before you, so nothing has changed" in page
    assert f'value="{new.value}"' not in page, "the page shows the times open now"
    assert "Move to this time" in page
    nothing_changed(booking)
    other.refresh_from_db()
    assert other.state == Booking.State.HELD


def test_an_altered_or_cut_link_is_refused_and_changes_nothing(client):
    booking = confirmed_booking()
    token = manage_token(booking)
    rest = token.split(":", 1)[1]
    other = confirmed_booking(starts_at=at(4, 11))
    forged = manage_token(other).split(":", 1)[0] + ":" + rest  # another booking's number, this signature
    for bad in [token[:-6], token + "x", forged, "nothing"]:
        path = reverse("intake:my_consultation", args=[bad])
        for response in [client.get(path), client.post(path, {"action": "cancel"})]:
            assert response.status_code == 400
            assert "This link is not complete" in response.content.decode()
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED
    assert not Notification.objects.exists()


def test_a_link_to_a_consultation_that_started_or_is_gone_no_longer_works(client):
    started = confirmed_booking(starts_at=timezone.now() - datetime.timedelta(minutes=5))
    gone = confirmed_booking()
    gone_link = link(gone)
    gone.request.delete()
    for path in [link(started), gone_link]:
        for response in [
            client.get(path),
            client.post(path, {"action": "cancel"}),
            client.post(path, {"action": "move"}),
        ]:
            assert response.status_code == 410
            assert "This link no longer works" in response.content.decode()
            assert "The link works until the consultation starts. This one has started or passed" in (
                response.content.decode()
            )
    started.refresh_from_db()
    assert started.state == Booking.State.CONFIRMED


@pytest.mark.parametrize("state", [Booking.State.HELD, Booking.State.RELEASED])
def test_a_time_held_for_the_therapist_or_let_go_has_no_working_link(client, state):
    held_until = timezone.now() + datetime.timedelta(hours=48)
    response = client.get(link(confirmed_booking(state=state, held_until=held_until)))
    assert response.status_code == 410
    assert "or is no longer booked" in response.content.decode()


def test_a_problem_page_offers_the_practices_address(client):
    practice = PracticeSettings.load()
    practice.email = "hello@practice.example"
    practice.save()
    response = client.get(reverse("intake:my_consultation", args=["nothing"]))
    assert 'href="mailto:hello@practice.example"' in response.content.decode()


def test_the_pages_after_cancelling_or_moving_say_nothing_when_opened_cold(client):
    cancelled = client.get(reverse("intake:consultation_cancelled")).content.decode()
    assert "If you have just cancelled a consultation, it is cancelled." in cancelled
    moved = client.get(reverse("intake:consultation_moved")).content.decode()
    assert "If you have just moved a consultation, the new time is in the email on its way to you." in moved
