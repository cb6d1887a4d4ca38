"""
The request's page as a record of contacts: how to reach them, calls and texts logged (never one
they did not allow), notes added and never edited, all in one dated timeline, newest first.
"""

import importlib
import re
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from intake.models import AuditEntry, ConsultationRequest, StatusChange, TimelineEntry
from pages.phones import dial_string
from tests.accounts.signing_in import sign_in
from tests.intake.factories import make_request
from tests.intake.request_page import LIST, change_url, local_minute, log, log_call_url, save_page

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
MIGRATION = importlib.import_module("intake.migrations.0006_notes_into_timeline")


def caller(**kwargs):
    """A request from someone who chose a call: voicemail not OK, texts OK unless told otherwise."""
    fields = {"preferred_contact": "call", "phone": "(555) 123-4567", "email": "", "text_ok": True}
    return make_request(**fields | kwargs)


# How to reach them


def test_the_number_is_a_call_link_and_a_text_link_when_texts_are_ok(reviewer):
    html = reviewer.get(change_url(caller(text_ok=True))).content.decode()
    assert '<a href="tel:+15551234567">Call (555) 123-4567</a>' in html
    assert '<a href="sms:+15551234567">Text (555) 123-4567</a>' in html


def test_there_is_no_text_link_when_texts_are_not_ok(reviewer):
    html = reviewer.get(change_url(caller(text_ok=False))).content.decode()
    assert 'href="tel:+15551234567"' in html
    assert "sms:" not in html


def test_what_they_allowed_is_said_in_plain_words_before_anything_else(reviewer):
    html = reviewer.get(change_url(caller(voicemail_ok=False, text_ok=False))).content.decode()
    assert "Do not leave a voicemail: others may hear it" in html and "Do not text" in html
    assert "You may leave a voicemail" not in html and "Texts are OK" not in html
    assert html.index("Do not leave a voicemail") < html.index('name="status"')
    html = reviewer.get(change_url(caller(voicemail_ok=True, text_ok=True))).content.decode()
    assert "You may leave a voicemail" in html and "Texts are OK" in html
    assert "Do not leave a voicemail" not in html and "Do not text" not in html


def test_email_and_phone_are_links_on_the_request_page(reviewer):
    consultation = make_request(email="robin@example.com", phone="555-123-4567")
    html = reviewer.get(change_url(consultation)).content.decode()
    assert html.count('<a href="mailto:robin@example.com">robin@example.com</a>') == 2, "top and details"
    assert '<a href="tel:+15551234567">555-123-4567</a>' in html


def test_someone_who_gave_no_phone_gets_no_call_links_and_no_call_log(reviewer):
    html = reviewer.get(change_url(make_request(phone=""))).content.decode()
    assert "tel:" not in html and "Log a call or text" not in html


@pytest.mark.parametrize(
    "typed,dialled",
    [
        ("555-123-4567", "+15551234567"),
        ("1 (555) 123-4567", "+15551234567"),
        ("+1 555 123 4567", "+15551234567"),
        ("+44 20 7946 0958", "+442079460958"),
        ("123-4567", "1234567"),
    ],
)
def test_links_dial_the_number_as_typed_with_the_us_code_added_to_ten_digits(typed, dialled):
    assert dial_string(typed) == dialled


# Logging a call or text


def test_the_request_page_links_to_the_call_log(reviewer):
    consultation = caller()
    html = reviewer.get(change_url(consultation)).content.decode()
    assert f'href="{log_call_url(consultation)}">Log a call or text</a>' in html


def test_the_call_log_offers_now_in_the_practice_time_zone(reviewer, settings):
    settings.TIME_ZONE = "Pacific/Honolulu"
    html = reviewer.get(log_call_url(caller())).content.decode()
    shown = re.search(r'name="at" value="([^"]+)"', html).group(1)
    now = timezone.now().astimezone(timezone.get_current_timezone())
    assert shown in {local_minute(now), local_minute(now - timedelta(minutes=1))}
    assert "Time zone: Pacific/Honolulu" in html


def test_logging_a_call_keeps_it_in_the_timeline_and_counts_as_the_first_reply(reviewer):
    consultation = caller(received_at=timezone.now() - timedelta(days=1))
    response = log(reviewer, consultation, outcome="spoke", note="Will try Thursday")
    assert response.status_code == 302 and response["Location"] == change_url(consultation)
    entry = TimelineEntry.objects.get()
    assert (entry.request, entry.kind, entry.by, entry.outcome, entry.text) == (
        consultation,
        "call",
        reviewer.user,
        "spoke",
        "Will try Thursday",
    )
    consultation.refresh_from_db()
    assert consultation.status == Status.CONTACTED and consultation.first_reply_at == entry.at
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("new", "contacted", reviewer.user)


