"""The admin home's counts and how the practice is doing, in Chromium at phone and desktop sizes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import ConsultationRequest, Notification
from tests.browser import VIEWPORTS, looks_right
from tests.intake.factories import make_request
from tests.pages.factories import make_page

pytestmark = pytest.mark.browser
Status = ConsultationRequest.Status
LONG_ANSWER = "Therapistdirectorylistingforrelationshipcounsellingnearmeforcouplesandfamilies"


@pytest.fixture
def a_busy_month():
    now = timezone.now()
    today = timezone.localdate()
    couples = make_page(title="Therapy for Relationship Issues and Couples", slug="couples", kind="service")
    make_request(name="Nia", service=couples, heard_about="Psychology Today")
    make_request(name="Otis", received_at=now - timedelta(days=8), heard_about="psychology today")
    for name, follow_up, heard_about in (
        ("Wren", today, "Robin's neighbour Ana"),
        ("Cleo", today - timedelta(days=3), "A friend"),
    ):
        make_request(
            name=name,
            status=Status.CONTACTED,
            follow_up_on=follow_up,
            received_at=now - timedelta(hours=30),
            first_reply_at=now - timedelta(hours=26),
            service=couples,
            heard_about=heard_about,
        )
    # An answer typed without a space, long enough to push a phone's screen sideways if it did not wrap.
    for _ in range(2):
        make_request(status=Status.CLOSED, heard_about=LONG_ANSWER)
    Notification.objects.create(
        request=make_request(status=Status.CLOSED), kind="practice", attempts=2, last_error="SMTPConnectError"
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_admin_home_shows_what_waits_and_how_the_practice_is_doing(admin_page, a_busy_month, size):
    page, console = admin_page("", VIEWPORTS[size])
    summary = page.locator(".intake-summary")
    expect(summary).to_contain_text("2 new")
    expect(summary).to_contain_text("1 past your reply promise")
    expect(summary).to_contain_text("1 follow-up due today")
    expect(summary).to_contain_text("1 follow-up overdue")
    stats = page.locator(".intake-stats")
    expect(stats.get_by_role("heading", name="How the practice is doing")).to_be_visible()
    expect(stats).to_contain_text("Median time to your first reply")
    expect(stats).to_contain_text("4 hours")
    expect(stats).to_contain_text("Therapy for Relationship Issues and Couples: 3")
    expect(stats).to_contain_text("Psychology today: 2")
    expect(stats).to_contain_text(f"{LONG_ANSWER.capitalize()}: 2")
    expect(stats).not_to_contain_text("neighbour")
    expect(stats).not_to_contain_text("friend")
    looks_right(page, f"intake-admin-home-counts-{size}", console)
