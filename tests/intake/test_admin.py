"""The therapist's daily tool: review, triage, follow up, export and erase, with every access audited."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from intake.models import AuditEntry, Concern, ConsultationRequest, Notification, StatusChange
from tests.accounts.signing_in import sign_in
from tests.html import form_values, texts
from tests.intake.factories import REVIEWERS, make_request, named

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
LIST = "/admin/intake/consultationrequest/"


def change_url(consultation):
    return f"{LIST}{consultation.pk}/change/"


@pytest.fixture
def exporter(reviewer):
    reviewer.user.user_permissions.add(Permission.objects.get(codename="export_consultationrequest"))
    return reviewer


def edit(client, consultation, **changes):
    data = {
        "status": consultation.status,
        "follow_up_on": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": str(consultation.status_changes.count()),
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "0",
    }
    return client.post(change_url(consultation), data | changes)


def action(client, name, *consultations, **extra):
    data = {"action": name, "_selected_action": [c.pk for c in consultations], **extra}
    return client.post(LIST, data)


# Access


@pytest.mark.parametrize("path", [LIST, "/admin/intake/auditentry/", "/admin/intake/notification/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_reviewer_permissions_get_403(client):
    consultation = make_request()
    sign_in(client, User.objects.create_user("helper", is_staff=True))
    assert client.get(LIST).status_code == 403
    assert client.get(change_url(consultation)).status_code == 403
    assert client.get("/admin/intake/auditentry/").status_code == 403


def test_reviewers_see_the_list_and_each_request(reviewer):
    consultation = make_request()
    assert reviewer.get(LIST).status_code == 200
    assert reviewer.get(change_url(consultation)).status_code == 200


def test_the_reviewers_group_is_created_by_migration_without_export():
    codenames = set(Group.objects.get(name=REVIEWERS).permissions.values_list("codename", flat=True))
    assert {
        "view_consultationrequest",
        "change_consultationrequest",
        "delete_consultationrequest",
    } <= codenames
    assert {"view_auditentry", "view_notification", "change_concern", "add_relationship"} <= codenames
    assert "export_consultationrequest" not in codenames
    assert not any(name.startswith(("change_audit", "delete_audit", "add_audit")) for name in codenames)


def test_request_pages_in_admin_are_never_cached(reviewer):
    consultation = make_request()
    for path in (LIST, change_url(consultation)):
        assert "no-store" in reviewer.get(path)["Cache-Control"]


def test_admin_sessions_are_short():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


# The list


def test_the_list_shows_open_requests_by_default_and_spam_is_one_click_away(reviewer):
    make_request(name="Open Olive")
    make_request(name="Waiting Wren", status=Status.WAITLISTED)
    make_request(name="Closed Cleo", status=Status.CLOSED)
    make_request(name="Spammy Sam", status=Status.SPAM)
    html = reviewer.get(LIST).content.decode()
    assert "Open Olive" in html and "Waiting Wren" in html
    assert "Closed Cleo" not in html and "Spammy Sam" not in html
    spam = reviewer.get(LIST + "?status=spam").content.decode()
    assert "Spammy Sam" in spam and "Open Olive" not in spam
    everything = reviewer.get(LIST + "?status=all").content.decode()
    assert "Closed Cleo" in everything and "Spammy Sam" not in everything


def test_the_list_shows_received_name_contact_state_status_and_waiting_time(reviewer):
    make_request(name="Robin", preferred_contact="text", phone="555-123-4567", client_location="NJ")
    html = reviewer.get(LIST).content.decode()
    for text in ("Robin", "Text message", "NJ", "New", "received", "waiting"):
        assert text in html


def test_the_where_column_offers_no_sorting_as_the_state_is_stored_encrypted(reviewer):
    """The database would sort the sealed texts: a meaningless order offered as the states' order."""
    make_request(client_location="NJ")
    html = reviewer.get(LIST).content.decode()
    header = re.search(r'<th scope="col" class="([^"]*)column-where', html)
    assert header and "sortable" not in header.group(1)
    received = re.search(r'<th scope="col" class="([^"]*)column-received', html)
    assert received and "sortable" in received.group(1), "the other columns still sort"


def test_waiting_time_is_highlighted_once_past_the_promised_reply_time(reviewer):
    make_request(name="Fresh", received_at=timezone.now() - timedelta(hours=1))
    make_request(name="Forgotten", received_at=timezone.now() - timedelta(days=8))
    html = reviewer.get(LIST).content.decode()
    assert html.count('class="intake-overdue"') == 1
    overdue = reviewer.get(LIST + "?status=overdue").content.decode()
    assert "Forgotten" in overdue and "Fresh" not in overdue


