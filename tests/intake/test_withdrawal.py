"""
The visitor's own "withdraw my request" link: it deletes that one request with everything it owns,
once, tells the practice the number only, and an altered, used or stale link says so kindly.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from booking.models import Booking
from intake.life import withdrawal
from intake.life.notifications import NoRecipient, build_email, queue_notifications, send_due_notifications
from intake.life.withdrawal import withdraw_link, withdraw_token
from intake.life.withdrawal_views import WITHDRAWN_BY
from intake.models import (
    AuditEntry,
    Concern,
    ConsultationRequest,
    Notification,
    Relationship,
    StatusChange,
    TimelineEntry,
)
from pages.models import PracticeSettings
from tests.clock_words import therapist_day_and_time
from tests.intake.factories import make_request
from tests.intake.sentinels import everything_in, leaks, sentinel_request
from tests.postgresql import only_on_postgresql
from tests.races import at_once

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status
PRACTICE_INBOX = "therapist@practice.example"
DAYS = 180


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.PRACTICE_NOTIFY_EMAIL = PRACTICE_INBOX
    settings.SITE_URL = "https://practice.example"
    settings.INTAKE_ACKNOWLEDGE_VISITORS = True
    settings.INTAKE_RETENTION_DAYS = DAYS


def path_of(consultation):
    return withdraw_link(consultation).removeprefix("https://practice.example")


def path_for(token):
    return f"/consultation/withdraw/{token}/"


def request_with_everything():
    """A request that owns one of each thing a request can own."""
    consultation = make_request(name="Robin Quokka", email="robin.quokka@example.com", form_token="f" * 64)
    consultation.concerns.add(Concern.objects.get(label="Feeling easily rejected"))
    consultation.relationships.add(Relationship.objects.get(label="Partner"))
    queue_notifications(consultation)
    consultation.change_status(Status.CONTACTED)
    TimelineEntry.objects.create(
        request=consultation, kind=TimelineEntry.Kind.NOTE, text="Called back Tuesday"
    )
    return consultation


def owned_rows(number):
    return {
        "status changes": StatusChange.objects.filter(request_id=number).count(),
        "notifications": Notification.objects.filter(request_id=number).count(),
        "timeline": TimelineEntry.objects.filter(request_id=number).count(),
        "concerns": ConsultationRequest.concerns.through.objects.filter(
            consultationrequest_id=number
        ).count(),
        "relationships": ConsultationRequest.relationships.through.objects.filter(
            consultationrequest_id=number
        ).count(),
    }


def nothing_deleted(*consultations):
    return all(ConsultationRequest.objects.filter(pk=c.pk).exists() for c in consultations) and not (
        AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAW).exists()
        or Notification.objects.filter(kind=Notification.Kind.WITHDRAWAL).exists()
    )


# The link


def test_the_link_carries_a_number_and_a_signature_and_names_nobody():
    consultation = make_request(name="Robin Quokka", email="robin.quokka@example.com")
    link = withdraw_link(consultation)
    assert link == f"https://practice.example/consultation/withdraw/{withdraw_token(consultation)}/"
    for detail in ("Robin", "Quokka", "robin.quokka", "example.com", "@"):
        assert detail not in link
    # What it carries, readable by anyone who decodes it: a number and half the form's random nonce.
    payload = signing.Signer(salt=withdrawal.SALT).unsign_object(withdraw_token(consultation))
    assert payload == [consultation.pk, consultation.form_token[:16]]


def test_the_acknowledgement_carries_the_withdraw_link():
    consultation = make_request()
    queue_notifications(consultation)
    send_due_notifications()
    acknowledgement = next(email for email in mail.outbox if email.to == [consultation.email])
    assert (
        "If you change your mind, you can withdraw your request and have it deleted:\n"
        f"{withdraw_link(consultation)}\n"
    ) in acknowledgement.body


# Opening the link


def test_opening_the_link_shows_what_will_be_deleted_and_deletes_nothing(client):
    consultation = request_with_everything()
    response = client.get(path_of(consultation))
    html = response.content.decode()
    assert response.status_code == 200
    number = consultation.pk
    assert (
        f"Everything you sent in request #{number}: your name, contact details, answers and message." in html
    )
    assert "Any notes and replies the practice kept about it." in html
    assert f"will be told only that request #{number} was withdrawn" in html
    assert "This cannot be undone." in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    assert ">Withdraw and delete my request</button>" in html
    assert ConsultationRequest.objects.filter(pk=number).exists()
    assert all(owned_rows(number).values())
    assert not AuditEntry.objects.filter(request_number=number).exists()


def test_the_page_shows_nothing_from_the_request_since_someone_else_may_hold_the_link(client):
    consultation, needles = sentinel_request("email")
    html = client.get(path_of(consultation)).content.decode()
    assert "Withdraw your request" in html
    assert leaks(html, needles) == []


def test_the_page_is_never_cached_and_its_address_never_sent_as_referer(client):
    response = client.get(path_of(make_request()))
    assert "no-store" in response["Cache-Control"]
    # The site's default is "same-origin", which would send the token in the address to its own files.
    assert response["Referrer-Policy"] == "strict-origin"


# Withdrawing


def test_withdrawing_deletes_the_request_and_everything_it_owns_then_says_it_is_done(client):
    consultation = request_with_everything()
    number = consultation.pk
    response = client.post(path_of(consultation))
    assert response.status_code == 302
    assert response["Location"] == "/consultation/withdrawn/"
    assert not ConsultationRequest.objects.filter(pk=number).exists()
    assert set(owned_rows(number).values()) == {0}

    done = client.get("/consultation/withdrawn/").content.decode()
    assert f"Request #{number} has been deleted from this website, with everything in it." in done
    assert "Nothing about you is kept: only the request's number stays in the website's log" in done


def test_the_withdrawn_page_names_the_number_once_only(client):
    client.post(path_of(make_request()))
    client.get("/consultation/withdrawn/")
    again = client.get("/consultation/withdrawn/").content.decode()
    assert "#" not in again.split("<main", 1)[1].split("</main>")[0]
    assert "If you have just withdrawn a request, it has been deleted" in again


def test_the_audit_log_keeps_only_the_number_as_withdrawn_by_the_visitor(client):
    consultation = make_request(name="Robin Quokka", email="robin.quokka@example.com")
    client.post(path_of(consultation))
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.WITHDRAW
    assert entry.request_number == consultation.pk
    assert entry.user is None and entry.username == "system"
    assert entry.detail == WITHDRAWN_BY
    assert "Quokka" not in entry.detail and "example.com" not in entry.detail


def test_only_this_request_is_withdrawn_not_others_from_the_same_person(client):
    consultation = make_request(email="robin@example.com")
    same_email = make_request(email="robin@example.com")
    client.post(path_of(consultation))
    assert list(ConsultationRequest.objects.all()) == [same_email]


def test_the_practice_is_told_the_number_and_nothing_else_from_the_request(client):
    consultation, needles = sentinel_request("email")
    number = consultation.pk
    client.post(path_of(consultation))
    notice = Notification.objects.get(kind=Notification.Kind.WITHDRAWAL)
    assert notice.request is None
    assert notice.subject == f"Request #{number} was withdrawn"
    assert f"Request #{number} was withdrawn by the person who sent it" in notice.body
    assert f"https://practice.example/admin/intake/auditentry/?q={number}" in notice.body

    send_due_notifications()
    email = next(email for email in mail.outbox if email.subject == notice.subject)
    assert email.to == [PRACTICE_INBOX]
    assert email.body == notice.body
    assert leaks(everything_in(email), needles) == []


def test_a_confirmed_consultation_still_to_come_is_named_in_the_notice_by_its_time(client):
    consultation = make_request()
    start = timezone.now() + timedelta(days=2)
    Booking.objects.create(
        request=consultation,
        starts_at=start,
        ends_at=start + timedelta(minutes=20),
        state=Booking.State.CONFIRMED,
    )
    client.post(path_of(consultation))
    notice = Notification.objects.get(kind=Notification.Kind.WITHDRAWAL)
    assert f"Its consultation on {therapist_day_and_time(start)} is cancelled with it" in notice.body
    assert not Booking.objects.exists()


def test_a_past_or_held_time_is_not_named_in_the_notice(client):
    consultation = make_request()
    now = timezone.now()
    for state, start in [
        (Booking.State.CONFIRMED, now - timedelta(days=1)),
        (Booking.State.HELD, now + timedelta(days=2)),
    ]:
        Booking.objects.create(
            request=consultation,
            starts_at=start,
            ends_at=start + timedelta(minutes=20),
            state=state,
            held_until=now + timedelta(hours=48),
        )
    client.post(path_of(consultation))
    assert "consultation on" not in Notification.objects.get(kind=Notification.Kind.WITHDRAWAL).body


def test_the_notice_goes_where_the_practice_alert_goes(settings):
    practice = PracticeSettings.load()
    practice.email = "hello@practice.example"
    practice.save()
    notice = Notification.objects.create(kind=Notification.Kind.WITHDRAWAL, subject="s", body="b")
    assert build_email(notice).to == [PRACTICE_INBOX]
    settings.PRACTICE_NOTIFY_EMAIL = ""
    assert build_email(notice).to == ["hello@practice.example"]
    practice.email = ""
    practice.save()
    with pytest.raises(NoRecipient):
        build_email(notice)
    settings.DEBUG = True
    assert build_email(notice).to == ["practice@localhost"]


def test_the_erasure_and_the_notice_are_one_transaction(client, monkeypatch):
    consultation = make_request()

    def mail_outbox_broken(*_):
        raise RuntimeError

    monkeypatch.setattr("intake.life.withdrawal_views.queue_withdrawal_notice", mail_outbox_broken)
    with pytest.raises(RuntimeError):
        client.post(path_of(consultation))
    assert nothing_deleted(consultation)
    assert not AuditEntry.objects.exists()


def test_the_link_works_once(client):
    consultation = make_request()
    client.post(path_of(consultation))
    for response in (client.get(path_of(consultation)), client.post(path_of(consultation))):
        assert response.status_code == 410
        assert "This request has already been withdrawn" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAW).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.WITHDRAWAL).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@only_on_postgresql("races need PostgreSQL's concurrency")
def test_three_clicks_at_the_same_moment_withdraw_once_and_tell_the_practice_once():
    consultation = make_request()
    clicks = at_once([partial(Client().post, path_of(consultation)) for _ in range(3)])
    statuses = [response.status_code for response in clicks]
    assert sorted(statuses) == [302, 410, 410]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.WITHDRAW).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.WITHDRAWAL).count() == 1


def test_the_form_needs_its_csrf_token():
    consultation = make_request()
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(path_of(consultation)).status_code == 403
    assert nothing_deleted(consultation)
    page = browser.get(path_of(consultation)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert browser.post(path_of(consultation), {"csrfmiddlewaretoken": token}).status_code == 302
    assert not ConsultationRequest.objects.filter(pk=consultation.pk).exists()


# Links that no longer work


def altered(token):
    """The token with one character of its signature changed."""
    last = token[-1]
    return token[:-1] + ("A" if last != "A" else "B")


def incomplete_link_page(response):
    html = response.content.decode()
    return (
        response.status_code == 400
        and "This link is not complete" in html
        and "The link may have been copied incompletely" in html
        and "copy the whole link" in html
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("change", ["altered", "truncated", "cut in half"])
def test_an_altered_or_truncated_link_gets_a_kind_page_and_deletes_nothing(client, method, change):
    consultation = make_request()
    token = withdraw_token(consultation)
    token = {"altered": altered(token), "truncated": token[:-4], "cut in half": token[: len(token) // 2]}[
        change
    ]
    response = getattr(client, method)(path_for(token))
    assert incomplete_link_page(response)
    assert nothing_deleted(consultation)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_signed_link_for_another_requests_number_with_the_wrong_token_deletes_nothing(client, method):
    mine = make_request()
    someone_elses = make_request()
    token = signing.Signer(salt=withdrawal.SALT).sign_object([someone_elses.pk, mine.form_token[:16]])
    assert incomplete_link_page(getattr(client, method)(path_for(token)))
    assert nothing_deleted(mine, someone_elses)


@pytest.mark.parametrize(
    "content", ["a string", [1], {"number": 1}, ["not a number", "prefix"], [None, "x"], [1, 2]]
)
def test_a_signed_link_of_the_wrong_shape_is_not_valid_rather_than_an_error(client, content):
    consultation = make_request()
    assert incomplete_link_page(
        client.get(path_for(signing.Signer(salt=withdrawal.SALT).sign_object(content)))
    )
    assert nothing_deleted(consultation)


def expired_page(response):
    html = response.content.decode()
    return (
        response.status_code == 410
        and "This request has already been deleted, or the link has expired" in html
        and "If you still want to ask about your data, please email" in html
        and 'href="mailto:hello@practice.example"' in html
    )


@pytest.fixture
def practice_email():
    practice = PracticeSettings.load()
    practice.email = "hello@practice.example"
    practice.save()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_request_due_for_deletion_has_an_expired_link_and_is_left_to_the_purge(
    client, practice_email, method
):
    long_ago = timezone.now() - timedelta(days=DAYS, minutes=1)
    stale = make_request(status=Status.CLOSED, status_changed_at=long_ago)
    assert expired_page(getattr(client, method)(path_of(stale)))
    assert nothing_deleted(stale)


def test_a_closed_request_not_yet_due_can_still_be_withdrawn(client):
    recent = timezone.now() - timedelta(days=DAYS - 1)
    closed = make_request(status=Status.CLOSED, status_changed_at=recent)
    assert client.get(path_of(closed)).status_code == 200
    client.post(path_of(closed))
    assert not ConsultationRequest.objects.exists()


def test_an_erased_or_purged_request_has_an_expired_link(client, practice_email):
    consultation = make_request()
    path = path_of(consultation)
    consultation.delete()
    AuditEntry.record(AuditEntry.Action.ERASE, User.objects.create_user("therapist"), [consultation.pk])
    assert expired_page(client.get(path))
    assert expired_page(client.post(path))
    assert not Notification.objects.exists()


def test_without_a_practice_email_the_expired_page_gives_the_phone(client):
    practice = PracticeSettings.load()
    practice.email, practice.phone = "", "555-0100"
    practice.save()
    consultation = make_request()
    path = path_of(consultation)
    consultation.delete()
    html = client.get(path).content.decode()
    assert 'If you still want to ask about your data, please call <a href="tel:5550100">555-0100</a>.' in html


def test_other_methods_are_refused(client):
    consultation = make_request()
    assert client.put(path_of(consultation)).status_code == 405
    assert client.delete(path_of(consultation)).status_code == 405
    assert nothing_deleted(consultation)
