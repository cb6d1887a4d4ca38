"""Joins two migrations written side by side (each branch of work added one); nothing to do."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0010_privacy_notice_encryption_at_rest"),
        ("pages", "0010_version_numbers_line_endings_plain_words"),
    ]

    operations = []
