"""
Django's admin words that no translation file reaches, in the therapist's words (issue 25):

- a permission reads "Staff sign-in: see failed sign-ins", not "Staff sign-in | failed sign-in |
  Can view failed sign-in", in the pickers of the group and staff pages and wherever one is listed;
- the pickers offer only the permissions some admin page of this site honours, found by asking the
  admins (practice/honoured_permissions.py): not those of the libraries whose pages are off (axes,
  django-otp, content types, sessions, the admin's own log), nor "add sign-ins" or "change audit
  log entries", which no page allows;
- a yes/no icon says "Yes", "No" or "Not known" to a screen reader, not Python's True, False, None.

`use_plain_words` runs once, from practice.apps, when the apps are ready.
"""

from django.apps import apps
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import capfirst

from practice.honoured_permissions import as_query, honoured_permissions

# What the delete page lists with a staff member, from the libraries that keep their second factors.
DELETED_NAMES = {"TOTP device: ": "Authenticator app: ", "Static device: ": "Backup codes: "}
ACTIONS = {"add": "add", "change": "change", "delete": "delete", "view": "see"}
ICONS = {True: ("yes", "Yes"), False: ("no", "No"), None: ("unknown", "Not known")}


def permission_label(permission):
    """ "Staff sign-in: see failed sign-ins"; a permission of its own: "Requests and replies: export …"."""
    content_type = permission.content_type
    section = apps.get_app_config(content_type.app_label).verbose_name
    model = content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is not None and action in ACTIONS and model_name == model._meta.model_name:
        return f"{section}: {ACTIONS[action]} {model._meta.verbose_name_plural}"
    name = permission.name.removeprefix("Can ")
    return f"{section}: {name}"


def site_permissions(admin_site):
    """The permissions some page of this admin honours: any other would promise what no page does."""
    return Permission.objects.filter(as_query(honoured_permissions(admin_site)))


def in_plain_words(deleted):
    """
    The delete page's list of what goes with a record, without the rows Django keeps to link two
    records (a group's permissions are not things anyone deleted), and second factors named as such.
    """
    links = tuple(
        f"{capfirst(model._meta.verbose_name)}: "
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
    )
    plain = []
    for item in deleted:
        if isinstance(item, list):
            plain.append(in_plain_words(item))
        elif not str(item).startswith(links):
            for name, words in DELETED_NAMES.items():
                if str(item).startswith(name):
                    item = type(item)(words + str(item).removeprefix(name))
            plain.append(item)
    return [item for item in plain if item != []]


def boolean_icon(value):
    name, words = ICONS[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), words)


def use_plain_words():
    # Django builds these words in code, with no translation string to override: a permission's
    # name from its str(), and the yes/no icon's alt text from Python's True/False/None. Django's
    # admin imports _boolean_icon from this module at each call, so replacing it here reaches all.
    Permission.__str__ = permission_label
    admin_list._boolean_icon = boolean_icon
