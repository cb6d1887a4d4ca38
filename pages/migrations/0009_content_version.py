from django.db import migrations, models

from pages.freshness.triggers import (
    BUMP,
    create_function,
    create_triggers,
    drop_function,
    drop_triggers,
    run,
)

# Every table of pages' that a visitor's page is made from. Revisions too: a restored or
# scheduled one is how a page changes, and moving the number once more costs one page render.
TABLES = [
    "pages_page",
    "pages_section",
    "pages_pagerevision",
    "pages_slugredirect",
    "pages_practicesettings",
    "pages_photo",
]


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    run(schema_editor, create_function(vendor))
    for table in TABLES:
        run(schema_editor, create_triggers(vendor, table))
    run(schema_editor, [BUMP[vendor]])


def remove_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        run(schema_editor, drop_triggers(vendor, table))
    run(schema_editor, drop_function(vendor))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0008_drafts_of_live_pages"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.BigIntegerField()),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("id", 1)), name="one_content_version")
                ],
            },
        ),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
