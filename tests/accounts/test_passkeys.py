"""
Passkeys for staff, the server's side: added after a fresh sign-in, used as the second factor after
the password, and every answer that is not this account's passkey on this site refused.
A software authenticator (tests/accounts/software_passkey.py) answers the ceremonies.
"""

import logging
from html import unescape

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import passkeys
from accounts.models import Passkey
from accounts.progress import SIGNED_IN_AT
from pages.clock import local_time
from tests.accounts.signing_in import (
    ADMIN,
    CODE,
    LOGIN,
    PASSWORD,
    authenticator_code,
    authenticator_device,
    sign_in,
    wrong_code,
)
from tests.accounts.software_passkey import SoftwarePasskey, options_on

pytestmark = pytest.mark.django_db
PASSKEYS = f"{ADMIN}passkeys/"
CONFIRM = f"{PASSKEYS}confirm/"
ADD = f"{PASSKEYS}add/"
USE = f"{ADMIN}login/passkey/"
ADD_AT_SIGN_IN = f"{ADMIN}login/add-passkey/"


@pytest.fixture
def therapist(django_user_model):
    user = django_user_model.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    authenticator_device(user)
    return user


def confirm(client, user, offset=0):
    code = authenticator_code(authenticator_device(user), offset)
    return client.post(CONFIRM, {"password": PASSWORD, "code": code})


def add(client, authenticator, name="MacBook Touch ID"):
    options = options_on(client.get(ADD))
    return client.post(ADD, {"name": name, "credential": authenticator.create(options)})


@pytest.fixture
def registered(client, therapist):
    """The therapist's passkey, added from their passkeys page; the client is signed out again."""
    authenticator = SoftwarePasskey()
    sign_in(client, therapist)
    confirm(client, therapist)
    add(client, authenticator)
    client.logout()
    return authenticator


def use(client, answer):
    return client.post(USE, {"credential": answer})


def passkey_options(client):
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    return options_on(client.get(USE))


# Adding a passkey


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
def test_adding_a_passkey_asks_for_the_password_and_a_code_again(client, therapist):
    sign_in(client, therapist)
    assert client.get(ADD)["Location"] == CONFIRM
    device = therapist.totpdevice_set.get()
    response = client.post(CONFIRM, {"password": "not-the-password", "code": authenticator_code(device)})
    assert "That password didn't match" in unescape(response.text)
    response = client.post(
        CONFIRM, {"password": PASSWORD, "code": wrong_code(therapist.totpdevice_set.get())}
    )
    assert "That code didn't work" in unescape(response.text)
    assert client.get(ADD)["Location"] == CONFIRM
    assert confirm(client, therapist)["Location"] == ADD
    assert client.get(ADD).status_code == 200


def test_a_confirmation_lasts_five_minutes(client, therapist, monkeypatch):
    sign_in(client, therapist)
    confirm(client, therapist)
    later = passkeys_time() + 5 * 60 + 1
    monkeypatch.setattr("accounts.passkey_views.time.time", lambda: later)
    assert client.get(ADD)["Location"] == CONFIRM


def passkeys_time():
    import time

    return time.time()


def test_a_named_passkey_is_added_and_listed(client, therapist):
    sign_in(client, therapist)
    confirm(client, therapist)
    response = add(client, SoftwarePasskey(), name="  YubiKey   5 ")
    assert response["Location"] == PASSKEYS
    passkey = Passkey.objects.get(user=therapist)
    assert passkey.name == "YubiKey 5"
    page = client.get(PASSKEYS).text
    assert "YubiKey 5" in page
    assert "Not yet" in page, "never used yet"
    assert "is ready" in page


def test_a_passkey_answer_for_another_site_is_not_added(client, therapist, caplog):
    sign_in(client, therapist)
    confirm(client, therapist)
    options = options_on(client.get(ADD))
    with caplog.at_level(logging.WARNING, logger="accounts.passkeys"):
        response = client.post(
            ADD, {"name": "x", "credential": SoftwarePasskey().create(options, origin="https://evil.example")}
        )
    assert not Passkey.objects.exists()
    assert "made for a different website" in unescape(client.get(response["Location"]).text)
    assert "made for another origin" in caplog.text


