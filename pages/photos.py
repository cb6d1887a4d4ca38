"""
Photos uploaded in admin: checked, cleaned and resized once, when saved.

An upload is refused with a plain message when it is too large, has too many pixels, is not
an image or is in a format the site does not take. What is kept is a new image made from the
pixels alone (turned upright first), so no metadata survives: no EXIF, no GPS position, no
camera serial. From it the renditions are made, cropped around the focal point to each shape
the templates use, at the widths they ask for (never larger than the photo), in AVIF and WebP.
Their names are hashes of their content, so browsers may cache them for a year.
"""

import contextlib
import hashlib
import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

from pages.models import Photo

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
# The cleaned photo kept for later crops: large enough for every rendition, small enough to store.
MASTER_LONG_EDGE = 2560

Image.init()
# What Pillow here can open, of the formats cameras and phones make (HEIC only with a plugin).
ACCEPTED_FORMATS = [name for name in ("JPEG", "PNG", "WEBP", "AVIF", "HEIF") if name in Image.OPEN]
ACCEPTED_LABEL = ", ".join({"WEBP": "WebP"}.get(name, name) for name in ACCEPTED_FORMATS)
# Browsers take the first <source> they support: AVIF (smaller) first, WebP for the rest.
OUTPUT_FORMATS = ["avif", "webp"] if features.check("avif") else ["webp"]
OUTPUT_QUALITY = {"avif": 55, "webp": 80}
# AVIF at its default speed takes seconds a photo; 8 is near as small, several times faster.
OUTPUT_OPTIONS = {"avif": {"speed": 8}, "webp": {}}


class Shape:
    """How a photo is shown: an aspect ratio to crop to, and the widths the templates ask for."""

    def __init__(self, ratio_w, ratio_h, widths):
        self.ratio = ratio_w / ratio_h
        self.widths = widths


SHAPES = {
    # The clinician's portrait: 9rem wide on phones, 12rem from 768 px, at up to 3x pixel density.
    "portrait": Shape(4, 5, (240, 320, 480, 640)),
    # A section's photo: the text column's width (at most 712 px), at up to 2x pixel density.
    "wide": Shape(3, 2, (480, 640, 960, 1280)),
}


def read_upload(upload):
    """The uploaded file as a clean RGB(A) image without any metadata, or a ValidationError saying why not."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; a photo can be at most "
            f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Export it smaller (for example 3000 pixels wide) and try again.",
            code="too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"This photo has more than {MAX_PIXELS // 1_000_000} million pixels. "
            "Export it smaller (for example 3000 pixels wide) and try again.",
            code="too_many_pixels",
        ) from None
    except UnidentifiedImageError:
        raise ValidationError(unreadable_message(upload), code="unsupported") from None
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            "This image could not be read: the file may be damaged or cut short. "
            "Open it on your computer, export it again and upload the new file.",
            code="damaged",
        ) from None
    return cleaned(image)


def unreadable_message(upload):
    """Says whether the file is an image in another format, or not an image at all."""
    upload.seek(0)
    head = upload.read(32)
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        found = "an HEIC photo (the iPhone's own format), which this site cannot read"
    elif head.startswith((b"GIF8", b"II*\x00", b"MM\x00*", b"BM")):
        found = "an image in a format this site does not take"
    else:
        found = "not an image this site can read"
    return (
        f"This file is {found}. Photos can be {ACCEPTED_LABEL}. "
        "On an iPhone, choose “Most Compatible” under Settings → Camera → Formats, "
        "or export the photo as JPEG."
    )


def cleaned(image):
    """Upright, in sRGB, at most MASTER_LONG_EDGE pixels, and made anew from its pixels: no metadata is copied."""
    image = ImageOps.exif_transpose(image)
    if profile := image.info.get("icc_profile"):
        # A colour profile Pillow cannot read is ignored, not refused: the pixels are taken as sRGB,
        # which is what a browser shows for an untagged photo.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError):
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=mode)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = image.convert(mode)
    pixels.thumbnail((MASTER_LONG_EDGE, MASTER_LONG_EDGE), Image.Resampling.LANCZOS)
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def store_master(photo, image):
    """Keep the cleaned image as the photo's master (WebP at high quality), named by its content."""
    data = encode(image, "webp", quality=95)
    photo.master = save_hashed(data, "webp")
    photo.width, photo.height = image.size


def make_renditions(photo):
    """Every shape at every width it needs, in every output format; returns what the templates read."""
    with default_storage.open(photo.master.name) as file, Image.open(file) as master:
        master.load()
    renditions = {}
    for shape_name, shape in SHAPES.items():
        cropped = crop_to(master, shape.ratio, photo.focal_x / 100, photo.focal_y / 100)
        widths = [width for width in shape.widths if width <= cropped.width] or [cropped.width]
        files = {output: [] for output in OUTPUT_FORMATS}
        for width in widths:
            height = round(width / shape.ratio)
            resized = cropped.resize((width, height), Image.Resampling.LANCZOS)
            for output in OUTPUT_FORMATS:
                files[output].append([save_hashed(encode(resized, output), output, width), width])
        renditions[shape_name] = {"width": widths[-1], "height": round(widths[-1] / shape.ratio), **files}
    return renditions


def crop_to(image, ratio, focal_x, focal_y):
    """The largest part of the image with this aspect ratio, as centred on the focal point as the edges allow."""
    width, height = image.size
    if width / height > ratio:
        crop_w, crop_h = round(height * ratio), height
    else:
        crop_w, crop_h = width, round(width / ratio)
    left = min(max(round(focal_x * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focal_y * height - crop_h / 2), 0), height - crop_h)
    return image.crop((left, top, left + crop_w, top + crop_h))


def encode(image, output, quality=None):
    buffer = io.BytesIO()
    image.save(
        buffer, format=output.upper(), quality=quality or OUTPUT_QUALITY[output], **OUTPUT_OPTIONS[output]
    )
    return buffer.getvalue()


def save_hashed(data, extension, width=None):
    """Store bytes under a name made from their hash: the same content always has the same name."""
    digest = hashlib.sha256(data).hexdigest()[:12]
    name = f"photos/{digest}{f'-{width}' if width else ''}.{extension}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return name


def rendition_names(photo):
    return [
        name
        for shape in photo.renditions.values()
        for key in OUTPUT_FORMATS
        for name, _ in shape.get(key, [])
    ]


def delete_files(photo, keep=()):
    """Remove a photo's files from storage, except those named in keep (another photo of the same file uses them)."""
    for name in [photo.master.name, *rendition_names(photo)]:
        if name and name not in keep:
            default_storage.delete(name)


def process(photo, image=None, previous=None):
    """
    Save a photo after an edit in admin: a new upload (image) becomes its master; a new upload or
    focal point makes its renditions anew, and the files of the previous version are removed
    once the save is committed (unless another photo of the same file still uses them).
    """
    if image is not None:
        store_master(photo, image)
    photo.renditions = make_renditions(photo)
    photo.save()
    if previous is not None:
        keep = files_in_use()
        transaction.on_commit(lambda: delete_files(previous, keep=keep))


def deleted(photos):
    """After photos are deleted: remove their files once the deletion is committed."""
    keep = files_in_use()
    for photo in photos:
        transaction.on_commit(lambda photo=photo: delete_files(photo, keep=keep))


def files_in_use():
    return {name for photo in Photo.objects.all() for name in [photo.master.name, *rendition_names(photo)]}