def test_filters_for_concern_received_date_and_out_of_area(reviewer):
    concern = Concern.objects.get(label="Feeling easily rejected")
    make_request(name="Rejected Rae").concerns.add(concern)
    make_request(name="Faraway Fay", client_location="CA", out_of_area=True)
    by_concern = reviewer.get(LIST + f"?concerns__id__exact={concern.pk}").content.decode()
    assert "Rejected Rae" in by_concern and "Faraway Fay" not in by_concern
    out_of_area = reviewer.get(LIST + "?out_of_area__exact=1").content.decode()
    assert "Faraway Fay" in out_of_area and "Rejected Rae" not in out_of_area
    assert "out of area" in out_of_area
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = reviewer.get(LIST, {"received_at__gte": midnight.isoformat()}).content.decode()
    assert "Rejected Rae" in today


@pytest.mark.parametrize("term", ["Quinn", "quinn@example.org", "555-765"])
def test_search_by_name_email_and_phone(reviewer, term):
    make_request(name="Quinn", email="quinn@example.org", phone="555-765-4321")
    make_request(name="Other", email="other@example.org")
    html = reviewer.get(LIST + f"?q={term}").content.decode()
    assert "Quinn" in html and "Other" not in html


# The detail page


def test_submitted_data_is_read_only_and_contact_permissions_stand_out(reviewer):
    consultation = make_request(name="Robin", voicemail_ok=False, text_ok=True, phone="555-123-4567")
    html = reviewer.get(change_url(consultation)).content.decode()
    assert 'name="name"' not in html and 'name="email"' not in html and 'name="message"' not in html
    assert 'name="status"' in html and 'name="add_note"' in html and 'name="follow_up_on"' in html
    assert "Do not leave a voicemail: others may hear it" in html and "Texts are OK" in html
    assert html.index("Do not leave a voicemail") < html.index('name="status"'), "shown first"
    edit(reviewer, consultation, name="Someone else", email="x@example.com")
    consultation.refresh_from_db()
    assert consultation.name == "Robin"


def test_status_changes_are_kept_with_who_when_from_and_to_and_the_first_reply_is_recorded(reviewer):
    consultation = make_request(received_at=timezone.now() - timedelta(days=1))
    edit(reviewer, consultation, status=Status.CONTACTED, follow_up_on="2030-01-15")
    consultation.refresh_from_db()
    assert consultation.status == Status.CONTACTED
    assert consultation.first_reply_at is not None
    assert str(consultation.follow_up_on) == "2030-01-15"
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("new", "contacted", reviewer.user)
    first_reply = consultation.first_reply_at
    edit(reviewer, consultation, status=Status.SCHEDULED)
    consultation.refresh_from_db()
    assert consultation.first_reply_at == first_reply, "only the first reply is recorded"
    html = reviewer.get(change_url(consultation)).content.decode()
    assert "Status history" in html and "Consultation scheduled" in html


def test_the_status_history_offers_no_row_to_add(reviewer):
    consultation = make_request()
    consultation.change_status(Status.CONTACTED)
    values = form_values(reviewer.get(change_url(consultation)).content.decode())
    assert (values["status_changes-INITIAL_FORMS"], values["status_changes-MAX_NUM_FORMS"]) == ("1", "0")


def test_marking_a_new_request_as_spam_is_not_a_reply(reviewer):
    consultation = make_request()
    edit(reviewer, consultation, status=Status.SPAM)
    consultation.refresh_from_db()
    assert consultation.first_reply_at is None


def test_requests_cannot_be_added_in_admin(reviewer, admin_client):
    assert reviewer.get(LIST + "add/").status_code == 403
    assert admin_client.get(LIST + "add/").status_code == 403


# Bulk actions


