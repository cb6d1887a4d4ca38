"""How the practice is doing: aggregates from the requests alone, right on a hand-built set, at a fixed cost."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from intake.life.practice_stats import HEARD_ABOUT_AT_LEAST, WINDOW_DAYS, in_words, practice_stats
from intake.models import ConsultationRequest, StatusChange
from tests.accounts.signing_in import sign_in
from tests.intake.factories import make_request, make_reviewer
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
HOUR = timedelta(hours=1)
# Friday, November 20, 2026, 10:00 in New York. The clocks went back on November 1.
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def new_york(settings):
    settings.TIME_ZONE = "America/New_York"


def at(*args):
    return datetime(*args, tzinfo=UTC)


def reached(consultation, *statuses):
    """Record that the request went through these statuses, whatever it is now."""
    previous = Status.NEW
    for status in statuses:
        StatusChange.objects.create(request=consultation, from_status=previous, to_status=status)
        previous = status


def replied(received_at, after, **fields):
    return make_request(received_at=received_at, first_reply_at=received_at + after, **fields)


@pytest.fixture
def a_season_of_requests():
    couples = make_page(title="Couples counselling", slug="couples", kind="service")
    family = make_page(title="Family therapy", slug="family", kind="service")
    # In time (2 hours), a consultation now.
    replied(at(2026, 11, 10, 14), 2 * HOUR, status=Status.SCHEDULED, service=couples, heard_about="A friend")
    # In time (10 hours), a client (no consultation was recorded: becoming a client counts as one).
    client = replied(
        at(2026, 11, 12, 14),
        10 * HOUR,
        status=Status.BECAME_CLIENT,
        service=couples,
        heard_about=" a FRIEND ",
    )
    reached(client, Status.CONTACTED, Status.BECAME_CLIENT)
    # Late (five days, the promise was two business days), scheduled once and back to contacted.
    late = replied(at(2026, 10, 15, 14), 120 * HOUR, status=Status.CONTACTED, heard_about="Psychology Today")
    reached(late, Status.CONTACTED, Status.SCHEDULED, Status.CONTACTED)
    # 23:30 on October 31 in New York (already November in UTC): still waiting, past the promise.
    make_request(received_at=at(2026, 11, 1, 3, 30), heard_about="psychology today")
    # 00:30 on November 1 in New York: in time (1 hour), closed.
    replied(
        at(2026, 11, 1, 4, 30), HOUR, status=Status.CLOSED, service=family, heard_about="My sister Ana Ruiz"
    )
    # Yesterday, its reply not due yet.
    make_request(received_at=at(2026, 11, 19, 14))
    # 23:59 on September 30 in New York: in the 90 days, in neither month. In time: at the very minute due.
    replied(at(2026, 10, 1, 3, 59), 48 * HOUR, status=Status.CONTACTED)
    # Left out: spam, and a client and a request still waiting from before the 90 days.
    make_request(received_at=at(2026, 7, 2, 14))
    make_request(
        received_at=at(2026, 11, 15, 14), status=Status.SPAM, service=couples, heard_about="a friend"
    )
    old = replied(at(2026, 7, 1, 14), HOUR, status=Status.BECAME_CLIENT, heard_about="Psychology today")
    reached(old, Status.SCHEDULED, Status.BECAME_CLIENT)


def test_the_figures_on_a_hand_built_set_of_requests(a_season_of_requests):
    stats = practice_stats(NOW)
    assert (stats["this_month"], stats["last_month"]) == (4, 2), "calendar months in New York, spam left out"
    assert stats["this_month_start"] == at(2026, 11, 1, 4)
    assert stats["last_month_start"] == at(2026, 10, 1, 4)
    assert stats["received"] == 7
    assert stats["median_reply"] == 10 * HOUR, "of 1, 2, 10, 48 and 120 hours"
    assert stats["replies"] == 5
    assert (stats["answered_in_time"], stats["answered_late"], stats["waiting_late"]) == (4, 1, 1)
    assert (stats["due"], stats["in_time_percent"]) == (6, 67)
    assert (stats["consultations"], stats["clients"]) == (3, 1)
    assert stats["services"] == [
        {"service__title": "Couples counselling", "requests": 2},
        {"service__title": "Family therapy", "requests": 1},
    ]
    assert stats["no_service"] == 4
    assert stats["heard_about"] == [
        {"answer": "a friend", "requests": 2},
        {"answer": "psychology today", "requests": 2},
    ]


def test_the_months_are_the_practices_calendar_months():
    """10 p.m. on November 30 in New York is already December 1 in UTC."""
    stats = practice_stats(at(2026, 12, 1, 3))
    assert (stats["this_month_start"], stats["last_month_start"]) == (at(2026, 11, 1, 4), at(2026, 10, 1, 4))
    stats = practice_stats(at(2027, 1, 15, 12))
    assert (stats["this_month_start"], stats["last_month_start"]) == (at(2027, 1, 1, 5), at(2026, 12, 1, 5))


def test_the_window_is_90_days():
    assert WINDOW_DAYS == 90
    make_request(received_at=NOW - timedelta(days=90) + HOUR, heard_about="x")
    make_request(received_at=NOW - timedelta(days=90) - HOUR, heard_about="x")
    assert practice_stats(NOW)["received"] == 1


def test_a_heard_about_answer_given_once_is_never_shown():
    assert HEARD_ABOUT_AT_LEAST == 2
    make_request(received_at=NOW - HOUR, heard_about="Dr. Lena Ortiz, my GP")
    assert practice_stats(NOW)["heard_about"] == []
    make_request(received_at=NOW - HOUR, heard_about="dr. lena ortiz, my gp ")
    assert practice_stats(NOW)["heard_about"] == [{"answer": "dr. lena ortiz, my gp", "requests": 2}]


def test_only_the_five_most_given_answers_and_service_pages_are_listed():
    for number in range(7):
        page = make_page(title=f"Service {number}", slug=f"service-{number}", kind="service")
        for _ in range(number + 2):
            make_request(received_at=NOW - HOUR, heard_about=f"Answer {number}", service=page)
    stats = practice_stats(NOW)
    assert [row["answer"] for row in stats["heard_about"]] == [f"answer {n}" for n in (6, 5, 4, 3, 2)]
    assert [row["service__title"] for row in stats["services"]] == [f"Service {n}" for n in (6, 5, 4, 3, 2)]


def test_with_no_requests_there_is_nothing_to_divide():
    stats = practice_stats(NOW)
    assert stats["median_reply"] is None and stats["in_time_percent"] is None
    assert stats["services"] == [] and stats["heard_about"] == []


def test_reply_times_read_as_a_person_would_say_them():
    assert in_words(timedelta(seconds=50)) == "1 minute"
    assert in_words(timedelta(minutes=40)) == "40 minutes"
    assert in_words(timedelta(minutes=59, seconds=40)) == "1 hour"
    assert in_words(timedelta(hours=5, minutes=20)) == "5 hours"
    assert in_words(timedelta(hours=47)) == "47 hours"
    assert in_words(timedelta(hours=60)) == "2.5 days"
    assert in_words(timedelta(days=3)) == "3 days"


_pages = iter(range(10**6))


def many_of_everything(count):
    now = timezone.now()
    for number in range(count):
        page = make_page(title=f"Service {number}", slug=f"many-{next(_pages)}", kind="service")
        for answer in ("A friend", f"Answer {number}"):
            consultation = replied(now - timedelta(days=number), HOUR, service=page, heard_about=answer)
            reached(consultation, Status.CONTACTED, Status.SCHEDULED, Status.BECAME_CLIENT)


def test_the_statistics_cost_four_queries_however_many_requests(django_assert_max_num_queries):
    many_of_everything(30)
    with django_assert_max_num_queries(4):
        stats = practice_stats()
    assert stats["received"] == 60 and stats["clients"] == 60


def test_the_admin_home_costs_the_same_queries_with_many_requests_as_with_one(
    client, django_assert_max_num_queries
):
    sign_in(client, make_reviewer())
    many_of_everything(1)
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    many_of_everything(30)
    with django_assert_max_num_queries(len(few)):
        html = client.get("/admin/").content.decode()
    assert "A friend: 31" in html


def test_the_admin_home_shows_how_the_practice_is_doing_in_words(client):
    now = timezone.now()
    page = make_page(title="Couples counselling", slug="couples", kind="service")
    minutes = timedelta(minutes=1)
    replied(now - 40 * minutes, 10 * minutes, status=Status.CONTACTED, service=page, heard_about="A podcast")
    replied(now - 40 * minutes, 20 * minutes, status=Status.CONTACTED, heard_about="a podcast")
    make_request(received_at=now - minutes, heard_about="Robin Quill, my neighbour")
    sign_in(client, make_reviewer())
    html = client.get("/admin/").content.decode()
    section = html[html.index('class="module intake-stats"') :]
    section = section[: section.index("</section>")]
    month = timezone.localdate().strftime("%B")
    assert f"<dt>Requests this month ({month})</dt><dd>3</dd>" in section
    assert f"Requests received in the last {WINDOW_DAYS} days: 3" in section
    assert "15 minutes" in section and "(over 2 replies)" in section
    assert "100% " in section and "(2 of 2 whose reply was due)" in section
    assert "Couples counselling: 1" in section and "Not from a service page: 2" in section
    assert "A podcast: 2" in section
    assert "Robin" not in section and "neighbour" not in section
    assert "Only answers given by 2 or more requests are shown" in section
    assert "nothing about visitors to the site is tracked" in section


def test_staff_without_the_permission_see_no_statistics(client):
    make_request(heard_about="A friend")
    sign_in(client, User.objects.create_user("helper", is_staff=True))
    assert "How the practice is doing" not in client.get("/admin/").content.decode()
