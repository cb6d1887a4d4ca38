from django.db import models


class ChoiceOption(models.Model):
    """A choice on the form that the therapist edits in admin, without a deploy."""

    label = models.CharField(max_length=200, help_text="As the visitor reads it on the form.")
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers come first.")
    active = models.BooleanField(
        "show on the form",
        default=True,
        help_text="Untick to retire a choice: past requests keep it. Deleting removes it from them too.",
    )

    class Meta:
        abstract = True
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["label"], name="%(app_label)s_%(class)s_unique_label")]

    def __str__(self):
        return self.label


class Concern(ChoiceOption):
    class Meta(ChoiceOption.Meta):
        verbose_name = "relationship concern"


class Relationship(ChoiceOption):
    class Meta(ChoiceOption.Meta):
        verbose_name = "kind of relationship"
        verbose_name_plural = "kinds of relationship"
