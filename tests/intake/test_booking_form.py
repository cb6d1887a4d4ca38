"""
Picking consultation times on the form (issue 13): the picker only when booking is on and the practice
accepts new clients, up to three open times held with the request in one transaction, and a time
someone else took first answered with the form again, everything kept, nothing saved.
"""

import datetime

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from booking.forms import CHOOSE_WAY, UNREADABLE, TimesField
from booking.models import HOLD_HOURS, Booking, ConsultationHours
from intake.form import views
from intake.form.forms import ConsultationForm
from intake.life.notifications import send_due_notifications
from intake.models import ConsultationRequest, Notification, SubmissionAttempt
from pages.models import PracticeSettings
from tests.clock_words import visitor_day_and_time, visitor_words
from tests.hours import offered
from tests.html import form_values
from tests.intake.factories import form_data, make_request, named

pytestmark = pytest.mark.django_db
URL = "/consultation/"


def picking(*times, way="video", **overrides):
    return form_data(times=[time.value for time in times], way=way, **overrides)


def said(start):
    """A time as the form's messages name it."""
    return visitor_words(start)


def page(response):
    return response.content.decode()


def sent_back(response):
    """The page's form values as the browser would send them, each as a list."""
    return {
        name: value if isinstance(value, list) else [value]
        for name, value in form_values(page(response)).items()
    }


# The picker on the page, or not


def test_with_booking_off_the_form_is_exactly_as_before(client):
    ConsultationHours.objects.create(booking_on=False)
    assert "times" not in ConsultationForm(open_times=[]).fields
    html = page(client.get(URL))
    assert 'name="times"' not in html and "booking-section" not in html and "booking-times.js" not in html


def test_with_no_hours_saved_the_page_saves_none_and_shows_no_picker(client):
    assert 'name="times"' not in page(client.get(URL))
    assert not ConsultationHours.objects.exists(), "a page view writes nothing"


def test_not_accepting_new_clients_offers_no_times(client, form_hours):
    practice = PracticeSettings.load()
    practice.accepting_new_clients = False
    practice.save()
    assert 'name="times"' not in page(client.get(URL))


def test_with_booking_on_the_picker_is_folded_under_its_own_heading_grouped_by_day(client, form_hours):
    times = offered()
    html = page(client.get(URL))
    assert '<details class="intake-more booking-section" id="booking-section">' in html, "closed at first"
    assert "Pick a consultation time" in html
    assert "None of these work? Leave them all unticked, and I will suggest times when I reply." in html
    assert "Pick up to three times that suit you" in html
    assert "Times are New York time." in html
    assert html.count('name="times"') == len(times) >= 6
    for day in {time.local.date() for time in times}:
        assert f'<legend class="booking-day__name">{day:%A} {day.day} {day:%B}</legend>' in html
    assert f'data-utc="{times[0].value}"' in html
    assert 'data-booking-zone="America/New_York"' in html
    assert "js/booking-times" in html
    # Phone or video, neither chosen for the visitor.
    assert 'value="phone" id="id_way_0">' in html and 'value="video" id="id_way_1">' in html
    assert html.index("booking-section") < html.index("intake-more__questions"), "before the optional part"


def test_the_pickers_question_says_how_many_times_it_takes():
    assert TimesField([]).label == "Pick up to three times that suit you"
    assert TimesField([], most=1).label == "Pick a time that suits you"
    assert TimesField([], most=2).label == "Pick up to two times that suit you"


# Picking and holding


def test_picked_times_are_held_with_the_request_for_48_hours(client, form_hours):
    first, _, third = offered()[:3]
    before = timezone.now()
    response = client.post(URL, picking(third, first))
    assert response.status_code == 302
    consultation = ConsultationRequest.objects.get()
    held = list(consultation.bookings.all())
    assert [booking.starts_at for booking in held] == [first.starts_at, third.starts_at]
    for booking in held:
        assert (booking.state, booking.way, booking.ends_at) == (
            "held",
            "video",
            booking.starts_at + form_hours.length,
        )
        hold_for = booking.held_until - before
        assert (
            datetime.timedelta(hours=HOLD_HOURS) <= hold_for < datetime.timedelta(hours=HOLD_HOURS, minutes=1)
        )
    assert Notification.objects.filter(request=consultation).count() == 1
    assert [time.value for time in offered()].count(first.value) == 0, "no longer offered to others"


