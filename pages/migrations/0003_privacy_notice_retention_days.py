"""
The shipped privacy notice states the retention rule in full and shows the days from
INTAKE_RETENTION_DAYS (the {retention_days} placeholder, filled in when the page is shown)
instead of a hard-coded "180 days". A section the therapist has edited is left as it is.
"""

from django.db import migrations, models

from pages.rendering import render_sections

HEADING = "How long it is kept"
SHIPPED_TEXT = (
    "Requests that are closed, go unanswered or are marked as spam are deleted automatically after "
    "180 days. Other requests are kept only while they are needed to arrange and begin our work "
    "together."
)
NEW_TEXT = (
    "Once your request is closed, whatever the outcome (we begin working together, I refer you to someone "
    "else, we are not the right fit, I do not hear back from you, or it is marked as spam), it is deleted "
    "from this website automatically {retention_days} days later. If we work together, your records are "
    "kept separately, not on this website. A request still in progress, such as a consultation being "
    "arranged or a place on the waitlist, is kept until it is closed."
)
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


def use_the_setting(apps, schema_editor):
    replace_text(apps, SHIPPED_TEXT, NEW_TEXT)


def back_to_180_days(apps, schema_editor):
    replace_text(apps, NEW_TEXT, SHIPPED_TEXT)


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_first_content")]

    operations = [
        migrations.AlterField(
            model_name="section",
            name="text",
            field=models.TextField(
                blank=True,
                help_text="Leave an empty line between paragraphs. *Italic*, **bold**, "
                "[link text](https://example.com), and lines starting with '- ' become a bulleted list. "
                "Write {retention_days} where the number of days consultation requests are kept "
                "should appear: the site fills in the number it actually uses.",
            ),
        ),
        migrations.RunPython(use_the_setting, back_to_180_days),
    ]
