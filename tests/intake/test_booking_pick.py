"""The visitor's page from "Offer other times": pick up to three open times from a signed link."""

import datetime
import time

import pytest
from django.core import mail, signing

from booking import holds
from booking.models import HOLD_HOURS, Booking
from booking.slots import open_times
from intake.consultation_time import offered_times
from intake.consultation_time.offered_times import LINK_DAYS, SALT, pick_token
from intake.life.notifications import send_due_notifications
from intake.models import ConsultationRequest, Notification
from pages.models import PracticeSettings
from practice.log_paths import without_secrets
from tests.clock_words import visitor_day_and_time, visitor_words
from tests.hours import open_hours
from tests.intake.booking_setup import hold_times
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status

# A distinctive value in every field a visitor types: none may reach the practice's notice.
DISTINCT = {
    "name": "Zebulon Quixote",
    "email": "zq-unique@example.org",
    "phone": "555-867-5309",
    "message": "Distinctive message about xyzzy",
    "insurer": "Plughcare Mutual",
    "heard_about": "A Frobozz flyer",
    "preferred_contact": "email",
}


@pytest.fixture
def practice():
    practice = PracticeSettings.load()
    practice.email = "hello@wells.example"
    practice.phone = "(555) 010-0100"
    practice.save()
    return practice


@pytest.fixture
def consultation(practice):
    open_hours()
    return make_request(**DISTINCT)


def url(token):
    return f"/consultation/times/{token}/"


def picks(count=2, skip=0, way="video"):
    return {"times": [t.value for t in open_times()[skip : skip + count]], "way": way}


