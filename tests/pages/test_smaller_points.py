"""Issue 25's smaller points: times as written, a real phone number, plain labels, the checklist."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse

from pages import drafts
from pages.models import PracticeSettings
from pages.templatetags.setup_checklist import missing_settings
from pages.time_fields import PlainTimeField
from tests.html import form_values
from tests.pages.factories import make_page
from tests.pages.photo_helpers import make_photo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("9am", time(9)),
        ("9 AM", time(9)),
        ("9:30 pm", time(21, 30)),
        ("12am", time(0)),
        ("12pm", time(12)),
        ("14:00", time(14)),
        ("08:00:00", time(8)),
        ("7.15 p.m.", time(19, 15)),
    ],
)
def test_a_time_is_read_as_people_write_it(written, meant):
    assert PlainTimeField().clean(written) == meant


@pytest.mark.parametrize("written", ["13pm", "25:00", "nine", "9:75"])
def test_a_time_that_is_not_one_gets_a_plain_message(written):
    with pytest.raises(Exception, match="Write a time such as 9am"):
        PlainTimeField().clean(written)


def settings_form(admin_client):
    url = reverse("admin:pages_practicesettings_change", args=[PracticeSettings.load().pk])
    return url, form_values(admin_client.get(url).content.decode())


def test_the_daily_summary_time_reads_like_the_clock_and_takes_9am(admin_client):
    url, data = settings_form(admin_client)
    assert data["digest_time"] == "8:00 am"
    admin_client.post(url, data | {"digest_time": "9am"})
    assert PracticeSettings.load().digest_time == time(9)


def test_a_public_phone_needs_the_digits_of_one(admin_client):
    url, data = settings_form(admin_client)
    response = admin_client.post(url, data | {"phone": "555 12"})
    assert "“555 12” has 5 digits" in response.content.decode()
    admin_client.post(url, data | {"phone": "(555) 201-3344"})
    assert PracticeSettings.load().phone == "(555) 201-3344"


def test_the_checklist_asks_for_the_practices_name(db):
    practice = PracticeSettings.load()
    assert "practice_name" in [field for _, field in missing_settings(practice)]
    practice.practice_name = "Wells Couples Therapy"
    assert "practice_name" not in [field for _, field in missing_settings(practice)]


def test_a_scheduled_draft_says_when_it_goes_live_in_the_list(admin_client):
    page = make_page(title="Fees", slug="fees-page", sections=[("One", "Live.")])
    page.sections.update(text="Drafted.")
    drafts.save_draft(page, user=None)
    drafts.publish(page, at=datetime.now(UTC) + timedelta(days=2))
    html = admin_client.get(reverse("admin:pages_page_changelist")).content.decode()
    assert "published, changes go live" in html


def test_the_photo_lists_thumbnail_link_has_a_name(admin_client, media_root):
    make_photo(title="Our room")
    html = admin_client.get(reverse("admin:pages_photo_changelist")).content.decode()
    assert 'alt="Edit “Our room”"' in html
