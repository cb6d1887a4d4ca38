"""Signing in to admin in tests the way the two-factor login does: password, then an authenticator code."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_device(user):
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})
    return device


def authenticator_code(device):
    """The six digits the therapist's authenticator app shows right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def sign_in(client, user):
    """Sign the test client in as this user, with the second factor verified."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_device(user).persistent_id
    session.save()
    return client
