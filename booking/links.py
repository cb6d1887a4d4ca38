"""
The visitor's link to cancel or move a confirmed consultation.

It holds the booking's number and a piece of its invite UID, signed with the site's secret: it
cannot be guessed or altered into another booking, and it names nobody. It works while the
consultation is still to come and still where the link's email said: once cancelled, moved or
started, it explains that instead.
"""

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from booking.models import Booking

SALT = "booking.manage"


class LinkNotValid(Exception):
    """Altered or cut short: the signature does not match."""


class LinkUsed(Exception):
    """The consultation was cancelled or moved with this link (or another one for it); args[0] says which."""


class LinkExpired(Exception):
    """The consultation has started or passed, or is gone with its request."""


def manage_token(booking):
    return signing.Signer(salt=SALT).sign_object([booking.pk, booking.invite_uid[-12:]])


def booking_for(token, lock=False, now=None):
    """The confirmed, still-to-come booking a link is for; LinkNotValid, LinkUsed or LinkExpired if none."""
    try:
        number, uid_part = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkNotValid from error
    if not isinstance(number, int) or not isinstance(uid_part, str):
        raise LinkNotValid
    bookings = Booking.objects.select_for_update() if lock else Booking.objects
    booking = bookings.filter(pk=number).first()
    if booking is None:
        raise LinkExpired
    if not constant_time_compare(booking.invite_uid[-12:], uid_part):
        raise LinkNotValid
    if booking.state in (Booking.State.CANCELLED, Booking.State.MOVED):
        raise LinkUsed(booking.state)
    if booking.state != Booking.State.CONFIRMED or booking.starts_at <= (now or timezone.now()):
        raise LinkExpired
    return booking
