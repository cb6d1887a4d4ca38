"""
Notes become dated entries in the request's timeline instead of one box that each save overwrote.
Each request's old notes become one note entry, dated when the request was last changed (the latest
the text can have been written). The reverse joins a request's note entries back into the box.
"""

from django.db import migrations

NOTE_SEPARATOR = "\n\n"


def move_notes_into_timeline(apps, schema_editor):
    ConsultationRequest = apps.get_model("intake", "ConsultationRequest")
    TimelineEntry = apps.get_model("intake", "TimelineEntry")
    with_notes = ConsultationRequest.objects.exclude(notes="").values_list("pk", "notes", "updated_at")
    TimelineEntry.objects.bulk_create(
        TimelineEntry(request_id=number, kind="note", at=updated_at, text=notes)
        for number, notes, updated_at in with_notes
        if notes.strip()
    )


def move_notes_back_into_the_box(apps, schema_editor):
    ConsultationRequest = apps.get_model("intake", "ConsultationRequest")
    TimelineEntry = apps.get_model("intake", "TimelineEntry")
    notes = TimelineEntry.objects.filter(kind="note").order_by("request_id", "at", "id")
    joined = {}
    for entry in notes:
        joined.setdefault(entry.request_id, []).append(entry.text)
    for number, texts in joined.items():
        ConsultationRequest.objects.filter(pk=number).update(notes=NOTE_SEPARATOR.join(texts))
    notes.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_timeline_replies_referrals_digest"),
    ]

    operations = [
        migrations.RunPython(move_notes_into_timeline, move_notes_back_into_the_box),
        migrations.RemoveField(model_name="consultationrequest", name="notes"),
    ]
