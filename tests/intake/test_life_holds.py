"""Held times seen where the therapist looks, whatever the request's status, and told before they lapse."""

import datetime

import pytest
from django.utils import timezone

from intake.life import digest, moves
from intake.life.attention import needs_attention
from intake.life.replies import held_times
from intake.models import ConsultationRequest, Notification
from pages.clock import local_day_and_time
from pages.models import PracticeSettings
from tests.accounts.signing_in import sign_in
from tests.clock_words import therapist_day_and_time
from tests.hours import open_hours
from tests.intake.booking_setup import hold_times
from tests.intake.factories import make_request, make_reviewer

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


@pytest.fixture
def held_after_a_reply():
    """Issue 23: times held by a request no longer New (picked again after "Offer other times")."""
    open_hours()
    consultation = make_request(status=Status.CONTACTED)
    return consultation, hold_times(consultation, 2)


def test_the_summary_counts_held_times_whatever_the_status_and_says_when_they_lapse(held_after_a_reply):
    _, held = held_after_a_reply
    now = timezone.now()
    counts = needs_attention(now)
    assert counts["new"] == 0 and counts["holding"] == 1
    lapse = local_day_and_time(held[0].held_until)
    PracticeSettings.objects.update_or_create(pk=1, defaults={"digest_time": datetime.time(0, 0)})
    made = digest.make_daily_digest(now)
    assert made.counts["holding"] == 1
    body = Notification.objects.get(kind=Notification.Kind.DIGEST).body
    assert "- 1 request holding consultation times for your answer\n" in body
    assert f"The first of those times is let go {lapse}." in body
    assert "1 holding times" in digest.digest_subject(counts)
    assert "first of those" not in digest.digest_body(counts | {"holding": 0}), "nothing held, nothing said"


def test_the_admin_home_shows_them_with_the_hour_they_lapse(client, held_after_a_reply):
    _, held = held_after_a_reply
    sign_in(client, make_reviewer())
    html = client.get("/admin/").content.decode()
    assert "1 request holds consultation times for your answer." in html
    assert local_day_and_time(held[0].held_until) in html


def test_the_practice_is_warned_once_twelve_hours_before_they_lapse(held_after_a_reply):
    consultation, held = held_after_a_reply
    lapse = held[0].held_until
    assert moves.warn_before_lapse(lapse - datetime.timedelta(hours=13)) == 0, "not yet"
    assert moves.warn_before_lapse(lapse - datetime.timedelta(hours=11)) == 1
    assert moves.warn_before_lapse(lapse - datetime.timedelta(hours=10)) == 0, "once"
    (notice,) = Notification.objects.filter(kind=Notification.Kind.BOOKING_NOTICE)
    assert notice.request == consultation
    assert f"#{consultation.pk}" in notice.subject and "Robin" not in notice.body
    assert therapist_day_and_time(lapse) in notice.body


def test_the_warning_count_is_one_notice_for_each_request_whose_times_lapse_soon(held_after_a_reply):
    _, held = held_after_a_reply
    another = make_request(status=Status.CONTACTED)
    hold_times(another, 1)
    lapse = held[0].held_until
    assert moves.warn_before_lapse(lapse - datetime.timedelta(hours=11)) == 2
    assert Notification.objects.filter(kind=Notification.Kind.BOOKING_NOTICE).count() == 2


def test_the_worker_warns_at_each_check(held_after_a_reply, monkeypatch):
    from intake.management.commands import send_notifications

    seen = []
    monkeypatch.setattr(send_notifications, "warn_before_lapse", lambda: seen.append(True))
    send_notifications.Command().handle(once=True, interval=5, verbosity=0)
    assert seen == [True]


def test_the_reply_page_lists_only_the_times_still_held(held_after_a_reply):
    consultation, held = held_after_a_reply
    assert held_times(consultation) == sorted(held, key=lambda booking: booking.starts_at)
    after_they_lapse = max(booking.held_until for booking in held) + datetime.timedelta(minutes=1)
    assert held_times(consultation, now=after_they_lapse) == []
