from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Window
from django.db.models.functions import RowNumber


def number_kept_versions(apps, schema_editor):
    """Versions kept so far are numbered per page in the order they were saved, from 1."""
    PageRevision = apps.get_model("pages", "PageRevision")
    numbered = PageRevision.objects.annotate(
        counted=Window(
            RowNumber(), partition_by=[F("page_id")], order_by=[F("created_at").asc(), F("id").asc()]
        )
    ).values_list("id", "counted")
    PageRevision.objects.bulk_update(
        [PageRevision(id=pk, number=counted) for pk, counted in numbered], ["number"], batch_size=500
    )


def one_line_ending(apps, schema_editor):
    Section = apps.get_model("pages", "Section")
    for section in Section.objects.filter(text__contains="\r") | Section.objects.filter(
        heading__contains="\r"
    ):
        section.text = section.text.replace("\r\n", "\n").replace("\r", "\n")
        section.heading = section.heading.replace("\r\n", "\n").replace("\r", "\n")
        section.save(update_fields=["text", "heading"])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0009_content_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="pagerevision",
            name="number",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="version"),
        ),
        migrations.RunPython(number_kept_versions, migrations.RunPython.noop),
        # Sections saved from a browser before line endings were made one kind (Section.save).
        migrations.RunPython(one_line_ending, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="pagerevision",
            constraint=models.UniqueConstraint(
                fields=("page", "number"), name="one_number_per_version_of_a_page"
            ),
        ),
    ]
