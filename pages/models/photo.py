from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q


class Photo(models.Model):
    """An image uploaded in admin, kept without metadata, with renditions made once (pages/photos.py)."""

    title = models.CharField(max_length=120, help_text="For you: a name to find the photo by in lists.")
    alt_text = models.CharField(
        "description for screen readers",
        max_length=250,
        blank=True,
        help_text="What the photo shows, in a sentence, for people who cannot see it "
        "(for example: “Dr. Wells smiling in her office, bookshelves behind her”).",
    )
    decorative = models.BooleanField(
        "decorative only",
        default=False,
        help_text="Tick if the photo adds nothing a reader would miss; screen readers then skip it.",
    )
    focal_x = models.PositiveSmallIntegerField(
        "focal point across (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="Where the important part is, from the left edge (0) to the right (100). "
        "Crops keep it in view.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point down (%)",
        default=50,
        validators=[MaxValueValidator(100)],
        help_text="From the top (0) to the bottom (100).",
    )
    master = models.FileField(editable=False)
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    renditions = models.JSONField(editable=False, default=dict)
    created_at = models.DateTimeField("uploaded", auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100), name="photo_focal_point_inside"
            ),
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""), name="photo_alt_text_or_decorative"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.decorative and not self.alt_text.strip():
            raise ValidationError(
                {
                    "alt_text": "Describe the photo, or tick “decorative only” if it adds nothing a reader would miss."
                },
                code="alt_text_required",
            )
