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


def test_a_form_that_is_not_utf8_is_refused_with_a_clear_page_and_nothing_saved(client):
    body = urlencode(form_data(), doseq=True).replace("name=Robin", "name=Rob%FF%FEin")
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "could not read some of the characters" in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_raw_bytes_that_are_not_utf8_are_refused_too(client):
    body = urlencode(form_data(), doseq=True).encode() + b"&message=\xff\xfe\xfd"
    response = client.post(URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert ConsultationRequest.objects.count() == 0


def test_a_multipart_form_is_read_like_any_other(client):
    response = client.post(
        URL, form_data(message="50%FF off? Line one\r\nline two")
    )  # the client sends multipart
    assert response.status_code == 302
    assert ConsultationRequest.objects.get().message == "50%FF off? Line one\nline two"


def test_a_multipart_form_that_is_not_utf8_is_refused(client):
    boundary = "BoUnDaRy"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in form_data(availability=None, concerns=None, relationships=None).items()
    ]
    body = "".join(parts).encode().replace(b"Robin", b"Rob\xffin") + f"--{boundary}--\r\n".encode()
    response = client.post(URL, body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert ConsultationRequest.objects.count() == 0


def multipart_body(boundary, **overrides):
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in form_data(
            availability=None, concerns=None, relationships=None, **overrides
        ).items()
    ]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def test_a_multipart_form_declaring_another_charset_is_refused_not_stored_garbled(client):
    """Django would decode its UTF-8 bytes as Latin-1: "Renée" stored as "RenÃ©e"."""
    body = multipart_body("BoUnDaRy", name="Renée")
    content_type = "multipart/form-data; boundary=BoUnDaRy; charset=iso-8859-1"
    response = client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code == 400
    assert "could not read some of the characters" in response.content.decode()
    assert ConsultationRequest.objects.count() == 0


def test_a_urlencoded_form_declaring_another_charset_gets_the_same_page_not_a_500(client):
    """Django refuses it with a BadRequest whose 400 page then fails on the same body (a 500)."""
    body = urlencode(form_data(), doseq=True).encode()
    content_type = "application/x-www-form-urlencoded; charset=utf-16"
    response = client.generic("POST", URL, body, content_type=content_type)
    assert response.status_code == 400
    assert "could not read some of the characters" in response.content.decode()


def test_an_unknown_charset_is_ignored_as_django_ignores_it(client):
    body = urlencode(form_data(name="Renée"), doseq=True).encode()
    content_type = "application/x-www-form-urlencoded; charset=klingon"
    assert client.generic("POST", URL, body, content_type=content_type).status_code == 302
    assert ConsultationRequest.objects.get().name == "Renée"


def test_an_address_whose_query_is_not_utf8_is_refused_with_the_same_page(client):
    response = client.get(URL + "?service=%FF%FE")
    assert response.status_code == 400
    assert "could not read some of the characters" in response.content.decode()


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
