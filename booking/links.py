"""
The visitor's link to cancel or move a confirmed consultation.

It holds the booking's number and a piece of its invite UID, signed with the site's secret
(pages.signed_links reads it): it cannot be guessed or altered into another booking, and it names
nobody. It works while the consultation is still to come and still where the link's email said:
once cancelled, moved or started, it explains that instead.
"""

from django.utils import timezone

from booking.models import Booking
from pages.signed_links import LinkExpired, LinkUsed, SignedLink

SALT = "booking.manage"
MANAGE = SignedLink(SALT, secret_piece=lambda booking: booking.invite_uid[-12:])


def manage_token(booking):
    return MANAGE.token(booking)


def booking_for(token, lock=False, now=None):
    """The confirmed, still-to-come booking a link is for; LinkNotValid, LinkUsed or LinkExpired if none."""
    booking = MANAGE.record(token, Booking.objects, lock=lock)
    if booking.state in (Booking.State.CANCELLED, Booking.State.MOVED):
        raise LinkUsed(booking.state)
    if booking.state != Booking.State.CONFIRMED or booking.starts_at <= (now or timezone.now()):
        raise LinkExpired
    return booking
