"""Admin shows health information, so signing in takes a password and a second factor."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticDevice

from tests.signin import authenticator_code, authenticator_device

pytestmark = pytest.mark.django_db
LOGIN = f"/{settings.ADMIN_URL}login/"
PASSWORD = "a-long-test-password"


@pytest.fixture
def therapist(django_user_model):
    return django_user_model.objects.create_superuser("therapist", "t@practice.example", PASSWORD)


def log_in(client, token):
    return client.post(LOGIN, {"username": "therapist", "password": PASSWORD, "otp_token": token})


def test_a_password_alone_does_not_open_admin(client, therapist):
    authenticator_device(therapist)
    response = log_in(client, "")
    assert response.status_code == 200
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 302


def test_a_wrong_code_does_not_open_admin(client, therapist):
    device = authenticator_device(therapist)
    wrong = f"{(int(authenticator_code(device)) + 1) % 1_000_000:06d}"
    assert log_in(client, wrong).status_code == 200
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 302


def test_password_and_authenticator_code_open_admin(client, therapist):
    device = authenticator_device(therapist)
    assert log_in(client, authenticator_code(device)).status_code == 302
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200


def test_a_session_without_the_second_factor_is_sent_back_to_sign_in(client, therapist):
    client.force_login(therapist)
    response = client.get(f"/{settings.ADMIN_URL}")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_one_time_backup_code_lets_the_therapist_in_once(client, therapist):
    """How the first sign-in works, before an authenticator app is set up (see the README)."""
    call_command("addstatictoken", "therapist", "--token", "backup12")
    assert log_in(client, "backup12").status_code == 302
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 200
    client.logout()
    assert log_in(client, "backup12").status_code == 200, "a backup code works only once"
    assert not StaticDevice.objects.get(user=therapist).token_set.exists()


def test_sign_in_page_asks_for_the_code_in_plain_words(client):
    html = client.get(LOGIN).content.decode()
    assert "Code from your authenticator app" in html
    assert 'autocomplete="one-time-code"' in html


def test_the_authenticator_app_can_be_set_up_from_admin_with_a_qr_code(admin_client, admin_user):
    device = authenticator_device(admin_user)
    response = admin_client.get(f"/{settings.ADMIN_URL}otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
