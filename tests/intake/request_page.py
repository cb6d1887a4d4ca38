"""The request's page in admin as the tests drive it: its addresses, a call logged, the page saved."""

from django.utils import timezone

from tests.html import form_values

LIST = "/admin/intake/consultationrequest/"


def change_url(consultation):
    return f"{LIST}{consultation.pk}/change/"


def log_call_url(consultation):
    return f"{LIST}{consultation.pk}/log-call/"


def local_minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def log(client, consultation, **data):
    fields = {"at": local_minute(timezone.now()), "outcome": "spoke", "note": ""}
    return client.post(log_call_url(consultation), fields | data)


def save_page(client, consultation, **changes):
    """Save the request's page as the browser sends it, with these changes."""
    values = form_values(client.get(change_url(consultation)).content.decode())
    values = {k: v for k, v in values.items() if k in {"status", "follow_up_on", "add_note"} or "-" in k}
    return client.post(change_url(consultation), values | changes)