def test_no_times_picked_keeps_todays_flow(client, form_hours):
    assert client.post(URL, form_data(way="phone")).status_code == 302
    assert ConsultationRequest.objects.count() == 1
    assert not Booking.objects.exists()
    html = page(client.get(URL + "thanks/"))
    assert "holding" not in html


def test_at_most_three_times(client, form_hours):
    response = client.post(URL, picking(*offered()[:4]))
    assert response.status_code == 200
    assert "Please pick up to 3 times (you picked 4)." in page(response)
    assert not ConsultationRequest.objects.exists() and not Booking.objects.exists()


def test_a_time_no_longer_offered_is_named_and_answered_409(client, form_hours):
    """Past the minimum notice (or switched off, or taken): the same 409, naming the time."""
    soon = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(hours=2)
    value = soon.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ")
    response = client.post(URL, form_data(times=[value], way="phone"))
    assert response.status_code == 409
    assert f"{said(soon)} is no longer open" in page(response)
    assert not ConsultationRequest.objects.exists()


@pytest.mark.parametrize(
    "value, message",
    [
        ("next tuesday", UNREADABLE),
        (
            "2001-01-01T15:00Z",
            "Monday 1 January at 10:00 am (New York time) has already passed. Please pick a time still to come.",
        ),
    ],
)
def test_unreadable_or_past_values_get_their_own_plain_words(client, form_hours, value, message):
    response = client.post(URL, form_data(times=[value], way="phone"))
    assert response.status_code == 200
    html = page(response)
    assert message in html and "taken" not in html.lower()
    assert not ConsultationRequest.objects.exists()


def test_a_time_taken_between_opening_and_sending_the_form_comes_back_with_the_others(client, form_hours):
    first, second = offered()[:2]
    Booking.objects.create(
        request=make_request(),
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        state=Booking.State.HELD,
        held_until=timezone.now() + datetime.timedelta(hours=1),
    )
    response = client.post(URL, picking(first, second, name="Noa"))
    assert response.status_code == 409, "not the visitor's mistake"
    html = page(response)
    assert f"{said(first.starts_at)} is no longer open" in html
    assert f'value="{first.value}"' not in html, "the taken time is gone from the list"
    values = sent_back(response)
    assert values["times"] == [second.value], "the pick still open stays ticked"
    assert values["name"] == ["Noa"] and values["way"] == ["video"]
    assert '<details class="intake-more booking-section" id="booking-section" open>' in html
    assert ConsultationRequest.objects.count() == 1, "only the other visitor's"


def test_the_error_summary_links_to_the_pickers_first_time(client, form_hours):
    times = offered()
    response = client.post(URL, picking(*times[:4]))
    form = response.context["form"]
    assert form.error_summary() == [
        (f"id_times_{times[0].value.lower().replace(':', '')}", "Please pick up to 3 times (you picked 4).")
    ]
    assert f'id="{form.error_summary()[0][0]}"' in page(response)


def test_a_phone_consultation_needs_a_phone_number(client, form_hours):
    data = picking(offered()[0], way="phone", preferred_contact="email", phone="")
    response = client.post(URL, data)
    assert response.status_code == 200
    message = (
        "For a phone call I need your number: choose a video call, or choose a call or a text above "
        "and add your phone number."
    )
    assert response.context["form"].error_summary() == [("id_way_0", message)]
    assert not ConsultationRequest.objects.exists()
    assert client.post(URL, picking(offered()[0], way="video", phone="")).status_code == 302