def test_logging_a_call_keeps_the_time_given_in_the_practice_time_zone(reviewer, settings):
    settings.TIME_ZONE = "America/Chicago"
    consultation = caller(received_at=timezone.now() - timedelta(days=3))
    earlier = timezone.localtime() - timedelta(days=1)
    log(reviewer, consultation, at=earlier.strftime("%Y-%m-%dT%H:%M"))
    assert TimelineEntry.objects.get().at == earlier.replace(second=0, microsecond=0)


def test_a_call_with_no_answer_is_not_a_reply(reviewer):
    """Issue 23: a call nobody answered counted as the first reply and moved the request to Contacted."""
    consultation = caller(received_at=timezone.now() - timedelta(days=1))
    log(reviewer, consultation, outcome="no_answer")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.first_reply_at) == (Status.NEW, None)
    assert not StatusChange.objects.exists()


def test_the_first_reply_is_when_the_call_was_made_not_when_it_was_logged(reviewer):
    consultation = caller(received_at=timezone.now() - timedelta(days=3))
    made = timezone.localtime() - timedelta(days=2)
    log(reviewer, consultation, outcome="spoke", at=made.strftime("%Y-%m-%dT%H:%M"))
    consultation.refresh_from_db()
    assert consultation.first_reply_at == made.replace(second=0, microsecond=0)


def test_a_call_on_a_request_already_answered_keeps_its_status_and_first_reply(reviewer):
    consultation = caller()
    consultation.change_status(Status.SCHEDULED)
    first_reply = consultation.first_reply_at
    log(reviewer, consultation, outcome="spoke")
    consultation.refresh_from_db()
    assert (consultation.status, consultation.first_reply_at) == (Status.SCHEDULED, first_reply)
    assert StatusChange.objects.count() == 1


@pytest.mark.parametrize(
    "outcome,detail",
    [
        ("spoke", "logged a call (spoke with them), status New → Contacted"),
        ("voicemail", "logged a call (left voicemail), status New → Contacted"),
        ("no_answer", "logged a call (no answer)"),
        ("text_sent", "logged a text, status New → Contacted"),
    ],
)
def test_logging_is_audited_by_number_with_what_happened_and_nothing_personal(reviewer, outcome, detail):
    consultation = caller(name="Robin", voicemail_ok=True, text_ok=True)
    log(reviewer, consultation, outcome=outcome, note="Her partner was home")
    entry = AuditEntry.objects.get(action="change")
    assert (entry.request_number, entry.user, entry.detail) == (consultation.pk, reviewer.user, detail)


def test_opening_the_call_log_is_audited_as_a_view(reviewer):
    consultation = caller()
    reviewer.get(log_call_url(consultation))
    entry = AuditEntry.objects.get(action="view")
    assert (entry.request_number, entry.detail) == (consultation.pk, "opened to log a call")


def test_a_voicemail_they_did_not_allow_cannot_be_logged(reviewer):
    consultation = caller(voicemail_ok=False)
    response = log(reviewer, consultation, outcome="voicemail")
    assert response.status_code == 200
    assert "They did not allow voicemails: someone else may hear them." in response.content.decode()
    assert not TimelineEntry.objects.exists()
    consultation.refresh_from_db()
    assert consultation.status == Status.NEW and consultation.first_reply_at is None


def test_a_text_they_did_not_allow_cannot_be_logged(reviewer):
    consultation = caller(text_ok=False)
    response = log(reviewer, consultation, outcome="text_sent")
    assert "They did not allow texts: someone else may read them." in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_a_voicemail_or_text_they_allowed_is_logged(reviewer):
    consultation = caller(voicemail_ok=True, text_ok=True)
    log(reviewer, consultation, outcome="voicemail")
    log(reviewer, consultation, outcome="text_sent")
    assert set(TimelineEntry.objects.values_list("outcome", flat=True)) == {"voicemail", "text_sent"}


@pytest.mark.parametrize(
    "when,error",
    [
        (timedelta(hours=2), "That time has not happened yet."),
        (timedelta(days=-3), "That is before the request arrived"),
    ],
)
def test_a_call_cannot_be_logged_in_the_future_or_before_the_request_arrived(reviewer, when, error):
    consultation = caller(received_at=timezone.now() - timedelta(days=1))
    response = log(reviewer, consultation, at=local_minute(timezone.now() + when))
    assert error in response.content.decode()
    assert not TimelineEntry.objects.exists()


