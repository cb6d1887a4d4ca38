"""
One request's life in Chromium at 375 px, visitor → therapist → visitor: pick, confirm, move,
cancel, decline, withdraw. After each step, what the visitor's page and emails say agrees with the
database and with each other (issue 23).
"""

import pytest
from django.core import mail

from booking.links import manage_token
from booking.models import Booking
from intake.life.notifications import send_due_notifications
from intake.life.withdrawal import withdraw_token
from intake.models import ConsultationRequest, Notification
from tests.browser import looks_right, screenshot
from tests.clock_words import visitor_words
from tests.hours import AN_HOUR_A_DAY, offered, open_hours
from tests.intake.visitor_form import fill_required, time_checkbox

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("human_speed")]
PHONE = {"width": 375, "height": 740}


def visitor_emails():
    """Subjects of the emails sent to the visitor since the last look, sending what is queued."""
    send_due_notifications()
    subjects = [email.subject for email in mail.outbox if email.to == ["robin@example.com"]]
    mail.outbox.clear()
    return subjects


def test_pick_confirm_move_cancel_decline_withdraw_agree_at_375(open_page, admin_page, site_url, settings):
    settings.INTAKE_ACKNOWLEDGE_VISITORS = True
    open_hours(AN_HOUR_A_DAY, days_ahead=6)
    first, second = offered()[:2]

    # The visitor picks two times.
    page, requests = open_page("/consultation/", PHONE)
    page.click("#booking-section-summary")
    fill_required(page)
    page.check(time_checkbox(first))
    page.check(time_checkbox(second))
    page.check("#id_way_1")  # video
    page.click("#intake-submit")
    page.wait_for_url(site_url + "/consultation/thanks/")
    screenshot(page, "life-1-picked-375")
    consultation = ConsultationRequest.objects.get()
    assert set(consultation.bookings.values_list("state", flat=True)) == {Booking.State.HELD}
    assert visitor_emails() == [f"Your consultation request to {consultation_practice()}"]

    # The therapist confirms the first.
    admin, console = admin_page(f"intake/consultationrequest/{consultation.pk}/change/", PHONE)
    admin.locator(".intake-booking__confirm").first.click()
    admin.wait_for_load_state()
    assert "Confirmed request" in admin.locator(".messagelist").inner_text()
    assert admin.locator(".intake-booking__change").count() == 1
    assert admin.locator(".intake-booking__offer-button").count() == 0, "no offer while booked"
    screenshot(admin, "life-2-confirmed-admin-375")
    booking = Booking.objects.get(state=Booking.State.CONFIRMED)
    assert booking.starts_at == first.starts_at
    assert visitor_emails() == [f"Your consultation with {consultation_practice()} is confirmed"]

    # The visitor moves it.
    page.goto(site_url + f"/consultation/time/{manage_token(booking)}/")
    page.locator('input[name="time"]').last.check()
    page.click("#move-submit")
    page.wait_for_url(site_url + "/consultation/moved/")
    moved_text = page.locator("main").inner_text()
    moved = Booking.objects.get(state=Booking.State.CONFIRMED)
    screenshot(page, "life-3-moved-375")
    assert moved.pk != booking.pk and moved.invite_sequence == 1
    assert visitor_words(moved.starts_at) in moved_text
    assert visitor_emails() == [f"Your consultation with {consultation_practice()} is moved"]

    # The therapist cancels it, with a word to them.
    admin.goto(f"{site_url}/{settings.ADMIN_URL}intake/consultationrequest/{consultation.pk}/change/")
    assert "moved by the visitor" in admin.locator(".intake-booking").inner_text()
    admin.click(".intake-booking__change")
    screenshot(admin, "life-4a-cancel-or-move-375")
    admin.set_viewport_size({"width": 1280, "height": 800})
    screenshot(admin, "life-4a-cancel-or-move-1280")
    admin.set_viewport_size(PHONE)
    admin.fill("#id_message", "I am unwell that day, sorry.")
    admin.click("button[value=cancel]")
    admin.wait_for_load_state()
    panel = admin.locator(".intake-booking").inner_text()
    assert "cancelled by the therapist" in panel and "Cancel or move" not in panel
    screenshot(admin, "life-4-cancelled-admin-375")
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.CONTACTED, "nothing is scheduled any more"
    assert visitor_emails() == [f"Your consultation with {consultation_practice()} is cancelled"]
    page.goto(site_url + f"/consultation/time/{manage_token(moved)}/")
    assert page.locator("h1").inner_text() == "This consultation has already been cancelled"

    # The therapist declines: a reply that closes the request; nothing booked is left to remind of.
    admin.goto(f"{site_url}/{settings.ADMIN_URL}intake/consultationrequest/{consultation.pk}/reply/")
    admin.click("text=Not a fit right now")
    admin.click("input[name=send]")
    admin.wait_for_load_state()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.NOT_A_FIT
    assert not Booking.objects.filter(state__in=Booking.KEEPS_TIME).exists()
    assert not Notification.objects.filter(kind=Notification.Kind.REMINDER).exists()
    assert visitor_emails() == [consultation_practice()]  # the reply itself, its subject the practice's name

    # The visitor withdraws; the page says what goes with it.
    page.goto(site_url + f"/consultation/withdraw/{withdraw_token(consultation)}/")
    assert "it is cancelled, and its time freed" in page.locator("main").inner_text()
    page.click("#withdraw-submit")
    page.wait_for_url(site_url + "/consultation/withdrawn/")
    looks_right(page, "life-6-withdrawn-375")
    assert not ConsultationRequest.objects.exists()
    assert visitor_emails() == []
    assert requests.other_origins() == []
    assert not [message for message in console if "error" in message.lower()]


def consultation_practice():
    from pages.models import PracticeSettings

    return PracticeSettings.load().practice_name
