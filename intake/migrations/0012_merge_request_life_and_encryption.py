"""Joins two migrations written side by side (each branch of work added one); nothing to do."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_practice_cancel_when_erased"),
        ("intake", "0011_encrypt_existing_rows"),
    ]

    operations = []
