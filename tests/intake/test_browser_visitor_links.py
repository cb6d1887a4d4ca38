"""The request's timeline in a browser: each of the visitor's links named, none shown, at both widths."""

import pytest
from playwright.sync_api import expect

from intake.consultation_time.offered_times import pick_token, send_offer
from intake.life.replies import send_reply
from intake.life.withdrawal import withdraw_token
from tests.browser import VIEWPORTS, looks_right
from tests.intake.factories import make_request
from tests.intake.replying import template_named

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_timeline_names_the_visitors_links_and_shows_none(admin_page, size):
    consultation = make_request(name="Robin")
    send_reply(
        consultation,
        template=template_named("Offer a consultation"),
        subject="Your request",
        body="Hello {name}",
        referrals=[],
        user=None,
    )
    send_offer(consultation, subject="Some times", body="Here are some times.", user=None)
    page, console = admin_page(f"intake/consultationrequest/{consultation.pk}/change/", VIEWPORTS[size])
    timeline = page.locator(".intake-timeline")
    expect(timeline).to_contain_text("[the visitor's withdraw link]")
    expect(timeline).to_contain_text("[the visitor's link to pick times]")
    html = page.content()
    assert withdraw_token(consultation) not in html and pick_token(consultation) not in html
    looks_right(page, f"intake-timeline-visitor-links-{size}", console)
