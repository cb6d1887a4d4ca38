"""Two tabs, two people: a save over someone else's newer save is refused, and what was typed is kept."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from intake.models import ReplyTemplate
from pages.admin import PageAdmin
from pages.edit_conflicts import describe_changes
from pages.models import Page, PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.html import form_values
from tests.pages.factories import make_page
from tests.postgresql import only_on_postgresql
from tests.races import at_once

pytestmark = pytest.mark.django_db


def opened(client, url):
    return form_values(client.get(url).content.decode())


def test_the_second_of_two_tabs_is_refused_with_what_changed_and_keeps_what_it_typed(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT, sections=[("Cost", "Old.")])
    url = reverse("admin:pages_page_change", args=[page.pk])
    first, second = opened(admin_client, url), opened(admin_client, url)
    assert (
        admin_client.post(
            url, second | {"sections-0-text": "From the second tab.", "_continue": "1"}
        ).status_code
        == 302
    )
    response = admin_client.post(url, first | {"title": "Fees and insurance", "_continue": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: someone saved this since you opened it" in html
    assert "They changed: Section 1." in html
    assert 'value="Fees and insurance"' in html
    assert Page.objects.get(pk=page.pk).title == "Fees"
    assert Page.objects.get(pk=page.pk).sections.get().text == "From the second tab."
    # Saving the refused form again is a choice made knowing: it goes through.
    again = form_values(html) | {"_continue": "1"}
    assert admin_client.post(url, again).status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Fees and insurance"


def test_a_live_pages_draft_counts_as_a_save(admin_client):
    page = make_page(title="About", slug="about-us", sections=[("Hello", "Live.")])
    url = reverse("admin:pages_page_change", args=[page.pk])
    first, second = opened(admin_client, url), opened(admin_client, url)
    admin_client.post(url, second | {"summary": "A new summary.", "_continue": "1"})
    response = admin_client.post(url, first | {"sections-0-text": "Mine.", "_continue": "1"})
    assert "They changed: summary (now “A new summary.”)." in response.content.decode()


def test_a_save_without_anyone_elses_goes_through(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT)
    url = reverse("admin:pages_page_change", args=[page.pk])
    assert (
        admin_client.post(url, opened(admin_client, url) | {"title": "New", "_continue": "1"}).status_code
        == 302
    )


@pytest.mark.parametrize("which", ["practice settings", "reply template"])
def test_practice_settings_and_reply_templates_refuse_a_stale_save_too(admin_client, which):
    if which == "practice settings":
        url, field = (
            reverse("admin:pages_practicesettings_change", args=[PracticeSettings.load().pk]),
            "location",
        )
        record = PracticeSettings.load
    else:
        template = ReplyTemplate.objects.create(name="Hello", subject="Hi", body="Hi {name}")
        url, field = reverse("admin:intake_replytemplate_change", args=[template.pk]), "subject"
        record = ReplyTemplate.objects.filter(pk=template.pk).get
    label = record()._meta.get_field(field).verbose_name
    first, second = opened(admin_client, url), opened(admin_client, url)
    assert admin_client.post(url, second | {field: "Changed first"}).status_code == 302
    response = admin_client.post(url, first | {field: "Typed second", "_continue": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved: someone saved this since you opened it" in html
    assert f"They changed: {label} (now “Changed first”)." in html
    assert form_values(html)[field] == "Typed second"
    assert getattr(record(), field) == "Changed first"
    assert admin_client.post(url, form_values(html) | {"_continue": "1"}).status_code == 302
    assert getattr(record(), field) == "Typed second"


@pytest.mark.parametrize("name", ["admin:pages_practicesettings_change", "admin:intake_replytemplate_change"])
def test_practice_settings_and_reply_templates_say_who_else_has_them_open(admin_client, name):
    pk = (
        PracticeSettings.load().pk
        if "practice" in name
        else ReplyTemplate.objects.create(name="Hi", subject="Hi", body="Hi").pk
    )
    colleague = get_user_model().objects.create_superuser(
        "alex", "alex@example.org", "pw", first_name="Alex", last_name="Kim"
    )
    sign_in(Client(), colleague).get(reverse(name, args=[pk]))
    assert "Alex Kim also has this open (since" in admin_client.get(reverse(name, args=[pk])).content.decode()


def test_the_form_says_who_else_has_it_open(admin_client, db):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT)
    url = reverse("admin:pages_page_change", args=[page.pk])
    colleague = get_user_model().objects.create_superuser(
        "alex", "alex@example.org", "pw", first_name="Alex", last_name="Kim"
    )
    other = sign_in(Client(), colleague)
    other.get(url)
    html = admin_client.get(url).content.decode()
    assert "Alex Kim also has this open (since" in html
    assert "Alex Kim also has this open" not in other.get(url).content.decode()


def versions_shown(html):
    """Each row of “Versions of this page”: the version its heading names and its version column's number."""
    rows = re.split(r'<tr class="form-row has_original"\s+id="revisions-\d+">', html.split("</tbody>")[-2])[
        1:
    ]
    return [
        (
            re.search(r"Version (\d+), saved", row).group(1),
            re.search(r'<td class="field-number">\s*<p>(\d+)</p>', row).group(1),
        )
        for row in rows
    ]


