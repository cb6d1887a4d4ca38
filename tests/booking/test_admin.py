"""The consultation times in admin, as the therapist and the reviewers use them."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from booking import slots
from booking.models import Booking, CalendarFeed, ConsultationHours, DayOff, WeeklyWindow
from pages.clock import local_day_and_time
from pages.models import PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.hours import BACK_TO_BACK, every_day, open_hours
from tests.html import form_values, texts
from tests.intake.factories import REVIEWERS, make_request, make_reviewer

pytestmark = pytest.mark.django_db

HOURS_URL = "/admin/booking/consultationhours/1/change/"
BOOKINGS_URL = "/admin/booking/booking/"


def preview(html):
    """The read-only "next open times" line."""
    return re.search(r'<div class="readonly">(.*?)</div>', html, re.S).group(1).strip()


def hours_form(client, **changes):
    data = form_values(client.get(HOURS_URL).content.decode())
    data.update(changes, _save="Save")
    return data


def with_windows(data, windows):
    data.update({"windows-TOTAL_FORMS": str(len(windows)), "windows-INITIAL_FORMS": "0"})
    for index, (weekday, starts, ends) in enumerate(windows):
        data.update(
            {
                f"windows-{index}-weekday": str(weekday),
                f"windows-{index}-starts": starts,
                f"windows-{index}-ends": ends,
            }
        )
    return data


# Consultation hours


def test_the_list_goes_straight_to_the_one_record(admin_client):
    response = admin_client.get("/admin/booking/consultationhours/")
    assert response.status_code == 302
    assert response["Location"] == HOURS_URL
    assert admin_client.get(HOURS_URL).status_code == 200
    assert ConsultationHours.objects.count() == 1
    assert admin_client.get("/admin/booking/consultationhours/add/").status_code == 403
    assert admin_client.post("/admin/booking/consultationhours/1/delete/").status_code == 403


def test_the_page_groups_the_settings_in_plain_words_and_names_the_time_zone(admin_client):
    html = admin_client.get(HOURS_URL).content.decode()
    legends = [text.strip() for _, text in texts(html, "h2")]
    for heading in ("Booking on the consultation form", "The consultation", "Which times are offered"):
        assert heading in legends
    assert "Weekly windows: when you offer consultations, every week" in html
    assert "Days off: no consultations on these dates, whatever the windows say" in html
    assert "Each picked time is held for 48 hours, or until you answer on the request's page." in html
    assert "All times are in the practice's time zone, America/New_York." in html
    assert "What visitors are offered (as saved):" in html


def test_window_times_are_shown_as_the_clock_writes_them_and_each_field_names_its_row(admin_client):
    open_hours([(0, "09:00", "12:30")], **BACK_TO_BACK)
    html = admin_client.get(HOURS_URL).content.decode()
    assert 'name="windows-0-starts" value="9:00 am"' in html and 'value="12:30 pm"' in html
    assert 'aria-label="Weekday, row 1"' in html and 'aria-label="Delete, row 1"' in html
    assert 'aria-label="Date, new row"' in html


def test_saving_windows_and_days_off_and_the_preview_shows_the_next_times_in_the_practice_zone(admin_client):
    data = with_windows(
        hours_form(
            admin_client,
            booking_on="on",
            length_minutes="30",
            buffer_minutes="0",
            minimum_notice_hours="48",
            days_ahead="13",
        ),
        [(weekday, "12:00", "13:00") for weekday in range(7)],
    )
    far = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    data.update({"days_off-TOTAL_FORMS": "1", "days_off-INITIAL_FORMS": "0", "days_off-0-date": far})
    response = admin_client.post(HOURS_URL, data)
    assert response.status_code == 302, response.content.decode()
    assert WeeklyWindow.objects.count() == 7
    assert DayOff.objects.get().date.isoformat() == far

    every = slots.open_times()
    expected = every[:8]
    shown = preview(admin_client.get(HOURS_URL).content.decode())
    assert shown.startswith("Next open times: ")
    # 14 days of two times, less the 2 or 3 days inside the notice and the day off.
    assert ConsultationHours.load().days_ahead == 13
    assert 18 <= len(every) <= 22
    assert shown.endswith(f" and {len(every) - 8} more.")
    assert far not in {f"{time.local:%Y-%m-%d}" for time in every}
    names = re.findall(r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]+ \d{4}, \d{1,2}:\d\d [ap]m", shown)
    assert names == [local_day_and_time(time.starts_at) for time in expected]
    # The window is 12:00 to 13:00 in New York, whatever the server's clock says.
    assert {name[-8:] for name in names} == {"12:00 pm", "12:30 pm"}


@pytest.mark.parametrize(
    "setup, sentence",
    [
        (
            {"booking_on": False},
            "None: booking is off, so the form asks for no time and you arrange one by reply.",
        ),
        (
            {"accepting": False},
            "None: the practice is not accepting new clients (Practice settings), so no times are offered.",
        ),
        ({"windows": []}, "None yet: add a weekly window below, then save."),
        (
            {"days_ahead": 0, "minimum_notice_hours": 48},
            "None in the next 0 days: every time in your windows is taken, on a day off, "
            "or sooner than the minimum notice.",
        ),
    ],
    ids=["booking-off", "not-accepting", "no-windows", "none-open"],
)
def test_the_preview_says_why_no_time_is_offered(admin_client, setup, sentence):
    setup = dict(setup)
    accepting = setup.pop("accepting", True)
    windows = setup.pop("windows", every_day("00:00", "23:30"))
    open_hours(windows, **(BACK_TO_BACK | setup))
    PracticeSettings.objects.update_or_create(pk=1, defaults={"accepting_new_clients": accepting})
    assert preview(admin_client.get(HOURS_URL).content.decode()) == sentence


def test_a_window_must_end_after_it_starts(admin_client):
    response = admin_client.post(HOURS_URL, with_windows(hours_form(admin_client), [(0, "12:00", "12:00")]))
    assert response.status_code == 200
    assert "The end must be later than the start, on the same day." in response.content.decode()
    assert not WeeklyWindow.objects.exists()


def test_two_overlapping_windows_of_one_weekday_are_refused_with_both_named(admin_client):
    data = with_windows(
        hours_form(admin_client), [(0, "09:00", "12:00"), (1, "11:00", "13:00"), (0, "11:30", "14:00")]
    )
    response = admin_client.post(HOURS_URL, data)
    assert response.status_code == 200
    assert (
        "Two Monday windows overlap (9:00 am to 12:00 pm and 11:30 am to 2:00 pm): make them one window, "
        "or move one." in response.content.decode()
    )
    assert not WeeklyWindow.objects.exists()


def test_windows_that_only_touch_or_fall_on_other_days_are_fine(admin_client):
    data = with_windows(
        hours_form(admin_client), [(0, "09:00", "12:00"), (0, "12:00", "13:00"), (1, "11:00", "13:00")]
    )
    assert admin_client.post(HOURS_URL, data).status_code == 302
    assert WeeklyWindow.objects.count() == 3


# Booked consultations


@pytest.fixture
def bookings():
    now = timezone.now()
    soon = now.replace(microsecond=0) + datetime.timedelta(days=2)

    def book(state, starts, **fields):
        return Booking.objects.create(
            request=make_request(name="Distinctive Ravensworth"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=20),
            state=state,
            **fields,
        )

    return {
        "confirmed": book(Booking.State.CONFIRMED, soon),
        "held": book(
            Booking.State.HELD,
            soon + datetime.timedelta(hours=1),
            held_until=now + datetime.timedelta(hours=40),
        ),
        "lapsed": book(
            Booking.State.HELD,
            soon + datetime.timedelta(hours=2),
            held_until=now - datetime.timedelta(hours=1),
        ),
        "released": book(Booking.State.RELEASED, soon + datetime.timedelta(hours=3)),
        "past": book(Booking.State.CONFIRMED, now - datetime.timedelta(days=3)),
    }


def test_the_list_shows_upcoming_held_and_confirmed_by_number_without_names(admin_client, bookings):
    html = admin_client.get(BOOKINGS_URL).content.decode()
    assert [text.strip() for _, text in texts(html, "h1")] == ["Booked consultations"]
    shown = {b.request_id for b in bookings.values() if f"Request #{b.request_id}<" in html}
    assert shown == {bookings["confirmed"].request_id, bookings["held"].request_id}
    confirmed = bookings["confirmed"]
    url = reverse("admin:intake_consultationrequest_change", args=[confirmed.request_id])
    assert f'<a href="{url}">Request #{confirmed.request_id}</a>' in html
    assert local_day_and_time(confirmed.starts_at) in html
    assert "Ravensworth" not in html and "robin@example.com" not in html
    assert "Upcoming, held or confirmed" in html and "By state and date" in html

    every = admin_client.get(BOOKINGS_URL + "?which=every").content.decode()
    assert all(f"Request #{b.request_id}<" in every for b in bookings.values())


def test_a_booking_can_be_looked_at_but_not_added_changed_or_deleted(admin_client, bookings):
    confirmed = bookings["confirmed"]
    page = admin_client.get(f"{BOOKINGS_URL}{confirmed.pk}/change/")
    assert page.status_code == 200
    assert "Ravensworth" not in page.content.decode()
    assert admin_client.get(BOOKINGS_URL + "add/").status_code == 403
    assert (
        admin_client.post(f"{BOOKINGS_URL}{confirmed.pk}/change/", {"state": "released"}).status_code == 403
    )
    assert admin_client.post(f"{BOOKINGS_URL}{confirmed.pk}/delete/", {"post": "yes"}).status_code == 403
    confirmed.refresh_from_db()
    assert confirmed.state == Booking.State.CONFIRMED


# Reviewers


def test_the_reviewers_group_has_the_booking_permissions():
    codenames = set(
        Group.objects.get(name=REVIEWERS)
        .permissions.filter(content_type__app_label="booking")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_consultationhours",
        "change_consultationhours",
        *(
            f"{action}_{model}"
            for model in ("weeklywindow", "dayoff", "calendarfeed")
            for action in ("view", "add", "change", "delete")
        ),
        "view_booking",
    }


def test_a_reviewer_can_edit_the_hours_see_bookings_and_add_a_feed(client, bookings):
    sign_in(client, make_reviewer())
    data = with_windows(hours_form(client, booking_on="on"), [(2, "10:00", "11:00")])
    assert client.post(HOURS_URL, data).status_code == 302
    assert ConsultationHours.load().booking_on and WeeklyWindow.objects.count() == 1
    assert client.get(BOOKINGS_URL).status_code == 200
    assert client.post("/admin/booking/calendarfeed/add/", {"name": "Office"}).status_code == 200
    assert CalendarFeed.objects.get().name == "Office"
