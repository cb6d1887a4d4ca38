"""
The shipped privacy notice says visitors can withdraw a request themselves, with the link in the
email confirming it arrived. A section the therapist has edited is left as it is.
"""

from django.db import migrations

from pages.rendering import render_sections

HEADING = "Asking for deletion"
SHIPPED_TEXT = (
    "You can ask at any time for your request to be deleted, by phone or email using the contact "
    "details at the bottom of this page. It will be erased from this website."
)
NEW_TEXT = (
    SHIPPED_TEXT + "\n\nIf you received an email confirming that your request arrived, it has a link to "
    "withdraw the request yourself. Your request is then deleted from this website straight away, with "
    "everything you sent and any notes kept about it, and I am told only its number."
)
# As in 0003: the fields a page's revision keeps, so the change shows in the page's history.
SNAPSHOT_FIELDS = [
    "title",
    "slug",
    "kind",
    "summary",
    "status",
    "show_in_menu",
    "menu_title",
    "menu_order",
    "show_relationship_safety_notice",
]


def replace_text(apps, old, new):
    Section = apps.get_model("pages", "Section")
    PageRevision = apps.get_model("pages", "PageRevision")
    for section in Section.objects.filter(page__slug="privacy", heading=HEADING, text=old):
        section.text = new
        section.save(update_fields=["text"])
        page = section.page
        sections = list(page.sections.order_by("order", "id"))
        page.body_html = render_sections(sections)
        page.save(update_fields=["body_html", "updated_at"])
        content = {field: getattr(page, field) for field in SNAPSHOT_FIELDS}
        content["publish_at"] = page.publish_at.isoformat() if page.publish_at else None
        content["sections"] = [{"order": s.order, "heading": s.heading, "text": s.text} for s in sections]
        PageRevision.objects.create(page=page, content=content)


def mention_the_link(apps, schema_editor):
    replace_text(apps, SHIPPED_TEXT, NEW_TEXT)


def without_the_link(apps, schema_editor):
    replace_text(apps, NEW_TEXT, SHIPPED_TEXT)


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_digest_time")]

    operations = [migrations.RunPython(mention_the_link, without_the_link)]
