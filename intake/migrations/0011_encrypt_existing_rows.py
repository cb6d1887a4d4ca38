"""
Seals the requests, timeline entries and queued emails stored before encryption (at_rest/resealing.py),
fills the lookup hashes, then drops the plain phone digits. Reversible: back to plain text, digits refilled.
"""

from django.db import migrations

from at_rest.resealing import reseal_all, write_plain
from intake.models.request import lookup_hashes, phone_digits, search_text

MODELS = ["ConsultationRequest", "TimelineEntry", "Notification"]


def with_hashes(row):
    email_hash, phone_hash = lookup_hashes(row.email, row.phone)
    return {
        "email_hash": email_hash,
        "phone_hash": phone_hash,
        "search_text": search_text(row.name, row.email, row.phone),
    }


def encrypt_rows(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("intake", name)
        reseal_all(model, extra=with_hashes if name == "ConsultationRequest" else None)


def decrypt_rows(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("intake", name)
        refill = (
            (lambda row: {"phone_digits": phone_digits(row.phone)}) if name == "ConsultationRequest" else None
        )
        write_plain(model, extra=refill)


class Migration(migrations.Migration):
    dependencies = [("intake", "0010_encrypted_fields_and_lookup_hashes")]

    operations = [
        migrations.RunPython(encrypt_rows, decrypt_rows),
        migrations.RemoveField(model_name="consultationrequest", name="phone_digits"),
    ]
