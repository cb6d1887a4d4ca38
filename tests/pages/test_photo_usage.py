"""
A photo anything could still show is never deleted (pages/photo_usage.py), its delete page says
where it is used with links, and every change to a photo shows on the live pages at once.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from pages import drafts
from pages.models import Page, Photo, PracticeSettings
from tests.html import form_values
from tests.pages.factories import make_page
from tests.pages.photo_helpers import make_photo
from tests.postgresql import only_on_postgresql

pytestmark = pytest.mark.django_db


def delete_url(photo):
    return reverse("admin:pages_photo_delete", args=[photo.pk])


def edit(admin_client, page, button="_save", **changes):
    url = reverse("admin:pages_page_change", args=[page.pk])
    data = form_values(admin_client.get(url).content.decode())
    data.update(changes)
    data[button] = "yes"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def media_in(html):
    return set(re.findall(r"/media/(photos/[\w.-]+)", html))


def live_page_with(admin_client, photo, title="Our room"):
    page = make_page(title=title, slug="our-room", status=Page.Status.DRAFT, sections=[("Room", "Calm.")])
    edit(admin_client, page, **{"sections-0-photo": str(photo.pk)})
    edit(admin_client, page, button="_publish")
    return Page.objects.get(pk=page.pk)


def test_a_photo_taken_off_in_a_draft_stays_while_the_live_page_shows_it(admin_client, media_root, client):
    photo = make_photo(title="Room", alt_text="A quiet room")
    page = live_page_with(admin_client, photo)
    edit(admin_client, page, **{"sections-0-photo": ""})
    assert Page.objects.get(pk=page.pk).draft_revision_id
    html = admin_client.get(delete_url(photo)).content.decode()
    assert "cannot be deleted" in html
    assert (
        f'<a href="{reverse("admin:pages_page_change", args=[page.pk])}">The published page “Our room”</a>'
        in html
    )
    assert "protected related objects" not in html and "Yes, delete it" not in html
    admin_client.post(delete_url(photo), {"post": "yes"})
    assert Photo.objects.filter(pk=photo.pk).exists()
    live = Client().get("/our-room/").content.decode()
    assert media_in(live) and all(
        Client().get(f"/media/{name}").status_code == 200 for name in media_in(live)
    )


def test_a_photo_a_live_section_shows_gets_a_plain_page_with_a_way_back(admin_client, media_root):
    photo = make_photo(title="Room")
    page = live_page_with(admin_client, photo)
    response = admin_client.get(delete_url(photo))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The published page “Our room”" in html
    assert reverse("admin:pages_page_change", args=[page.pk]) in html
    assert f'href="{reverse("admin:pages_photo_change", args=[photo.pk])}">Back to “Room”' in html
    assert "choose another photo or none" in html
    assert "Section:" not in html


@only_on_postgresql("JSON containment is PostgreSQL's")
def test_a_photo_only_a_kept_version_shows_names_that_version(admin_client, media_root):
    photo = make_photo(title="Room")
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT, sections=[("Room", "Calm.")])
    edit(admin_client, page, **{"sections-0-photo": str(photo.pk)})
    edit(admin_client, page, **{"sections-0-photo": ""})
    number = page.revisions.filter(content__sections__contains=[{"photo_id": photo.pk}]).get().number
    html = admin_client.get(delete_url(photo)).content.decode()
    assert f"Version {number} of “Fees”, saved" in html
    assert "The draft of" not in html and "The published page" not in html


def test_the_clinician_photo_is_named_as_the_practice_settings(admin_client, media_root):
    photo = make_photo()
    practice = PracticeSettings.load()
    practice.clinician_photo = photo
    practice.save()
    html = admin_client.get(delete_url(photo)).content.decode()
    assert "Practice settings: your photo" in html


def test_a_photo_nothing_uses_is_deleted_after_a_plain_question(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo(title="Spare")
    html = admin_client.get(delete_url(photo)).content.decode()
    assert "Delete “Spare”? This cannot be undone." in html and "Objects" not in html
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(delete_url(photo), {"post": "yes"})
    assert not Photo.objects.exists()


def test_deleting_from_the_list_keeps_every_photo_in_use(admin_client, media_root):
    used, spare = make_photo(title="Used"), make_photo(title="Spare")
    live_page_with(admin_client, used)
    response = admin_client.post(
        reverse("admin:pages_photo_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, spare.pk], "post": "yes"},
    )
    html = response.content.decode()
    assert "still in use" in html and "“Used”, used by:" in html
    assert Photo.objects.count() == 2


def test_a_new_description_shows_on_the_live_page_at_once(admin_client, media_root):
    photo = make_photo(title="Room", alt_text="A quiet room")
    live_page_with(admin_client, photo)
    assert 'alt="A quiet room"' in Client().get("/our-room/").content.decode()
    url = reverse("admin:pages_photo_change", args=[photo.pk])
    data = form_values(admin_client.get(url).content.decode())
    data.pop("image", None)
    data["alt_text"] = "A quiet room with two chairs"
    assert admin_client.post(url, data).status_code == 302
    assert 'alt="A quiet room with two chairs"' in Client().get("/our-room/").content.decode()


def test_a_drafted_page_keeps_its_photo_when_published_after_the_photo_changed(admin_client, media_root):
    photo = make_photo(title="Room")
    page = live_page_with(admin_client, photo)
    edit(admin_client, page, title="Our quiet room")
    url = reverse("admin:pages_photo_change", args=[photo.pk])
    data = form_values(admin_client.get(url).content.decode())
    data.pop("image", None)
    data["focal_x"] = "0"
    admin_client.post(url, data)
    drafts.publish(Page.objects.get(pk=page.pk))
    live = Client().get("/our-room/").content.decode()
    assert media_in(live) and all(
        Client().get(f"/media/{name}").status_code == 200 for name in media_in(live)
    )
