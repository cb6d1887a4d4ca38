"""The form and its thank-you page cost a fixed number of queries, however many choices there are."""

import datetime

import pytest

from intake.models import Concern, Relationship
from pages.models import Page
from tests.hours import AN_HOUR_A_DAY, offered, open_hours
from tests.intake.factories import form_data
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db
URL = "/consultation/"


@pytest.fixture
def many_choices():
    Concern.objects.bulk_create(Concern(label=f"Concern {number}") for number in range(40))
    Relationship.objects.bulk_create(Relationship(label=f"Relationship {number}") for number in range(20))
    for number in range(15):
        make_page(slug=f"service-{number}", kind=Page.Kind.SERVICE, show_in_menu=True)


def test_the_form_page(client, many_choices, django_assert_max_num_queries, django_assert_num_queries):
    # The first time after an edit: the content version and the next scheduled change, then the
    # practice settings, the menu, the three lists of choices and the consultation hours.
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.content.decode().count('name="concerns"') > 40
    # Until the next edit, the version alone (pages/freshness/per_version.py).
    with django_assert_num_queries(1):
        assert client.get(URL).content.decode().count('name="concerns"') > 40


def test_a_form_with_mistakes(client, many_choices, django_assert_max_num_queries):
    data = form_data(name="")
    # The form page's six; the two contact rules are the form's own, not asked of the database.
    with django_assert_max_num_queries(10):
        response = client.post(URL, data)
    assert response.status_code == 200


def test_a_sent_form(client, many_choices, django_assert_max_num_queries):
    concerns = [str(pk) for pk in Concern.objects.values_list("pk", flat=True)[:10]]
    data = form_data(concerns=concerns, service="service-3")
    client.get(URL)  # the visitor opens the form first: what is kept per content version is read
    # The content version (the settings, choices and hours are kept per version), then the lock,
    # the duplicate check, the hour's clean-up and count-and-add, the request, its two kinds of
    # choices, its alert, the session, and the two transactions' savepoints (tests run inside one).
    with django_assert_max_num_queries(14):
        assert client.post(URL, data).status_code == 302
    # The session (read, then emptied), the request, its held times, the settings and the menu.
    with django_assert_max_num_queries(8):
        assert client.get(URL + "thanks/").status_code == 200


@pytest.fixture
def many_times():
    """Booking on, with every hour of three weeks open: dozens of times over twenty-odd days."""
    hours = open_hours(AN_HOUR_A_DAY, days_ahead=21)
    hours.windows.update(starts=datetime.time(8), ends=datetime.time(20))
    return hours


def test_the_form_page_with_times_to_pick(
    client, many_choices, many_times, django_assert_max_num_queries, django_assert_num_queries
):
    # As without booking, then the hours' weekly windows, their days off and the times already kept.
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    assert response.content.decode().count('name="times"') > 200
    # Until the next edit: the version, and the open times as they are now.
    with django_assert_num_queries(4):
        assert 'name="times"' in client.get(URL).content.decode()


def test_a_sent_form_holding_three_times(client, many_choices, many_times, django_assert_max_num_queries):
    data = form_data(times=[time.value for time in offered()[:3]], way="video")
    # As a sent form, then the open times for the form and again for the hold (under the booking
    # lock), the lapsed holds released, the three held times and their savepoint.
    with django_assert_max_num_queries(33):
        assert client.post(URL, data).status_code == 302
    with django_assert_max_num_queries(8):
        assert client.get(URL + "thanks/").status_code == 200
