"""
Links that act for the visitor are the visitor's credential (intake/life/visitor_links.py): staff see
each by what it does, never in full. A walk of every admin page, as each kind of staff member,
finds no token; and whoever presses a withdraw button in a browser signed in to admin is audited
as that staff member, not as the visitor.
"""

import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.urls import URLPattern, reverse

from intake.admin.audit_words import what_happened
from intake.consultation_time.offered_times import pick_token, send_offer
from intake.life.replies import send_reply
from intake.life.visitor_links import for_staff
from intake.life.withdrawal import withdraw_token
from intake.models import AuditEntry, ConsultationRequest, TimelineEntry
from tests.accounts.signing_in import sign_in
from tests.intake.factories import make_request, make_reviewer
from tests.intake.replying import reply_form, reply_url, template_named

MANAGE_TOKEN = "zqmanagetoken:1vXsig"


@pytest.fixture
def practice(settings):
    settings.SITE_URL = "https://practice.example"


def test_each_kind_of_visitor_link_is_named_not_shown(practice):
    text = (
        "Withdraw: https://practice.example/consultation/withdraw/WzMsI:abc/\n"
        "Pick: https://practice.example/consultation/times/eyJh:sig/.\n"
        "Move: /consultation/time/eyJh:sig/ or the page https://practice.example/consultation/moved/"
    )
    assert for_staff(text) == (
        "Withdraw: [the visitor's withdraw link]\n"
        "Pick: [the visitor's link to pick times]\n"
        "Move: [the visitor's link to cancel or move their consultation] or the page "
        "https://practice.example/consultation/moved/"
    )


@pytest.fixture
def consultation_with_links(practice, admin_user):
    """A request whose timeline holds a reply, an offer of times and a note, each with the visitor's links."""
    consultation = make_request()
    send_reply(
        consultation,
        template=template_named("Offer a consultation"),
        subject="Your request",
        body="Hello {name}",
        referrals=[],
        user=admin_user,
    )
    send_offer(consultation, subject="Some times", body="Here are some times.", user=admin_user)
    TimelineEntry.objects.create(
        request=consultation,
        kind=TimelineEntry.Kind.NOTE,
        by=admin_user,
        text=f"Sent them {settings.SITE_URL}/consultation/time/{MANAGE_TOKEN}/ by hand",
    )
    consultation.tokens = [withdraw_token(consultation), pick_token(consultation), MANAGE_TOKEN]
    return consultation


def view_only_staff():
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    return user


def staff_members(admin_user):
    return {"superuser": admin_user, "reviewer": make_reviewer(), "view-only staff": view_only_staff()}


def admin_pages():
    """Every admin page without a parameter or with an object's id, for the first object of its model."""
    pages = ["/" + settings.ADMIN_URL]
    for model, model_admin in admin.site._registry.items():
        first = model._default_manager.order_by("pk").first()
        base = f"/{settings.ADMIN_URL}{model._meta.app_label}/{model._meta.model_name}/"
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern):
                continue
            route = str(pattern.pattern)
            if "<path:object_id>" in route:
                if first is None:
                    continue
                route = route.replace("<path:object_id>", str(first.pk))
            if "<" in route or "(" in route:
                continue
            pages.append(base + route)
    return pages


@pytest.mark.django_db
def test_no_admin_page_shows_a_visitors_token_to_any_kind_of_staff_member(
    client, admin_user, consultation_with_links
):
    pages = admin_pages()
    change = f"/{settings.ADMIN_URL}intake/consultationrequest/{consultation_with_links.pk}/change/"
    assert change in pages and len(pages) > 40
    for kind, user in staff_members(admin_user).items():
        client.logout()
        sign_in(client, user)
        seen = 0
        for page in pages:
            response = client.get(page, follow=True)
            body = response.content.decode(errors="replace")
            for token in consultation_with_links.tokens:
                assert token not in body, f"{kind} sees a visitor's token on {page}"
            seen += response.status_code == 200
        assert seen > 20, f"{kind} opened {seen} pages"
        timeline = client.get(change).content.decode()
        assert "[the visitor&#x27;s withdraw link]" in timeline, kind
        assert "[the visitor&#x27;s link to pick times]" in timeline, kind
        assert "[the visitor&#x27;s link to cancel or move their consultation]" in timeline, kind


@pytest.mark.django_db
def test_the_reply_preview_names_the_withdraw_link_not_shows_it(admin_client, practice):
    consultation = make_request()
    values = reply_form(admin_client, consultation, "Offer a consultation")
    values.pop("send", None)
    response = admin_client.post(reply_url(consultation), values | {"preview": "Preview"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "[the visitor&#x27;s withdraw link]" in html
    assert withdraw_token(consultation) not in html


def withdraw_with_the_link(client, consultation):
    url = reverse("intake:withdraw", args=[withdraw_token(consultation)])
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    return client.post(url, {"csrfmiddlewaretoken": token})


@pytest.mark.django_db
def test_a_withdrawal_from_a_staff_session_is_audited_as_that_staff_member(client):
    consultation = make_request()
    viewer = view_only_staff()
    sign_in(client, viewer)
    assert withdraw_with_the_link(client, consultation).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.WITHDRAW, request_number=consultation.pk)
    assert entry.username == "viewer" and entry.user == viewer
    assert what_happened(entry) == (
        f"Request #{consultation.pk} withdrawn by viewer, signed in as staff "
        "(with the visitor's link, in a staff member's signed-in session)"
    )


@pytest.mark.django_db
def test_a_withdrawal_by_the_visitor_is_audited_as_theirs(client):
    consultation = make_request()
    assert withdraw_with_the_link(client, consultation).status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.WITHDRAW, request_number=consultation.pk)
    assert entry.username == "system" and entry.user is None
    assert what_happened(entry).startswith(f"Request #{consultation.pk} withdrawn by the visitor")
    assert not ConsultationRequest.objects.filter(pk=consultation.pk).exists()
