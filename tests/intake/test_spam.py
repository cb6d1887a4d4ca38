"""Spam defences that never lose a real person: kept as spam, never announced."""

import hashlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone

from intake.form import spam
from intake.models import ConsultationRequest, Notification, SubmissionAttempt
from pages.models import PracticeSettings
from tests.html import form_values
from tests.intake.factories import aged_token, form_data, named

pytestmark = pytest.mark.django_db
URL = "/consultation/"


def assert_kept_as_spam(client, reason, mailoutbox, **overrides):
    response = client.post(URL, form_data(**overrides))
    assert response.status_code == 302
    assert response["Location"] == "/consultation/thanks/", "a bot learns nothing"
    consultation = ConsultationRequest.objects.get()
    assert consultation.status == ConsultationRequest.Status.SPAM
    assert consultation.spam_reason == reason
    assert consultation.name == "Robin", "the whole request is kept, in case a real person was flagged"
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def time_ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


def test_a_filled_honeypot_is_kept_as_spam_and_sends_nothing(client, mailoutbox):
    assert_kept_as_spam(client, "honeypot filled", mailoutbox, reference_code="https://cheap.example")


def test_a_form_sent_faster_than_a_person_can_fill_it_is_kept_as_spam(client, mailoutbox):
    assert_kept_as_spam(client, "sent too fast", mailoutbox, form_token=spam.new_form_token())


def test_a_form_left_open_for_days_is_an_ordinary_request_with_its_age_kept(client, mailoutbox):
    """Someone who hesitates for days is not a bot: announced as usual, and the therapist sees when."""
    three_days = 3 * 24 * 60 * 60
    response = client.post(URL, form_data(form_token=aged_token(three_days)))
    assert response["Location"] == "/consultation/thanks/"
    consultation = ConsultationRequest.objects.get()
    assert (consultation.status, consultation.spam_reason) == (ConsultationRequest.Status.NEW, "")
    assert Notification.objects.filter(request=consultation).exists()
    waited = consultation.received_at - consultation.form_opened_at
    assert timedelta(days=3) <= waited < timedelta(days=3, minutes=1)


@pytest.mark.parametrize("token", [None, "", "forged-token", spam.new_form_token()[:-3] + "abc"])
def test_a_missing_or_altered_form_token_is_kept_as_spam(client, mailoutbox, token):
    assert_kept_as_spam(client, "form token missing or altered", mailoutbox, form_token=token)


def test_the_moment_the_form_was_opened_is_read_back_exactly_with_its_time_zone():
    opened = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 1:30 in New York, an hour that happens twice
    _, opened_at, reason = spam.read_form_token(spam.new_form_token(issued_at=opened.timestamp()))
    assert (opened_at, opened_at.tzinfo, reason) == (opened, UTC, "")


def test_three_seconds_after_opening_is_a_persons_pace_and_sooner_is_too_fast(monkeypatch):
    opened = 1_800_000_000
    token = spam.new_form_token(issued_at=opened)
    for seconds_later, reason in [
        (spam.MIN_FILL_SECONDS, ""),
        (spam.MIN_FILL_SECONDS - 0.1, "sent too fast"),
    ]:
        monkeypatch.setattr(spam, "time", SimpleNamespace(time=lambda later=seconds_later: opened + later))
        assert spam.read_form_token(token)[2] == reason


def test_a_link_stuffed_message_is_kept_as_spam(client, mailoutbox):
    message = "Cheap pills https://a.example http://b.example www.c.example"
    assert_kept_as_spam(client, "too many links", mailoutbox, message=message)


@pytest.mark.parametrize("field", ["name", "message", "insurer", "heard_about"])
def test_links_count_in_every_text_a_visitor_types(field):
    links = "https://a.example http://b.example www.c.example"
    assert spam.spam_reason({field: links}, token_reason="") == "too many links"
    assert spam.spam_reason({field: "https://a.example www.b.example"}, token_reason="") == ""


def test_one_or_two_links_are_fine(client):
    client.post(URL, form_data(message="I read https://example.org/article and www.example.net"))
    assert ConsultationRequest.objects.get().status == ConsultationRequest.Status.NEW


def test_the_time_trap_accepts_a_form_filled_at_a_human_pace():
    nonce, _, reason = spam.read_form_token(aged_token(30))
    assert reason == ""
    assert len(nonce) == 32


def test_a_repeated_post_stores_one_row(client):
    data = form_data()
    first = client.post(URL, data)
    second = client.post(URL, data)  # a double click, or the browser's "resend"
    assert first["Location"] == second["Location"] == "/consultation/thanks/"
    assert ConsultationRequest.objects.count() == 1
    assert Notification.objects.count() == 1
    assert "Thank you, Robin" in client.get("/consultation/thanks/").content.decode()


