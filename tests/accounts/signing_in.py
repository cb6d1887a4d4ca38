"""Signing in to admin in tests the way people do: password, then a code from the authenticator app."""

import time

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.progress import SIGNED_IN_AT

LOGIN = f"/{settings.ADMIN_URL}login/"
CODE = f"/{settings.ADMIN_URL}login/code/"
SET_UP = f"/{settings.ADMIN_URL}login/set-up/"
ADMIN = f"/{settings.ADMIN_URL}"
PASSWORD = "a-long-test-password"


def authenticator_device(user):
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="phone", defaults={"confirmed": True})
    return device


def authenticator_code(device, offset=0):
    """The six digits the therapist's authenticator app shows now (or `offset` steps of 30 s later)."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:0{device.digits}d}"


def wrong_code(device):
    """Six digits the app does not show now, nor one step either side."""
    shown = {authenticator_code(device, offset) for offset in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in shown)


def sign_in(client, user):
    """Sign the test client in as this user, with the second factor verified."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_device(user).persistent_id
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client


def sign_in_in_browser(page, username, password, code):
    """In Chromium, from the password page: the two steps a staff member takes."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code from your authenticator app").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
