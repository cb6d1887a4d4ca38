"""Guessing is throttled: five failed sign-ins lock that username, from that address, for 15 minutes."""

from datetime import timedelta

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.utils import timezone

from tests.accounts.signing_in import (
    ADMIN,
    CODE,
    LOGIN,
    PASSWORD,
    authenticator_code,
    authenticator_device,
    wrong_code,
)

pytestmark = pytest.mark.django_db
HOME = {"REMOTE_ADDR": "203.0.113.10"}
ELSEWHERE = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def therapist(django_user_model):
    user = django_user_model.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    authenticator_device(user)
    return user


def give_password(client, password, **where):
    return client.post(LOGIN, {"username": "therapist", "password": password}, **where)


def fail_five_times(client, **where):
    for attempt in range(5):
        give_password(client, f"wrong-password-number-{attempt}", **where)


def test_the_sixth_try_is_refused_even_with_the_right_password(client, therapist):
    fail_five_times(client, **HOME)
    response = give_password(client, PASSWORD, **HOME)
    assert response.status_code == 429
    assert "signin.pending" not in client.session
    assert "paused for 15 minutes" in response.content.decode()


def test_the_same_username_from_another_address_is_not_locked(client, therapist):
    fail_five_times(client, **HOME)
    response = give_password(client, PASSWORD, **ELSEWHERE)
    assert response.status_code == 302
    assert response["Location"] == CODE


def test_four_failures_do_not_lock(client, therapist):
    for attempt in range(4):
        give_password(client, f"wrong-password-number-{attempt}", **HOME)
    assert give_password(client, PASSWORD, **HOME).status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, therapist):
    give_password(client, PASSWORD, **HOME)
    device = therapist.totpdevice_set.get()
    # django-otp also makes each wrong code wait longer; let the lockout alone decide here.
    with override_settings(OTP_TOTP_THROTTLE_FACTOR=0):
        responses = [client.post(CODE, {"code": wrong_code(device)}, **HOME) for _ in range(5)]
        assert [response.status_code for response in responses] == [200, 200, 200, 200, 429]
        response = client.post(CODE, {"code": authenticator_code(device)}, **HOME)
    assert response.status_code == 429
    assert client.get(ADMIN).status_code == 302


def test_a_forged_forwarded_header_does_not_unlock(client, therapist):
    """Not from a trusted proxy, X-Forwarded-For is the visitor's own words, so it is ignored."""
    fail_five_times(client, **HOME)
    response = give_password(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99", **HOME)
    assert response.status_code == 429


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_behind_the_proxy_each_visitor_is_locked_separately(client, therapist):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail_five_times(client, HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy)
    assert give_password(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy).status_code == 429
    assert give_password(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy).status_code == 302


def test_the_documented_unlock_command_lifts_the_lock(client, therapist):
    fail_five_times(client, **HOME)
    call_command("axes_reset_username", "therapist")
    assert give_password(client, PASSWORD, **HOME).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, therapist):
    for attempt in range(4):
        give_password(client, f"wrong-password-number-{attempt}", **HOME)
    give_password(client, PASSWORD, **HOME)
    client.post(CODE, {"code": authenticator_code(therapist.totpdevice_set.get())}, **HOME)
    assert not AccessAttempt.objects.filter(failures_since_start__gt=0).exists()


@pytest.mark.parametrize(("minutes_ago", "status"), [(14, 429), (16, 302)])
def test_the_lock_lasts_fifteen_minutes(client, therapist, minutes_ago, status):
    fail_five_times(client, **HOME)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes_ago))
    assert give_password(client, PASSWORD, **HOME).status_code == status


def test_axes_reads_the_address_the_site_settled_on_even_if_ipware_appears():
    """django-ipware, if a future dependency brought it in, would read X-Forwarded-For from anyone."""
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert get_client_ip_address(request, use_ipware=True) == "203.0.113.9"
