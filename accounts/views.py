from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_lockout_response
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters

from accounts.devices import (
    authenticator_to_set_up,
    backup_codes_left,
    codes_paused,
    confirm_authenticator,
    device_for_code,
    has_authenticator,
    new_backup_codes,
    qr_code_svg,
    secret_for_typing,
)
from accounts.forms import CodeForm
from accounts.passkeys import has_passkey
from accounts.progress import (
    NEW_BACKUP_CODES,
    finish_sign_in,
    mark_code_given,
    pending_user,
    safe_next,
    start_sign_in,
)

WRONG_CODE = "That code didn't work. Type the newest code the app shows, or one of your backup codes."
WAIT = (
    "That was several wrong codes in a row, so codes are paused for a moment. Wait a minute, then try again."
)


def render_admin(request, template, context, status=200):
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)


def bound_form(form_class, request):
    return form_class(request.POST) if request.method == "POST" else form_class()


def start_again(request):
    messages.info(request, "Your sign-in took too long or was interrupted, so please start again.")
    return redirect("admin:login")


@sensitive_post_parameters("password")
def sign_in(request):
    """Step 1, the password. Right or wrong, nobody is signed in yet (see accounts)."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "GET" and admin.site.has_permission(request):
        return redirect(safe_next(request, next_url))
    form = AdminAuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        if not settings.ADMIN_TWO_FACTOR_REQUIRED:
            return redirect(finish_sign_in(request, user, device=None, next_url=safe_next(request, next_url)))
        start_sign_in(request, user, next_url)
        return redirect(second_step(user))
    context = {
        "form": form,
        "next": next_url,
        "title": "Sign in",
        "timed_out": "timed_out" in request.GET,
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    }
    return render_admin(request, "accounts/password.html", context)


def second_step(user):
    if has_passkey(user):
        return "admin:signin_passkey"
    return "admin:signin_code" if has_authenticator(user) else "admin:signin_set_up"


def code_accepted(request, user, device):
    """Where a right code leads: into admin, or, when passkeys are required, to adding one."""
    if settings.ADMIN_PASSKEYS_REQUIRED:
        mark_code_given(request)
        return reverse("admin:signin_add_passkey")
    return finish_sign_in(request, user, device)


@sensitive_post_parameters("code")
def enter_code(request):
    """Step 2, the code from the authenticator app or a backup code. Wrong codes count towards the lockout."""
    user = pending_user(request)
    if user is None:
        return start_again(request)
    if not has_authenticator(user):
        return redirect("admin:signin_set_up")
    credentials = {"username": user.get_username()}
    form = bound_form(CodeForm, request)
    if form.is_valid():
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, None, credentials)
        if codes_paused(user):
            form.add_error("code", WAIT)
        elif device := device_for_code(user, form.cleaned_data["code"]):
            return redirect(code_accepted(request, user, device))
        else:
            # Counted like a wrong password; at the limit, axes' middleware answers with the lockout page.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "title": "Enter your code",
        "has_passkey": has_passkey(user),
        "required": settings.ADMIN_PASSKEYS_REQUIRED,
    }
    return render_admin(request, "accounts/code.html", context)


@sensitive_post_parameters("code")
def set_up_authenticator(request):
    """Step 2 the first time: link an authenticator app by its QR code, then see the backup codes."""
    user = pending_user(request)
    if user is None:
        return start_again(request)
    if has_authenticator(user):
        return redirect("admin:signin_code")
    device = authenticator_to_set_up(user)
    form = bound_form(CodeForm, request)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            confirm_authenticator(device)
            codes = new_backup_codes(user)
            if settings.ADMIN_PASSKEYS_REQUIRED:
                # Shown once the passkey is added and the sign-in finished.
                request.session[NEW_BACKUP_CODES] = codes
                return redirect(code_accepted(request, user, device))
            next_url = finish_sign_in(request, user, device, next_url=reverse("admin:backup_codes"))
            request.session[NEW_BACKUP_CODES] = codes
            return redirect(next_url)
        form.add_error("code", "That code didn't match. Scan the QR code again and type the newest code.")
    context = {
        "form": form,
        "title": "Set up your authenticator app",
        # Drawn by the qrcode library from the device's own address: no text from a request.
        "qr_code": mark_safe(qr_code_svg(device)),  # noqa: S308
        "secret": secret_for_typing(device),
    }
    return render_admin(request, "accounts/set_up.html", context)


def backup_codes(request):
    """New backup codes, shown once; the old ones stop working when new ones are made."""
    if request.method == "POST":
        request.session[NEW_BACKUP_CODES] = new_backup_codes(request.user)
        return redirect("admin:backup_codes")
    context = {
        "codes": request.session.pop(NEW_BACKUP_CODES, None),
        "codes_left": backup_codes_left(request.user),
        "title": "Backup codes",
    }
    return render_admin(request, "accounts/backup_codes.html", context)


def locked_out(request, original_response=None, credentials=None):
    """The page for a locked username and address (settings.AXES_LOCKOUT_CALLABLE)."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    context = {"title": "Sign-in paused", "minutes": minutes}
    return render_admin(request, "accounts/locked_out.html", context, status=429)