@pytest.mark.parametrize(
    "name,status",
    [("mark_contacted", Status.CONTACTED), ("mark_spam", Status.SPAM), ("close", Status.CLOSED)],
)
def test_bulk_actions_change_the_status_of_every_selected_request(reviewer, name, status):
    first, second, untouched = make_request(), make_request(), make_request()
    already = make_request(status=status)
    action(reviewer, name, first, second, already)
    assert f"2 marked “{status.label}”." in reviewer.get(LIST).content.decode()
    assert set(ConsultationRequest.objects.filter(status=status)) == {first, second, already}
    untouched.refresh_from_db()
    assert untouched.status == Status.NEW
    changes = StatusChange.objects.filter(to_status=status)
    assert [(c.request_id, c.changed_by) for c in changes.order_by("request_id")] == [
        (first.pk, reviewer.user),
        (second.pk, reviewer.user),
    ]
    entries = AuditEntry.objects.filter(action="change")
    assert {(e.request_number, e.user, e.detail) for e in entries} == {
        (first.pk, reviewer.user, f"status → {status.label}"),
        (second.pk, reviewer.user, f"status → {status.label}"),
    }


# Admin index


def link_to(html, words):
    """The address of the link whose text starts with `words`."""
    match = re.search(rf'<a[^>]*href="([^"]+)"[^>]*>{re.escape(words)}', html)
    assert match, f"no link starting {words!r}"
    return match.group(1).replace("&amp;", "&")


def names_listed(client, url):
    html = client.get(url).content.decode()
    return {
        name
        for name in re.findall(
            r'<th class="field-number">.*?<td class="field-who">(?:<a [^>]*>)?([^<]*)', html, re.S
        )
    }


def status_filter(html):
    """(label, address, selected) for each choice of the list's status filter."""
    box = html[html.index('data-filter-title="status"') :]
    box = box[: box.index("</details>")]
    choices = re.findall(r'<li( class="selected")?>\s*<a href="([^"]*)">([^<]*)</a>', box)
    return [(label, href.replace("&amp;", "&"), bool(selected)) for selected, href, label in choices]


def test_every_choice_of_the_status_filter_lists_what_it_names_and_open_is_the_default(reviewer, settings):
    now = timezone.now()
    days = settings.INTAKE_RETENTION_DAYS
    make_request(name="Nia")
    make_request(name="Otis", received_at=now - timedelta(days=8))
    make_request(name="Wren", status=Status.WAITLISTED)
    make_request(name="Cleo", status=Status.CLOSED)
    make_request(name="Sam", status=Status.SPAM)
    make_request(name="Sid", status=Status.SPAM, received_at=now - timedelta(days=30))
    named("Wren").update(updated_at=now - timedelta(days=days + 1))
    expected = {
        "Open": {"Nia", "Otis", "Wren"},
        "Past the reply promise": {"Otis"},
        f"Open, unchanged for {days}+ days": {"Wren"},
        "All except spam": {"Nia", "Otis", "Wren", "Cleo"},
        "Set aside as spam in the last 7 days": {"Sam"},
        "New": {"Nia", "Otis"},
        "Contacted": set(),
        "Waitlisted": {"Wren"},
        "Closed": {"Cleo"},
        "Spam": {"Sam", "Sid"},
    }
    choices = status_filter(reviewer.get(LIST).content.decode())
    assert [label for label, _, selected in choices if selected] == ["Open"]
    address = {label: href for label, href, _ in choices}
    for label, names in expected.items():
        assert names_listed(reviewer, LIST + address[label]) == names, label
    spam = status_filter(reviewer.get(LIST + address["Spam"]).content.decode())
    assert [label for label, _, selected in spam if selected] == ["Spam"]


def test_the_admin_index_counts_new_and_overdue_requests(reviewer):
    make_request()
    make_request(received_at=timezone.now() - timedelta(days=8))
    make_request(status=Status.CONTACTED)
    html = reviewer.get("/admin/").content.decode()
    assert "2 new" in html
    assert "1 past your reply promise" in html


def test_the_admin_index_warns_about_emails_that_could_not_be_sent(reviewer):
    Notification.objects.create(
        request=make_request(), kind="practice", attempts=3, last_error="SMTPConnectError"
    )
    html = reviewer.get("/admin/").content.decode()
    assert "1 email could not be sent yet" in html
    assert "waited more than five minutes" not in html, "it was queued just now"


def test_the_admin_index_warns_when_an_email_waited_five_minutes_without_a_try(reviewer):
    """The worker has stopped: nothing failed, nothing was even tried."""
    Notification.objects.create(
        request=make_request(), kind="practice", created_at=timezone.now() - timedelta(minutes=4)
    )
    assert "waited more than five minutes" not in reviewer.get("/admin/").content.decode()
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5, seconds=10))
    html = reviewer.get("/admin/").content.decode()
    assert "1 email waited more than five minutes to go out." in html
    assert "the program that sends them has probably stopped" in html
    Notification.objects.update(sent_at=timezone.now())
    assert "waited more than five minutes" not in reviewer.get("/admin/").content.decode()