def test_the_refused_form_lists_the_versions_as_they_are_now_each_row_its_own(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT, sections=[("Cost", "Old.")])
    url = reverse("admin:pages_page_change", args=[page.pk])
    first, second = opened(admin_client, url), opened(admin_client, url)
    admin_client.post(url, second | {"sections-0-text": "From the second tab.", "_continue": "1"})
    html = admin_client.post(url, first | {"title": "Mine", "_continue": "1"}).content.decode()
    assert "Not saved: someone saved this since you opened it" in html
    now = [str(number) for number in page.revisions.order_by("-number").values_list("number", flat=True)]
    assert versions_shown(html) == [(number, number) for number in now]


def test_a_version_removed_in_another_tab_does_not_stop_a_save(admin_client):
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT, sections=[("Cost", "Old.")])
    url = reverse("admin:pages_page_change", args=[page.pk])
    admin_client.post(url, opened(admin_client, url) | {"sections-0-text": "Second.", "_continue": "1"})
    first = opened(admin_client, url)
    oldest = page.revisions.order_by("number").first()
    admin_client.post(reverse("admin:pages_page_remove_version", args=[page.pk, oldest.pk]))
    assert admin_client.post(url, first | {"title": "Mine", "_continue": "1"}).status_code == 302
    assert Page.objects.get(pk=page.pk).title == "Mine"


def test_a_refusal_quotes_what_short_fields_hold_now_but_not_long_text():
    opened = {"title": "Fees", "order": 1, "open": True, "note": "", "body": "x" * 81, "lines": "a\nb"}
    now = {"title": "Costs", "order": 2, "open": False, "note": "Hi", "body": "y" * 81, "lines": "c\nd"}
    assert describe_changes(opened, now, {"title": "Title"}) == [
        "body",
        "lines",
        "note (now “Hi”)",
        "open (now not ticked)",
        "order (now “2”)",
        "Title (now “Costs”)",
    ]


@only_on_postgresql("row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_sent_at_the_same_moment_take_turns_and_the_second_is_refused(admin_user, monkeypatch):
    """Both tabs opened the page; both press Save at once. The first save holds the page until it is
    in, so the second is checked against it and refused, never written over it unseen."""
    page = make_page(title="Fees", slug="fees-page", status=Page.Status.DRAFT, sections=[("Cost", "Old.")])
    url = reverse("admin:pages_page_change", args=[page.pk])
    tabs = [sign_in(Client(), admin_user) for _ in range(2)]
    forms = [opened(tab, url) for tab in tabs]
    saving = PageAdmin.save_model

    def slow_save(self, request, obj, form, change):
        saving(self, request, obj, form, change)
        time.sleep(1)  # still inside the save's transaction: the other save arrives meanwhile

    monkeypatch.setattr(PageAdmin, "save_model", slow_save)
    outcomes = at_once(
        [
            lambda: tabs[0].post(url, forms[0] | {"title": "Fees, first tab", "_continue": "1"}),
            lambda: tabs[1].post(url, forms[1] | {"title": "Fees, second tab", "_continue": "1"}),
        ]
    )
    assert sorted(outcome.status_code for outcome in outcomes) == [200, 302]
    refused = next(outcome for outcome in outcomes if outcome.status_code == 200).content.decode()
    assert "Not saved: someone saved this since you opened it" in refused
    saved = next(outcome for outcome in outcomes if outcome.status_code == 302)
    assert Page.objects.get(pk=page.pk).title == (
        "Fees, first tab" if saved is outcomes[0] else "Fees, second tab"
    )
