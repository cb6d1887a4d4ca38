"""
Whatever the therapist does to a photo, from each state a live page can be in, no live page ever
refers to a photo file the site does not serve: every picture a visitor is sent loads.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pages import photos
from pages.models import Page, Photo
from tests.html import form_values
from tests.pages.factories import make_page
from tests.pages.photo_helpers import image_bytes, upload

pytestmark = pytest.mark.django_db


def photo_of(colour, title):
    # Different pictures: photos of one file share their files (pages/photos.py).
    photo = Photo(title=title, alt_text="A room")
    photos.process(photo, image=photos.read_upload(upload(image_bytes((360, 240), colour=colour))))
    return photo


class Therapist:
    """Uses the real admin, running what waits for the commit (the files' removal) as it happens."""

    def __init__(self, admin_client, capture):
        self.client, self.capture = admin_client, capture

    def post(self, url, data):
        with self.capture(execute=True):
            response = self.client.post(url, data)
        assert response.status_code in (200, 302)

    def edit_page(self, page, button, **changes):
        url = reverse("admin:pages_page_change", args=[page.pk])
        data = form_values(self.client.get(url).content.decode()) | changes | {button: "yes"}
        self.post(url, data)

    def edit_photo(self, photo, **changes):
        url = reverse("admin:pages_photo_change", args=[photo.pk])
        data = form_values(self.client.get(url).content.decode())
        data.pop("image", None)
        self.post(url, data | changes)

    def delete(self, photo):
        self.post(reverse("admin:pages_photo_delete", args=[photo.pk]), {"post": "yes"})


STARTS = {
    "live with the photo": [],
    "photo taken off in a draft": [("save", "")],
    "other photo in a draft": [("save", "other")],
    "photo taken off and published": [("save", ""), ("publish", None)],
}
ACTIONS = {
    "delete it": lambda therapist, photo, other: therapist.delete(photo),
    "delete both": lambda therapist, photo, other: [therapist.delete(photo), therapist.delete(other)],
    "replace its file": lambda therapist, photo, other: therapist.edit_photo(
        photo, image=upload(image_bytes((300, 240), colour=(200, 30, 30)))
    ),
    "replace it, then delete it": lambda therapist, photo, other: [
        therapist.edit_photo(photo, image=upload(image_bytes((300, 240), colour=(20, 200, 30)))),
        therapist.delete(photo),
    ],
    "move its focal point": lambda therapist, photo, other: therapist.edit_photo(photo, focal_x="0"),
    "describe it anew": lambda therapist, photo, other: therapist.edit_photo(photo, alt_text="Two chairs"),
}


@pytest.mark.parametrize("start", STARTS)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_picture_a_live_page_sends_is_served(
    admin_client, media_root, django_capture_on_commit_callbacks, start, action
):
    therapist = Therapist(admin_client, django_capture_on_commit_callbacks)
    photo, other = photo_of((30, 90, 90), "One"), photo_of((150, 90, 90), "Two")
    page = make_page(slug="with-a-photo", status=Page.Status.DRAFT, sections=[("One", "Words.")])
    therapist.edit_page(page, "_save", **{"sections-0-photo": str(photo.pk)})
    therapist.edit_page(page, "_publish")
    for step, chosen in STARTS[start]:
        if step == "save":
            therapist.edit_page(page, "_save", **{"sections-0-photo": str(other.pk) if chosen else ""})
        else:
            therapist.edit_page(page, "_publish")
    ACTIONS[action](therapist, photo, other)
    visitor = Client()
    for live in Page.objects.published():
        html = visitor.get(live.get_absolute_url()).content.decode()
        for name in re.findall(r"/media/(photos/[\w.-]+)", html):
            assert visitor.get(f"/media/{name}").status_code == 200, (live.slug, name)
