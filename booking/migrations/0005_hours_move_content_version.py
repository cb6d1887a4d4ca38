from django.db import migrations

from pages.freshness.triggers import create_triggers, drop_triggers, run

# The consultation hours' own row (booking on, length, notice...): the form reads it once per content
# version (intake/form/views.py), so a change to it moves the version like a page's does (pages 0009).
# Its weekly windows and days off are read afresh with the open times, on every request.
TABLE = "booking_consultationhours"


def add_triggers(apps, schema_editor):
    run(schema_editor, create_triggers(schema_editor.connection.vendor, TABLE))


def remove_triggers(apps, schema_editor):
    run(schema_editor, drop_triggers(schema_editor.connection.vendor, TABLE))


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_a_hold_has_an_end"),
        ("pages", "0009_content_version"),
    ]

    operations = [migrations.RunPython(add_triggers, remove_triggers)]
