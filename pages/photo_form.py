"""The photo form in admin: a file checked and cleaned as it is read, and kept across a form error."""

from django import forms
from django.utils.html import format_html

from pages import kept_uploads, photos
from pages.models import Photo


class KeptFileInput(forms.FileInput):
    """A file box that says which photo it keeps from a form that came back with an error."""

    kept = None  # (file name, thumbnail URL), set by PhotoForm

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        if not self.kept:
            return box
        file_name, thumbnail = self.kept
        return format_html(
            '<p class="photo-kept"><img src="{}" alt=""> <span><strong>Photo kept: “{}”.</strong> '
            "Saving uses it; choose another file below only to change it.</span></p>{}",
            thumbnail,
            file_name,
            box,
        )


class PhotoForm(forms.ModelForm):
    image = forms.FileField(
        label="photo file",
        required=False,
        widget=KeptFileInput(
            attrs={"accept": ",".join(f"image/{name.lower()}" for name in photos.ACCEPTED_FORMATS)}
        ),
        help_text=f"{photos.ACCEPTED_LABEL}; up to {photos.MAX_UPLOAD_BYTES // 1024 // 1024} MB and "
        f"{photos.MAX_PIXELS // 1_000_000} million pixels. The photo's location and camera details are removed. "
        "Choose a new file to replace this photo everywhere it is shown.",
    )
    # The photo chosen before the form came back with an error (pages/kept_uploads.py).
    kept_image = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Photo
        fields = ["title", "image", "alt_text", "decorative", "focal_x", "focal_y"]

    def clean_image(self):
        upload = self.cleaned_data["image"]
        self.image_name = None
        if upload:
            self.image_name = upload.name
            return photos.read_upload(upload)
        try:
            found = kept_uploads.kept(self.data.get(self.add_prefix("kept_image")))
        except kept_uploads.Gone as gone:
            raise forms.ValidationError(
                f"The photo you chose before, “{gone}”, is no longer kept (a photo waits a day): choose it again.",
                code="kept_photo_gone",
            ) from None
        if found:
            image, self.image_name = found
            return image
        if self.instance.pk is None:
            raise forms.ValidationError("Choose a photo to upload.", code="required")
        return None

    def full_clean(self):
        super().full_clean()
        image = self.cleaned_data.get("image") if hasattr(self, "cleaned_data") else None
        if not self._errors or image is None:
            return
        # Sent back with an error elsewhere: the chosen photo comes back too, as every typed field does.
        token = self.data.get(self.add_prefix("kept_image"))
        if self.files.get(self.add_prefix("image")):  # a new file, in place of any kept before
            kept_uploads.forget(token)
            token = kept_uploads.keep(image, self.image_name)
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_image")] = token
        self.fields["image"].widget.kept = (self.image_name, kept_uploads.thumbnail_url(image))

    def saved(self):
        """The photo is saved: what was kept for it is no longer needed."""
        kept_uploads.forget(self.cleaned_data["kept_image"])
