"""
Photos where features meet, as a loop: the therapist puts photos on sections and on the practice
settings, saves drafts, publishes, discards drafts, restores and removes versions, and replaces,
re-frames, re-describes and deletes photos, all through the real admin. Hypothesis picks the
order; after every step, for every page a visitor can open (the home page included):

- every picture it sends is served (no blank box where a file was removed);
- every picture it sends is one of the photo's current renditions, with its current description
  (a change to a photo reaches every live page that shows it at once, through the page cache too);
- a photo anything could still show is never deleted.

PHOTO_MODEL_EXAMPLES and PHOTO_MODEL_STEPS run it at length.
"""

import os
import re
import tempfile
from html import unescape

import pytest
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from pages import photos
from pages.models import Page, PageRevision, Photo, PracticeSettings
from tests.html import form_values
from tests.pages.factories import make_page
from tests.pages.photo_helpers import image_bytes, upload

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("PHOTO_MODEL_EXAMPLES", "8"))
STEPS = int(os.environ.get("PHOTO_MODEL_STEPS", "14"))
COLOURS = [(30, 90, 90), (150, 90, 90), (90, 150, 30), (200, 30, 120)]
PICTURE = re.compile(r'<img[^>]*\salt="([^"]*)"|/media/(photos/[\w.-]+)')