def test_the_rate_limit_answers_429_with_the_practice_contacts_and_keeps_the_requests_before_it(client):
    practice = PracticeSettings.load()
    practice.phone = "555-000-1111"
    practice.email = "hello@practice.example"
    practice.save()
    for _ in range(spam.RATE_LIMIT):
        assert client.post(URL, form_data()).status_code == 302
    sixth = form_data(name="Sixth", message="Everything I typed\r\nstays here")
    response = client.post(URL, sixth)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Your request has not been sent yet" in html
    assert "555-000-1111" in html and "hello@practice.example" in html
    assert "988" in html
    kept = form_values(html)
    assert all(kept[name] == sixth[name] for name in ("name", "email", "message", "form_token"))
    assert ConsultationRequest.objects.count() == spam.RATE_LIMIT
    assert not named("Sixth").exists()


def test_a_request_sent_again_at_the_hourly_limit_is_thanked_not_turned_away(client):
    """The fifth request's double click, or its resend after a lost connection: it arrived, and says so."""
    sent = [form_data() for _ in range(spam.RATE_LIMIT)]
    for data in sent:
        assert client.post(URL, data).status_code == 302
    again = client.post(URL, sent[-1])
    assert (again.status_code, again["Location"]) == (302, "/consultation/thanks/")
    assert ConsultationRequest.objects.count() == spam.RATE_LIMIT


def test_the_rate_limit_counts_each_visitor_separately(client):
    for _ in range(spam.RATE_LIMIT):
        client.post(URL, form_data(), REMOTE_ADDR="203.0.113.1")
    assert client.post(URL, form_data(), REMOTE_ADDR="203.0.113.2").status_code == 302


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_behind_the_tls_proxy_each_visitor_has_their_own_limit(client):
    """Every request then comes from the proxy's address: keyed by it, one visitor would block everyone."""
    through_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(spam.RATE_LIMIT):
        client.post(URL, form_data(), HTTP_X_FORWARDED_FOR="203.0.113.1", **through_proxy)
    assert (
        client.post(URL, form_data(), HTTP_X_FORWARDED_FOR="203.0.113.1", **through_proxy).status_code == 429
    )
    assert (
        client.post(URL, form_data(), HTTP_X_FORWARDED_FOR="203.0.113.2", **through_proxy).status_code == 302
    )


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_a_visitor_cannot_escape_the_limit_with_a_forged_forwarded_header(client):
    for number in range(spam.RATE_LIMIT):
        client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_the_rate_limit_forgets_after_an_hour(client):
    for _ in range(spam.RATE_LIMIT):
        client.post(URL, form_data())
    SubmissionAttempt.objects.update(at=time_ago(hours=1, minutes=1))
    assert client.post(URL, form_data()).status_code == 302


def test_attempts_older_than_the_hour_are_deleted_at_the_next_sent_form(client):
    old = SubmissionAttempt.objects.create(client_key="a" * 64, at=time_ago(hours=1, minutes=1))
    recent = SubmissionAttempt.objects.create(client_key="b" * 64, at=time_ago(minutes=59))
    client.post(URL, form_data())
    assert not SubmissionAttempt.objects.filter(pk=old.pk).exists(), "kept no longer than the limit needs it"
    assert SubmissionAttempt.objects.filter(pk=recent.pk).exists()
    assert SubmissionAttempt.objects.count() == 2, "the recent one and this form's"


def test_mistakes_on_the_form_do_not_count_towards_the_rate_limit(client):
    for _ in range(spam.RATE_LIMIT + 2):
        client.post(URL, form_data(name=""))
    assert client.post(URL, form_data()).status_code == 302


def test_the_rate_limit_keeps_a_salted_hash_of_the_address_never_the_address(client):
    client.post(URL, form_data(), REMOTE_ADDR="198.51.100.7")
    attempt = SubmissionAttempt.objects.get()
    assert "198.51.100.7" not in attempt.client_key
    assert len(attempt.client_key) == 64
    assert attempt.client_key != hashlib.sha256(b"198.51.100.7").hexdigest(), "salted with the secret key"


def test_the_token_time_is_signed_so_a_bot_cannot_pretend_it_waited():
    payload, signature = spam.new_form_token().split(":", 1)
    forged = spam.new_form_token(issued_at=0).split(":", 1)[0] + ":" + signature
    assert spam.read_form_token(forged)[2] == "form token missing or altered"
