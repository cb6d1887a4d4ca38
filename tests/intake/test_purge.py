"""
Retention, one rule: every request in a final status is deleted INTAKE_RETENTION_DAYS days
after it reached that status, with everything attached to it; an open request never is.
"""

import threading
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from intake.life.notifications import queue_notifications
from intake.models import AuditEntry, Concern, ConsultationRequest, Notification, Relationship, StatusChange
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
DAYS = 180
# Far enough from the cutoff that the few milliseconds the command takes never matter.
MARGIN = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def retention(settings):
    settings.INTAKE_RETENTION_DAYS = DAYS


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def purge(*args):
    out = StringIO()
    call_command("purge_consultations", *args, stdout=out)
    return out.getvalue()


def in_status(status, since, **kwargs):
    """A request received long ago that reached `status` at `since`."""
    return make_request(status=status, received_at=days_ago(10 * DAYS), status_changed_at=since, **kwargs)


def test_every_status_is_either_final_or_open():
    assert sorted(ConsultationRequest.FINAL_STATUSES + ConsultationRequest.OPEN_STATUSES) == sorted(Status)
    assert not set(ConsultationRequest.FINAL_STATUSES) & set(ConsultationRequest.OPEN_STATUSES)


@pytest.mark.parametrize("status", Status)
def test_a_request_in_a_final_status_goes_just_after_the_cutoff_and_an_open_one_never(status):
    just_after = in_status(status, days_ago(DAYS) - MARGIN)
    just_before = in_status(status, days_ago(DAYS) + MARGIN)
    long_ago = in_status(status, days_ago(10 * DAYS))
    ConsultationRequest.objects.update(updated_at=days_ago(10 * DAYS))
    purge()
    remaining = set(ConsultationRequest.objects.all())
    if status in ConsultationRequest.FINAL_STATUSES:
        assert remaining == {just_before}
    else:
        assert remaining == {just_after, just_before, long_ago}, "open requests are flagged, never deleted"


def test_the_clock_starts_when_the_final_status_was_reached_not_when_the_request_arrived():
    received_long_ago = make_request(received_at=days_ago(10 * DAYS))
    received_long_ago.change_status(Status.CLOSED)
    purge()
    assert ConsultationRequest.objects.filter(pk=received_long_ago.pk).exists()


def test_everything_attached_to_a_request_goes_with_it():
    concern, relationship = Concern.objects.first(), Relationship.objects.first()
    requests = {}
    for name, when in (("purged", DAYS + 1), ("kept", DAYS - 1)):
        consultation = make_request(received_at=days_ago(DAYS + 5))
        consultation.concerns.add(concern)
        consultation.relationships.add(relationship)
        queue_notifications(consultation)
        consultation.change_status(Status.CONTACTED)
        consultation.change_status(Status.NOT_A_FIT)
        ConsultationRequest.objects.filter(pk=consultation.pk).update(status_changed_at=days_ago(when))
        requests[name] = consultation.pk
    purge()

    concern_links = ConsultationRequest.concerns.through.objects
    relationship_links = ConsultationRequest.relationships.through.objects
    purged, kept = requests["purged"], requests["kept"]
    assert not StatusChange.objects.filter(request_id=purged).exists()
    assert not Notification.objects.filter(request_id=purged).exists()
    assert not concern_links.filter(consultationrequest_id=purged).exists()
    assert not relationship_links.filter(consultationrequest_id=purged).exists()
    assert StatusChange.objects.filter(request_id=kept).count() == 2
    assert Notification.objects.filter(request_id=kept).exists()
    assert concern_links.filter(consultationrequest_id=kept).exists()
    assert relationship_links.filter(consultationrequest_id=kept).exists()
    assert Concern.objects.filter(pk=concern.pk).exists(), "the form's choices stay"


