"""A public page costs at most 6 queries to make, however many sections, pages and menu items there are."""

import pytest

from pages.models import Page
from tests.pages.budgets import BUDGET
from tests.pages.factories import make_page


@pytest.fixture
def big_site(db):
    for number in range(30):
        make_page(slug=f"menu-{number}", show_in_menu=True, menu_order=number)
    for number in range(10):
        make_page(slug=f"service-{number}", kind=Page.Kind.SERVICE)
    sections = [(f"Heading {number}", f"Paragraph {number}.\n\n- a\n- b") for number in range(60)]
    make_page(slug="long", kind=Page.Kind.SERVICE, sections=sections, show_relationship_safety_notice=True)


@pytest.mark.parametrize("path", ["/", "/long/", "/privacy/", "/relationship-issues/"])
def test_public_page_query_budget(client, big_site, django_assert_max_num_queries, path):
    with django_assert_max_num_queries(BUDGET):
        response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("menu-") >= 30


def test_redirected_slug_stays_within_budget(client, big_site, django_assert_max_num_queries):
    page = Page.objects.get(slug="long")
    page.old_slugs.create(old_slug="older")
    with django_assert_max_num_queries(BUDGET):
        assert client.get("/older/").status_code == 301
