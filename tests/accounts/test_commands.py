"""Staff accounts: long, uncommon passwords, no default account, and a command for the therapist's."""

from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db
User = get_user_model()
GOOD_PASSWORD = "maple river quietly 42"


def test_a_fourteen_character_password_is_rejected():
    with pytest.raises(ValidationError, match="at least 15 characters"):
        validate_password("x7#Kq9!mZ2@pL4")


def test_a_fifteen_character_password_is_accepted():
    validate_password("x7#Kq9!mZ2@pL4w")


def test_a_common_password_is_rejected_even_when_long():
    with pytest.raises(ValidationError, match="too common"):
        validate_password("123456789987654321")


def test_a_password_like_the_username_is_rejected():
    with pytest.raises(ValidationError, match="too similar"):
        validate_password("drjordanwellington", User(username="drjordanwellington"))


def test_no_account_exists_until_someone_creates_one():
    """Migrations and setup create no user: there is no default "admin" to guess."""
    assert not User.objects.exists()


def create_therapist(username, *passwords, **options):
    with mock.patch("getpass.getpass", side_effect=passwords):
        call_command("create_therapist", username, **options)


def test_create_therapist_makes_a_full_account_and_says_how_to_enrol(capsys):
    create_therapist("drwells", GOOD_PASSWORD, GOOD_PASSWORD, email="wells@practice.example")
    user = User.objects.get(username="drwells")
    assert user.is_staff and user.is_superuser and user.check_password(GOOD_PASSWORD)
    out = capsys.readouterr().out
    assert "/admin/login/" in out and "QR code" in out and "backup codes" in out
    assert GOOD_PASSWORD not in out


@pytest.mark.parametrize("username", ["admin", "Admin", "administrator", "root"])
def test_create_therapist_refuses_the_names_attackers_try_first(username):
    with pytest.raises(CommandError, match="Choose another username"):
        create_therapist(username, GOOD_PASSWORD, GOOD_PASSWORD)
    assert not User.objects.exists()


def test_create_therapist_asks_again_after_a_short_password(capsys):
    create_therapist("drwells", "short-password", "short-password", GOOD_PASSWORD, GOOD_PASSWORD)
    assert "at least 15 characters" in capsys.readouterr().err
    assert User.objects.get(username="drwells").check_password(GOOD_PASSWORD)


def test_create_therapist_gives_up_after_three_bad_tries():
    with pytest.raises(CommandError, match="No account created"):
        create_therapist("drwells", *["too-short"] * 6)
    assert not User.objects.exists()


SIGN_IN_MODELS = [model for model in admin.site._registry if model._meta.app_label == "accounts"]


@pytest.mark.parametrize("model", SIGN_IN_MODELS, ids=lambda model: model.__name__)
def test_sign_in_records_open_in_admin(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
