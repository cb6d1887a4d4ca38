"""Links already sent in emails, signed as the code before pages.signed_links signed them, still work."""

import pytest
from django.core import signing

from booking.links import manage_token
from intake.consultation_time.offered_times import pick_token
from intake.life.withdrawal import withdraw_token
from tests.hours import open_hours
from tests.intake.bookings import confirmed_booking
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db


# Each as the old code made it: booking/links.py, intake/life/withdrawal.py and intake/consultation_time/offered_times.py
# before they shared one reader.
def old_manage_token(booking):
    return signing.Signer(salt="booking.manage").sign_object([booking.pk, booking.invite_uid[-12:]])


def old_withdraw_token(consultation):
    return signing.Signer(salt="intake.withdraw").sign_object([consultation.pk, consultation.form_token[:16]])


def old_pick_token(consultation):
    return signing.TimestampSigner(salt="intake.pick_times").sign_object(
        [consultation.pk, consultation.form_token[:16]]
    )


def test_links_are_made_as_before():
    booking = confirmed_booking()
    assert manage_token(booking) == old_manage_token(booking)
    assert withdraw_token(booking.request) == old_withdraw_token(booking.request)
    assert signing.TimestampSigner(salt="intake.pick_times").unsign_object(pick_token(booking.request)) == [
        booking.request.pk,
        booking.request.form_token[:16],
    ]


def test_an_old_cancel_or_move_link_opens_its_consultation(client):
    open_hours()
    booking = confirmed_booking()
    response = client.get(f"/consultation/time/{old_manage_token(booking)}/")
    assert response.status_code == 200
    assert "Cancel this consultation" in response.content.decode()


def test_an_old_withdraw_link_opens_its_request(client):
    consultation = make_request()
    response = client.get(f"/consultation/withdraw/{old_withdraw_token(consultation)}/")
    assert response.status_code == 200
    assert f"You can take back request #{consultation.pk}" in response.content.decode()


def test_an_old_pick_times_link_opens_its_page(client):
    open_hours()
    consultation = make_request()
    response = client.get(f"/consultation/times/{old_pick_token(consultation)}/")
    assert response.status_code == 200
    assert "Pick up to three times that suit you" in response.content.decode()
