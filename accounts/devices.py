"""
The second factors: an authenticator app (a TOTP device) and one-time backup codes
(a static device). django-otp stores both and throttles wrong guesses on each.
"""

import secrets
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
BACKUP_CODE_DIGITS = 10


def has_authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def normalized(code):
    """What people type: spaces and dashes from the printed layout, upper or lower case."""
    return "".join(code.split()).replace("-", "").lower()


def device_for_code(user, code):
    """
    The device that accepts this code, or None. Six digits come from the app,
    anything else is a backup code, which is used up by accepting it.
    """
    kind = TOTPDevice if len(code) == 6 and code.isdigit() else StaticDevice
    for device in kind.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def codes_paused(user):
    """True while django-otp holds off guesses after wrong codes (the wait doubles each time)."""
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    return any(not device.verify_is_allowed()[0] for device in devices)


def authenticator_to_set_up(user):
    """The not yet confirmed authenticator for this user, made once so the QR code stays the same."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def confirm_authenticator(device):
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()


def qr_code_svg(device):
    """The QR code the authenticator app scans, drawn here: the secret never leaves the site."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def secret_for_typing(device):
    """The same secret as the QR code, for typing into an app by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def new_backup_codes(user):
    """Replace the user's backup codes with new ones, returned for showing once."""
    codes = [
        "".join(secrets.choice("0123456789") for _ in range(BACKUP_CODE_DIGITS))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    device.token_set.bulk_create([device.token_set.model(device=device, token=code) for code in codes])
    return [f"{code[:5]} {code[5:]}" for code in codes]


def backup_codes_left(user):
    return sum(
        device.token_set.count() for device in StaticDevice.objects.devices_for_user(user, confirmed=True)
    )
