"""
The shipped privacy notice says what is stored encrypted (docs/privacy-at-rest.md) and what is not.
A section the therapist has edited is left as it is.
"""

import importlib

from django.db import migrations

from pages.rendering import render_sections

HEADING = "Who sees your request"
SHIPPED_TEXT = (
    "Only the therapist, and anyone the practice specifically authorises to help with requests, can "
    "read it, after signing in. Every time a request is opened, changed, exported or deleted, that "
    "is recorded.\n\n"
    "The email that tells the therapist a new request has arrived contains no details about you: "
    "only a request number. Your details stay on this website's server."
)
NEW_TEXT = (
    SHIPPED_TEXT
    + "\n\nWhat you type, and the notes and replies kept about your request, are stored encrypted, "
    "and so are the website's backups: someone who got hold of the server's disk or a backup could not read "
    "them. The request's number, its status and dates, and the answers you choose from a list (such as your "
    "state) are not encrypted."
)

# 0005's: the section's text replaced, the page re-rendered, a revision kept for its history.
shipped_migration = importlib.import_module("pages.migrations.0005_privacy_notice_withdraw_link")


def in_section(apps, old, new):
    Section = apps.get_model("pages", "Section")
    PageRevision = apps.get_model("pages", "PageRevision")
    for section in Section.objects.filter(page__slug="privacy", heading=HEADING, text=old):
        section.text = new
        section.save(update_fields=["text"])
        page = section.page
        sections = list(page.sections.order_by("order", "id"))
        page.body_html = render_sections(sections)
        page.save(update_fields=["body_html", "updated_at"])
        content = {field: getattr(page, field) for field in shipped_migration.SNAPSHOT_FIELDS}
        content["publish_at"] = page.publish_at.isoformat() if page.publish_at else None
        content["sections"] = [{"order": s.order, "heading": s.heading, "text": s.text} for s in sections]
        PageRevision.objects.create(page=page, content=content)


def say_what_is_encrypted(apps, schema_editor):
    in_section(apps, SHIPPED_TEXT, NEW_TEXT)


def as_shipped(apps, schema_editor):
    in_section(apps, NEW_TEXT, SHIPPED_TEXT)


class Migration(migrations.Migration):
    dependencies = [("pages", "0009_content_version")]

    operations = [migrations.RunPython(say_what_is_encrypted, as_shipped)]
