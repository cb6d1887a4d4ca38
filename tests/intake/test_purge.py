"""Retention: requests in a final status go a configurable number of days after reaching it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from intake.models import AuditEntry, ConsultationRequest
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def purge(*args):
    out = StringIO()
    call_command("purge_consultations", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def requests():
    old = days_ago(200)
    return {
        "old closed": make_request(name="Old Closed", status=Status.CLOSED, received_at=old),
        "old spam": make_request(name="Old Spam", status=Status.SPAM, received_at=old),
        "old no response": make_request(name="Old Silent", status=Status.NO_RESPONSE, received_at=old),
        "old client": make_request(name="Old Client", status=Status.BECAME_CLIENT, received_at=old),
        "old new": make_request(name="Old New", status=Status.NEW, received_at=old),
        "recent closed": make_request(name="Recent Closed", status=Status.CLOSED, received_at=days_ago(10)),
        "closed just now": make_request(
            name="Just Closed", status=Status.CLOSED, received_at=old, status_changed_at=days_ago(1)
        ),
    }


def test_purge_deletes_requests_in_a_final_status_for_over_180_days(requests):
    output = purge()
    remaining = set(ConsultationRequest.objects.values_list("name", flat=True))
    assert remaining == {"Old New", "Recent Closed", "Just Closed"}
    assert "Deleted 4 request(s) older than 180 days" in output


def test_purge_prints_counts_only_never_names(requests):
    output = purge()
    assert "closed: 1" in output and "spam: 1" in output and "no response: 1" in output
    assert "Old" not in output and "example.com" not in output


def test_dry_run_counts_and_deletes_nothing(requests):
    output = purge("--dry-run")
    assert "Would delete 4 request(s)" in output
    assert ConsultationRequest.objects.count() == len(requests)
    assert not AuditEntry.objects.exists()


def test_the_retention_period_is_configurable(requests, settings):
    assert "Deleted 5 request(s) older than 5 days" in purge("--days", "5")


def test_the_default_period_comes_from_the_setting(settings):
    settings.INTAKE_RETENTION_DAYS = 7
    from intake.management.commands.purge_consultations import Command

    parser = Command().create_parser("manage.py", "purge_consultations")
    assert parser.parse_args([]).days == 7


def test_purge_leaves_an_audit_entry_per_request_without_personal_data(requests):
    purge()
    entries = AuditEntry.objects.filter(action="purge")
    assert entries.count() == 4
    assert {e.request_number for e in entries} == {
        requests["old closed"].pk,
        requests["old spam"].pk,
        requests["old no response"].pk,
        requests["old client"].pk,
    }
    assert all(e.username == "system" and "Old" not in e.detail for e in entries)


def test_a_nonsensical_period_is_refused():
    with pytest.raises(CommandError):
        purge("--days", "0")


def test_nothing_to_purge_says_so():
    assert "Deleted 0 request(s)" in purge()
