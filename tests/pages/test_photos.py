"""Uploads: each limit with its message, metadata removed, turned upright, renditions made once."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, features

from pages import photos
from pages.models import Photo
from tests.pages.photo_helpers import image_bytes, make_photo, upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def refused(data, name="photo.jpg"):
    with pytest.raises(ValidationError) as error:
        photos.read_upload(upload(data, name))
    return error.value


def test_pillow_here_reads_jpeg_png_webp_and_avif_but_not_heic():
    assert photos.ACCEPTED_FORMATS == ["JPEG", "PNG", "WEBP", "AVIF"]
    assert photos.ACCEPTED_LABEL == "JPEG, PNG, WebP, AVIF"
    assert photos.OUTPUT_FORMATS == ["avif", "webp"] and features.check("avif")


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "AVIF"])
def test_each_accepted_format_is_read(image_format):
    assert photos.read_upload(upload(image_bytes((300, 200), image_format))).size == (300, 200)


def test_a_file_over_10_mb_is_refused_before_it_is_read():
    error = refused(b"\xff" * (10 * 1024 * 1024 + 1))
    assert error.code == "too_large"
    assert error.messages == [
        "This file is 10.0 MB; a photo can be at most 10 MB. "
        "Export it smaller (for example 3000 pixels wide) and try again."
    ]


def test_a_file_of_exactly_10_mb_is_not_refused_for_its_size():
    assert refused(b"\xff" * (10 * 1024 * 1024)).code == "unsupported"


def test_more_than_40_million_pixels_is_refused_without_decoding_them():
    # 8000 x 5001 pixels of one colour compress to a small PNG.
    error = refused(image_bytes((8000, 5001), "PNG"))
    assert error.code == "too_many_pixels"
    assert error.messages == [
        "This photo has more than 40 million pixels. Export it smaller (for example 3000 pixels wide) and try again."
    ]
    assert photos.read_upload(upload(image_bytes((8000, 5000), "PNG"))).size == (2560, 1600)


def test_a_decompression_bomb_is_a_clear_error_not_a_crash(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert refused(image_bytes((100, 20), "PNG")).code == "too_many_pixels"


def test_text_is_not_an_image():
    error = refused(b"hello, this is not a photo" * 10, "notes.jpg")
    assert error.code == "unsupported"
    assert error.messages[0].startswith(
        "This file is not an image this site can read. Photos can be JPEG, PNG, WebP, AVIF."
    )


def test_a_gif_is_named_as_a_format_the_site_does_not_take():
    error = refused(image_bytes((10, 10), "GIF"), "a.gif")
    assert error.messages[0].startswith("This file is an image in a format this site does not take.")


def test_an_iphone_heic_photo_gets_advice_on_what_to_do():
    heic_header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    message = refused(heic_header, "IMG_0001.HEIC").messages[0]
    assert message.startswith(
        "This file is an HEIC photo (the iPhone's own format), which this site cannot read."
    )
    assert "“Most Compatible” under Settings → Camera → Formats" in message


def test_a_cut_short_jpeg_is_reported_as_damaged():
    data = image_bytes((800, 600), "JPEG", quality=95)
    assert refused(data[: len(data) // 3]).code == "damaged"


def test_exif_and_gps_are_removed_from_what_is_kept_and_served(media_root):
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (40.0, 44.0, 54.0), 3: "W", 4: (73.0, 59.0, 10.0)}
    data = image_bytes(exif=exif)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the upload carries a position
    photo = Photo(title="t", alt_text="a")
    photos.process(photo, image=photos.read_upload(upload(data)))
    for name in [photo.master.name, *photos.rendition_names(photo)]:
        raw = (media_root / name).read_bytes()
        with Image.open(io.BytesIO(raw)) as stored:
            assert not stored.getexif(), name
            assert "exif" not in stored.info and "xmp" not in stored.info, name
        assert b"PhoneMaker" not in raw and b"Exif" not in raw, name


def test_a_photo_taken_sideways_is_turned_upright_first():
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # the camera was turned: rotate 90° clockwise to show it
    image = photos.read_upload(upload(image_bytes((1200, 800), exif=exif)))
    assert image.size == (800, 1200)


def test_transparency_is_kept_and_other_modes_become_rgb():
    assert photos.read_upload(upload(image_bytes((40, 30), "PNG", alpha=True))).mode == "RGBA"
    grey = io.BytesIO()
    Image.new("L", (40, 30), 128).save(grey, "PNG")
    assert photos.read_upload(upload(grey.getvalue())).mode == "RGB"


def test_a_colour_profile_is_converted_to_srgb_and_an_unreadable_one_is_ignored(monkeypatch):
    converted = []
    real_conversion = ImageCms.profileToProfile

    def conversion(image, source, target, **kwargs):
        converted.append(image.size)
        return real_conversion(image, source, target, **kwargs)

    monkeypatch.setattr(ImageCms, "profileToProfile", conversion)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for profile in [srgb, b"not a colour profile"]:
        data = io.BytesIO()
        Image.new("RGB", (40, 30), (200, 30, 30)).save(data, "JPEG", icc_profile=profile)
        image = photos.read_upload(upload(data.getvalue()))
        assert (image.mode, image.size) == ("RGB", (40, 30))
        assert "icc_profile" not in image.info
    # The readable profile was applied; the unreadable one was left out and the photo kept.
    assert converted == [(40, 30)]


def test_renditions_are_avif_and_webp_at_the_widths_each_shape_needs(media_root):
    photo = make_photo(size=(2000, 3000))
    portrait, wide = photo.renditions["portrait"], photo.renditions["wide"]
    assert [width for _, width in portrait["webp"]] == [240, 320, 480, 640]
    assert [width for _, width in portrait["avif"]] == [240, 320, 480, 640]
    assert [width for _, width in wide["webp"]] == [480, 640, 960, 1280]
    assert (portrait["width"], portrait["height"], wide["width"], wide["height"]) == (640, 800, 1280, 853)
    for shape in (portrait, wide):
        for output in ("avif", "webp"):
            for name, width in shape[output]:
                with Image.open(media_root / name) as file:
                    assert file.format == output.upper()
                    assert file.width == width
                    assert abs(file.width / file.height - shape["width"] / shape["height"]) < 0.01


def test_a_small_photo_is_never_enlarged(media_root):
    photo = make_photo(size=(600, 300))
    # Cropped to 3:2, 600 x 300 is 450 x 300: smaller than every wide width, so it is used as it is.
    assert [width for _, width in photo.renditions["wide"]["webp"]] == [450]
    # Cropped to 4:5 it is 240 x 300: only the widths up to 240.
    assert [width for _, width in photo.renditions["portrait"]["webp"]] == [240]


def test_file_names_are_hashes_of_their_content(media_root):
    photo = make_photo()
    for name in photos.rendition_names(photo):
        assert re.fullmatch(r"photos/[0-9a-f]{12}-\d+\.(webp|avif)", name)
    same = make_photo()
    assert same.renditions == photo.renditions and same.master.name == photo.master.name


def test_the_crop_keeps_the_focal_point_in_view():
    image = Image.new("RGB", (3000, 1000))
    assert photos.crop_to(image, 4 / 5, 0.9, 0.5).getbbox() is None  # all black: check the box instead
    left_crop = photos.crop_to(image, 1, 0.0, 0.5)
    assert left_crop.size == (1000, 1000)
    image.paste((255, 0, 0), (2500, 0, 2501, 1000))  # a red line at 83 % across
    assert photos.crop_to(image, 1, 0.9, 0.5).getpixel((2500 - 2000, 500)) == (255, 0, 0)
    assert photos.crop_to(image, 1, 0.5, 0.5).getpixel((999, 500)) == (0, 0, 0)


def test_a_new_focal_point_makes_new_renditions_and_removes_the_old_files(
    media_root, django_capture_on_commit_callbacks
):
    gradient = io.BytesIO()
    Image.linear_gradient("L").rotate(90).resize((2000, 1000)).convert("RGB").save(gradient, "PNG")
    photo = Photo(title="t", alt_text="a")
    photos.process(photo, image=photos.read_upload(upload(gradient.getvalue())))
    before = photos.rendition_names(photo)
    previous = Photo.objects.get(pk=photo.pk)
    photo.focal_x = 0
    with django_capture_on_commit_callbacks(execute=True):
        photos.process(photo, previous=previous)
    after = photos.rendition_names(photo)
    assert set(before) != set(after)
    assert all((media_root / name).exists() for name in after)
    gone = set(before) - set(after)
    assert gone and not any((media_root / name).exists() for name in gone)
    assert (media_root / photo.master.name).exists()


def test_alt_text_is_required_unless_the_photo_is_decorative():
    with pytest.raises(ValidationError) as error:
        Photo(title="t", alt_text=" ").clean()
    assert error.value.message_dict == {
        "alt_text": ["Describe the photo, or tick “decorative only” if it adds nothing a reader would miss."]
    }
    Photo(title="t", decorative=True).clean()
