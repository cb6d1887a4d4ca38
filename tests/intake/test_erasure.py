"""The one erasure admin and the withdraw link share: everything a request owns goes, the audit keeps numbers."""

import pytest

from intake.life.erasure import erase
from intake.life.notifications import queue_notifications
from intake.models import AuditEntry, ConsultationRequest, Notification, StatusChange
from tests.intake.factories import make_request

pytestmark = pytest.mark.django_db


def test_erase_deletes_the_requests_with_what_they_own_and_audits_each_number():
    first, second, kept = make_request(), make_request(), make_request()
    for consultation in (first, second, kept):
        queue_notifications(consultation)
        consultation.change_status(ConsultationRequest.Status.CONTACTED)
    assert erase([first.pk, second.pk], None, AuditEntry.Action.ERASE, "on request") == [first.pk, second.pk]
    assert list(ConsultationRequest.objects.all()) == [kept]
    assert set(Notification.objects.values_list("request", flat=True)) == {kept.pk}
    assert set(StatusChange.objects.values_list("request", flat=True)) == {kept.pk}
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.ERASE)
    assert sorted(entries.values_list("request_number", flat=True)) == [first.pk, second.pk]
    assert {entry.detail for entry in entries} == {"on request"}


def test_a_request_already_gone_is_neither_counted_nor_audited_again():
    consultation = make_request()
    gone = make_request()
    gone.delete()
    assert erase([consultation.pk, gone.pk], None, AuditEntry.Action.ERASE, "") == [consultation.pk]
    assert list(AuditEntry.objects.values_list("request_number", flat=True)) == [consultation.pk]
