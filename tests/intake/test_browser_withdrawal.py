"""The withdraw link as a visitor meets it, in Chromium: keyboard only, accessible, first-party only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.life.withdrawal import withdraw_token
from intake.models import AuditEntry, ConsultationRequest
from tests.browser import VIEWPORTS, axe_violations, screenshot, scrolls_sideways, tab_to
from tests.intake.factories import make_request

pytestmark = pytest.mark.browser


def looks_right(page, requests, console, name):
    """Screenshot it; check axe, sideways scrolling, other origins and the Content Security Policy."""
    screenshot(page, name)
    assert axe_violations(page) == [], name
    assert not scrolls_sideways(page), name
    assert requests.other_origins() == [], name
    assert [message for message in console if "Content Security Policy" in message] == [], name


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_visitor_withdraws_their_request_with_the_keyboard_only(visit, site_url, size):
    consultation = make_request(name="Robin Quokka")
    token = withdraw_token(consultation)
    page, requests, console, referers = visit(f"/consultation/withdraw/{token}/", VIEWPORTS[size])
    assert page.locator("h1").inner_text() == "Withdraw your request"
    assert "Robin" not in page.content()
    looks_right(page, requests, console, f"intake-withdraw-{size}")

    tab_to(page, "withdraw-submit")
    page.keyboard.press("Enter")
    page.wait_for_url(site_url + "/consultation/withdrawn/")
    assert page.locator("h1").inner_text() == "Your request has been withdrawn"
    looks_right(page, requests, console, f"intake-withdrawn-{size}")
    assert not ConsultationRequest.objects.exists()
    assert AuditEntry.objects.get().request_number == consultation.pk
    # The token never left in a Referer, not even to the site's own stylesheets or with the form.
    assert referers and not [
        referer for referer in referers if token[:12] in referer or "withdraw/" in referer
    ]


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_link_that_no_longer_works_says_so_kindly(visit, size):
    long_ago = timezone.now() - timedelta(days=400)
    stale = make_request(status=ConsultationRequest.Status.CLOSED, status_changed_at=long_ago)
    page, requests, console, _ = visit(f"/consultation/withdraw/{withdraw_token(stale)}/", VIEWPORTS[size])
    assert "already been deleted, or the link has expired" in page.locator("h1").inner_text()
    looks_right(page, requests, console, f"intake-withdraw-expired-{size}")

    page, requests, console, _ = visit(
        f"/consultation/withdraw/{withdraw_token(stale)[:-6]}/", VIEWPORTS[size]
    )
    assert page.locator("h1").inner_text() == "This link is not complete"
    looks_right(page, requests, console, f"intake-withdraw-not-valid-{size}")
    assert ConsultationRequest.objects.filter(pk=stale.pk).exists()
