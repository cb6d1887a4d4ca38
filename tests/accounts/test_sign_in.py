"""Admin shows health information: signing in takes a password and then a second factor."""

import re
import time
from base64 import b32encode
from unittest import mock

import pytest
from axes.models import AccessLog
from django.contrib import admin
from django.core.management import call_command
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import progress
from accounts.site import TwoFactorAdminSite
from tests.accounts.signing_in import (
    ADMIN,
    CODE,
    LOGIN,
    PASSWORD,
    SET_UP,
    authenticator_code,
    authenticator_device,
    wrong_code,
)
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
REQUESTS = f"{ADMIN}intake/consultationrequest/"


@pytest.fixture
def therapist(django_user_model):
    return django_user_model.objects.create_superuser("therapist", "t@practice.example", PASSWORD)


def give_password(client, username="therapist", password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def give_code(client, code, **extra):
    return client.post(CODE, {"code": code}, **extra)


def backup_codes_on(response):
    return re.findall(r"<code>(\d{5} \d{5})</code>", response.content.decode())


def test_a_right_password_alone_reaches_no_request_data(client, therapist):
    authenticator_device(therapist)
    consultation = make_request(name="Robin Quietname")
    response = give_password(client)
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert "_auth_user_id" not in client.session, "nobody is signed in after the password alone"
    for url in (ADMIN, REQUESTS, f"{REQUESTS}{consultation.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_a_session_signed_in_by_password_alone_is_refused_by_the_admin_itself(client, therapist):
    """Even a session that skipped the sign-in views (a bug, a stolen cookie) needs a verified device."""
    authenticator_device(therapist)
    consultation = make_request()
    client.force_login(therapist)
    session = client.session
    session[progress.SIGNED_IN_AT] = time.time()  # a fresh sign-in, so only the missing device is wrong
    session.save()
    for url in (ADMIN, REQUESTS, f"{REQUESTS}{consultation.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN)


def test_the_admin_is_the_two_factor_site_under_its_usual_name():
    assert isinstance(admin.site, TwoFactorAdminSite)
    assert admin.site.name == "admin"


def test_sign_ins_and_sign_outs_are_written_to_the_access_log(client, therapist):
    """The README sends the therapist to Staff sign-in → Sign-in log to see who signed in, from where, and when."""
    device = authenticator_device(therapist)
    give_password(client, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Test phone")
    give_code(client, authenticator_code(device), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Test phone")
    (entry,) = AccessLog.objects.all()
    assert (entry.username, entry.ip_address, entry.user_agent) == ("therapist", "203.0.113.9", "Test phone")
    assert entry.logout_time is None
    client.post(f"{ADMIN}logout/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Test phone")
    entry.refresh_from_db()
    assert entry.logout_time is not None


def test_a_wrong_code_is_refused(client, therapist):
    device = authenticator_device(therapist)
    give_password(client)
    response = give_code(client, wrong_code(device))
    assert response.status_code == 200
    assert "That code didn&#x27;t work" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_a_code_that_is_not_digits_gets_a_clear_message(client, therapist):
    authenticator_device(therapist)
    give_password(client)
    response = give_code(client, "not a code")
    assert "Codes are made of digits only" in response.content.decode()


def test_password_and_a_valid_code_sign_in(client, therapist):
    device = authenticator_device(therapist)
    give_password(client)
    response = give_code(client, authenticator_code(device))
    assert response.status_code == 302
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_after_sign_in_the_page_first_asked_for_opens(client, therapist):
    device = authenticator_device(therapist)
    client.post(f"{LOGIN}?next={REQUESTS}", {"username": "therapist", "password": PASSWORD, "next": REQUESTS})
    assert give_code(client, authenticator_code(device))["Location"] == REQUESTS


def test_a_next_address_on_another_site_is_ignored(client, therapist):
    device = authenticator_device(therapist)
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD, "next": "https://evil.example/"})
    assert give_code(client, authenticator_code(device))["Location"] == ADMIN


def test_a_code_used_once_cannot_be_used_again(client, therapist):
    device = authenticator_device(therapist)
    code = authenticator_code(device)
    give_password(client)
    give_code(client, code)
    client.logout()
    give_password(client)
    assert give_code(client, code).status_code == 200, "a code overheard or shoulder-surfed is spent"


def test_a_backup_code_works_once(client, therapist):
    authenticator_device(therapist)
    device = StaticDevice.objects.create(user=therapist, name="Backup codes")
    device.token_set.create(token="1234567890")
    give_password(client)
    assert give_code(client, "12345 67890").status_code == 302, "typed as printed, with the space"
    assert client.get(ADMIN).status_code == 200
    client.logout()
    give_password(client)
    assert give_code(client, "1234567890").status_code == 200, "a backup code works only once"
    assert client.get(ADMIN).status_code == 302


def test_the_code_step_needs_the_password_step_first(client, therapist):
    authenticator_device(therapist)
    response = give_code(client, "123456")
    assert response.status_code == 302
    assert response["Location"] == LOGIN


def test_the_code_step_lasts_five_minutes(client, therapist):
    device = authenticator_device(therapist)
    give_password(client)
    later = time.time() + progress.PENDING_MAX_AGE + 1
    with mock.patch("accounts.progress.time.time", return_value=later):
        response = give_code(client, authenticator_code(device))
    assert response["Location"] == LOGIN
    assert client.get(ADMIN).status_code == 302


def test_a_wrong_password_is_refused_in_plain_words(client, therapist):
    response = give_password(client, password="not-the-password-at-all")
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()
    assert "signin.pending" not in client.session


def test_an_account_that_is_not_staff_cannot_start(client, django_user_model):
    django_user_model.objects.create_user("visitor", password=PASSWORD)
    assert give_password(client, "visitor").status_code == 200
    assert "signin.pending" not in client.session


def test_a_new_staff_account_sets_up_its_authenticator_with_a_qr_code_drawn_here(client, therapist):
    response = give_password(client)
    assert response["Location"] == SET_UP
    page = client.get(SET_UP).content.decode()
    qr_code = re.search(r'<figure class="signin-qr".*?</figure>', page, re.DOTALL).group()
    assert "<svg" in qr_code and "<path" in qr_code, "the QR code is inline SVG, not an image from elsewhere"
    device = TOTPDevice.objects.get(user=therapist, confirmed=False)
    assert qr_code in client.get(SET_UP).content.decode(), "reloading shows the same QR code"
    assert TOTPDevice.objects.filter(user=therapist).count() == 1
    key = re.search(r'signin-secret__key">([A-Z2-7 ]+)<', page).group(1)
    assert key.replace(" ", "") == b32encode(device.bin_key).decode(), "the same secret, for typing"
    response = client.post(SET_UP, {"code": authenticator_code(device)})
    assert response["Location"] == f"{ADMIN}backup-codes/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200


def test_set_up_shows_ten_backup_codes_once_and_they_sign_in(client, therapist):
    give_password(client)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=therapist)
    client.post(SET_UP, {"code": authenticator_code(device)})
    codes = backup_codes_on(client.get(f"{ADMIN}backup-codes/"))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert backup_codes_on(client.get(f"{ADMIN}backup-codes/")) == [], "shown only once"
    client.logout()
    give_password(client)
    assert give_code(client, codes[3]).status_code == 302


def test_a_wrong_code_at_set_up_leaves_the_authenticator_unconfirmed(client, therapist):
    give_password(client)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=therapist)
    response = client.post(SET_UP, {"code": wrong_code(device)})
    assert "didn&#x27;t match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(ADMIN).status_code == 302


def test_an_account_with_an_authenticator_cannot_set_up_another(client, therapist):
    authenticator_device(therapist)
    give_password(client)
    assert client.get(SET_UP)["Location"] == CODE


def test_new_backup_codes_replace_the_old_ones(client, therapist):
    device = authenticator_device(therapist)
    give_password(client)
    give_code(client, authenticator_code(device))
    page = client.get(f"{ADMIN}backup-codes/").content.decode()
    assert "You have 0 unused backup codes" in page
    response = client.post(f"{ADMIN}backup-codes/")
    assert response.status_code == 302
    first = backup_codes_on(client.get(response["Location"]))
    client.post(f"{ADMIN}backup-codes/")
    second = backup_codes_on(client.get(f"{ADMIN}backup-codes/"))
    assert len(second) == 10 and not set(first) & set(second)
    client.logout()
    give_password(client)
    assert give_code(client, first[0]).status_code == 200, "old codes stop working"


@override_settings(ADMIN_TWO_FACTOR_REQUIRED=False)
def test_the_development_setting_lets_a_password_alone_sign_in(client, therapist):
    response = give_password(client)
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_reset_two_factor_makes_the_next_sign_in_set_up_a_new_app(client, therapist, capsys):
    authenticator_device(therapist)
    StaticDevice.objects.create(user=therapist, name="Backup codes")
    call_command("reset_two_factor", "therapist")
    assert "Removed 2 sign-in device(s)" in capsys.readouterr().out
    assert give_password(client)["Location"] == SET_UP


def test_right_after_a_wrong_code_codes_pause_briefly_and_say_so(client, therapist):
    """django-otp doubles the wait after each wrong code, which slows guessing from many addresses."""
    device = authenticator_device(therapist)
    give_password(client)
    give_code(client, wrong_code(device))
    response = give_code(client, authenticator_code(device))
    assert "codes are paused for a moment" in response.content.decode()
    assert client.get(ADMIN).status_code == 302
