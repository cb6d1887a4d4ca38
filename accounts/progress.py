"""
Where a sign-in has got to, kept in the session.

After the password the session only remembers who is part-way through, for a few
minutes; `request.user` stays anonymous, so nothing behind sign-in opens until
`finish_sign_in`.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

PENDING = "signin.pending"
SIGNED_IN_AT = "signin.at"
NEW_BACKUP_CODES = "signin.new_backup_codes"
# Long enough to find the phone and open the app.
PENDING_MAX_AGE = 5 * 60


def safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("admin:index")


def start_sign_in(request, user, next_url):
    # A new session key, so one planted before the password cannot ride along.
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "since": time.time(),
        "next": safe_next(request, next_url),
    }


def pending_user(request):
    """The staff member who gave the right password a moment ago, or None."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["since"] > PENDING_MAX_AGE:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True, is_staff=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def mark_code_given(request):
    """Passkeys required (settings.ADMIN_PASSKEYS_REQUIRED): a right code only opens adding a passkey."""
    request.session[PENDING] = {**request.session[PENDING], "code_given": True}


def code_given(request):
    return bool(request.session.get(PENDING, {}).get("code_given"))


def finish_sign_in(request, user, device, next_url=None):
    """Sign the user in (with the device that gave the second factor) and say where to go."""
    pending = request.session.pop(PENDING, None) or {}
    login(request, user, backend=user.backend)
    if device is not None:
        otp_login(request, device)
    request.session[SIGNED_IN_AT] = time.time()
    return next_url or pending.get("next") or reverse("admin:index")


def signed_in_too_long(request):
    signed_in_at = request.session.get(SIGNED_IN_AT, 0)
    return time.time() - signed_in_at > settings.SIGNED_IN_SESSION_MAX_AGE
