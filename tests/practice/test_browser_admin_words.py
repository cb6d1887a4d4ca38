"""The admin home and the list of requests in Chromium: the practice's name on top, plain titles, no library names."""

import pytest
from playwright.sync_api import expect

from pages.models import PracticeSettings
from tests.browser import VIEWPORTS, looks_right
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


@pytest.fixture
def wells_counseling():
    PracticeSettings.objects.update_or_create(pk=1, defaults={"practice_name": "Wells Counseling"})
    make_request(name="Robin", email="robin@example.com")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_admin_home_reads_in_the_therapist_s_words(admin_page, wells_counseling, size):
    page, console = admin_page("", VIEWPORTS[size])
    expect(page.locator("#site-name")).to_have_text("Wells Counseling · admin")
    expect(page).to_have_title("What would you like to do? | Wells Counseling · admin")
    expect(page.locator("caption a.section")).to_have_text(
        ["Consultation times", "Requests and replies", "Staff accounts", "Staff sign-in", "Website pages"]
    )
    text = page.locator("body").inner_text().lower()
    for word in ("axes", "otp", "totp", "access attempt", "access log", "authentication and authorization"):
        assert word not in text, word
    looks_right(page, f"admin-words-home-{size}", console)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_list_of_requests_is_titled_consultation_requests(admin_page, wells_counseling, size):
    page, console = admin_page("intake/consultationrequest/", VIEWPORTS[size])
    expect(page.locator("#content h1")).to_have_text("Consultation requests")
    expect(page).to_have_title("Consultation requests | Wells Counseling · admin")
    expect(page.locator("#result_list")).to_contain_text("Robin")
    looks_right(page, f"admin-words-requests-{size}", console)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_audit_log_reads_as_sentences(admin_page, wells_counseling, size):
    page, console = admin_page("intake/consultationrequest/", VIEWPORTS[size])
    page.locator("#result_list a").filter(has_text="Robin").click()
    page.wait_for_load_state()
    page.goto(page.url.split("/admin/")[0] + "/admin/intake/auditentry/")
    expect(page.locator("#content h1")).to_have_text("Audit log")
    expect(page.locator("#result_list")).to_contain_text("Viewed the list (1 request)")
    expect(page.locator("#result_list")).to_contain_text("Viewed request #")
    looks_right(page, f"admin-words-audit-log-{size}", console)