def test_no_times_are_held_for_a_request_kept_as_spam(client, form_hours):
    assert client.post(URL, picking(offered()[0], reference_code="filled by a bot")).status_code == 302
    assert ConsultationRequest.objects.get().status == ConsultationRequest.Status.SPAM
    assert not Booking.objects.exists()


def test_a_form_sent_twice_holds_its_times_once(client, form_hours):
    data = picking(offered()[0])
    assert client.post(URL, data).status_code == 302
    assert client.post(URL, data).status_code == 302
    assert (ConsultationRequest.objects.count(), Booking.objects.count()) == (1, 1)


# A time taken at the last moment: everything rolled back, the form again


@pytest.fixture
def taken_at_the_last_moment(monkeypatch, form_hours):
    """The form is checked against the times open a moment ago; the first was held since, by someone else."""
    times = offered()
    Booking.objects.create(
        request=make_request(),
        starts_at=times[0].starts_at,
        ends_at=times[0].ends_at,
        held_until=timezone.now() + datetime.timedelta(hours=1),
    )
    real = views.bookable_times
    calls = []

    def a_moment_ago(hours, practice):
        calls.append(1)
        return times if len(calls) == 1 else real(hours, practice)

    monkeypatch.setattr(views, "bookable_times", a_moment_ago)
    return times


def test_a_time_taken_at_the_last_moment_saves_nothing_and_answers_409_with_everything_kept(
    client, taken_at_the_last_moment
):
    first, second = taken_at_the_last_moment[:2]
    data = picking(first, second, name="Noa", message="Something I typed with care.")
    response = client.post(URL, data)
    assert response.status_code == 409
    html = page(response)
    assert f"{said(first.starts_at)} is no longer open" in html
    assert "Error: Request a consultation" in html
    values = sent_back(response)
    assert values["name"] == ["Noa"] and values["message"] == ["Something I typed with care."]
    assert values["times"] == [second.value] and values["way"] == ["video"]
    assert values["form_token"] == [data["form_token"]], "the same form, sent again, is still one request"
    assert f'value="{first.value}"' not in html
    assert ConsultationRequest.objects.count() == 1, "only the other visitor's"
    assert Booking.objects.count() == 1 and not Notification.objects.exists()
    assert not SubmissionAttempt.objects.exists(), "a rolled-back try does not count towards the hour"
    # Sent again as it came back: saved, with the time still open held.
    response = client.post(URL, values)
    assert response.status_code == 302
    consultation = named("Noa").get()
    assert [booking.starts_at for booking in consultation.bookings.all()] == [second.starts_at]


def test_when_the_taken_time_was_the_last_one_open_the_form_says_none_is_open(
    client, taken_at_the_last_moment, monkeypatch
):
    monkeypatch.setattr(views, "open_times", lambda **kwargs: [])
    response = client.post(URL, picking(taken_at_the_last_moment[0], name="Noa"))
    assert response.status_code == 409
    html = page(response)
    assert f"{said(taken_at_the_last_moment[0].starts_at)} is no longer open" in html
    assert "No other time is open just now." in html
    assert "No times are open just now: I will suggest some when I reply." in html
    assert sent_back(response)["name"] == ["Noa"]


@pytest.mark.parametrize("gone", ["booking_off", "not_accepting", "minimum_notice", "all_taken"])
def test_a_time_sent_after_every_time_went_is_never_dropped(client, form_hours, gone):
    """The form no longer has times to offer: the time sent still comes back, named, with a 409."""
    first = offered()[0]
    data = picking(first, name="Noa", message="Typed with care.")
    if gone == "booking_off":
        ConsultationHours.objects.update(booking_on=False)
    elif gone == "not_accepting":
        PracticeSettings.objects.update(accepting_new_clients=False)
    elif gone == "minimum_notice":
        ConsultationHours.objects.update(minimum_notice_hours=24 * 30)
    else:
        for time in offered():
            Booking.objects.create(
                request=make_request(),
                starts_at=time.starts_at,
                ends_at=time.ends_at,
                held_until=timezone.now() + datetime.timedelta(hours=1),
            )
    response = client.post(URL, data)
    assert response.status_code == 409
    html = page(response)
    assert f"{said(first.starts_at)} is no longer open" in html
    assert "I hold the times you pick" not in html, "no time is open: nothing is held"
    values = sent_back(response)
    assert values["name"] == ["Noa"] and values["message"] == ["Typed with care."]
    assert not named("Noa").exists()
    # Sent again as it came back (no time to tick): saved, without a time.
    assert client.post(URL, values).status_code == 302
    assert not named("Noa").get().bookings.exists()


