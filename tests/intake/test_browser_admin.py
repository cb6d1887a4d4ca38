"""The therapist's admin home, the lists it links to and the erasure page, in Chromium at phone and desktop sizes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import ConsultationRequest, Notification
from tests.browser import VIEWPORTS, axe_violations, looks_right, screenshot
from tests.intake.factories import make_request, named

pytestmark = pytest.mark.browser
Status = ConsultationRequest.Status


@pytest.fixture
def needs_attention():
    """A practice with something of everything the admin home flags."""
    now = timezone.now()
    robin = make_request(name="Robin", email="robin@example.com", phone="555-123-4567", text_ok=True)
    make_request(name="R.", email="Robin@Example.com", status=Status.CLOSED)
    overdue = make_request(
        name="Overdue Olive", email="olive@example.org", received_at=now - timedelta(days=8)
    )
    make_request(
        name="Forgotten Fern",
        email="fern@example.org",
        status=Status.WAITLISTED,
        received_at=now - timedelta(days=400),
    )
    named("Forgotten Fern").update(updated_at=now - timedelta(days=400))
    make_request(name="Spam Bot", email="bot@example.net", status=Status.SPAM, spam_reason="honeypot")
    Notification.objects.create(request=robin, kind="practice", created_at=now - timedelta(minutes=10))
    Notification.objects.create(request=overdue, kind="practice", attempts=2, last_error="SMTPConnectError")
    return robin


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_admin_home_flags_what_needs_attention_one_click_from_it(admin_page, needs_attention, size):
    page, console = admin_page("", VIEWPORTS[size])
    summary = page.locator(".intake-summary")
    expect(summary).to_contain_text("1 email waited more than five minutes")
    expect(summary).to_contain_text("1 email could not be sent yet")
    expect(summary).to_contain_text("1 past your reply promise")
    looks_right(page, f"intake-admin-home-{size}", console)

    summary.get_by_role("link", name="1 request set aside as spam in the last 7 days").click()
    expect(page.locator("#result_list")).to_contain_text("Spam Bot")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(page, f"intake-admin-spam-week-{size}")
    assert axe_violations(page) == []

    page.go_back()
    page.locator(".intake-summary").get_by_role("link", name="1 open request unchanged for 180 days").click()
    expect(page.locator("#result_list")).to_contain_text("Forgotten Fern")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(page, f"intake-admin-untouched-{size}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_erasure_page_names_no_one_and_erases_on_confirmation(admin_page, needs_attention, size):
    robin = needs_attention
    page, console = admin_page("intake/consultationrequest/?status=all", VIEWPORTS[size])
    page.locator(f"input[name=_selected_action][value='{robin.pk}']").check()
    page.select_option("select[name=action]", "erase_person")
    page.locator("button[name=index]").first.click()
    page.wait_for_load_state()
    content = page.locator("#content")
    expect(content.locator("caption")).to_have_text("2 requests to erase")
    expect(content).to_contain_text("you selected it")
    expect(content).to_contain_text("same email")
    for value in ("Robin", "R.", "robin@example.com", "555-123-4567"):
        expect(content).not_to_contain_text(value)
    looks_right(page, f"intake-admin-erase-{size}", console)

    page.get_by_role("button", name="Yes, erase 2 requests").click()
    expect(page.locator(".messagelist")).to_contain_text("Erased 2 request(s)")
    assert not any(
        e.lower() == "robin@example.com" for e in ConsultationRequest.objects.values_list("email", flat=True)
    )
