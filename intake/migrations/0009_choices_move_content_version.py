from django.db import migrations

from pages.freshness.triggers import create_triggers, drop_triggers, run

# The form's choices: a change to one moves the content version like a page's does (pages 0009).
TABLES = ["intake_concern", "intake_relationship"]


def add_triggers(apps, schema_editor):
    for table in TABLES:
        run(schema_editor, create_triggers(schema_editor.connection.vendor, table))


def remove_triggers(apps, schema_editor):
    for table in TABLES:
        run(schema_editor, drop_triggers(schema_editor.connection.vendor, table))


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0008_notifications_about_bookings"),
        ("pages", "0009_content_version"),
    ]

    operations = [migrations.RunPython(add_triggers, remove_triggers)]