def test_times_picked_need_a_way_the_visitor_chose(client, form_hours):
    response = client.post(URL, picking(offered()[0], way=None))
    assert response.status_code == 200
    assert response.context["form"].error_summary() == [("id_way_0", CHOOSE_WAY)]
    assert not ConsultationRequest.objects.exists()
    assert client.post(URL, form_data()).status_code == 302, "no times, no way needed"


# The other answers that save nothing keep the picks too


def test_the_hourly_limit_keeps_the_picks(client, form_hours):
    first = offered()[0]
    for _ in range(5):
        assert client.post(URL, form_data()).status_code == 302
    response = client.post(URL, picking(first))
    assert response.status_code == 429
    assert sent_back(response)["times"] == [first.value]
    assert not Booking.objects.exists()


def database_down(execute, sql, params, many, context):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_database_outage_keeps_the_picks(client, form_hours):
    first, second = offered()[:2]
    client.get(URL)  # the choices seen before, as on a running site
    data = picking(first, second, name="Noa")
    with connection.execute_wrapper(database_down):
        response = client.post(URL, data)
    assert response.status_code == 503
    html = page(response)
    values = sent_back(response)
    assert values["times"] == [first.value, second.value] and values["way"] == ["video"]
    assert values["name"] == ["Noa"]
    assert f"{first.local:%A} {first.local.day} {first.local:%B}" in html
    assert '<details class="intake-more booking-section" id="booking-section" open>' in html


# The thank-you page


def test_the_thank_you_page_lists_the_held_times_and_the_invite_to_come_by_email(client, form_hours):
    first, second = offered()[:2]
    client.post(URL, picking(first, second))
    html = page(client.get(URL + "thanks/"))
    assert "I'm holding these times for you until I reply:" in html
    assert f"<li>{visitor_day_and_time(first.starts_at)}</li>" in html
    assert f"<li>{visitor_day_and_time(second.starts_at)}</li>" in html
    assert "Times are New York time, for a video call." in html
    assert "When I confirm one, you will get an email with a calendar invite." in html


@pytest.mark.parametrize(
    "contact, email, promise",
    [
        ("text", "", "I will confirm one by text message."),
        ("call", "robin@example.com", "I will confirm one by phone call, and email you a calendar invite."),
    ],
)
def test_the_thank_you_page_says_how_a_time_will_be_confirmed(client, form_hours, contact, email, promise):
    client.post(URL, picking(offered()[0], way="phone", preferred_contact=contact, email=email))
    html = page(client.get(URL + "thanks/"))
    assert "for a phone call." in html
    assert promise in html


def test_the_practices_alert_says_times_were_picked_and_names_none(client, form_hours, mailoutbox, settings):
    settings.PRACTICE_NOTIFY_EMAIL = "therapist@practice.example"
    first = offered()[0]
    client.post(URL, picking(first, name="Noa"))
    client.post(URL, form_data(name="Sam", way="phone"))
    send_due_notifications()
    alerts = {email.subject: email for email in mailoutbox}
    noa, sam = (named(name).get().pk for name in ("Noa", "Sam"))
    picked = alerts[f"New consultation request #{noa}"]
    not_picked = alerts[f"New consultation request #{sam}"]
    assert (
        "They picked times for the free consultation: held for 48 hours, or until you answer." in picked.body
    )
    assert "picked times" not in not_picked.body
    assert "Noa" not in picked.body and f"{first.local:%-I:%M}" not in picked.body
