"""
The "Consultation reviewers" group (intake's migration 0003) may use the consultation times in
admin: edit the consultation hours, windows and days off, see the booked consultations, and add
or revoke calendar feeds.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Consultation reviewers"
PERMISSIONS = [
    "view_consultationhours",
    "change_consultationhours",
    *(
        f"{action}_{model}"
        for model in ("weeklywindow", "dayoff")
        for action in ("view", "add", "change", "delete")
    ),
    "view_booking",
    *(f"{action}_calendarfeed" for action in ("view", "add", "change", "delete")),
]


def give(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("booking")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="booking", codename__in=PERMISSIONS)
    )


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="booking", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0002_booked_consultation_name"),
        ("intake", "0003_reviewers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(give, take_back)]