def signed_in_with_passkey(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = Passkey.objects.get(user=user).persistent_id
    session[SIGNED_IN_AT] = passkeys_time()
    session.save()


def test_a_passkey_can_be_removed_but_not_the_last_way_in(client, therapist, registered):
    sign_in(client, therapist)
    passkey = Passkey.objects.get()
    assert "Remove" in client.get(PASSKEYS).text
    # Without the app and backup codes, the passkey is the only way past the password.
    therapist.totpdevice_set.all().delete()
    StaticDevice.objects.filter(user=therapist).delete()
    signed_in_with_passkey(client, therapist)
    page = client.get(PASSKEYS).text
    assert "Your only way in" in page
    client.post(f"{PASSKEYS}{passkey.pk}/remove/")
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    authenticator_device(therapist)
    response = client.post(f"{PASSKEYS}{passkey.pk}/remove/")
    assert response["Location"] == PASSKEYS
    assert not Passkey.objects.exists()


def test_nobody_removes_another_staff_members_passkey(client, registered, django_user_model):
    colleague = django_user_model.objects.create_superuser("colleague", "c@practice.example", PASSWORD)
    sign_in(client, colleague)
    assert client.post(f"{PASSKEYS}{Passkey.objects.get().pk}/remove/").status_code == 404
    assert Passkey.objects.exists()


def test_the_passkeys_pages_need_a_full_sign_in(client, therapist):
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    for url in (PASSKEYS, CONFIRM, ADD):
        assert client.get(url).status_code == 302, url


# Signing in with it


def test_after_the_password_the_passkey_comes_first(client, registered):
    response = client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    assert response["Location"] == USE
    response = client.get(USE)
    assert "no-store" in response["Cache-Control"], "a page with a challenge is never kept"
    page = response.text
    assert "Use a passkey" in page
    assert "Use a code from your authenticator app instead" in page


def test_a_password_alone_never_reaches_admin_for_a_passkey_account(client, registered):
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    assert client.get(ADMIN).status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_passkey_signs_in_and_is_marked_used(client, registered):
    options = passkey_options(client)
    response = use(client, registered.get(options))
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert SIGNED_IN_AT in client.session, "the 8-hour limit counts from here"
    passkey = Passkey.objects.get()
    assert passkey.last_used_at is not None
    assert passkey.sign_count == registered.sign_count
    # The passkeys page says when it was last used, in the practice's clock (issue 27).
    row = client.get(PASSKEYS).text.split('<th scope="row">MacBook Touch ID</th>')[1].split("</tr>")[0]
    assert local_time(passkey.last_used_at) in row and "Not yet" not in row


def test_the_sign_in_log_says_which_second_factor_was_used(client, therapist, registered):
    use(client, registered.get(passkey_options(client)))
    client.logout()
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    client.post(CODE, {"code": authenticator_code(therapist.totpdevice_set.get(), offset=1)})
    html = client.get(f"{ADMIN}accounts/signin/").text
    results = html[html.index('id="result_list"') :]
    assert "Second factor" in results
    rows = results.split("<tr")[2:]
    assert "App or backup code" in rows[0], rows
    assert ">Passkey<" in rows[1]


def test_the_app_code_stays_the_way_back(client, therapist, registered):
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    # The fixture's confirmation used the code shown now; the app's next one signs in.
    response = client.post(CODE, {"code": authenticator_code(therapist.totpdevice_set.get(), offset=1)})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def refused(client, answer, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.passkeys"):
        response = use(client, answer)
    assert response.status_code == 200
    assert client.get(ADMIN).status_code == 302, "not signed in"
    return unescape(response.text)


def test_a_passkey_made_for_another_origin_is_refused(client, registered, caplog):
    options = passkey_options(client)
    page = refused(client, registered.get(options, origin="https://practice-example.evil"), caplog)
    assert "made for a different website" in page
    assert "made for another origin" in caplog.text


def test_a_replayed_answer_is_refused(client, registered, caplog):
    options = passkey_options(client)
    answer = registered.get(options)
    use(client, answer)
    client.logout()
    passkey_options(client)
    page = refused(client, answer, caplog)
    assert "out of date or already used" in page
    assert "answer to another challenge (replayed)" in caplog.text


def test_an_answer_sent_twice_is_refused_the_second_time(client, registered, caplog):
    options = passkey_options(client)
    answer = registered.get(options)
    client.post(USE, {"credential": "not json"})  # uses up the challenge
    page = refused(client, answer, caplog)
    assert "out of date or already used" in page


def test_a_counter_going_backwards_is_refused(client, registered, caplog):
    use(client, registered.get(passkey_options(client)))
    client.logout()
    page = refused(client, registered.get(passkey_options(client), sign_count=1), caplog)
    assert "didn't fit its earlier ones" in page
    assert "sign count went backwards" in caplog.text


def test_a_wrong_user_handle_is_refused(client, registered, caplog):
    options = passkey_options(client)
    page = refused(client, registered.get(options, user_handle="c29tZW9uZS1lbHNl"), caplog)
    assert "belongs to a different account" in page
    assert "wrong user handle" in caplog.text


def test_a_removed_passkey_is_refused(client, registered, caplog):
    options = passkey_options(client)
    Passkey.objects.all().delete()  # removed while the sign-in page was open
    page = refused(client, registered.get(options), caplog)
    assert "isn't set up for this account" in page
    assert "unknown or removed" in caplog.text


def test_another_staff_members_passkey_is_refused(client, registered, django_user_model, caplog):
    colleague = django_user_model.objects.create_superuser("colleague", "c@practice.example", PASSWORD)
    own = SoftwarePasskey()
    Passkey.objects.create(
        user=colleague,
        name="own",
        credential_id=own.credential_id,
        public_key=own.cose_public_key(),
        user_handle=b"c",
    )
    client.post(LOGIN, {"username": "colleague", "password": PASSWORD})
    page = refused(client, registered.get(options_on(client.get(USE))), caplog)
    assert "isn't set up for this account" in page


def test_refused_passkeys_count_towards_the_lockout(client, registered):
    options = passkey_options(client)
    statuses = []
    for _ in range(5):
        statuses.append(use(client, registered.get(options, origin="https://evil.example")).status_code)
        options = options_on(client.get(USE)) if statuses[-1] == 200 else options
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert use(client, registered.get(options)).status_code == 429


def test_the_eight_hour_limit_applies_to_a_passkey_sign_in(client, registered, monkeypatch):
    use(client, registered.get(passkey_options(client)))
    later = passkeys_time() + 8 * 60 * 60 + 1
    monkeypatch.setattr("accounts.progress.time.time", lambda: later)
    assert client.get(ADMIN).status_code == 302


# Passkeys required, and resetting


@override_settings(ADMIN_PASSKEYS_REQUIRED=True)
def test_when_passkeys_are_required_a_code_only_adds_one(client, therapist):
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    response = client.post(CODE, {"code": authenticator_code(therapist.totpdevice_set.get())})
    assert response["Location"] == ADD_AT_SIGN_IN
    assert client.get(ADMIN).status_code == 302, "a code alone does not open admin"
    authenticator = SoftwarePasskey()
    options = options_on(client.get(ADD_AT_SIGN_IN))
    response = client.post(ADD_AT_SIGN_IN, {"name": "Phone", "credential": authenticator.create(options)})
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    assert Passkey.objects.get().name == "Phone"


@override_settings(ADMIN_PASSKEYS_REQUIRED=True)
def test_when_passkeys_are_required_a_new_account_adds_one_after_the_app(client, django_user_model):
    django_user_model.objects.create_superuser("newcomer", "n@practice.example", PASSWORD)
    client.post(LOGIN, {"username": "newcomer", "password": PASSWORD})
    client.get(f"{ADMIN}login/set-up/")
    device = django_user_model.objects.get(username="newcomer").totpdevice_set.get()
    response = client.post(f"{ADMIN}login/set-up/", {"code": authenticator_code(device)})
    assert response["Location"] == ADD_AT_SIGN_IN
    assert client.get(ADMIN).status_code == 302
    options = options_on(client.get(ADD_AT_SIGN_IN))
    response = client.post(ADD_AT_SIGN_IN, {"name": "Phone", "credential": SoftwarePasskey().create(options)})
    assert response["Location"] == f"{ADMIN}backup-codes/"
    assert len(client.get(response["Location"]).context["codes"]) == 10


def test_the_add_step_of_the_sign_in_needs_a_right_code_first(client, therapist):
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    assert client.get(ADD_AT_SIGN_IN)["Location"] == LOGIN


def test_reset_two_factor_removes_passkeys_too(registered, therapist):
    call_command("reset_two_factor", "therapist", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Passkey.objects.exists()
    assert not passkeys.has_passkey(therapist)


def test_an_answer_is_good_once_even_from_a_passkey_without_a_counter(rf, registered, therapist, caplog):
    """Some passkeys (synced ones) always report 0: then only the one-time challenge stops a replay."""
    request = rf.post(USE)
    request.session = SessionStore()
    answer = registered.get(passkeys.authentication_options(request, therapist), sign_count=0)
    assert passkeys.authenticate(request, therapist, answer) == Passkey.objects.get()
    with (
        caplog.at_level(logging.WARNING, logger="accounts.passkeys"),
        pytest.raises(passkeys.Refused) as refusal,
    ):
        passkeys.authenticate(request, therapist, answer)
    assert refusal.value.message == passkeys.OUT_OF_DATE
    assert "no challenge waiting" in caplog.text
