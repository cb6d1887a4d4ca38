"""
The form's first choices, from the relationship-issues service copy. The therapist
edits them in admin afterwards; a choice that already exists is left alone.
"""

from django.db import migrations

CONCERNS = [
    "Pulling away when things get close",
    "Over-functioning to keep the peace",
    "Feeling easily rejected",
    "Getting stuck in cycles of conflict",
    "Overthinking every interaction",
    "Feeling your needs are “too much”",
    "Struggling to trust that others are there for you",
    "Something else, or I would rather talk about it",
]
RELATIONSHIPS = ["Partner", "Family", "Friends", "Work", "Dating"]


def seed(apps, schema_editor):
    for model_name, labels in (("Concern", CONCERNS), ("Relationship", RELATIONSHIPS)):
        model = apps.get_model("intake", model_name)
        for order, label in enumerate(labels, start=1):
            model.objects.get_or_create(label=label, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_requests_audit_and_outbox")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