def test_the_page_shows_the_open_times_and_no_detail_of_the_request(client, consultation):
    response = client.get(url(pick_token(consultation)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pick times for your free consultation" in html
    assert "I will confirm one of the times you pick by email." in html
    assert f"For request #{consultation.pk}:" in html
    first = open_times()[0]
    assert f'value="{first.value}"' in html and "Times are New York time." in html
    assert "Please pick at least one time." not in html, "opening the page is not sending it"
    assert response["Referrer-Policy"] == "strict-origin"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    for value in DISTINCT.values():
        if value != "email":
            assert value not in html


def test_picking_holds_the_times_queues_a_notice_by_number_and_thanks_them(client, consultation, practice):
    token = pick_token(consultation)
    chosen = picks(3)
    response = client.post(url(token), chosen)
    assert response.status_code == 302 and response["Location"] == url(token)
    held = Booking.objects.filter(request=consultation)
    assert [b.starts_at for b in held] == [t.starts_at for t in open_times(keep_for=consultation.pk)[:3]]
    assert {(b.state, b.way) for b in held} == {(Booking.State.HELD, "video")}
    assert all(b.held_until - b.created_at == datetime.timedelta(hours=HOLD_HOURS) for b in held)
    thanks = client.get(url(token)).content.decode()
    assert "Thank you: your times are held" in thanks
    assert f"for up to {HOLD_HOURS} hours" in thanks
    assert f"{visitor_day_and_time(held[0].starts_at)}, video call" in thanks

    notice = Notification.objects.get(kind=Notification.Kind.BOOKING_NOTICE)
    assert notice.subject == f"Request #{consultation.pk} picked times"
    send_due_notifications()
    (email,) = mail.outbox
    assert email.subject == notice.subject
    assert f"/admin/intake/consultationrequest/{consultation.pk}/change/" in email.body
    assert f"They are held for you for {HOLD_HOURS} hours." in email.body
    assert "This email carries no details on purpose" in email.body
    sent = email.message().as_string()
    for value in DISTINCT.values():
        if value != "email":
            assert value not in sent
    assert consultation.form_token[:16] not in sent


def test_sending_again_holds_nothing_more(client, consultation):
    token = pick_token(consultation)
    client.post(url(token), picks(2))
    client.post(url(token), picks(2, skip=4))
    assert Booking.objects.count() == 2
    assert Notification.objects.count() == 1


def test_more_than_three_or_none_is_an_error(client, consultation):
    token = pick_token(consultation)
    too_many = client.post(url(token), picks(4)).content.decode()
    assert "Please pick up to 3 times (you picked 4)." in too_many
    none = client.post(url(token), {"way": "phone"}).content.decode()
    assert "Please pick at least one time." in none
    assert not Booking.objects.exists()


def test_a_time_taken_meanwhile_asks_again_and_holds_none(client, consultation, monkeypatch):
    token = pick_token(consultation)
    chosen = picks(2)
    # Between the page's check and the hold, someone else takes the second time.
    real_hold = offered_times.hold

    def taken_first(*args, **kwargs):
        other = make_request(name="Sam")
        real_hold(other.pk, [open_times()[1].starts_at], "phone")
        return real_hold(*args, **kwargs)

    monkeypatch.setattr(offered_times, "hold", taken_first)
    html = client.post(url(token), chosen).content.decode()
    assert "One of the times you picked was just taken by someone else" in html
    assert not Booking.objects.filter(request=consultation).exists()
    assert not Notification.objects.exists()


def test_an_altered_link_is_400_and_kind(client, consultation):
    token = pick_token(consultation)
    response = client.get(url(token[:-2] + ("AA" if not token.endswith("AA") else "BB")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "This link is not complete" in html and "hello@wells.example" in html
    assert response["Referrer-Policy"] == "strict-origin"
    # Another request's number, signed with another salt (the withdraw link's), is refused too.
    other = signing.Signer(salt="intake.withdraw").sign_object(
        [consultation.pk, consultation.form_token[:16]]
    )
    assert client.get(url(other)).status_code == 400
    # The right number with another request's token piece: not theirs.
    forged = signing.TimestampSigner(salt=SALT).sign_object([consultation.pk, "not-the-token"])
    assert client.get(url(forged)).status_code == 400
    assert client.post(url(token[:-2] + "AA"), picks(1)).status_code == 400
    assert not Booking.objects.exists()


def test_an_expired_link_is_410(client, consultation, monkeypatch):
    token = pick_token(consultation)
    later = time.time() + LINK_DAYS * 86400 + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(url(token))
    assert response.status_code == 410
    html = response.content.decode()
    assert f"Links to pick a time work for {LINK_DAYS} days, while your request is open." in html
    assert client.post(url(token), picks(1)).status_code == 410
    assert not Booking.objects.exists()


def test_a_link_for_a_closed_or_deleted_request_is_410(client, consultation):
    token = pick_token(consultation)
    consultation.change_status(Status.NOT_A_FIT)
    assert client.get(url(token)).status_code == 410
    consultation.delete()
    assert client.get(url(token)).status_code == 410


@pytest.mark.parametrize("off", ["booking", "not_accepting"])
def test_with_no_open_times_the_page_says_so_kindly_with_the_practice_contact(client, practice, off):
    open_hours(booking_on=off != "booking")
    if off == "not_accepting":
        practice.accepting_new_clients = False
        practice.save()
    consultation = make_request()
    html = client.get(url(pick_token(consultation))).content.decode()
    assert "No times open just now" in html
    assert 'href="tel:+15550100100"' in html and "mailto:hello@wells.example" in html
    response = client.post(url(pick_token(consultation)), {"times": ["2030-01-01T15:00Z"], "way": "video"})
    assert response.status_code == 409, "a pick that went is never answered as if all were well"
    assert "the times you picked are no longer open" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_confirmed_consultation_is_shown_instead_of_the_picker(client, consultation):
    booking = hold_times(consultation, 1)[0]
    holds.confirm(booking)
    html = client.get(url(pick_token(consultation))).content.decode()
    assert "Your consultation is confirmed" in html and 'type="checkbox"' not in html


def test_the_token_is_kept_out_of_the_logs(consultation):
    token = pick_token(consultation)
    assert without_secrets(f"GET {url(token)} 410") == "GET /consultation/times/[link]/ 410"


def test_a_phone_call_needs_a_number_the_request_has(client, practice):
    """As on the consultation form: an email-only visitor cannot book a call to no number."""
    open_hours()
    consultation = make_request(preferred_contact="email", phone="")
    token = pick_token(consultation)
    response = client.post(url(token), picks(1, way="phone"))
    assert response.status_code == 200
    assert offered_times.NO_NUMBER in response.content.decode()
    assert not Booking.objects.exists()
    assert client.post(url(token), picks(1, way="video")).status_code == 302
    assert Booking.objects.get().way == Booking.Way.VIDEO


def test_a_request_with_a_number_can_pick_a_phone_call(client, practice):
    open_hours()
    consultation = make_request(preferred_contact="call", phone="555-010-2030", email="robin@example.com")
    assert client.post(url(pick_token(consultation)), picks(1, way="phone")).status_code == 302
    assert Booking.objects.get().way == Booking.Way.PHONE


def test_nothing_is_chosen_for_the_visitor_and_the_way_is_asked(client, consultation):
    token = pick_token(consultation)
    html = client.get(url(token)).content.decode()
    assert 'value="phone" id="id_way_0">' in html and 'value="video" id="id_way_1">' in html
    response = client.post(url(token), {"times": picks(1)["times"]})
    assert "Choose whether you would like a phone call or a video call." in response.content.decode()
    assert not Booking.objects.exists()


def test_a_time_that_went_is_named_with_a_409_and_the_other_pick_kept(client, consultation):
    token = pick_token(consultation)
    first, second = open_times()[:2]
    holds.hold(make_request(name="Sam").pk, [first.starts_at], "video")
    response = client.post(url(token), {"times": [first.value, second.value], "way": "video"})
    assert response.status_code == 409
    html = response.content.decode()
    assert f"{visitor_words(first.starts_at)} is no longer open" in html
    assert f'value="{second.value}" id="id_times_{second.value.lower().replace(":", "")}" checked' in html
    assert not Booking.objects.filter(request=consultation).exists()
