"""
The "Consultation reviewers" group: the only way, short of superuser, to see requests.

Export is deliberately not part of it: taking data off the site is a separate
permission ("Can export consultation requests as CSV"), given person by person.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Consultation reviewers"
PERMISSIONS = [
    "view_consultationrequest",
    "change_consultationrequest",
    "delete_consultationrequest",
    "view_statuschange",
    "view_auditentry",
    "view_notification",
    *(
        f"{action}_{model}"
        for model in ("concern", "relationship")
        for action in ("view", "add", "change", "delete")
    ),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("intake")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="intake", codename__in=PERMISSIONS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_seed_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