@pytest.fixture
def requests():
    old = days_ago(200)
    return {
        "old closed": make_request(name="Old Closed", status=Status.CLOSED, received_at=old),
        "old spam": make_request(name="Old Spam", status=Status.SPAM, received_at=old),
        "old no response": make_request(name="Old Silent", status=Status.NO_RESPONSE, received_at=old),
        "old client": make_request(name="Old Client", status=Status.BECAME_CLIENT, received_at=old),
        "old new": make_request(name="Old New", status=Status.NEW, received_at=old),
        "old waitlisted": make_request(name="Old Waiting", status=Status.WAITLISTED, received_at=old),
        "recent closed": make_request(name="Recent Closed", status=Status.CLOSED, received_at=days_ago(10)),
        "closed just now": make_request(
            name="Just Closed", status=Status.CLOSED, received_at=old, status_changed_at=days_ago(1)
        ),
    }


def test_purge_says_what_it_deleted_in_counts_only_never_names(requests):
    output = purge()
    assert output == (
        "Deleted 4 request(s) in a final status for more than 180 days "
        "(became a client: 1, closed: 1, no response: 1, spam: 1).\n"
    )
    assert set(ConsultationRequest.objects.values_list("name", flat=True)) == {
        "Old New",
        "Old Waiting",
        "Recent Closed",
        "Just Closed",
    }


def test_purge_leaves_an_audit_entry_per_request_without_personal_data(requests):
    purge()
    entries = AuditEntry.objects.filter(action="purge")
    assert sorted(e.request_number for e in entries) == sorted(
        requests[key].pk for key in ("old closed", "old spam", "old no response", "old client")
    )
    assert all(e.username == "system" and e.detail == "retention: 180 days" for e in entries)


def test_purge_deletes_through_the_one_erasure(requests, monkeypatch):
    """Whatever erase() does for an erased request (its consultation, its invites) a purge does too."""
    import intake.life.erasure

    erased = []
    real_erase = intake.life.erasure.erase
    monkeypatch.setattr(
        intake.life.erasure,
        "erase",
        lambda numbers, *args, **kwargs: erased.extend(numbers) or real_erase(numbers, *args, **kwargs),
    )
    purge()
    assert sorted(erased) == sorted(
        requests[key].pk for key in ("old closed", "old spam", "old no response", "old client")
    )


def test_dry_run_counts_and_deletes_nothing(requests):
    output = purge("--dry-run")
    assert output.startswith("Would delete 4 request(s) in a final status for more than 180 days")
    assert ConsultationRequest.objects.count() == len(requests)
    assert not AuditEntry.objects.exists()


def test_the_retention_period_is_configurable(requests):
    assert "Deleted 5 request(s) in a final status for more than 5 days" in purge("--days", "5")


def test_the_default_period_comes_from_the_setting(settings):
    settings.INTAKE_RETENTION_DAYS = 7
    from intake.management.commands.purge_consultations import Command

    parser = Command().create_parser("manage.py", "purge_consultations")
    assert parser.parse_args([]).days == 7


def test_the_help_states_the_rule_with_every_final_status():
    from intake.management.commands.purge_consultations import Command

    for status in ConsultationRequest.FINAL_STATUSES:
        assert status.label.lower() in Command.help
    assert "Open requests are never deleted" in Command.help


def test_a_period_under_a_day_is_refused_and_one_day_is_the_shortest_allowed():
    with pytest.raises(CommandError, match=r"^--days must be 1 or more\.$"):
        purge("--days", "0")
    in_status(Status.CLOSED, days_ago(2))
    assert purge("--days", "1").startswith("Deleted 1 request(s) in a final status for more than 1 days")


def test_nothing_to_purge_says_so():
    assert purge() == "Deleted 0 request(s) in a final status for more than 180 days.\n"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_reopened_while_the_purge_runs_is_kept():
    """The purge locks what it counts: a reopening that commits first takes the request out of it."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    closed = in_status(Status.CLOSED, days_ago(DAYS) - MARGIN)
    reopened = threading.Event()

    def reopen():
        try:
            with transaction.atomic():
                ConsultationRequest.objects.get(pk=closed.pk).change_status(Status.CONTACTED)
                reopened.set()
                time.sleep(0.5)  # the purge reaches the row meanwhile, and waits for this commit
        finally:
            connections.close_all()

    therapist = threading.Thread(target=reopen)
    therapist.start()
    assert reopened.wait(timeout=10)
    output = purge()
    therapist.join(timeout=10)
    assert ConsultationRequest.objects.get(pk=closed.pk).status == Status.CONTACTED
    assert output.startswith("Deleted 0 request(s)")
