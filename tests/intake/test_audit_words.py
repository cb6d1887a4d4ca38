"""The audit log reads as sentences with field and status labels, and one visit to the list is one entry."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from intake.admin.audit_words import what_happened
from intake.models import AuditEntry, ConsultationRequest
from intake.models.audit import LIST_VISIT
from tests.accounts.signing_in import sign_in
from tests.html import form_values, texts
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action
Status = ConsultationRequest.Status
LIST = "/admin/intake/consultationrequest/"
AUDIT_LOG = "/admin/intake/auditentry/"


@pytest.fixture
def therapist(admin_user):
    """A superuser with a browser of their own (the reviewer has the test's `client`)."""
    return sign_in(Client(), admin_user)


def save_request_page(client, consultation, **changes):
    """Change fields on a request's page and save it, as the therapist does."""
    page = client.get(f"{LIST}{consultation.pk}/change/").content.decode()
    values = {name: value for name, value in form_values(page).items() if not name.startswith("_")}
    return client.post(f"{LIST}{consultation.pk}/change/", values | changes)


def entry(action, number=12, detail=""):
    return AuditEntry(username="therapist", action=action, request_number=number, detail=detail)


# Changes, by label


def test_a_change_is_written_with_field_labels_and_status_labels(reviewer):
    consultation = make_request()
    save_request_page(
        reviewer,
        consultation,
        status=Status.CONTACTED,
        follow_up_on="2026-12-01",
        add_note="Her partner's affair",
    )
    change, note = AuditEntry.objects.filter(action=Action.CHANGE).order_by("id")
    assert change.detail == "status New → Contacted, next follow-up"
    assert (
        what_happened(change) == f"Changed request #{consultation.pk}: status New → Contacted, next follow-up"
    )
    assert what_happened(note) == f"Changed request #{consultation.pk}: added a note"


def test_a_change_never_carries_what_was_typed_or_the_date_chosen(reviewer):
    consultation = make_request()
    save_request_page(reviewer, consultation, follow_up_on="2026-12-01", add_note="Her partner's affair")
    details = list(
        AuditEntry.objects.filter(action=Action.CHANGE).order_by("id").values_list("detail", flat=True)
    )
    assert details == ["next follow-up", "added a note"]
    assert not any("affair" in detail or "2026" in detail or "12" in detail for detail in details)


def test_a_list_action_writes_the_status_label(reviewer):
    consultation = make_request()
    reviewer.post(LIST, {"action": "mark_contacted", "_selected_action": [consultation.pk]})
    change = AuditEntry.objects.get(action=Action.CHANGE)
    assert what_happened(change) == f"Changed request #{consultation.pk}: status → Contacted"


# The log as sentences


@pytest.mark.parametrize(
    ("written", "sentence"),
    [
        (entry(Action.LIST, None, "34 requests"), "Viewed the list (34 requests)"),
        (entry(Action.VIEW), "Viewed request #12"),
        (
            entry(Action.VIEW, detail="listed to confirm an erasure"),
            "Viewed request #12 (listed to confirm an erasure)",
        ),
        (
            entry(Action.CHANGE, detail="status New → Contacted"),
            "Changed request #12: status New → Contacted",
        ),
        (entry(Action.EXPORT, detail="CSV export"), "Exported request #12 (CSV export)"),
        (entry(Action.DELETE), "Deleted request #12"),
        (entry(Action.ERASE), "Erased request #12"),
        (
            AuditEntry(username="system", action=Action.WITHDRAW, request_number=12),
            "Request #12 withdrawn by the visitor",
        ),
        # The visitor's link pressed in a browser signed in to admin (intake.life.withdrawal_views.withdraw).
        (entry(Action.WITHDRAW), "Request #12 withdrawn by therapist, signed in as staff"),
        (entry(Action.PURGE, detail="retention: 180 days"), "Purged request #12 (retention: 180 days)"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.action,
)
def test_each_entry_reads_as_a_sentence(written, sentence):
    assert what_happened(written) == sentence


def test_an_action_this_table_does_not_know_still_names_its_request():
    assert what_happened(entry("call_logged")) == "call_logged, request #12"


def test_the_audit_log_shows_when_who_and_what(reviewer, therapist):
    consultation = make_request()
    reviewer.get(f"{LIST}{consultation.pk}/change/")
    html = therapist.get(AUDIT_LOG).content.decode()
    headers = [text.strip() for tag, text in texts(html, "th")]
    assert headers[headers.index("When") : headers.index("When") + 3] == ["When", "Who", "What"]
    assert f"Viewed request #{consultation.pk}" in html
    assert "reviewer" in html


# One visit to the list, one entry


def list_entries():
    return list(AuditEntry.objects.filter(action=Action.LIST).order_by("at", "id"))


def test_the_first_look_at_the_list_writes_one_entry_with_the_count(reviewer):
    make_request()
    make_request()
    reviewer.get(LIST)
    (first,) = list_entries()
    assert (first.user, first.detail) == (reviewer.user, "2 requests")


def test_paging_filtering_and_sorting_in_the_same_visit_write_no_more(reviewer):
    make_request()
    reviewer.get(LIST)
    (first,) = list_entries()
    for query in (
        "?p=1",
        "?status=all",
        "?status=spam",
        "?o=2",
        "?o=-2",
        "?q=Robin",
        "",
        "?status=new",
        "?e=1",
        "",
    ):
        assert reviewer.get(LIST + query).status_code in {200, 302}
    assert list_entries() == [first]
    assert AuditEntry.objects.get(pk=first.pk).at == first.at, "the first entry is left as it was"


def test_a_look_after_the_visit_window_writes_a_new_entry(reviewer):
    make_request()
    earlier = AuditEntry.objects.create(
        user=reviewer.user,
        username="reviewer",
        action=Action.LIST,
        detail="1 request",
        at=timezone.now() - timedelta(minutes=31),
    )
    reviewer.get(LIST)
    entries = list_entries()
    assert entries[0] == earlier and len(entries) == 2


def test_a_visit_lasts_as_long_as_admin_s_idle_limit():
    assert timedelta(minutes=30) == LIST_VISIT == timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_a_look_within_the_visit_window_writes_none(reviewer):
    make_request()
    AuditEntry.objects.create(
        user=reviewer.user, username="reviewer", action=Action.LIST, at=timezone.now() - timedelta(minutes=29)
    )
    reviewer.get(LIST)
    assert len(list_entries()) == 1


def test_another_person_s_visit_does_not_hide_mine(reviewer, therapist, admin_user):
    make_request()
    therapist.get(LIST)
    reviewer.get(LIST)
    assert [e.user for e in list_entries()] == [admin_user, reviewer.user]


def test_opening_a_request_is_always_its_own_entry(reviewer):
    consultation = make_request()
    for _ in range(3):
        reviewer.get(f"{LIST}{consultation.pk}/change/")
    assert AuditEntry.objects.filter(action=Action.VIEW, request_number=consultation.pk).count() == 3
