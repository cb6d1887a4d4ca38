"""Addresses the site owns are reserved, read from the URL configuration (pages/addresses.py)."""

import pytest
from django.urls import path, reverse

from pages.addresses import reserved_addresses
from pages.models import Page
from practice import urls as site_urls
from tests.html import form_values
from tests.pages.factories import make_page


def test_every_route_of_the_site_is_reserved(settings):
    assert {
        "consultation",
        "calendar",
        "media",
        "healthz",
        settings.ADMIN_URL.strip("/"),
    } <= reserved_addresses()
    assert "privacy" not in reserved_addresses()


def test_a_new_route_is_reserved_without_a_list_to_keep(settings):
    class Urls:
        urlpatterns = [path("gift-cards/", lambda request: None), *site_urls.urlpatterns]

    settings.ROOT_URLCONF = Urls
    assert "gift-cards" in reserved_addresses()


def page_form(admin_client, url, **changes):
    data = form_values(admin_client.get(url).content.decode())
    data.update(changes)
    data["_save"] = "Save draft"
    return admin_client.post(url, data)


@pytest.mark.parametrize("address", ["consultation", "admin", "calendar"])
def test_a_new_page_cannot_take_an_address_the_site_uses(admin_client, address):
    url = reverse("admin:pages_page_add")
    response = page_form(
        admin_client,
        url,
        title="Consultations",
        slug=address,
        kind="standard",
        summary="About consultations.",
        menu_order="100",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f"The address /{address}/ is already used by" in html
    assert not Page.objects.filter(slug=address).exists()


def test_a_page_cannot_move_to_an_address_the_site_uses(admin_client):
    page = make_page(slug="about-consultations", status=Page.Status.DRAFT)
    url = reverse("admin:pages_page_change", args=[page.pk])
    response = page_form(admin_client, url, slug="consultation")
    assert (
        "The address /consultation/ is already used by the consultation request form"
        in response.content.decode()
    )
    page.refresh_from_db()
    assert page.slug == "about-consultations"


@pytest.mark.django_db
def test_the_sitemap_never_lists_a_page_at_a_reserved_address(client):
    Page.objects.bulk_create([Page(title="Old", slug="calendar", summary="s", status=Page.Status.PUBLISHED)])
    xml = client.get("/sitemap.xml").content.decode()
    assert "/calendar/</loc>" not in xml
