"""A photo chosen in a form that comes back with an error elsewhere is kept, not silently dropped."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from pages.models import Photo
from tests.html import form_values
from tests.pages.photo_helpers import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db


def test_a_new_photo_with_no_description_keeps_its_file_and_saves_once_described(admin_client, media_root):
    url = reverse("admin:pages_photo_add")
    blank = form_values(admin_client.get(url).content.decode())
    response = admin_client.post(
        url, blank | {"title": "Room", "image": upload(image_bytes((900, 600)), "room.jpg")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Describe the photo, or tick “decorative only”" in html
    assert "Photo kept: “room.jpg”." in html
    assert 'src="data:image/webp;base64,' in html
    data = form_values(html) | {"alt_text": "Two chairs by a window"}
    assert "image" not in data  # a browser never fills a file box back in
    assert admin_client.post(url, data).status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (900, 600)
    assert photo.renditions


def test_a_replacement_file_is_kept_across_an_error_and_then_replaces_the_photo(admin_client, media_root):
    photo = make_photo(size=(1400, 1000))
    url = reverse("admin:pages_photo_change", args=[photo.pk])
    data = form_values(admin_client.get(url).content.decode())
    refused = admin_client.post(
        url, data | {"focal_x": "130", "image": upload(image_bytes((800, 800)), "new-room.png")}
    )
    html = refused.content.decode()
    assert "Photo kept: “new-room.png”." in html
    admin_client.post(url, form_values(html) | {"focal_x": "40"})
    photo.refresh_from_db()
    assert (photo.width, photo.height, photo.focal_x) == (800, 800, 40)


def test_a_photo_kept_longer_than_the_cache_holds_it_is_asked_for_again(admin_client, media_root):
    url = reverse("admin:pages_photo_add")
    blank = form_values(admin_client.get(url).content.decode())
    html = admin_client.post(
        url, blank | {"title": "Room", "image": upload(image_bytes(), "room.jpg")}
    ).content.decode()
    cache.clear()
    response = admin_client.post(url, form_values(html) | {"alt_text": "Two chairs"})
    assert (
        "The photo you chose before, “room.jpg”, is no longer kept (a photo waits a day): choose it again."
        in (response.content.decode())
    )
    assert not Photo.objects.exists()


def test_a_forged_kept_photo_is_ignored(admin_client, media_root):
    url = reverse("admin:pages_photo_add")
    response = admin_client.post(url, {"title": "Room", "alt_text": "Chairs", "kept_image": "forged"})
    assert "Choose a photo to upload." in response.content.decode()
