"""
The request's location answer is now stored encrypted (intake 0013): the privacy notice stops listing
the state among what is not, and says the one thing about it that is not (whether it is a licensed
state). As 0010, a section the therapist has edited is left as it is.
"""

import importlib

from django.db import migrations
from django.db.models import Max

from pages.rendering import render_sections

said_what_is_encrypted = importlib.import_module("pages.migrations.0010_privacy_notice_encryption_at_rest")

OLD_TEXT = said_what_is_encrypted.NEW_TEXT
NEW_TEXT = (
    said_what_is_encrypted.SHIPPED_TEXT
    + "\n\nWhat you type, the state you will be in during sessions, and the notes and replies kept about "
    "your request, are stored encrypted, and so are the website's backups: someone who got hold of the "
    "server's disk or a backup could not read them. The request's number, its status and dates, whether "
    "that state is one the therapist is licensed in, and the other answers you choose from a list (such "
    "as how to contact you) are not encrypted."
)


def in_section(apps, old, new):
    """0010's, now that versions are numbered (0010_version_numbers): the kept version gets the next one."""
    Section = apps.get_model("pages", "Section")
    PageRevision = apps.get_model("pages", "PageRevision")
    snapshot_fields = said_what_is_encrypted.shipped_migration.SNAPSHOT_FIELDS
    for section in Section.objects.filter(
        page__slug="privacy", heading=said_what_is_encrypted.HEADING, text=old
    ):
        section.text = new
        section.save(update_fields=["text"])
        page = section.page
        sections = list(page.sections.order_by("order", "id"))
        page.body_html = render_sections(sections)
        page.save(update_fields=["body_html", "updated_at"])
        content = {field: getattr(page, field) for field in snapshot_fields}
        content["publish_at"] = page.publish_at.isoformat() if page.publish_at else None
        content["sections"] = [{"order": s.order, "heading": s.heading, "text": s.text} for s in sections]
        last = PageRevision.objects.filter(page=page).aggregate(last=Max("number"))["last"] or 0
        PageRevision.objects.create(page=page, content=content, number=last + 1)


def say_the_location_is_encrypted(apps, schema_editor):
    in_section(apps, OLD_TEXT, NEW_TEXT)


def as_before(apps, schema_editor):
    in_section(apps, NEW_TEXT, OLD_TEXT)


class Migration(migrations.Migration):
    dependencies = [("pages", "0011_merge_version_numbers_and_privacy_notice")]

    operations = [migrations.RunPython(say_the_location_is_encrypted, as_before)]
