import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from pages import photos
from pages.models import Photo


def image_bytes(size=(1400, 1000), image_format="JPEG", colour=(40, 110, 100), **save_options):
    buffer = io.BytesIO()
    mode = "RGBA" if image_format in ("PNG", "WEBP") and save_options.pop("alpha", False) else "RGB"
    Image.new(mode, size, colour).save(buffer, image_format, **save_options)
    return buffer.getvalue()


def upload(data, name="photo.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def make_photo(size=(1400, 1000), **kwargs):
    """A photo saved the way admin saves one: cleaned, with its renditions."""
    photo = Photo(**({"title": "Portrait", "alt_text": "The therapist in her office"} | kwargs))
    photos.process(photo, image=photos.read_upload(upload(image_bytes(size))))
    return photo
