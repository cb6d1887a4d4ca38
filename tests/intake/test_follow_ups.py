"""Follow-ups that come back: the next follow-up on the list, marked when due, and filters for today and overdue."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.sites import site
from django.utils import timezone

from intake.models import ConsultationRequest
from tests.accounts.signing_in import sign_in
from tests.intake.factories import make_request, make_reviewer

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
LIST = "/admin/intake/consultationrequest/"
# 03:00 UTC on January 15 is still the evening of January 14 in New York.
LATE_EVENING_IN_NEW_YORK = datetime(2030, 1, 15, 3, 0, tzinfo=UTC)
PRACTICE_TODAY = date(2030, 1, 14)


@pytest.fixture
def frozen_evening(settings, monkeypatch):
    """Freeze the clock at 10 p.m. in the practice's time zone, already tomorrow in UTC."""
    settings.TIME_ZONE = "America/New_York"
    monkeypatch.setattr(timezone, "now", lambda: LATE_EVENING_IN_NEW_YORK)
    return PRACTICE_TODAY


def column(consultation):
    return site.get_model_admin(ConsultationRequest).next_follow_up(consultation)


def test_the_column_marks_a_follow_up_due_today_by_the_practice_calendar(frozen_evening):
    today = frozen_evening
    assert column(make_request(follow_up_on=today)) == (
        '14 January <span class="intake-badge intake-badge--warn">due today</span>'
    )
    assert column(make_request(follow_up_on=today + timedelta(days=1))) == "15 January", "tomorrow there"
    assert column(make_request(follow_up_on=today - timedelta(days=1))) == (
        '13 January <span class="intake-badge intake-badge--warn">overdue</span>'
    )
    assert column(make_request()) == "–"
    assert column(make_request(follow_up_on=date(2029, 12, 30))) == (
        '30 December 2029 <span class="intake-badge intake-badge--warn">overdue</span>'
    ), "another year says which"


def test_a_closed_request_has_no_follow_up_to_chase(frozen_evening):
    closed = make_request(status=Status.CLOSED, follow_up_on=frozen_evening - timedelta(days=3))
    assert column(closed) == "11 January"


def test_the_filters_use_the_practice_calendar_too(frozen_evening):
    today = frozen_evening
    due = make_request(follow_up_on=today)
    late = make_request(follow_up_on=today - timedelta(days=1))
    make_request(follow_up_on=today + timedelta(days=1))
    make_request(status=Status.CLOSED, follow_up_on=today)
    requests = ConsultationRequest.objects
    assert list(requests.follow_ups_due_today()) == [due]
    assert list(requests.follow_ups_overdue()) == [late]


# In the list, with a real clock: the practice's time zone is the one where today's date is not UTC's.


def zone_where_the_date_is_not_utcs():
    now = datetime.now(UTC)
    for name in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11
        if now.astimezone(ZoneInfo(name)).date() != now.date():
            return name
    raise AssertionError("one of the two is always on another date")


@pytest.fixture
def reviewer(client, settings):
    settings.TIME_ZONE = zone_where_the_date_is_not_utcs()
    user = make_reviewer()
    sign_in(client, user)
    return client


def names_listed(client, url):
    html = client.get(url).content.decode()
    return set(re.findall(r'<td class="field-who">(?:<a [^>]*>)?([^<]*)', html))


def filter_link(html, label):
    box = html[html.index('data-filter-title="next follow-up"') :]
    box = box[: box.index("</details>")]
    return re.search(rf'<a href="([^"]*)">{label}</a>', box).group(1).replace("&amp;", "&")


def test_the_list_shows_the_next_follow_up_and_filters_due_today_and_overdue(reviewer):
    today = timezone.localdate()
    utc_today = datetime.now(UTC).date()
    make_request(name="Due Dana", follow_up_on=today)
    make_request(name="Late Lee", follow_up_on=today - timedelta(days=2))
    make_request(name="Later Lou", follow_up_on=today + timedelta(days=2))
    make_request(name="Unset Uma")
    make_request(name="Closed Cleo", status=Status.CLOSED, follow_up_on=today)
    make_request(name="UTC Ursa", follow_up_on=utc_today)
    html = reviewer.get(LIST).content.decode()
    assert "next follow-up" in html and html.count("due today</span>") == 1
    due_today = names_listed(reviewer, LIST + filter_link(html, "Due today"))
    overdue = names_listed(reviewer, LIST + filter_link(html, "Overdue"))
    assert due_today == {"Due Dana"}
    assert overdue == ({"Late Lee", "UTC Ursa"} if utc_today < today else {"Late Lee"})


def test_the_list_sorts_by_next_follow_up(reviewer):
    today = timezone.localdate()
    make_request(name="Second", follow_up_on=today + timedelta(days=2))
    make_request(name="First", follow_up_on=today)
    html = reviewer.get(LIST + "?o=8").content.decode()
    assert html.index(">First<") < html.index(">Second<")
