from pages import drafts
from pages.models import Page
from pages.publishing import page_saved


def make_page(sections=(("", "Some words."),), **kwargs):
    """A page with sections, saved the way admin saves one (rendered body, a revision)."""
    defaults = {
        "title": "A page",
        "slug": f"page-{Page.objects.count() + 1}",
        "summary": "A summary.",
        "kind": Page.Kind.STANDARD,
        "status": Page.Status.PUBLISHED,
    }
    page = Page.objects.create(**(defaults | kwargs))
    for order, (heading, text) in enumerate(sections):
        page.sections.create(order=order, heading=heading, text=text)
    page_saved(page, user=None)
    return page


def drafted_service_page(text="Drafted words."):
    """The seeded service page, live, with its first section changed in a draft (so the editor shows
    every button: Publish, Discard draft, Unpublish...)."""
    page = Page.objects.get(slug="relationship-issues")
    section = page.sections.first()
    section.text = text
    section.save()
    drafts.save_draft(page, user=None)
    return page
