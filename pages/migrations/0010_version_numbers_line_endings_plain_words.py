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
        migrations.AlterModelOptions(
            name="slugredirect",
            options={"verbose_name": "old address", "verbose_name_plural": "old addresses"},
        ),
        migrations.AlterField(
            model_name="page",
            name="slug",
            field=models.SlugField(
                error_messages={
                    "invalid": "Use only lowercase letters, numbers and hyphens, for example couples-therapy.",
                    "unique": "Another page already has this address. Choose another, for example one with a word more.",
                },
                help_text="What comes after the site's name in the page's address, for example fees in /fees/. Lowercase words joined by hyphens. If you change it, the old address keeps working.",
                max_length=100,
                unique=True,
                verbose_name="web address",
            ),
        ),
        migrations.AlterField(
            model_name="slugredirect",
            name="old_slug",
            field=models.SlugField(max_length=100, unique=True, verbose_name="old address"),
        ),
        migrations.AlterConstraint(
            model_name="page",
            name="one_home_page",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "home")),
                fields=("kind",),
                name="one_home_page",
                violation_error_message="The site already has a home page. Choose another kind of page, or change the home page itself.",
            ),
        ),
    ]
