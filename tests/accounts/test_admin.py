"""Staff sign-in in admin: the sign-in log and failed sign-ins in plain words; nobody sees an authenticator key."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.utils import timezone

from accounts.models import FailedSignIn
from tests.accounts.signing_in import ADMIN, LOGIN, PASSWORD, authenticator_device
from tests.html import texts

OTP_APPS = ["otp_totp", "otp_static"]
OTP_MODELS = [model for label in OTP_APPS for model in apps.get_app_config(label).get_models()]


def test_no_part_of_django_otp_is_registered_in_admin():
    assert [model for model in admin.site._registry if model._meta.app_label.startswith("otp")] == []


@pytest.mark.parametrize("model", OTP_MODELS, ids=lambda model: model.__name__)
def test_no_one_opens_an_authenticator_s_key_or_qr_code_not_even_a_superuser(admin_client, admin_user, model):
    device = authenticator_device(admin_user)
    static = admin_user.staticdevice_set.create(name="backup")
    record = {
        "TOTPDevice": device,
        "StaticDevice": static,
        "StaticToken": static.token_set.create(token="a1"),
    }
    pk = record[model.__name__].pk
    base = f"{ADMIN}{model._meta.app_label}/{model._meta.model_name}/"
    for path in (f"{ADMIN}{model._meta.app_label}/", base, f"{base}add/", f"{base}{pk}/change/"):
        assert admin_client.get(path).status_code == 404, path
    for path in (f"{base}{pk}/config/", f"{base}{pk}/qrcode/"):
        assert admin_client.get(path).status_code == 404, path


def test_the_sign_in_log_shows_who_signed_in_from_where_and_when_in_plain_words(admin_client):
    AccessLog.objects.create(
        username="drwells", ip_address="203.0.113.9", user_agent="Test phone", logout_time=timezone.now()
    )
    html = admin_client.get(f"{ADMIN}accounts/signin/").content.decode()
    headers = [text.strip() for tag, text in texts(html, "th")]
    for header in ("Signed in", "Signed out", "Who", "From address", "Browser or app"):
        assert header in headers
    assert "drwells" in html and "203.0.113.9" in html and "Test phone" in html


def test_the_sign_in_log_cannot_be_added_to_changed_or_deleted(admin_client):
    entry = AccessLog.objects.create(username="drwells", ip_address="203.0.113.9", user_agent="Test phone")
    assert admin_client.get(f"{ADMIN}accounts/signin/add/").status_code == 403
    assert admin_client.get(f"{ADMIN}accounts/signin/{entry.pk}/delete/").status_code == 403
    html = admin_client.get(f"{ADMIN}accounts/signin/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in html


def test_deleting_a_failed_sign_in_lifts_its_lockout_at_once(admin_client, django_user_model):
    django_user_model.objects.create_superuser("drwells", "w@practice.example", PASSWORD)
    therapist = Client()
    for attempt in range(5):
        therapist.post(LOGIN, {"username": "drwells", "password": f"wrong-password-{attempt}"})
    assert therapist.post(LOGIN, {"username": "drwells", "password": PASSWORD}).status_code == 429
    (failed,) = FailedSignIn.objects.all()
    html = admin_client.get(f"{ADMIN}accounts/failedsignin/").content.decode()
    assert "Locked out now" in [text.strip() for tag, text in texts(html, "th")]
    assert 'alt="Yes"' in html, "shown as locked out now"

    admin_client.post(f"{ADMIN}accounts/failedsignin/{failed.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert therapist.post(LOGIN, {"username": "drwells", "password": PASSWORD}).status_code == 302


def test_failed_sign_ins_older_than_the_pause_are_not_shown_as_locked_out(admin_client):
    attempt = AccessAttempt.objects.create(
        username="drwells", ip_address="203.0.113.9", failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - timedelta(minutes=16))
    html = admin_client.get(f"{ADMIN}accounts/failedsignin/").content.decode()
    assert 'alt="No"' in html and 'alt="Yes"' not in html
