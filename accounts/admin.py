"""
Staff sign-in in admin, in plain words: the sign-in log (who signed in and out, from where, when)
and the failed sign-ins that lock a username out. Axes' own pages are off (AXES_ENABLE_ADMIN).

django-otp's device pages are taken away from everyone, superusers too: they would show another
person's authenticator key and QR code. `manage.py reset_two_factor` replaces a lost phone.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import FailedSignIn, SignIn, when


def sign_in_method(path):
    """Which second factor a sign-in used, from the step that finished it (axes keeps its path)."""
    steps = {
        "admin:signin_passkey": "Passkey",
        "admin:signin_add_passkey": "Code, then a new passkey",
        "admin:signin_code": "App or backup code",
        "admin:signin_set_up": "New authenticator app",
        "admin:login": "Password only (development)",
    }
    return next((label for step, label in steps.items() if path == reverse(step)), "–")


# The otp plugins and auth come before accounts in INSTALLED_APPS, so their admin modules have run.
admin.site.unregister([TOTPDevice, StaticDevice, User])


@admin.register(User)
class StaffAccountAdmin(UserAdmin):
    """Django's staff pages, with the sign-in dates shown as dates rather than boxes to retype."""

    readonly_fields = ["last_login", "date_joined"]


class SignInRecordAdmin(admin.ModelAdmin):
    """Written by the sign-in itself: shown, never added or changed here."""

    list_filter = ["attempt_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="who", ordering="username")
    def who(self, obj):
        return obj.username

    @admin.display(description="from address", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="browser or app")
    def browser(self, obj):
        # Axes writes "<unknown>" when the browser gave no name.
        return "not known" if obj.user_agent in ("", "<unknown>") else obj.user_agent


@admin.register(SignIn)
class SignInAdmin(SignInRecordAdmin):
    list_display = ["signed_in", "signed_out", "who", "how", "address", "browser"]
    fields = ["signed_in", "signed_out", "who", "how", "address", "browser"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="signed in", ordering="attempt_time")
    def signed_in(self, obj):
        return when(obj.attempt_time)

    @admin.display(description="second factor")
    def how(self, obj):
        return sign_in_method(obj.path_info)

    @admin.display(description="signed out", ordering="logout_time")
    def signed_out(self, obj):
        return when(obj.logout_time) if obj.logout_time else "–"


@admin.register(FailedSignIn)
class FailedSignInAdmin(SignInRecordAdmin):
    """Deleting one lifts its lockout at once, as `manage.py axes_reset_username` does."""

    list_display = ["last_try", "who", "address", "failed_tries", "locked_out", "browser"]
    fields = ["last_try", "who", "address", "failed_tries", "locked_out", "browser"]
    readonly_fields = fields

    @admin.display(description="last failed try", ordering="attempt_time")
    def last_try(self, obj):
        return when(obj.attempt_time)

    @admin.display(description="failed tries", ordering="failures_since_start")
    def failed_tries(self, obj):
        return obj.failures_since_start

    @admin.display(description="locked out now", boolean=True)
    def locked_out(self, obj):
        return (
            obj.failures_since_start >= settings.AXES_FAILURE_LIMIT
            and obj.attempt_time > timezone.now() - settings.AXES_COOLOFF_TIME
        )
