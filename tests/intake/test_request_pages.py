"""The pages a request's buttons open, left open on a request erased since, or opened without the right."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intake.models import AuditEntry
from tests.accounts.signing_in import sign_in
from tests.admin_records import view_only_staff
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db

# Each page, by its name in admin's URLconf, and how a tab left open on it is sent again.
PAGES = [
    ("reply", "post", {"subject": "Hello", "body": "Hello", "send": "1"}),
    ("log_call", "post", {"at": "2026-12-08T09:00", "outcome": "spoke"}),
    ("offer_times", "post", {"subject": "Other times", "body": "Pick one"}),
    ("confirm_time", "post", {"booking": "1"}),
    ("consultation", "post", {"action": "cancel"}),
    ("reply", "get", {}),
    ("log_call", "get", {}),
    ("offer_times", "get", {}),
    ("consultation", "get", {}),
]


def page_url(name, consultation):
    extra = [1] if name == "consultation" else []
    return reverse(f"admin:intake_consultationrequest_{name}", args=[consultation.pk, *extra])


@pytest.mark.parametrize(("name", "method", "data"), PAGES)
def test_a_page_left_open_on_an_erased_request_goes_back_to_admin_with_the_change_page_s_words(
    reviewer, name, method, data
):
    consultation = make_request(phone="(555) 123-4567")
    url, change_url = page_url(name, consultation), page_url("change", consultation)
    consultation.delete()
    response = getattr(reviewer, method)(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    change_page = reviewer.get(change_url)
    said, change_page_said = (
        [str(message) for message in get_messages(answer.wsgi_request)] for answer in (response, change_page)
    )
    assert len(said) == 1 and "doesn’t exist. Perhaps it was deleted?" in said[0]
    assert change_page_said[-1] == said[0]  # the change page's own words for the same erased request
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW).exists()


@pytest.mark.parametrize(("name", "method", "data"), PAGES)
def test_view_only_staff_are_refused_whether_or_not_the_request_exists(client, name, method, data):
    sign_in(client, view_only_staff())
    consultation = make_request(phone="(555) 123-4567")
    url = page_url(name, consultation)
    assert getattr(client, method)(url, data).status_code == 403
    consultation.delete()
    assert getattr(client, method)(url, data).status_code == 403
