"""Admin sessions end on their own: 30 idle minutes, 8 hours at most, browser close, and sign-out."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import sessions
from accounts.sessions import SessionLifetimeMiddleware, SessionStore
from intake.models import ConsultationRequest
from tests.accounts.signing_in import ADMIN, CODE, LOGIN, PASSWORD, authenticator_code, authenticator_device
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, django_user_model):
    """A client that signed in the real way, password then code."""
    therapist = django_user_model.objects.create_superuser("therapist", "t@practice.example", PASSWORD)
    device = authenticator_device(therapist)
    client.post(LOGIN, {"username": "therapist", "password": PASSWORD})
    client.post(CODE, {"code": authenticator_code(device)})
    assert client.get(ADMIN).status_code == 200
    return client


def database_down(execute, sql, params, many, context):
    raise OperationalError("the database system is shutting down")


def minutes_later(minutes):
    """Django's clock (session expiry) and Python's (the sign-in time), moved on together."""
    now, wall = timezone.now(), time.time()
    return (
        mock.patch("django.utils.timezone.now", return_value=now + timedelta(minutes=minutes)),
        mock.patch("accounts.progress.time.time", return_value=wall + minutes * 60),
    )


def get_admin_after(client, minutes):
    django_clock, python_clock = minutes_later(minutes)
    with django_clock, python_clock:
        return client.get(ADMIN)


def test_a_session_idle_for_thirty_minutes_has_ended(signed_in):
    response = get_admin_after(signed_in, 31)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_activity_keeps_a_session_going(signed_in):
    assert get_admin_after(signed_in, 25).status_code == 200
    assert get_admin_after(signed_in, 50).status_code == 200, "25 minutes after the last request"


def test_eight_hours_after_sign_in_the_session_ends_however_busy(signed_in):
    for minutes in range(25, 8 * 60, 25):
        assert get_admin_after(signed_in, minutes).status_code == 200
    assert get_admin_after(signed_in, 8 * 60 + 1).status_code == 302


def test_the_session_cookie_ends_when_the_browser_closes(signed_in):
    cookie = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]


def test_production_cookies_carry_the_host_prefix_and_its_rules(signed_in):
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        cookie = signed_in.cookies[name]
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"], name


def test_a_cookie_replayed_after_sign_out_is_refused(signed_in):
    stolen = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in.post(f"{ADMIN}logout/").status_code == 200
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_with_the_database_out_of_reach_a_request_goes_on_signed_out_and_keeps_its_session(signed_in, rf):
    """The limit cannot be checked without the session: nothing in the request is signed in, nothing is lost."""
    request = rf.get(ADMIN)
    request.session = signed_in.session
    request.user = "the signed-in user, not yet read"
    seen = []

    def view(request):
        seen.append(request.user)
        return HttpResponse()

    with connection.execute_wrapper(database_down):
        SessionLifetimeMiddleware(view)(request)
    (user,) = seen
    assert user.is_anonymous
    assert request.session.session_key == signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    assert not request.session.modified


def sessions_cannot_be_written(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE")) and "django_session" in sql:
        raise OperationalError("the database system is shutting down")
    return execute(sql, params, many, context)


def test_a_request_saved_just_before_the_database_went_away_is_still_thanked(client):
    """The session is written after the request: if that fails, the visitor must not read "not sent"."""
    with connection.execute_wrapper(sessions_cannot_be_written):
        response = client.post("/consultation/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/consultation/thanks/"
    assert ConsultationRequest.objects.count() == 1


def test_a_returning_visitors_page_stands_when_their_session_cannot_be_saved(client):
    client.post("/consultation/", form_data())  # now they have a session
    assert client.cookies[settings.SESSION_COOKIE_NAME].value
    with connection.execute_wrapper(sessions_cannot_be_written):
        response = client.get("/consultation/thanks/")
    assert response.status_code == 200
    assert "Thank you, Robin" in response.content.decode()


def test_a_new_session_is_saved_with_one_insert_and_no_question_first(db):
    store = SessionStore()
    store["seen"] = 1
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert [query["sql"].split()[0] for query in queries if "django_session" in query["sql"]] == ["INSERT"]
    assert SessionStore(store.session_key).load() == {"seen": 1}


def test_a_new_session_drawing_a_key_in_use_draws_another(db, monkeypatch):
    taken = SessionStore()
    taken["visitor"] = "first"
    taken.save()
    keys = iter([taken.session_key, "b" * 32])
    monkeypatch.setattr(sessions, "get_random_string", lambda *args: next(keys))
    store = SessionStore()
    store["visitor"] = "second"
    store.save()
    assert store.session_key == "b" * 32
    assert SessionStore(taken.session_key).load() == {"visitor": "first"}, "the other session is untouched"
