"""The admin in the therapist's words: the practice's name on top, sections and titles as a person says them."""

import datetime
import re

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from booking.models import Booking, CalendarFeed, ConsultationHours
from intake.models import AuditEntry, Notification, Referral
from pages.models import Page, Photo, PracticeSettings, SlugRedirect
from tests.html import texts
from tests.intake.factories import make_request

REGISTERED = list(admin.site._registry)


def header(html):
    return re.search(r'<div id="site-name"><a [^>]*>(.*?)</a></div>', html).group(1)


def h1(html):
    return [text.strip() for _, text in texts(html, "h1")]


def title(html):
    return texts(html, "title")[0][1].strip()


@pytest.fixture
def one_of_everything(admin_user):
    """A row for every registered admin, so each change page can be opened."""
    Notification.objects.create(request=make_request(), kind=Notification.Kind.PRACTICE)
    AuditEntry.record(AuditEntry.Action.VIEW, admin_user, [1])
    SlugRedirect.objects.create(old_slug="old-address", page=Page.objects.first())
    AccessLog.objects.create(username="therapist", ip_address="203.0.113.9", user_agent="Phone")
    AccessAttempt.objects.create(username="therapist", ip_address="203.0.113.9", failures_since_start=2)
    Referral.objects.create(name="Harbor Counseling", how_to_reach="555-0100")
    PracticeSettings.load()
    ConsultationHours.load()
    CalendarFeed.objects.create(name="Phone", token_hash=CalendarFeed.hash("token"))
    starts = timezone.now() + datetime.timedelta(days=2)
    Booking.objects.create(
        request=make_request(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=20),
        held_until=timezone.now() + datetime.timedelta(hours=48),
    )
    Photo.objects.create(title="Office", alt_text="A quiet office with two chairs")


def test_the_admin_index_names_no_library_even_for_a_superuser(admin_client):
    html = admin_client.get("/admin/").content.decode().lower()
    for word in (
        "axes",
        "otp_static",
        "otp_totp",
        "totp device",
        "static device",
        "access attempt",
        "access log",
    ):
        assert word not in html, word


def test_the_admin_index_names_each_section_as_the_therapist_would(admin_client):
    sections = [text.strip() for tag, text in texts(admin_client.get("/admin/").content.decode(), "caption")]
    assert sections == [
        "Consultation times",
        "Requests and replies",
        "Staff accounts",
        "Staff sign-in",
        "Website pages",
    ]
    assert "Authentication and Authorization" not in admin_client.get("/admin/").content.decode()


def test_the_sign_in_section_holds_the_sign_in_log_and_failed_sign_ins(admin_client):
    html = admin_client.get("/admin/accounts/").content.decode()
    assert h1(html) == ["Staff sign-in"]
    rows = [text.strip() for tag, text in texts(html, "th")]
    assert rows[rows.index("Failed sign-ins") :] == ["Failed sign-ins", "Sign-in log"]


def test_a_section_page_is_titled_by_the_section_alone(admin_client):
    html = admin_client.get("/admin/intake/").content.decode()
    assert h1(html) == ["Requests and replies"]
    assert "administration" not in title(html).lower()


def test_breadcrumbs_never_say_the_same_thing_twice(admin_client):
    consultation = make_request()
    html = admin_client.get(f"/admin/intake/consultationrequest/{consultation.pk}/change/").content.decode()
    crumbs = [
        text.strip() for tag, text in texts(html.split('class="breadcrumbs"')[1].split("</ol>")[0], "a")
    ]
    assert crumbs == ["Home", "Requests and replies", "Consultation requests"]


def test_the_header_shows_the_practice_name_and_follows_a_change_of_it(admin_client):
    PracticeSettings.objects.update_or_create(pk=1, defaults={"practice_name": "Wells Counseling"})
    html = admin_client.get("/admin/").content.decode()
    assert header(html) == "Wells Counseling · admin"
    assert title(html).endswith("| Wells Counseling · admin")
    PracticeSettings.objects.filter(pk=1).update(practice_name="Harbor Couples Therapy")
    assert header(admin_client.get("/admin/").content.decode()) == "Harbor Couples Therapy · admin"


def test_the_sign_in_page_shows_the_practice_name_too(client, db):
    PracticeSettings.objects.update_or_create(pk=1, defaults={"practice_name": "Wells Counseling"})
    assert "Wells Counseling · admin" in client.get("/admin/login/").content.decode()


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_every_list_is_titled_by_what_it_lists(admin_client, one_of_everything, model):
    response = admin_client.get(admin_url(model, "changelist"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    if response.redirect_chain:  # practice settings: one record, whose list opens it
        return
    plural = capfirst(model._meta.verbose_name_plural)
    assert h1(html) == [plural]
    assert title(html) == f"{plural} | {PracticeSettings.load().practice_name} · admin"
    assert f"Select {model._meta.verbose_name}" not in html


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_every_change_or_view_page_is_titled_by_its_record(admin_client, one_of_everything, model):
    record = model.objects.first()
    assert record is not None, f"one_of_everything needs a {model.__name__}"
    response = admin_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert h1(html) == [str(record)]
    assert title(html) == f"{record} | {PracticeSettings.load().practice_name} · admin"
    name = model._meta.verbose_name
    assert f"Change {name}" not in html and f"View {name}" not in html


def test_a_pop_up_list_still_asks_to_choose_one(admin_client):
    html = admin_client.get("/admin/pages/page/?_popup=1&_to_field=id").content.decode()
    assert h1(html) == ["Select page"]


def test_an_add_page_still_says_what_it_adds(admin_client):
    assert h1(admin_client.get("/admin/pages/slugredirect/add/").content.decode()) == ["Add old address"]