def test_only_reviewers_may_log_a_call(client):
    consultation = caller()
    sign_in(client, User.objects.create_user("helper", is_staff=True))
    assert client.get(log_call_url(consultation)).status_code == 403
    assert log(client, consultation).status_code == 403
    assert not TimelineEntry.objects.exists()


def test_a_view_only_reviewer_cannot_log_a_call(client):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    sign_in(client, viewer)
    assert log(client, caller()).status_code == 403


def test_a_view_only_reviewer_sees_how_to_reach_them_without_buttons_that_would_refuse_them(client):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_consultationrequest"))
    sign_in(client, viewer)
    consultation = caller(email="robin@example.com")
    page = client.get(f"/admin/intake/consultationrequest/{consultation.pk}/change/").content.decode()
    assert "Do not leave a voicemail" in page or "You may leave a voicemail" in page
    assert "tel:" in page
    assert "Log a call or text" not in page
    assert "Reply by email" not in page


def test_a_reviewer_who_may_change_requests_sees_both_buttons(reviewer):
    consultation = caller(email="robin@example.com")
    page = reviewer.get(f"/admin/intake/consultationrequest/{consultation.pk}/change/").content.decode()
    assert "Log a call or text" in page
    assert "Reply by email" in page


def test_logging_a_call_on_a_request_that_is_gone_goes_back_to_the_list(reviewer):
    consultation = caller()
    consultation.delete()
    assert log(reviewer, consultation).status_code == 302
    assert not TimelineEntry.objects.exists()


def test_a_request_without_a_phone_number_has_no_call_to_log(reviewer):
    consultation = make_request(phone="")
    response = log(reviewer, consultation)
    assert response.status_code == 302 and response["Location"] == change_url(consultation)
    assert not TimelineEntry.objects.exists()
    assert "This request has no phone number" in reviewer.get(change_url(consultation)).content.decode()


# Notes


def test_adding_a_note_appends_a_dated_note_and_is_audited_without_its_text(reviewer):
    consultation = make_request()
    save_page(reviewer, consultation, add_note="Her partner reads her email")
    note = TimelineEntry.objects.get()
    assert (note.kind, note.by, note.text) == ("note", reviewer.user, "Her partner reads her email")
    assert timezone.now() - note.at < timedelta(minutes=1)
    entry = AuditEntry.objects.get(action="change")
    assert (entry.request_number, entry.detail) == (consultation.pk, "added a note")


def test_a_second_note_is_a_second_entry_and_the_first_is_never_changed(reviewer):
    consultation = make_request()
    save_page(reviewer, consultation, add_note="First")
    save_page(reviewer, consultation, add_note="Second")
    save_page(reviewer, consultation)
    assert sorted(TimelineEntry.objects.values_list("text", flat=True)) == ["First", "Second"]
    html = reviewer.get(change_url(consultation)).content.decode()
    assert re.search(r'<textarea name="add_note"[^>]*>\s*</textarea>', html), "the box starts empty"


def test_saving_without_a_note_adds_nothing(reviewer):
    consultation = make_request()
    save_page(reviewer, consultation, add_note="   ")
    assert not TimelineEntry.objects.exists()
    assert not AuditEntry.objects.filter(action="change").exists()


def test_notes_cannot_be_edited_or_deleted_in_admin(reviewer, admin_client):
    consultation = make_request()
    note = consultation.timeline.create(kind="note", text="Kept as written")
    html = reviewer.get(change_url(consultation)).content.decode()
    assert "Kept as written" in html
    assert "timeline-" not in html, "no inline form rows for entries"
    assert admin_client.get("/admin/intake/timelineentry/").status_code == 404
    assert admin_client.get(f"/admin/intake/timelineentry/{note.pk}/change/").status_code == 404
    assert not reviewer.user.has_perm("intake.change_timelineentry")
    assert not reviewer.user.has_perm("intake.delete_timelineentry")


# The timeline


def test_the_timeline_shows_replies_calls_and_notes_newest_first(reviewer):
    consultation = caller(received_at=timezone.now() - timedelta(days=5))
    now = timezone.now()
    consultation.timeline.create(kind="note", text="Oldest note", at=now - timedelta(days=3))
    consultation.timeline.create(
        kind="reply", subject="Your request", text="Middle reply", at=now - timedelta(days=2)
    )
    consultation.timeline.create(kind="call", outcome="spoke", text="Newest call", at=now - timedelta(days=1))
    html = reviewer.get(change_url(consultation)).content.decode()
    assert html.index("Newest call") < html.index("Middle reply") < html.index("Oldest note")
    assert "Call or text · Spoke with them" in html and "Subject: Your request" in html


