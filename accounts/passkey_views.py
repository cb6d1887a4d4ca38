"""
Passkeys in the sign-in and on the staff member's own passkeys page (docs/passkeys.md).

A passkey is the second factor after the password: `use_passkey` is step 2 for an account
that has one. A refused answer counts towards the lockout like a wrong code.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate as check_password
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import passkeys
from accounts.devices import codes_paused, device_for_code
from accounts.forms import CodeForm
from accounts.models import Passkey
from accounts.progress import NEW_BACKUP_CODES, code_given, finish_sign_in, pending_user
from accounts.views import WAIT, WRONG_CODE, render_admin, start_again

# How long "confirm it's you" lets its owner add a passkey.
CONFIRMED_AT = "passkeys.confirmed_at"
CONFIRMED_MAX_AGE = 5 * 60
DEFAULT_NAME = "Passkey"
WRONG_PASSWORD = "That password didn't match. Please type it again."  # noqa: S105 - a message


def count_failure(request, user):
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)


def locked(request, user):
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_allowed(request, credentials):
        return None
    return get_lockout_response(request, None, credentials)


@sensitive_post_parameters("credential")
def use_passkey(request):
    """Step 2 with a passkey: the browser signs this page's challenge with one of the account's passkeys."""
    user = pending_user(request)
    if user is None:
        return start_again(request)
    error = None
    if request.method != "POST" and not passkeys.has_passkey(user):
        return redirect("admin:signin_code")
    if request.method == "POST":
        if response := locked(request, user):
            return response
        try:
            passkey = passkeys.authenticate(request, user, request.POST.get("credential", ""))
        except passkeys.Refused as refused:
            count_failure(request, user)
            error = refused.message
        else:
            return redirect(finish_sign_in(request, user, passkey))
    context = {
        "title": "Sign in with your passkey",
        "options": passkeys.authentication_options(request, user),
        "error": error,
        "required": settings.ADMIN_PASSKEYS_REQUIRED,
    }
    return render_admin(request, "accounts/passkey.html", context)


@sensitive_post_parameters("credential", "name")
def add_passkey_at_sign_in(request):
    """Passkeys required: after a right code, the one thing left to do is add a passkey, which signs in."""
    user = pending_user(request)
    if user is None or not code_given(request):
        return start_again(request)
    if request.method == "POST":
        try:
            passkey = passkeys.register(
                request, user, request.POST.get("credential", ""), passkey_name(request)
            )
        except passkeys.Refused as refused:
            messages.error(request, refused.message)
            return redirect("admin:signin_add_passkey")
        codes = request.session.get(NEW_BACKUP_CODES)
        next_url = finish_sign_in(
            request, user, passkey, next_url=reverse("admin:backup_codes") if codes else None
        )
        if codes:
            request.session[NEW_BACKUP_CODES] = codes
        return redirect(next_url)
    context = {
        "title": "Add a passkey",
        "options": passkeys.registration_options(request, user),
        "signing_in": True,
    }
    return render_admin(request, "accounts/passkey_add.html", context)


def passkey_name(request):
    return " ".join(request.POST.get("name", "").split()) or DEFAULT_NAME


def passkey_list(request):
    """The staff member's own passkeys: name, added, last used; add one, remove one."""
    user = request.user
    context = {
        "title": "Your passkeys",
        "passkeys": Passkey.objects.filter(user=user),
        "can_remove": passkeys.ways_in(user) > 1,
        "required": settings.ADMIN_PASSKEYS_REQUIRED,
    }
    return render_admin(request, "accounts/passkeys.html", context)


@require_POST
def remove_passkey(request, pk):
    passkey = get_object_or_404(Passkey, pk=pk, user=request.user)
    if passkeys.ways_in(request.user) <= 1:
        messages.error(request, "That passkey is your only way to sign in, so it stays.")
    else:
        passkey.delete()
        messages.success(request, f"“{passkey.name}” was removed. It can no longer sign in.")
    return redirect("admin:passkeys")


@sensitive_post_parameters("password", "code")
def confirm_identity(request):
    """Before adding a passkey: the password and a code again, so an unattended screen cannot add one."""
    user = request.user
    form = CodeForm(request.POST) if request.method == "POST" else CodeForm()
    password_error = None
    if request.method == "POST":
        if response := locked(request, user):
            return response
        password = request.POST.get("password", "")
        # Through the authentication backends, so axes counts a wrong password here too.
        if check_password(request, username=user.get_username(), password=password) != user:
            password_error = WRONG_PASSWORD
        elif form.is_valid():
            if codes_paused(user):
                form.add_error("code", WAIT)
            elif device_for_code(user, form.cleaned_data["code"]):
                request.session[CONFIRMED_AT] = time.time()
                return redirect("admin:passkeys_add")
            else:
                count_failure(request, user)
                form.add_error("code", WRONG_CODE)
    context = {"title": "Confirm it's you", "form": form, "password_error": password_error}
    return render_admin(request, "accounts/passkeys_confirm.html", context)


@sensitive_post_parameters("credential", "name")
def add_passkey(request):
    """The registration ceremony, for a few minutes after `confirm_identity`."""
    if time.time() - request.session.get(CONFIRMED_AT, 0) > CONFIRMED_MAX_AGE:
        return redirect("admin:passkeys_confirm")
    if request.method == "POST":
        try:
            passkey = passkeys.register(
                request, request.user, request.POST.get("credential", ""), passkey_name(request)
            )
        except passkeys.Refused as refused:
            messages.error(request, refused.message)
            return redirect("admin:passkeys_add")
        request.session.pop(CONFIRMED_AT, None)
        messages.success(request, f"“{passkey.name}” is ready: next time, sign in with it.")
        return redirect("admin:passkeys")
    context = {
        "title": "Add a passkey",
        "options": passkeys.registration_options(request, request.user),
        "signing_in": False,
    }
    return render_admin(request, "accounts/passkey_add.html", context)
