"""Photos on the site: the markup, where they are shown, how they are served, and the admin that uploads them."""

import json
import re

import pytest
from django.urls import reverse

from pages import drafts, photos
from pages.drafts import restore as restore_revision
from pages.models import Page, Photo, PracticeSettings
from pages.publishing import page_saved, photo_changed
from pages.templatetags.pictures import picture_html
from tests.pages.budgets import BUDGET
from tests.pages.factories import make_page
from tests.pages.photo_helpers import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db

IMMUTABLE = "public, max-age=31536000, immutable"


def attributes(html, tag):
    match = re.search(rf"<{tag}\b([^>]*)>", html)
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', match.group(1)))


def set_clinician_photo(photo):
    practice = PracticeSettings.load()
    practice.clinician_photo = photo
    practice.clinician_name = "Dana Wells"
    practice.save()


def test_a_picture_offers_avif_then_webp_with_sizes_dimensions_alt_and_lazy_loading(media_root):
    photo = make_photo(size=(2000, 1400))
    html = picture_html(photo, "wide")
    source, img = attributes(html, "source"), attributes(html, "img")
    assert html.startswith('<picture class="photo photo--wide"><source type="image/avif"')
    assert source["srcset"] == ", ".join(
        f"/media/{name} {width}w" for name, width in photo.renditions["wide"]["avif"]
    )
    assert img["srcset"] == ", ".join(
        f"/media/{name} {width}w" for name, width in photo.renditions["wide"]["webp"]
    )
    assert re.fullmatch(
        r"/media/photos/[0-9a-f]{12}-480\.avif 480w, .* /media/photos/[0-9a-f]{12}-1280\.avif 1280w",
        source["srcset"],
    )
    assert source["sizes"] == img["sizes"] == "(min-width: 768px) 712px, calc(100vw - 1.5rem)"
    assert img["src"] == "/media/" + photo.renditions["wide"]["webp"][-1][0]
    assert (img["width"], img["height"]) == ("1280", "853")
    assert img["alt"] == "The therapist in her office"
    assert (img["loading"], img["fetchpriority"], img["decoding"]) == ("lazy", "auto", "async")


def test_a_photo_at_the_top_loads_at_once_and_first(media_root):
    img = attributes(picture_html(make_photo(), "portrait", eager=True), "img")
    assert (img["loading"], img["fetchpriority"]) == ("eager", "high")
    assert img["sizes"] == "(min-width: 768px) 12rem, 9rem"
    assert (img["width"], img["height"]) == ("640", "800")


def test_a_decorative_photo_has_an_empty_alt(media_root):
    photo = make_photo(alt_text="", decorative=True)
    assert ' alt="" ' in picture_html(photo, "wide")


def test_alt_text_is_escaped(media_root):
    photo = make_photo(alt_text='Me "smiling" <b>')
    assert 'alt="Me &quot;smiling&quot; &lt;b&gt;"' in picture_html(photo, "wide")


def test_the_clinician_photo_is_on_the_home_and_about_pages_and_in_the_json_ld(client, media_root):
    photo = make_photo()
    set_clinician_photo(photo)
    Page.objects.filter(slug="about").update(status=Page.Status.PUBLISHED)
    largest = "/media/" + photo.renditions["portrait"]["webp"][-1][0]
    for path in ["/", "/about/"]:
        html = client.get(path).content.decode()
        header = html.split('<header class="page__header', 1)[1].split("</header>")[0]
        assert 'class="photo photo--portrait"' in header and f'src="{largest}"' in header, path
        assert 'loading="eager" fetchpriority="high"' in header, path
        data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
        assert data["image"] == data["employee"]["image"] == f"http://testserver{largest}", path
    assert "photo--portrait" not in client.get("/privacy/").content.decode()


def test_without_a_clinician_photo_there_is_no_picture_and_no_image_in_the_json_ld(client, db):
    html = client.get("/").content.decode()
    assert "<picture" not in html and '"image"' not in html