def test_the_admin_index_says_how_many_were_set_aside_as_spam_this_week_one_click_from_them(reviewer):
    make_request(name="Filed Today", status=Status.SPAM, received_at=timezone.now() - timedelta(hours=1))
    marked = make_request(name="Marked By Hand", received_at=timezone.now() - timedelta(days=30))
    marked.change_status(Status.SPAM)
    make_request(name="Filed Last Month", status=Status.SPAM, received_at=timezone.now() - timedelta(days=8))
    make_request(name="Real Request")
    html = reviewer.get("/admin/").content.decode()
    url = link_to(html, "2 requests set aside as spam in the last 7 days")
    assert names_listed(reviewer, url) == {"Filed Today", "Marked By Hand"}


def test_the_admin_index_says_when_no_request_was_set_aside_as_spam(reviewer):
    make_request(status=Status.SPAM, received_at=timezone.now() - timedelta(days=8))
    assert "None set aside as spam in the last 7 days." in reviewer.get("/admin/").content.decode()


def test_the_admin_index_flags_open_requests_untouched_for_the_retention_period(reviewer, settings):
    settings.INTAKE_RETENTION_DAYS = 30
    long_ago = timezone.now() - timedelta(days=40)
    forgotten = [
        make_request(name="Forgotten New", received_at=long_ago),
        make_request(name="Forgotten Waitlist", status=Status.WAITLISTED, received_at=long_ago),
        make_request(name="Closed Long Ago", status=Status.CLOSED, received_at=long_ago),
        make_request(name="Touched Recently", status=Status.CONTACTED, received_at=long_ago),
    ]
    ConsultationRequest.objects.exclude(pk__in=named("Touched Recently")).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    named("Touched Recently").update(updated_at=timezone.now() - timedelta(days=29))
    html = reviewer.get("/admin/").content.decode()
    url = link_to(html, "2 open requests unchanged for 30 days or more")
    assert names_listed(reviewer, url) == {"Forgotten New", "Forgotten Waitlist"}
    assert "Open, unchanged for 30+ days" in reviewer.get(LIST).content.decode(), "a choice of the filter"
    assert len(forgotten) == 4


def test_the_admin_index_says_nothing_of_untouched_requests_when_there_are_none(reviewer):
    make_request()
    assert "unchanged for" not in reviewer.get("/admin/").content.decode()


def many_of_everything(count):
    for number in range(count):
        old = timezone.now() - timedelta(days=400)
        consultation = make_request(received_at=old if number % 2 else timezone.now())
        Notification.objects.create(request=consultation, kind="practice", attempts=number % 3)
        make_request(status=Status.SPAM)
    ConsultationRequest.objects.update(updated_at=timezone.now() - timedelta(days=400))
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))


# Signing in (session, user, device), permissions, the practice's name for the header, the summary's two
# counts, the practice's four statistics (intake/life/practice_stats.py) and Django's own index.
INDEX_QUERY_BUDGET = 16


def test_the_admin_index_costs_the_same_few_queries_however_many_requests(
    reviewer, django_assert_max_num_queries
):
    many_of_everything(1)
    with CaptureQueriesContext(connection) as few:
        reviewer.get("/admin/")
    many_of_everything(30)
    with django_assert_max_num_queries(len(few)):
        html = reviewer.get("/admin/").content.decode()
    assert "31 emails waited more than five minutes" in html
    assert len(few) <= INDEX_QUERY_BUDGET, [query["sql"] for query in few.captured_queries]


def test_the_admin_index_shows_no_counts_to_staff_without_the_permission(client):
    make_request()
    sign_in(client, User.objects.create_user("helper", is_staff=True))
    html = client.get("/admin/").content.decode()
    assert "past your reply promise" not in html and "spam" not in html


# Export


def test_csv_export_needs_its_own_permission(reviewer):
    consultation = make_request()
    assert "export_csv" not in reviewer.get(LIST).content.decode()
    response = action(reviewer, "export_csv", consultation)
    assert response.get("Content-Type", "").startswith("text/html")
    assert not AuditEntry.objects.filter(action="export").exists()


