"""
The therapist's private calendar feed: made in admin with its address shown once, read by a
calendar app with that address alone, and never carrying anything the person wrote.
"""

import datetime
import re

import icalendar
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking import holds, slots
from booking.models import Booking, CalendarFeed, ConsultationHours
from intake.models import Concern, ConsultationRequest, Relationship
from tests.accounts.signing_in import sign_in
from tests.hours import BACK_TO_BACK, every_day, open_hours
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/booking/calendarfeed/add/"


@pytest.fixture
def admin_client(db, admin_user):
    return sign_in(Client(), admin_user)


def add_feed(admin_client, name="Phone"):
    response = admin_client.post(ADD_URL, {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    url = re.search(
        r'<textarea id="feed-url" class="feed-address" readonly rows="2" spellcheck="false">([^<]+)</textarea>',
        html,
    ).group(1)
    return response, html, url


def path_of(url):
    return url.removeprefix("https://practice.example")


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://practice.example"
    settings.DEFAULT_FROM_EMAIL = "Practice <hello@practice.example>"


@pytest.fixture
def client():
    """A calendar app: no session, no cookie, nothing but the address."""
    return Client()


# Adding, revoking


def test_adding_a_feed_shows_its_address_once_and_keeps_only_a_hash(admin_client):
    response, html, url = add_feed(admin_client)
    assert re.fullmatch(r"https://practice\.example/calendar/[A-Za-z0-9_-]{43}\.ics", url)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == CalendarFeed.hash(token)
    assert token not in str(list(CalendarFeed.objects.values()))
    assert "no-store" in response["Cache-Control"]
    assert "it is shown only this once" in html
    for app in ("Google Calendar", "Apple Calendar", "Outlook"):
        assert f"<strong>{app}</strong>" in html
    assert "From URL" in html and "Add Subscribed Calendar" in html and "Subscribe from web" in html
    # Not in a message either: messages are kept in a cookie or the session until shown.
    assert token not in "".join(message.message for message in response.wsgi_request._messages)
    for page in ("/admin/booking/calendarfeed/", f"/admin/booking/calendarfeed/{feed.pk}/change/"):
        assert token not in admin_client.get(page).content.decode()


def test_each_feed_gets_its_own_address(admin_client):
    urls = {add_feed(admin_client, name)[2] for name in ("Phone", "Laptop")}
    assert len(urls) == 2


def test_revoking_stops_the_address_at_once(admin_client, client):
    _, _, url = add_feed(admin_client)
    assert client.get(path_of(url)).status_code == 200
    feed = CalendarFeed.objects.get()
    change = admin_client.get(f"/admin/booking/calendarfeed/{feed.pk}/change/").content.decode()
    assert ">Revoke</a>" in change and ">Delete</a>" not in change
    confirm = admin_client.get(f"/admin/booking/calendarfeed/{feed.pk}/delete/").content.decode()
    assert "Revoke the calendar feed “Phone”? Its address stops working at once" in confirm
    assert 'value="Yes, revoke it"' in confirm
    response = admin_client.post(
        f"/admin/booking/calendarfeed/{feed.pk}/delete/", {"post": "yes"}, follow=True
    )
    assert "Revoked “Phone”: its address stopped working now." in response.content.decode()
    assert client.get(path_of(url)).status_code == 404


# Reading the feed


@pytest.fixture
def feed_path(admin_client):
    return path_of(add_feed(admin_client)[2])


def confirmed_booking(request, starts, way="phone"):
    return Booking.objects.create(
        request=request,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        state=Booking.State.CONFIRMED,
        way=way,
        invite_uid=f"consultation-{request.pk}",
    )


def test_the_feed_is_a_private_uncached_calendar_needing_no_session(client, feed_path):
    response = client.get(feed_path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response
    assert not response.cookies
    assert icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"].endswith(": consultations")


def test_head_answers_and_other_methods_are_refused(client, feed_path):
    assert client.head(feed_path).status_code == 200
    assert client.post(feed_path).status_code == 405
    assert client.put(feed_path).status_code == 405


@pytest.mark.parametrize(
    "path",
    ["/calendar/not-a-token.ics", "/calendar/.ics", "/calendar/x" + "A" * 42 + ".ics"],
)
def test_an_unknown_address_is_not_found(client, feed_path, path):
    assert client.get(path).status_code == 404


def test_the_token_is_found_by_its_hash_in_one_query(client, feed_path):
    with CaptureQueriesContext(connection) as queries:
        client.get("/calendar/wrong-token.ics")
    [lookup] = [query for query in queries.captured_queries if "booking_calendarfeed" in query["sql"]]
    assert CalendarFeed.hash("wrong-token") in lookup["sql"] and "wrong-token'" not in lookup["sql"]


def test_reading_the_feed_records_when(client, feed_path):
    assert CalendarFeed.objects.get().last_read_at is None
    client.get(feed_path)
    assert timezone.now() - CalendarFeed.objects.get().last_read_at < datetime.timedelta(minutes=1)


def test_the_feed_holds_confirmed_consultations_from_30_days_ago_on_by_number_in_utc(client, feed_path):
    ConsultationHours.objects.update_or_create(pk=1, defaults={"video_link": "https://video.example/room"})
    now = timezone.now().replace(microsecond=0)
    recent = confirmed_booking(make_request(), now - datetime.timedelta(days=29))
    coming = confirmed_booking(make_request(), now + datetime.timedelta(days=3), way="video")
    confirmed_booking(make_request(), now - datetime.timedelta(days=31))
    for state in (Booking.State.HELD, Booking.State.RELEASED, Booking.State.CANCELLED, Booking.State.MOVED):
        Booking.objects.create(
            request=make_request(),
            starts_at=now + datetime.timedelta(days=5, hours=len(state)),
            ends_at=now + datetime.timedelta(days=5, hours=len(state), minutes=20),
            state=state,
            held_until=now + datetime.timedelta(hours=48),
        )
    events = icalendar.Calendar.from_ical(client.get(feed_path).content).walk("VEVENT")
    assert [str(event["SUMMARY"]) for event in events] == [
        f"Consultation #{recent.request_id}",
        f"Consultation #{coming.request_id}",
    ]
    assert [str(event["UID"]) for event in events] == [
        f"consultation-{recent.request_id}@practice.example",
        f"consultation-{coming.request_id}@practice.example",
    ]
    assert [str(event["LOCATION"]) for event in events] == ["Phone call", "https://video.example/room"]
    for event, booking in zip(events, (recent, coming), strict=True):
        start = event["DTSTART"].dt
        assert start.utcoffset() == datetime.timedelta(0)
        assert start == booking.starts_at
        assert event["DTEND"].dt - start == datetime.timedelta(minutes=20)
    assert b"DTSTART:" in client.get(feed_path).content  # written as UTC ("...Z"), not with a TZID


def test_nothing_the_person_wrote_is_in_the_feed(client, feed_path, settings):
    open_hours(every_day("09:00", "17:00"), **BACK_TO_BACK)
    text_fields = [
        field
        for field in ConsultationRequest._meta.get_fields()
        if getattr(field, "get_internal_type", lambda: "")() in {"CharField", "TextField", "EmailField"}
        and not field.choices
    ]
    distinctive = {
        field.name: f"zq{field.name.replace('_', '')}mark"[: field.max_length or 200] for field in text_fields
    }
    distinctive["email"] = "zqemailmark@zq-example.org"
    distinctive["phone"] = "555-987-6543"
    request = make_request(**distinctive)
    assert {"name", "email", "phone", "message", "insurer", "heard_about"} <= set(distinctive)
    request.refresh_from_db()
    stored = {name: getattr(request, name) for name in distinctive if getattr(request, name)}
    assert {"name", "email", "phone", "message", "insurer", "heard_about"} <= set(stored)
    concern = Concern.objects.create(label="Zqconcernmark worries")
    relationship = Relationship.objects.create(label="Zqrelationshipmark partner")
    request.concerns.add(concern)
    request.relationships.add(relationship)
    stored |= {"concern": concern.label, "relationship": relationship.label}

    now = timezone.now()
    start = [time.starts_at for time in slots.open_times(now=now)][0]
    [held] = holds.hold(request.pk, [start], "video", now=now)
    holds.confirm(held, now=now)

    body = client.get(feed_path).content
    assert f"Consultation #{request.pk}".encode() in body
    lowered = body.decode().lower()
    for name, value in stored.items():
        for piece in {str(value), str(value).lower(), str(value).replace("-", "")}:
            assert piece.lower() not in lowered or len(piece) < 4, (name, piece)
