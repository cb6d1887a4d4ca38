"""Hostile and unusual input: a clear validation message or stored intact, never a 500."""

from urllib.parse import urlencode

import pytest

from intake.models import ConsultationRequest
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"
TEXT_FIELDS = ["name", "email", "phone", "insurer", "message", "heard_about"]
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize("field", TEXT_FIELDS + ["reference_code", "form_token"])
def test_nul_bytes_in_a_text_field_get_a_clear_message(client, field):
    response = client.post(URL, form_data(**{field: "Rob\x00in"}))
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize(
    "field,value",
    [
        ("service", "relationship-issues\x00"),
        ("client_location", "NY\x00"),
        ("preferred_contact", "\x00"),
        ("concerns", ["1\x00"]),
        ("availability", ["\x00"]),
    ],
)
def test_nul_bytes_in_a_choice_are_refused_as_an_invalid_choice(client, field, value):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_a_one_megabyte_message_gets_a_length_message(client):
    response = client.post(URL, form_data(message="x" * 1_000_000))
    assert response.status_code == 200
    assert "Please keep the message to 1000 characters or fewer" in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_a_body_over_the_upload_limit_is_a_400_not_a_crash(client, settings):
    body = urlencode(form_data(message="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)), doseq=True)
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert ConsultationRequest.objects.count() == 0


def test_line_breaks_count_once_as_the_browser_counted_them(client):
    """A browser's maxlength counts a line break as one character, and sends it as two (CR LF)."""
    message = "\r\n".join(["x" * 99] * 10)  # 990 letters and 9 line breaks: 999 for the browser
    response = client.post(URL, form_data(message=message))
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().message == message.replace("\r\n", "\n")


def test_emoji_and_right_to_left_text_are_stored_intact(client):
    name = "נועה 🌿"
    message = "مرحبا، I'd like to talk 💬 about שלום"
    client.post(URL, form_data(name=name, message=message, heard_about="👋 Instagram"))
    consultation = ConsultationRequest.objects.get()
    assert (consultation.name, consultation.message, consultation.heard_about) == (
        name,
        message,
        "👋 Instagram",
    )


def test_script_payloads_in_every_text_field_come_out_escaped_on_the_thank_you_page(client):
    payloads = {field: SCRIPT for field in ["name", "message", "heard_about", "insurer"]}
    client.post(URL, form_data(**payloads))
    assert ConsultationRequest.objects.get().name == SCRIPT, "stored as written"
    html = client.get("/consultation/thanks/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_script_payloads_come_back_escaped_when_the_form_has_errors(client):
    fields = {field: SCRIPT for field in ["name", "message", "heard_about"]}
    html = client.post(URL, form_data(email="not-an-address", **fields)).content.decode()
    assert "<script>alert" not in html
    assert "onerror=alert(1)>" not in html
