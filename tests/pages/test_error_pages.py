"""Error pages speak plainly, and never lose the visitor in a technical message."""

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client


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
    client = Client(enforce_csrf_checks=True)
    response = client.post("/consultation/", {"name": "Robin"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Please send the form again" in html
    assert "Robin" not in html
