"""
The permissions some admin page honours, found by asking the admins themselves (issue 25).

A permission the admin never lets anyone use ("add sign-ins", "change audit log entries") would
read, in the group and staff pickers, as a promise it does not keep. Rather than a list to keep in
step with the admins, each registered ModelAdmin and its inlines are asked every has_…_permission
question by a stand-in user who holds every permission and notes which ones are asked for: a
permission counts when an answer that asked for it came back yes. An admin that answers "no"
without asking (a read-only log) honours nothing for that action. An inline also needs a way to
use the answer: a row to add (max_num), a delete box (can_delete), a box that is not read-only.
"""

import inspect

from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Q
from django.test import RequestFactory


class AskingUser:
    """Holds every permission, notes each one asked for; is no superuser, so admins must ask."""

    is_active = is_staff = is_authenticated = True
    is_anonymous = is_superuser = False
    pk = id = None

    def __init__(self):
        self.asked = set()

    def has_perm(self, perm, obj=None):  # noqa: ARG002 - Django's signature
        self.asked.add(perm)
        return True

    def has_perms(self, perm_list, obj=None):
        return all([self.has_perm(perm, obj) for perm in perm_list])

    def has_module_perms(self, app_label):  # noqa: ARG002 - Django's signature
        return True


def questions(admin):
    """Every has_…_permission method of one admin (Django's and any of its own, like export)."""
    for name in dir(admin):
        if name.startswith("has_") and name.endswith("_permission") and name != "has_module_permission":
            yield getattr(admin, name)


def inline_offers(inline, question, request):
    """Whether an inline's form has anything the answer to this question would let someone do."""
    if question.__name__ == "has_add_permission":
        return inline.get_max_num(request, None) != 0
    if question.__name__ == "has_delete_permission":
        return inline.can_delete
    if question.__name__ == "has_change_permission":
        return bool(set(inline.get_fields(request, None)) - set(inline.get_readonly_fields(request, None)))
    return True


def asked_and_allowed(admin, question):
    request = RequestFactory().get("/")
    request.user = AskingUser()
    if isinstance(admin, InlineModelAdmin) and not inline_offers(admin, question, request):
        return set()
    # An inline's has_add_permission needs the parent record; None is "a new one", as on an add page.
    needs_obj = "obj" in inspect.signature(question).parameters
    allowed = question(request, None) if needs_obj else question(request)
    return request.user.asked if allowed else set()


def honoured_permissions(admin_site):
    """{"app_label.codename", …} that some registered admin or inline of admin_site honours."""
    honoured = set()
    for model, model_admin in admin_site._registry.items():
        admins = [model_admin, *(inline(model, admin_site) for inline in model_admin.inlines)]
        for admin in admins:
            for question in questions(admin):
                honoured |= asked_and_allowed(admin, question)
    return honoured


def as_query(names):
    """A filter on Permission for {"app_label.codename", …}."""
    query = Q(pk__in=[])
    for name in names:
        app_label, _, codename = name.partition(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return query
