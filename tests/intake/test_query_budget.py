"""The form and its thank-you page cost a fixed number of queries, however many choices there are."""

import pytest

from intake.models import Concern, Relationship
from pages.models import Page
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


def test_the_form_page(client, many_choices, django_assert_max_num_queries):
    # The practice settings, the menu, and the three lists of choices.
    with django_assert_max_num_queries(5):
        response = client.get(URL)
    assert response.content.decode().count('name="concerns"') > 40


def test_a_form_with_mistakes(client, many_choices, django_assert_max_num_queries):
    data = form_data(name="")
    # The form page's five, and Django checking the request's two contact rules in the database.
    with django_assert_max_num_queries(11):
        response = client.post(URL, data)
    assert response.status_code == 200


def test_a_sent_form(client, many_choices, django_assert_max_num_queries):
    concerns = [str(pk) for pk in Concern.objects.values_list("pk", flat=True)[:10]]
    data = form_data(concerns=concerns, service="service-3")
    # As above, then the lock, the duplicate check, the hour's count and clean-up, the request,
    # its choices, its alert, the session and the savepoints.
    with django_assert_max_num_queries(27):
        assert client.post(URL, data).status_code == 302
    # The session (read, then emptied), the request, the settings and the menu.
    with django_assert_max_num_queries(7):
        assert client.get(URL + "thanks/").status_code == 200