def test_a_section_photo_is_rendered_into_the_body_when_the_page_is_saved(media_root):
    first, second = make_photo(title="One"), make_photo(title="Two", alt_text="A quiet room")
    page = make_page(sections=[("Welcome", "Hello."), ("Room", "Calm.")])
    page.sections.filter(order=0).update(photo=first)
    page.sections.filter(order=1).update(photo=second)
    from pages.publishing import page_saved

    page_saved(page, user=None)
    body = Page.objects.get(pk=page.pk).body_html
    sections = body.split("<section>")[1:]
    assert sections[0].startswith('<h2>Welcome</h2>\n<picture class="photo photo--wide">')
    assert 'loading="eager"' in sections[0]
    assert 'alt="A quiet room" loading="lazy"' in sections[1]


def test_a_new_focal_point_renders_the_pages_that_show_the_photo_again(admin_client, media_root):
    photo = make_photo(size=(2000, 1000))
    page = make_page(sections=[("Welcome", "Hello.")])
    page.sections.update(photo=photo)
    from pages.publishing import page_saved

    page_saved(page, user=None)
    old_name = photo.renditions["wide"]["webp"][0][0]
    assert old_name in Page.objects.get(pk=page.pk).body_html
    response = admin_client.post(
        reverse("admin:pages_photo_change", args=[photo.pk]),
        {"title": photo.title, "alt_text": photo.alt_text, "focal_x": 0, "focal_y": 50},
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    body = Page.objects.get(pk=page.pk).body_html
    assert photo.renditions["wide"]["webp"][0][0] in body


def test_a_revision_brings_back_the_section_photo_and_drops_a_deleted_one(media_root):
    photo = make_photo()
    page = make_page(sections=[("Welcome", "Hello.")])
    page.sections.update(photo=photo)
    from pages.publishing import page_saved

    revision = page_saved(page, user=None)
    assert revision.content["sections"][0]["photo_id"] == photo.pk
    page.sections.update(photo=None)
    restore_revision(revision, user=None)
    assert page.sections.get().photo == photo
    page.sections.update(photo=None)
    photo.delete()
    restore_revision(revision, user=None)
    assert page.sections.get().photo is None


def test_a_photo_in_use_cannot_be_deleted(media_root):
    from django.db.models import ProtectedError

    photo = make_photo()
    set_clinician_photo(photo)
    with pytest.raises(ProtectedError):
        photo.delete()


def test_pages_with_photos_keep_the_query_budget(client, media_root, django_assert_max_num_queries):
    photo = make_photo()
    set_clinician_photo(photo)
    page = make_page(slug="with-photos", sections=[(f"Part {n}", "Words.") for n in range(10)])
    page.sections.update(photo=photo)
    from pages.publishing import page_saved

    page_saved(page, user=None)
    for path in ["/", "/with-photos/"]:
        with django_assert_max_num_queries(BUDGET):
            html = client.get(path).content.decode()
        assert "<picture" in html


# Serving


def test_a_rendition_is_served_with_its_type_and_cached_for_a_year(client, media_root):
    photo = make_photo()
    for output, mime in [("webp", "image/webp"), ("avif", "image/avif")]:
        name = photo.renditions["wide"][output][0][0]
        response = client.get(f"/media/{name}")
        assert response.status_code == 200
        assert response["Content-Type"] == mime
        assert response["Cache-Control"] == IMMUTABLE
        assert b"".join(response.streaming_content) == (media_root / name).read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/media/photos/000000000000-480.webp",  # no such file
        "/media/photos/../../etc/passwd",
        "/media/photos/%2e%2e/%2e%2e/settings.py",
        "/media/..%2fpractice%2fsettings.py",
        "/media/photos/abc.webp",
        "/media/photos/000000000000-480.png",
        "/media/other/000000000000-480.webp",
    ],
)
def test_nothing_but_a_rendition_is_served(client, media_root, path):
    (media_root / "other").mkdir(parents=True)
    (media_root / "other" / "000000000000-480.webp").write_bytes(b"secret")
    assert client.get(path).status_code == 404


def test_the_uploaded_master_is_not_served(client, media_root):
    photo = make_photo()
    assert (media_root / photo.master.name).exists()
    assert client.get(f"/media/{photo.master.name}").status_code == 404