def test_csv_export_for_users_with_the_permission(exporter):
    consultation = make_request(name="Robin", message='=HYPERLINK("http://evil")', phone="+1 555 123 4567")
    response = action(exporter, "export_csv", consultation)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["name"] == "Robin"
    assert rows[0]["message"].startswith("'="), "a spreadsheet must not run it"
    entry = AuditEntry.objects.get(action="export")
    assert (entry.request_number, entry.user) == (consultation.pk, exporter.user)


# Audit


def test_viewing_a_request_is_audited(reviewer):
    consultation = make_request()
    reviewer.get(change_url(consultation))
    entry = AuditEntry.objects.get(action="view")
    assert (entry.user, entry.username, entry.request_number) == (reviewer.user, "reviewer", consultation.pk)


def test_an_address_of_a_request_that_does_not_exist_is_not_audited_as_viewed(reviewer):
    missing = make_request()
    missing.delete()
    assert reviewer.get(change_url(missing)).status_code == 302
    assert not AuditEntry.objects.filter(action="view").exists()


def test_viewing_the_list_is_audited_without_any_search_terms(reviewer):
    make_request(name="Robin")
    make_request(name="Robin Two")
    reviewer.get(LIST + "?q=Robin")
    entry = AuditEntry.objects.get(action="list")
    assert (entry.user, entry.username, entry.detail) == (reviewer.user, "reviewer", "2 requests")


def test_changing_a_request_is_audited_by_field_label_never_by_value(reviewer):
    consultation = make_request()
    edit(reviewer, consultation, status=Status.CONTACTED, add_note="Secret note about her partner")
    entries = AuditEntry.objects.filter(action="change").order_by("id")
    assert [(e.request_number, e.user, e.detail) for e in entries] == [
        (consultation.pk, reviewer.user, "status New → Contacted"),
        (consultation.pk, reviewer.user, "added a note"),
    ]


def test_deleting_a_request_is_audited(reviewer):
    consultation = make_request()
    number = consultation.pk
    reviewer.post(f"{LIST}{number}/delete/", {"post": "yes"})
    assert not ConsultationRequest.objects.filter(pk=number).exists()
    entry = AuditEntry.objects.get(action="delete")
    assert (entry.request_number, entry.user) == (number, reviewer.user)


def test_bulk_deleting_is_audited(reviewer):
    first, second = make_request(), make_request()
    action(reviewer, "delete_selected", first, second, post="yes")
    assert ConsultationRequest.objects.count() == 0
    assert set(AuditEntry.objects.filter(action="delete").values_list("request_number", "user")) == {
        (first.pk, reviewer.user.pk),
        (second.pk, reviewer.user.pk),
    }


