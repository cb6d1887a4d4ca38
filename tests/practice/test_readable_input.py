"""Forms and addresses that are not UTF-8 get a clear page (400) and are never stored garbled."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from intake.models import ConsultationRequest
from tests.intake.factories import form_data

pytestmark = pytest.mark.django_db
URL = "/consultation/"


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


def photo_upload_body(boundary, title):
    return (
        f'--{boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n'.encode()
        + title
        + f'\r\n--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n'.encode()
        + b"Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\xff\x00\xfe"
        + f"\r\n--{boundary}--\r\n".encode()
    )


def test_a_photo_upload_in_admin_may_carry_a_binary_file_but_not_a_field_that_is_not_utf8(admin_client):
    url = reverse("admin:pages_photo_add")
    content_type = "multipart/form-data; boundary=BoUnDaRy"
    readable = admin_client.post(
        url, photo_upload_body("BoUnDaRy", "Renée".encode()), content_type=content_type
    )
    assert readable.status_code == 200  # the form, with its own message for the file
    assert "This file is not an image this site can read." in readable.content.decode()
    garbled = admin_client.post(url, photo_upload_body("BoUnDaRy", b"Ren\xe9e"), content_type=content_type)
    assert garbled.status_code == 400
    assert "could not read some of the characters" in garbled.content.decode()
