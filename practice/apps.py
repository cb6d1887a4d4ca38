from django.contrib.admin.apps import AdminConfig
from django.contrib.auth.apps import AuthConfig


class PracticeAdminConfig(AdminConfig):
    """Django's admin, whose default site asks for a second factor and speaks plainly (practice.admin_site)."""

    default_site = "practice.admin_site.PracticeAdminSite"

    def ready(self):
        super().ready()
        from practice.admin_words import use_plain_words  # noqa: PLC0415 - needs the apps loaded

        use_plain_words()


class StaffAccountsConfig(AuthConfig):
    """django.contrib.auth under the name the admin shows for it: users and groups are staff accounts."""

    verbose_name = "Staff accounts"
