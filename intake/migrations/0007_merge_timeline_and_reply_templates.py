"""Joins the two 0006 migrations made side by side: notes into the timeline, and the seeded reply templates."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0006_notes_into_timeline"),
        ("intake", "0006_seed_reply_templates"),
    ]

    operations = []
