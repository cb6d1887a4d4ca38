from django.conf import settings
from django.contrib.admin import AdminSite
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp.admin import OTPAdminSite

from accounts import passkey_views, views


class TwoFactorAdminSite(OTPAdminSite):
    """
    The admin, open only to staff who signed in with a second factor (see accounts).
    It is Django's default admin site (practice.apps.PracticeAdminConfig).
    """

    site_header = "Your practice website"
    site_title = "Practice admin"
    index_title = "What would you like to do?"
    logout_template = "accounts/signed_out.html"

    def __init__(self, name="admin"):
        # django-otp names its site "otpadmin"; this one replaces the default site, so it keeps "admin".
        super().__init__(name)

    def has_permission(self, request):
        if settings.ADMIN_TWO_FACTOR_REQUIRED:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def each_context(self, request):
        # Signed-in admin pages leave the screen when the session times out (templates/admin/base_site.html).
        return {**super().each_context(request), "session_idle_seconds": settings.SESSION_COOKIE_AGE}

    def get_urls(self):
        return [
            path("login/code/", views.enter_code, name="signin_code"),
            path("login/set-up/", views.set_up_authenticator, name="signin_set_up"),
            path("login/passkey/", passkey_views.use_passkey, name="signin_passkey"),
            path("login/add-passkey/", passkey_views.add_passkey_at_sign_in, name="signin_add_passkey"),
            path("backup-codes/", self.admin_view(views.backup_codes), name="backup_codes"),
            path("passkeys/", self.admin_view(passkey_views.passkey_list), name="passkeys"),
            path(
                "passkeys/confirm/", self.admin_view(passkey_views.confirm_identity), name="passkeys_confirm"
            ),
            path("passkeys/add/", self.admin_view(passkey_views.add_passkey), name="passkeys_add"),
            path(
                "passkeys/<int:pk>/remove/",
                self.admin_view(passkey_views.remove_passkey),
                name="passkeys_remove",
            ),
            *super().get_urls(),
        ]

    def logout(self, request, extra_context=None):
        return super().logout(request, {"title": "Signed out", **(extra_context or {})})

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):  # noqa: ARG002 - AdminSite.login's signature
        return views.sign_in(request)