def test_each_entry_shows_when_in_the_practice_time_zone_and_who(reviewer, settings):
    settings.TIME_ZONE = "America/Los_Angeles"
    consultation = make_request(received_at=datetime(2030, 1, 14, tzinfo=UTC))
    consultation.timeline.create(
        kind="note", text="Late note", by=reviewer.user, at=datetime(2030, 1, 15, 3, 30, tzinfo=UTC)
    )
    html = reviewer.get(change_url(consultation)).content.decode()
    assert (
        '<time datetime="2030-01-14T19:30:00-08:00">14 January 2030, 7:30 pm</time> · reviewer · Note' in html
    )


def test_a_reply_is_shown_in_full_with_its_line_breaks_and_escaped(reviewer):
    consultation = make_request()
    text = "Dear Robin,\n\nThank you <b>for</b> writing.\n" + "More words. " * 200
    consultation.timeline.create(kind="reply", subject="Hello", text=text)
    html = reviewer.get(change_url(consultation)).content.decode()
    escaped = text.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<div class="intake-timeline__text">{escaped}</div>' in html


def test_a_request_with_no_contacts_yet_says_so(reviewer):
    assert "Nothing yet." in reviewer.get(change_url(make_request())).content.decode()


# Gone with the request


def test_purging_a_request_deletes_its_timeline(settings):
    settings.INTAKE_RETENTION_DAYS = 10
    old = timezone.now() - timedelta(days=30)
    purged = make_request(status=Status.CLOSED, received_at=old, status_changed_at=old)
    kept = make_request()
    for consultation in (purged, kept):
        consultation.timeline.create(kind="note", text="note")
        consultation.timeline.create(kind="call", outcome="spoke")
    call_command("purge_consultations", stdout=StringIO())
    assert set(TimelineEntry.objects.values_list("request", flat=True)) == {kept.pk}


def test_erasing_a_person_deletes_their_timeline(reviewer):
    theirs = make_request(email="robin@example.com")
    other = make_request(email="other@example.com")
    for consultation in (theirs, other):
        consultation.timeline.create(kind="reply", subject="Hi", text="reply")
    shown = [theirs.pk]
    reviewer.post(
        LIST, {"action": "erase_person", "_selected_action": [theirs.pk], "confirm": "yes", "shown": shown}
    )
    assert set(TimelineEntry.objects.values_list("request", flat=True)) == {other.pk}


# The migration that moved the old notes box


@pytest.fixture
def before_timeline_notes(transactional_db, django_db_serialized_rollback):
    """The database as it was before 0006, and its models; migrated forward again afterwards."""
    executor = MigrationExecutor(connection)
    target = [("intake", "0005_timeline_replies_referrals_digest")]
    executor.migrate(target)
    yield executor.loader.project_state(target).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def old_request(apps, number, **fields):
    now = timezone.now()
    return apps.get_model("intake", "ConsultationRequest").objects.create(
        name="Robin",
        email="robin@example.com",
        preferred_contact="email",
        client_location="NY",
        privacy_notice_version="v1",
        privacy_accepted_at=now,
        received_at=now,
        reply_due_at=now,
        form_token=f"old-{number}",
        **fields,
    )


def test_the_migration_moves_each_requests_notes_into_one_dated_note_and_back(before_timeline_notes):
    apps = before_timeline_notes
    with_notes = old_request(apps, 1, notes="Called twice.\nPrefers evenings.")
    without = old_request(apps, 2, notes="")
    blank = old_request(apps, 3, notes="  \n ")
    MIGRATION.move_notes_into_timeline(apps, None)
    TimelineEntry = apps.get_model("intake", "TimelineEntry")
    (note,) = TimelineEntry.objects.all()
    assert (note.request_id, note.kind, note.text, note.at, note.by) == (
        with_notes.pk,
        "note",
        "Called twice.\nPrefers evenings.",
        with_notes.updated_at,
        None,
    )
    assert not TimelineEntry.objects.filter(request_id__in=[without.pk, blank.pk]).exists()

    TimelineEntry.objects.create(request_id=with_notes.pk, kind="note", text="Later note")
    TimelineEntry.objects.create(request_id=with_notes.pk, kind="call", outcome="spoke", text="A call")
    MIGRATION.move_notes_back_into_the_box(apps, None)
    with_notes.refresh_from_db()
    assert with_notes.notes == "Called twice.\nPrefers evenings.\n\nLater note"
    assert list(TimelineEntry.objects.values_list("kind", flat=True)) == ["call"], "calls stay"
