"""Helpers for the reply tests: open the reply page from a template, and send what it shows."""

from intake.models import ReplyTemplate
from tests.html import form_values

LIST = "/admin/intake/consultationrequest/"


def change_url(consultation):
    return f"{LIST}{consultation.pk}/change/"


def reply_url(consultation):
    return f"{LIST}{consultation.pk}/reply/"


def template_named(name):
    return ReplyTemplate.objects.get(name=name)


def open_reply(client, consultation, template_name):
    response = client.get(reply_url(consultation), {"template": template_named(template_name).pk})
    assert response.status_code == 200
    return response


def reply_form(client, consultation, template_name, **changes):
    """The reply form's fields as the page first shows them, with `changes` applied."""
    values = form_values(open_reply(client, consultation, template_name).content.decode())
    return values | changes


def send(client, consultation, template_name="Offer a consultation", **changes):
    data = reply_form(client, consultation, template_name, **changes) | {"send": "Send reply"}
    return client.post(reply_url(consultation), data)
