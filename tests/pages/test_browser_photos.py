"""Pages with photos in a real browser, at phone and desktop widths: they load, fit, wait below the fold."""

import io

import pytest
from PIL import Image, ImageDraw

from pages import photos
from pages.models import Page, Photo, PracticeSettings
from pages.publishing import page_saved
from tests.browser import VIEWPORTS, looks_right
from tests.pages.factories import make_page
from tests.pages.photo_helpers import upload

pytestmark = pytest.mark.browser

PARAGRAPHS = "\n\n".join(["Therapy is a place to slow down and notice what is happening."] * 8)
# Far enough down that Chrome (which starts lazy images 1,250 to 2,500 px early) waits for a scroll.
LONG = "\n\n".join([PARAGRAPHS] * 5)


def picture_of(colour, size=(1800, 1200)):
    """Something to look at: a sky, a hill and a sun, so a wrong crop or stretch shows."""
    image = Image.new("RGB", size, (196, 220, 230))
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.ellipse((width * 0.35, height * 0.15, width * 0.65, height * 0.6), fill=colour)
    draw.rectangle((0, height * 0.7, width, height), fill=(90, 130, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def photo(title, colour, size=(1800, 1200), **kwargs):
    saved = Photo(**({"title": title, "alt_text": f"{title}: a sun over a green hill"} | kwargs))
    photos.process(saved, image=photos.read_upload(upload(picture_of(colour, size))))
    return saved


@pytest.fixture
def site_with_photos(site_url, media_root):
    practice = PracticeSettings.load()
    practice.clinician_name = "Dana Wells"
    practice.credentials = "LMFT"
    practice.clinician_photo = photo("Portrait", (200, 120, 80), size=(1200, 1600), focal_y=40)
    practice.save()
    Page.objects.filter(slug="about").update(status=Page.Status.PUBLISHED)
    page = make_page(
        slug="the-room",
        title="The room",
        sections=[("Where we meet", PARAGRAPHS), ("Quiet", LONG), ("Light", PARAGRAPHS)],
    )
    page.sections.filter(order=0).update(photo=photo("Office", (230, 180, 60)))
    page.sections.filter(order=2).update(photo=photo("Window", (120, 90, 200), decorative=True, alt_text=""))
    page_saved(page, user=None)
    return page


def wait_for_images(page):
    """Until every image has loaded (page.wait_for_function polls with eval, which the CSP forbids)."""
    page.evaluate(
        "Promise.all([...document.images].map(i => i.complete ? 0"
        " : new Promise(done => { i.addEventListener('load', done); i.addEventListener('error', done); })))"
    )
    assert all(image["complete"] and image["natural"] > 0 for image in loaded_images(page))


def loaded_images(page):
    return page.evaluate(
        "[...document.images].map(i => ({complete: i.complete, natural: i.naturalWidth, src: i.currentSrc}))"
    )


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("path", ["/", "/about/", "/the-room/"])
def test_pages_with_photos_look_right_and_load_only_first_party_avif(open_page, site_with_photos, size, path):
    page, requests = open_page(path, VIEWPORTS[size])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    wait_for_images(page)
    page.evaluate("window.scrollTo(0, 0)")
    looks_right(page, f"photos{path.replace('/', '-').rstrip('-')}-{size}")
    images = loaded_images(page)
    assert images and all(image["src"].endswith(".avif") for image in images), images
    assert requests.other_origins() == []


def test_the_portrait_is_shown_at_the_size_its_markup_announces(open_page, site_with_photos):
    for size, css_width in [("phone", 144), ("desktop", 192)]:
        page, _ = open_page("/", VIEWPORTS[size])
        box = page.locator(".photo--portrait img").bounding_box()
        assert (round(box["width"]), round(box["height"])) == (css_width, css_width * 5 // 4), size


def test_a_photo_below_the_fold_waits_until_it_is_scrolled_near(open_page, site_with_photos):
    page, requests = open_page("/the-room/", VIEWPORTS["phone"])
    page.wait_for_load_state("networkidle")
    window = Photo.objects.get(title="Window")
    office = Photo.objects.get(title="Office")
    window_files = {name for name in photos.rendition_names(window)}
    office_files = {name for name in photos.rendition_names(office)}
    requested = {url.split("/media/", 1)[1] for url in requests.urls if "/media/" in url}
    assert requested & office_files and not requested & window_files
    page.locator(".photo--wide img").last.scroll_into_view_if_needed()
    wait_for_images(page)
    requested = {url.split("/media/", 1)[1] for url in requests.urls if "/media/" in url}
    assert requested & window_files


def test_nothing_moves_as_the_photos_load(open_page, site_with_photos):
    page, _ = open_page("/the-room/", VIEWPORTS["phone"])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    wait_for_images(page)
    # Buffered: every shift since the page opened; none at all means the observer never calls back.
    shift = page.evaluate(
        """new Promise(done => {
            let total = 0;
            new PerformanceObserver(list => { for (const e of list.getEntries()) total += e.value; })
                .observe({type: "layout-shift", buffered: true});
            setTimeout(() => done(total), 500);
        })"""
    )
    assert shift == 0
