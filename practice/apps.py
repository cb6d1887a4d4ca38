from django.contrib.admin.apps import AdminConfig


class PracticeAdminConfig(AdminConfig):
    """Django's admin, whose default site asks for a second factor (accounts.site)."""

    default_site = "accounts.site.TwoFactorAdminSite"
