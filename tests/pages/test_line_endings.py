"""A browser's CRLF line endings are stored as LF: History and Compare show only real changes."""

import pytest
from django.urls import reverse

from pages.models import Page
from tests.html import form_values
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def test_a_save_from_the_browser_changes_no_section_it_did_not_touch(admin_client):
    page = make_page(
        title="Fees",
        slug="fees-page",
        status=Page.Status.DRAFT,
        sections=[("One", "Line one.\n\nLine two."), ("Two", "More.")],
    )
    url = reverse("admin:pages_page_change", args=[page.pk])
    data = form_values(admin_client.get(url).content.decode())
    # What a browser sends for every text box.
    for key, value in list(data.items()):
        if key.endswith("-text"):
            data[key] = value.replace("\n", "\r\n")
    data["sections-1-text"] = "Changed.\r\nOn two lines."
    data["summary"] = "A summary\r\nover two lines."
    admin_client.post(url, data | {"_continue": "1"})
    sections = list(Page.objects.get(pk=page.pk).sections.order_by("order"))
    assert sections[0].text == "Line one.\n\nLine two."
    assert sections[1].text == "Changed.\nOn two lines."
    assert Page.objects.get(pk=page.pk).summary == "A summary\nover two lines."
    older, newer = page.revisions.order_by("number")
    assert older.content["sections"][0] == newer.content["sections"][0]
