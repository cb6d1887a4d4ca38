"""Error pages speak plainly, and never lose the visitor in a technical message."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse


def test_500_page_renders_without_the_database_or_the_request():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "988" in html


@pytest.mark.django_db
def test_a_body_too_large_gets_the_friendly_400_page():
    client = Client(raise_request_exception=False)
    body = "message=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post("/consultation/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "That could not be sent" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_forgery_check_asks_to_send_again():
    """(The consultation form itself comes back filled in instead: tests/intake/test_csrf_refused.py.)"""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/consultation/withdraw/not-a-real-token/", {"name": "Robin"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html
    assert "Robin" not in html


def database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


@pytest.mark.django_db
def test_any_page_during_a_database_outage_answers_503_try_again_in_a_minute():
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down):
        response = client.get("/relationship-issues/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Please try again in a minute" in html
    assert "988" in html and "911" in html


@pytest.mark.django_db
def test_other_errors_answer_500():
    client = Client(raise_request_exception=False)
    with mock.patch("pages.views.render_page", side_effect=RuntimeError("a bug")):
        response = client.get("/relationship-issues/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_the_error_pages_say_a_request_may_not_have_arrived_and_lead_back_to_the_form(template):
    html = render_to_string(template)
    assert "If you were sending a consultation request, it may not have arrived" in html
    assert "a form sent twice is received only once" in html
    assert f'href="{reverse("intake:consultation")}"' in html