def test_media_answers_only_reads(client, media_root):
    name = make_photo().renditions["wide"]["webp"][0][0]
    assert client.post(f"/media/{name}").status_code == 405
    assert client.head(f"/media/{name}").status_code == 200


# Admin


def test_uploading_a_photo_in_admin_cleans_it_and_makes_renditions(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:pages_photo_add"),
        {
            "title": "Portrait",
            "image": upload(image_bytes((1600, 2000))),
            "alt_text": "Dana Wells",
            "focal_x": 50,
            "focal_y": 30,
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (1600, 2000)
    assert set(photo.renditions) == {"portrait", "wide"}
    change = admin_client.get(reverse("admin:pages_photo_change", args=[photo.pk])).content.decode()
    assert "/media/" + photo.renditions["wide"]["webp"][0][0] in change  # the crops are previewed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"not a photo",
            "This file is not an image this site can read. Photos can be JPEG, PNG, WebP, AVIF.",
        ),
        (image_bytes((8000, 5001), "PNG"), "This photo has more than 40 million pixels."),
    ],
)
def test_admin_shows_why_an_upload_was_refused(admin_client, media_root, data, message):
    response = admin_client.post(
        reverse("admin:pages_photo_add"),
        {"title": "x", "image": upload(data), "alt_text": "x", "focal_x": 50, "focal_y": 50},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Photo.objects.exists()


def test_admin_asks_for_a_file_and_for_alt_text(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:pages_photo_add"), {"title": "x", "alt_text": "", "focal_x": 50, "focal_y": 50}
    )
    html = response.content.decode()
    assert "Choose a photo to upload." in html
    assert "Describe the photo, or tick “decorative only”" in html


def test_admin_names_the_formats_and_limits(admin_client, db):
    html = admin_client.get(reverse("admin:pages_photo_add")).content.decode()
    assert "JPEG, PNG, WebP, AVIF; up to 10 MB and 40 million pixels." in html
    assert 'accept="image/jpeg,image/png,image/webp,image/avif"' in html
    assert 'enctype="multipart/form-data"' in html


def test_deleting_a_photo_in_admin_removes_its_files(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    photo = make_photo()
    names = [photo.master.name, *[name for shape in photo.renditions.values() for name, _ in shape["webp"]]]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:pages_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert not Photo.objects.exists()
    assert not any((media_root / name).exists() for name in names)


def test_files_another_photo_of_the_same_upload_uses_are_kept(
    admin_client, media_root, django_capture_on_commit_callbacks
):
    photo, twin = make_photo(), make_photo()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:pages_photo_delete", args=[photo.pk]), {"post": "yes"})
    assert (media_root / twin.master.name).exists()
    assert admin_client.get("/media/" + twin.renditions["wide"]["webp"][0][0]).status_code == 200


def test_the_clinician_photo_and_section_photos_are_chosen_in_admin(admin_client, db):
    settings_page = admin_client.get(
        reverse("admin:pages_practicesettings_change", args=[1])
    ).content.decode()
    assert 'name="clinician_photo"' in settings_page
    page = Page.objects.get(slug="about")
    page_form = admin_client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()
    assert 'name="sections-0-photo"' in page_form


def test_a_new_focal_point_renders_the_live_body_from_the_live_version_not_the_draft(media_root):
    """A live page's body shows its photo anew, and a drafted change of its text stays out of sight."""
    photo = make_photo(size=(2000, 1000))
    page = make_page(sections=[("Welcome", "Live words.")])
    page.sections.update(photo=photo)
    page_saved(page, user=None)
    page.sections.update(text="Drafted words.")
    drafts.save_draft(page, user=None)
    photo.focal_x = 0
    photos.process(photo, previous=Photo.objects.get(pk=photo.pk))
    photo_changed(photo)
    body = Page.objects.get(pk=page.pk).body_html
    assert "Live words." in body and "Drafted words." not in body
    assert photo.renditions["wide"]["webp"][0][0] in body


def test_the_checks_look_at_the_alt_text_of_section_photos(admin_client, media_root):
    photo = make_photo(alt_text="IMG_2043.jpg")
    page = make_page(sections=[("Welcome", "Hello.")])
    page.sections.update(photo=photo)
    html = admin_client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()
    assert "Photo in section 1" in html
