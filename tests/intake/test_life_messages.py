"""Messages that fit what the request holds: reply placeholders, the reply page, Reply-To, the cancel step."""

import pytest
from django.urls import reverse

from booking.links import manage_token
from booking.models import Booking
from intake.life.notifications import build_email
from intake.life.replies import values_for
from intake.models import ConsultationRequest, Notification, ReplyTemplate
from pages.models import PracticeSettings
from tests.hours import open_hours
from tests.intake.booking_setup import hold_times
from tests.intake.bookings import confirmed_booking
from tests.intake.factories import make_request
from tests.intake.replying import open_reply, reply_form, reply_url

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


@pytest.fixture
def picked():
    open_hours()
    consultation = make_request(message="", client_location="NJ")
    return consultation, hold_times(consultation, 2, way="video")


def test_the_seeded_offer_was_updated_because_nobody_had_edited_it():
    body = ReplyTemplate.objects.get(name="Offer a consultation").body
    assert "{thanks}" in body and "{about_times}" in body
    assert "two or three times" not in body


def test_the_offer_to_someone_who_picked_times_and_wrote_nothing(reviewer, picked):
    consultation, held = picked
    body = reply_form(reviewer, consultation, "Offer a consultation")["body"]
    assert "for telling me a little about what brings you" not in body
    assert "Thank you for reaching out." in body
    assert "two or three times" not in body
    assert "You picked these times, and I am holding them for you:" in body
    assert body.count("by video call") == 2


def test_the_offer_to_someone_who_wrote_and_picked_nothing_asks_for_times(reviewer):
    consultation = make_request(message="About my partner.")
    body = reply_form(reviewer, consultation, "Offer a consultation")["body"]
    assert "for telling me a little about what brings you" in body
    assert "two or three times" in body and "holding" not in body


def test_location_and_picked_times_placeholders(picked):
    consultation, _ = picked
    values = values_for(consultation)
    assert values["location"] == "New Jersey"
    assert values["picked_times"].count("\n- ") == 1
    assert values_for(make_request(client_location="outside"))["location"] == "outside the US"
    assert values_for(make_request())["picked_times"] == "(none)"


def test_the_reply_page_shows_the_picked_times(reviewer, picked):
    consultation, _ = picked
    html = open_reply(reviewer, consultation, "Waitlist").content.decode()
    assert "They picked these times (held for your answer)" in html
    assert html.count("by video call</li>") == 2
    assert "They picked these times" not in reviewer.get(reply_url(make_request())).content.decode()


def test_the_acknowledgement_has_reply_to_the_practice():
    practice = PracticeSettings.load()
    practice.email = "hello@wells.example"
    practice.save()
    consultation = make_request()
    ack = Notification.objects.create(request=consultation, kind=Notification.Kind.ACKNOWLEDGEMENT)
    assert build_email(ack).reply_to == ["hello@wells.example"]
    alert = Notification.objects.create(request=consultation, kind=Notification.Kind.PRACTICE)
    assert build_email(alert).reply_to == []


def test_cancel_on_the_visitors_page_asks_first(client):
    booking = confirmed_booking()
    link = reverse("intake:my_consultation", args=[manage_token(booking)])
    page = client.get(link).content.decode()
    assert 'href="?cancel"' in page and 'value="cancel"' not in page
    ask = client.get(link + "?cancel").content.decode()
    assert "Yes, cancel this consultation" in ask and 'value="cancel"' in ask
    booking.refresh_from_db()
    assert booking.state == Booking.State.CONFIRMED


def test_the_seed_update_leaves_an_edited_offer_alone():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("intake.migrations.0010_practice_cancel_when_erased")
    offer = ReplyTemplate.objects.get(name="Offer a consultation")
    offer.body = migration.OFFER_AS_SEEDED + "\nMy own words."
    offer.save()
    migration.offer_fits_the_request(apps, None)
    offer.refresh_from_db()
    assert offer.body.endswith("My own words.")
    offer.body = migration.OFFER_AS_SEEDED
    offer.save()
    migration.offer_fits_the_request(apps, None)
    offer.refresh_from_db()
    assert offer.body == migration.OFFER_NOW