def test_the_audit_log_is_readable_but_not_editable_or_deletable_in_admin(admin_client, reviewer):
    consultation = make_request()
    reviewer.get(change_url(consultation))
    entry = AuditEntry.objects.get()
    assert reviewer.get("/admin/intake/auditentry/").status_code == 200
    html = admin_client.get(f"/admin/intake/auditentry/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in html and 'name="detail"' not in html
    assert admin_client.get(f"/admin/intake/auditentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/intake/auditentry/add/").status_code == 403
    admin_client.post(f"/admin/intake/auditentry/{entry.pk}/change/", {"detail": "rewritten"})
    entry.refresh_from_db()
    assert entry.detail == ""


def test_the_audit_log_refuses_changes_and_deletion_in_code_too():
    entry = AuditEntry.objects.create(username="someone", action="view", request_number=1)
    entry.detail = "rewritten"
    with pytest.raises(PermissionError, match=r"^The audit log is append-only\.$"):
        entry.save()
    with pytest.raises(PermissionError, match=r"^The audit log is append-only\.$"):
        entry.delete()


def test_an_audit_entry_reads_as_who_did_what_to_which_request():
    assert str(AuditEntry(username="reviewer", action="view", request_number=12)) == "reviewer viewed #12"
    assert str(AuditEntry(username="system", action="purge")) == "system purged (retention)"


# Erasure


@pytest.fixture
def robins_requests():
    """Three requests from Robin (two emails that differ in case, a phone written two ways), one from someone else."""
    first = make_request(name="Robin", email="Robin@Example.com", phone="555-123-4567")
    same_email = make_request(name="R.", email="robin@example.com", status=Status.CLOSED)
    same_phone = make_request(
        name="Robin again", email="", preferred_contact="call", phone="+1 (555) 123-4567"
    )
    other = make_request(name="Someone else", email="else@example.org", phone="555-999-0000")
    return first, same_email, same_phone, other


def erasure_rows(html):
    """The erasure page's table, one line of text per request."""
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    return [" ".join(text.split()) for _, text in texts(table, "tr")]


def test_erasure_asks_first_then_deletes_every_request_from_that_person(reviewer, robins_requests):
    first, same_email, same_phone, other = robins_requests
    confirm = action(reviewer, "erase_person", first)
    assert confirm.status_code == 200
    assert "Erase this person" in confirm.content.decode()
    assert ConsultationRequest.objects.count() == 4

    reviewer.post(LIST, form_values(confirm.content.decode().split('class="intake-erase-form"')[1]))
    assert list(ConsultationRequest.objects.all()) == [other]
    entries = AuditEntry.objects.filter(action="erase")
    assert set(entries.values_list("request_number", flat=True)) == {first.pk, same_email.pk, same_phone.pk}
    for entry in entries:
        assert "Robin" not in entry.detail and "example.com" not in entry.detail


def test_the_erasure_page_shows_numbers_dates_statuses_and_what_matched_never_who(reviewer, robins_requests):
    first, same_email, same_phone, other = robins_requests
    html = action(reviewer, "erase_person", first).content.decode()
    received = date_format(timezone.localtime(first.received_at), "DATE_FORMAT")
    assert erasure_rows(html) == [
        f"#{first.pk} {received} New you selected it",
        f"#{same_email.pk} {received} Closed same email",
        f"#{same_phone.pk} {received} New same phone",
    ]
    assert "3 requests to erase" in html and "Yes, erase 3 requests" in html
    page = html[html.index('id="content"') :]
    phones = ("555-123-4567", "(555) 123-4567", "5551234567", "123-4567", "555-999-0000")
    for value in ("Robin", "R.", "Someone else", "example.com", "Example.com", "example.org", *phones):
        assert value not in page, value
    assert f"#{other.pk}<" not in page


def test_opening_the_erasure_page_is_audited_by_request_number(reviewer, robins_requests):
    first, same_email, same_phone, _ = robins_requests
    action(reviewer, "erase_person", first)
    entries = AuditEntry.objects.filter(action="view")
    assert {e.request_number for e in entries} == {first.pk, same_email.pk, same_phone.pk}
    assert all(e.user == reviewer.user and e.detail == "listed to confirm an erasure" for e in entries)
    assert ConsultationRequest.objects.count() == 4


def test_erasure_asks_again_when_the_list_changed_since_it_was_shown(reviewer, robins_requests):
    first, same_email, same_phone, _ = robins_requests
    shown = [first.pk, same_email.pk, same_phone.pk]
    arrived_meanwhile = make_request(email="ROBIN@example.com")
    response = action(reviewer, "erase_person", first, confirm="yes", shown=shown)
    assert "changed since you looked" in response.content.decode()
    assert f"#{arrived_meanwhile.pk}<" in response.content.decode()
    assert ConsultationRequest.objects.count() == 5
    assert not AuditEntry.objects.filter(action="erase").exists()


# Escaping and smoke tests


def test_script_payloads_come_out_escaped_in_admin(reviewer):
    payload = "<script>alert(1)</script>"
    consultation = make_request(
        name=payload,
        message=payload,
        heard_about=payload,
        insurer=payload,
        email="a@example.com",
    )
    consultation.timeline.create(kind="note", text=payload)
    consultation.timeline.create(kind="reply", subject=payload, text=payload)
    consultation.concerns.add(Concern.objects.create(label=payload))
    for path in (LIST, change_url(consultation), LIST + "?status=all"):
        html = reviewer.get(path).content.decode()
        assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reviewer.get(change_url(consultation)).content.decode()


def test_the_request_is_called_by_its_number_never_by_name():
    assert str(make_request(name="Robin")).startswith("Request #")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/intake/",
        "/admin/intake/concern/",
        "/admin/intake/relationship/",
        "/admin/intake/auditentry/",
        "/admin/intake/notification/",
        LIST,
    ],
)
def test_every_intake_admin_page_opens(admin_client, path):
    make_request()
    assert admin_client.get(path).status_code == 200


def test_the_therapist_edits_concern_choices_without_a_deploy(admin_client):
    response = admin_client.post(
        "/admin/intake/concern/add/", {"label": "Loneliness", "order": 5, "active": "on"}
    )
    assert response.status_code == 302
    assert "Loneliness" in admin_client.get("/consultation/").content.decode()