class PhotoLoop(RuleBasedStateMachine):
    therapist = None  # an admin client, signed in once for the whole run (the test sets it)

    def __init__(self):
        super().__init__()
        self.media = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="photo-model-"))
        self.media.enable()
        self.atomic = transaction.atomic()  # each example starts from the same database
        self.atomic.__enter__()
        self.photos = []
        for number, colour in enumerate(COLOURS[:3], start=1):
            photo = Photo(title=f"Photo {number}", alt_text=f"Room number {number}")
            photos.process(photo, image=photos.read_upload(upload(image_bytes((360, 240), colour=colour))))
            self.photos.append(photo.pk)
        self.pages = [
            make_page(
                title=f"Page {n}", slug=f"photo-page-{n}", sections=[("One", "Words."), ("Two", "More.")]
            ).pk
            for n in (1, 2)
        ]

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.media.disable()

    def post(self, url, data=None):
        # What waits for the commit (removing a photo's old files) runs as it would in production.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = self.therapist.post(url, data or {})
        assert response.status_code in (200, 302), (url, response.status_code)
        return response

    def form(self, url):
        return form_values(self.therapist.get(url).content.decode())

    # Pages

    @rule(
        page=st.integers(0, 1),
        section=st.integers(0, 1),
        photo=st.integers(-1, 2),
        button=st.sampled_from(["_continue", "_publish"]),
    )
    def choose_a_section_photo(self, page, section, photo, button):
        url = reverse("admin:pages_page_change", args=[self.pages[page]])
        chosen = (
            ""
            if photo < 0 or not Photo.objects.filter(pk=self.photos[photo]).exists()
            else self.photos[photo]
        )
        self.post(url, self.form(url) | {f"sections-{section}-photo": str(chosen), button: "1"})

    @rule(page=st.integers(0, 1))
    def publish(self, page):
        url = reverse("admin:pages_page_change", args=[self.pages[page]])
        self.post(url, self.form(url) | {"_publish": "1"})

    @rule(page=st.integers(0, 1))
    def discard_the_draft(self, page):
        self.post(reverse("admin:pages_page_discard_draft", args=[self.pages[page]]))

    @rule(page=st.integers(0, 1), which=st.integers(0, 5))
    def restore_a_version(self, page, which):
        versions = list(PageRevision.objects.filter(page_id=self.pages[page]).order_by("number"))
        if versions:
            version = versions[which % len(versions)]
            self.post(reverse("admin:pages_page_restore", args=[self.pages[page], version.pk]))

    @rule(page=st.integers(0, 1), which=st.integers(0, 5))
    def remove_a_version(self, page, which):
        versions = list(PageRevision.objects.filter(page_id=self.pages[page]).order_by("number"))
        if versions:
            version = versions[which % len(versions)]
            self.post(reverse("admin:pages_page_remove_version", args=[self.pages[page], version.pk]))

    @rule(photo=st.integers(-1, 2))
    def choose_the_clinician_photo(self, photo):
        url = reverse("admin:pages_practicesettings_change", args=[PracticeSettings.load().pk])
        chosen = (
            ""
            if photo < 0 or not Photo.objects.filter(pk=self.photos[photo]).exists()
            else self.photos[photo]
        )
        self.post(url, self.form(url) | {"clinician_photo": str(chosen)})

    # Photos

    def edit_photo(self, photo, **changes):
        if not Photo.objects.filter(pk=self.photos[photo]).exists():
            return
        url = reverse("admin:pages_photo_change", args=[self.photos[photo]])
        self.post(url, self.form(url) | changes)

    @rule(photo=st.integers(0, 2), colour=st.sampled_from(COLOURS))
    def replace_its_file(self, photo, colour):
        self.edit_photo(photo, image=upload(image_bytes((300, 240), colour=colour)))

    @rule(photo=st.integers(0, 2), across=st.sampled_from([0, 50, 100]), down=st.sampled_from([0, 30, 100]))
    def move_its_focal_point(self, photo, across, down):
        self.edit_photo(photo, focal_x=str(across), focal_y=str(down))

    @rule(photo=st.integers(0, 2), words=st.sampled_from(["Two chairs", "A window & a plant", "The door"]))
    def describe_it_anew(self, photo, words):
        self.edit_photo(photo, alt_text=words)

    @rule(photo=st.integers(0, 2))
    def delete_it(self, photo):
        if Photo.objects.filter(pk=self.photos[photo]).exists():
            self.post(reverse("admin:pages_photo_delete", args=[self.photos[photo]]), {"post": "yes"})

    @rule()
    def delete_all_from_the_list(self):
        self.post(
            reverse("admin:pages_photo_changelist"),
            {"action": "delete_selected", "_selected_action": [str(pk) for pk in self.photos], "post": "yes"},
        )

    # What a visitor is sent

    @invariant()
    def every_picture_a_live_page_sends_is_current_and_served(self):
        visitor = Client()
        renditions = {
            pk: set(photos.rendition_names(p)) for pk, p in Photo.objects.in_bulk(self.photos).items()
        }
        descriptions = {p.alt_text for p in Photo.objects.filter(pk__in=self.photos)}
        current = set().union(*renditions.values())
        for url in ["/", *[page.get_absolute_url() for page in Page.objects.published()]]:
            html = visitor.get(url).content.decode()
            for alt, name in PICTURE.findall(html):
                if name:
                    note(f"{url} sends {name}")
                    assert name in current, (url, name, "not a current rendition")
                    assert visitor.get(f"/media/{name}").status_code == 200, (url, name)
                elif alt and alt.startswith(("Room number", "Two chairs", "A window", "The door")):
                    assert unescape(alt) in descriptions, (url, alt, "an old description")

    @invariant()
    def a_photo_in_use_is_never_deleted(self):
        live = Page.objects.published().select_related("live_revision")
        shown = {
            section.get("photo_id")
            for page in live
            if page.live_revision
            for section in page.live_revision.content["sections"]
        }
        kept = {
            section.get("photo_id")
            for revision in PageRevision.objects.filter(page_id__in=self.pages)
            for section in revision.content["sections"]
        }
        clinician = PracticeSettings.load().clinician_photo_id
        used = (shown | kept | {clinician}) & set(self.photos)
        assert used <= set(Photo.objects.filter(pk__in=used).values_list("pk", flat=True))


def test_no_live_page_ever_sends_a_picture_that_is_gone_or_out_of_date(admin_client, media_root):
    PhotoLoop.therapist = admin_client
    run_state_machine_as_test(
        PhotoLoop,
        settings=hypothesis_settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=os.environ.get("PHOTO_MODEL_RANDOM") != "1",
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
