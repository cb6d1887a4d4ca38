"""The thank-you page speaks to how the visitor asked to be contacted, and to where they will be."""

import datetime

import pytest

from booking.models import Booking
from pages.models import PracticeSettings
from tests.hours import AN_HOUR_A_DAY, offered, open_hours
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"
SPAM = "check your spam folder"


@pytest.fixture
def practice():
    practice = PracticeSettings.load()
    practice.email = "hello@wells.example"
    practice.licensed_states = "NY,NJ"
    practice.save()
    return practice


def thanks_after(client, **answers):
    assert client.post(URL, form_data(**answers)).status_code == 302
    return client.get(URL + "thanks/").content.decode()


@pytest.mark.parametrize("contact", ["call", "text"])
def test_a_visitor_who_asked_for_the_phone_is_not_told_to_check_their_spam(client, practice, contact):
    html = thanks_after(client, preferred_contact=contact, email="")
    assert SPAM not in html
    assert "If you have not heard from me by then, please reach me at" in html


def test_a_visitor_who_asked_for_email_is_told_to_check_their_spam(client, practice):
    assert f"please {SPAM}, or reach me at" in thanks_after(client, preferred_contact="email")


def test_the_page_seen_again_says_spam_only_to_those_who_asked_for_email(client, practice):
    html = client.get(URL + "thanks/").content.decode()
    assert f"{SPAM} if you asked for an email" in html


def test_an_out_of_area_visitor_holding_times_is_told_plainly_why(client, practice):
    open_hours(AN_HOUR_A_DAY, days_ahead=4)
    first = offered()[0]
    html = thanks_after(client, client_location="OH", times=[first.value], way="video")
    assert Booking.objects.get().starts_at == first.starts_at
    assert "as I may not be able to see you where you will be" in html
    assert (
        "I'm still holding the times you picked: a free consultation is a good place to talk over your "
        "options, such as meeting while you are in New York or New Jersey, or finding someone licensed "
        "where you will be."
    ) in html


def test_an_in_area_visitor_is_not_told_about_other_options(client, practice):
    open_hours(AN_HOUR_A_DAY, days_ahead=4)
    html = thanks_after(client, client_location="NY", times=[offered()[0].value], way="video")
    assert "I'm holding these times for you until I reply:" in html
    assert "I'm still holding" not in html


def test_a_time_in_the_hour_clocks_go_back_is_named_with_its_zone(client, practice):
    """On the night 1:00 am happens twice, the page says which one is held (pages.clock.visitor_time)."""
    open_hours(AN_HOUR_A_DAY, days_ahead=4)
    assert client.post(URL, form_data(times=[offered()[0].value], way="video")).status_code == 302
    second_one_am = datetime.datetime(2027, 11, 7, 6, 0, tzinfo=datetime.UTC)  # 1:00 am EST, New York
    Booking.objects.update(starts_at=second_one_am, ends_at=second_one_am + datetime.timedelta(minutes=20))
    html = client.get(URL + "thanks/").content.decode()
    assert "Sunday 7 November at 1:00 am EST" in html
