"""
Two-factor sign-in for the admin, where consultation requests (health information) are read.

django-otp checks a code from an authenticator app (TOTP) or a one-time backup code
(a static token). Its form asks the user to pick which device made the code, in a
second step; here the code's shape picks it: six digits come from the authenticator
app, anything else is a backup code.
"""

from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class TwoFactorAuthenticationForm(OTPAdminAuthenticationForm):
    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            token = (self.cleaned_data.get("otp_token") or "").strip()
            kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
            device = kind.objects.devices_for_user(user, confirmed=True).first()
        return device


class TwoFactorAdminSite(OTPAdminSite):
    login_form = TwoFactorAuthenticationForm
