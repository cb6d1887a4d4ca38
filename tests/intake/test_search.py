"""Searching the list: a phone number finds the request however either side typed it; names and emails as usual."""

import pytest

from intake.models import AuditEntry
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
LIST = "/admin/intake/consultationrequest/"


def found(client, term):
    html = client.get(LIST, {"q": term}).content.decode()
    return {name for name in ("Quinn", "Other", "Abroad") if f">{name}<" in html}


@pytest.fixture
def requests():
    make_request(
        name="Quinn", email="quinn7@example.org", phone="+1 (555) 123-4567", preferred_contact="call"
    )
    make_request(name="Other", email="other@example.org", phone="555-777-0000")
    make_request(name="Abroad", email="abroad@example.org", phone="+44 20 7946 0958")


@pytest.mark.parametrize(
    "term",
    [
        "(555) 123-4567",
        "5551234567",
        "+1 555 123 4567",
        "1-555-123-4567",
        "555.123.4567",
        "555 123 4567",
        "123-4567",
        " 15551234567 ",
    ],
)
def test_a_phone_number_is_found_however_it_was_typed(reviewer, requests, term):
    assert found(reviewer, term) == {"Quinn"}


def test_a_number_from_abroad_is_found_by_its_digits(reviewer, requests):
    assert found(reviewer, "+44 20 7946 0958") == {"Abroad"}
    assert found(reviewer, "0207946 0958") == set(), "digits must appear in the order stored"


@pytest.mark.parametrize(
    "term,names", [("Quinn", {"Quinn"}), ("quinn7@example", {"Quinn"}), ("other@", {"Other"})]
)
def test_names_and_emails_are_still_found(reviewer, requests, term, names):
    assert found(reviewer, term) == names


def test_an_email_with_digits_is_not_taken_for_a_phone_number(reviewer, requests):
    """Digits inside an address must not match every phone that happens to contain them."""
    assert found(reviewer, "quinn7@example.org") == {"Quinn"}
    assert found(reviewer, "7@example") == {"Quinn"}


def test_searching_by_phone_is_audited_without_the_number(reviewer, requests):
    reviewer.get(LIST, {"q": "(555) 123-4567"})
    entry = AuditEntry.objects.get(action="list")
    assert entry.detail == "1 request"
