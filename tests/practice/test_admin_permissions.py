"""
Permissions on the group and staff pages in plain words, and only those some admin page honours
(practice/admin_words.py, practice/honoured_permissions.py).
"""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.accounts.signing_in import sign_in
from tests.html import form_values
from tests.intake.factories import REVIEWERS

pytestmark = pytest.mark.django_db


def test_a_permission_reads_as_what_it_lets_someone_do():
    assert str(Permission.objects.get(codename="view_failedsignin")) == "Staff sign-in: see failed sign-ins"
    assert str(Permission.objects.get(codename="add_page")) == "Website pages: add pages"
    assert (
        str(Permission.objects.get(codename="export_consultationrequest"))
        == "Requests and replies: export consultation requests as CSV"
    )


def test_the_picker_offers_only_the_sections_this_site_shows(admin_client):
    html = admin_client.get(reverse("admin:auth_group_add")).content.decode()
    assert "Website pages: see pages" in html
    for library in ("axes", "otp_totp", "otp_static", "sessions", "contenttypes", "admin"):
        hidden = Permission.objects.filter(content_type__app_label=library).first()
        assert hidden is not None and f'value="{hidden.pk}"' not in html, library


def test_saving_the_reviewers_group_keeps_every_permission_it_had(admin_client):
    group = Group.objects.get(name=REVIEWERS)
    before = set(group.permissions.all())
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = admin_client.post(url, form_values(admin_client.get(url).content.decode()))
    assert response.status_code == 302
    assert set(group.permissions.all()) == before and before


def offered(client, url="admin:auth_group_add", args=()):
    """The permissions the picker on this page offers, as "app_label.codename"."""
    html = client.get(reverse(url, args=args)).content.decode()
    picker = re.search(r'<select name="(?:user_)?permissions".*?</select>', html, re.DOTALL).group()
    values = {int(pk) for pk in re.findall(r'value="(\d+)"', picker)}
    return {
        f"{permission.content_type.app_label}.{permission.codename}"
        for permission in Permission.objects.select_related("content_type").filter(pk__in=values)
    }


def test_the_picker_offers_no_permission_the_admin_never_allows(admin_client, admin_user):
    for url, args in [("admin:auth_group_add", ()), ("admin:auth_user_change", [admin_user.pk])]:
        shown = offered(admin_client, url, args)
        assert {"accounts.view_signin", "accounts.delete_failedsignin", "intake.view_auditentry"} <= shown
        assert "intake.export_consultationrequest" in shown  # the admin's own question, has_export_permission
        never = {
            "accounts.add_signin",  # written by the sign-in itself
            "accounts.add_failedsignin",
            "accounts.change_failedsignin",
            "accounts.delete_signin",
            "intake.add_auditentry",  # read-only log
            "intake.change_auditentry",
            "intake.delete_auditentry",
            "intake.add_consultationrequest",  # requests arrive through the form only
            "pages.add_practicesettings",  # one record
            "pages.delete_practicesettings",
            "booking.change_booking",
            "pages.add_pagerevision",  # the versions inline adds no rows (max_num 0)
            "intake.delete_statuschange",  # the status history inline has no delete box
            "intake.view_timelineentry",  # no page at all
        }
        assert not shown & never, shown & never


@pytest.mark.parametrize("action", ["add", "delete"])
def test_a_permission_is_offered_exactly_when_holding_it_opens_its_page(
    client, admin_client, records, action
):
    """
    Staff holding one permission (adding, with changing too, as Django's staff pages ask): the add or
    delete page opens if, and only if, it is offered.
    """
    shown = offered(admin_client)
    wrong = []
    for model, record in records.items():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        codename = f"{action}_{model._meta.model_name}"
        held = [codename] + ([f"change_{model._meta.model_name}"] if action == "add" else [])
        user = User.objects.create_user(f"staff-{action}-{model._meta.model_name}", is_staff=True)
        user.user_permissions.set(Permission.objects.filter(content_type=content_type, codename__in=held))
        sign_in(client, user)
        name = f"{admin.site.name}:{model._meta.app_label}_{model._meta.model_name}_{action}"
        url = reverse(name, args=[record.pk] if action == "delete" else [])
        opens = client.get(url).status_code == 200
        if opens != (f"{content_type.app_label}.{codename}" in shown):
            wrong.append((codename, "opens" if opens else "refused"))
    assert wrong == []


def test_every_permission_the_code_asks_for_is_offered(admin_client):
    """A has_perm("app.codename") outside the admins (a template tag, the compare view) is still offered."""
    root = Path(__file__).resolve().parents[2]
    asked = {
        name
        for app in ("accounts", "booking", "intake", "pages", "practice")
        for path in (root / app).rglob("*.py")
        for name in re.findall(r"has_perm\(\"([a-z_]+\.[a-z_]+)\"\)", path.read_text())
    }
    assert len(asked) >= 5
    assert asked <= offered(admin_client), asked - offered(admin_client)


def test_a_permission_the_picker_hides_stays_when_the_group_is_saved(admin_client):
    group = Group.objects.create(name="Old habits")
    hidden = Permission.objects.get(codename="add_signin")
    group.permissions.set([hidden, Permission.objects.get(codename="view_page")])
    url = reverse("admin:auth_group_change", args=[group.pk])
    values = form_values(admin_client.get(url).content.decode())
    assert admin_client.post(url, values).status_code == 302
    assert set(group.permissions.values_list("codename", flat=True)) == {"add_signin", "view_page"}
