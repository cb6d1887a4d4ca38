"""
Every kind of invite and the feed read back by ical.js (npm, tests/js), a parser other than the
Python library that wrote them: the same iTIP rules as tests/intake/test_life_invites.py.

CI installs it (`npm ci --prefix tests/js` in .ci/run, which sets ICALJS_REQUIRED=1 so a missing
install fails instead of skipping).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from booking import invite
from booking.models import Booking, ConsultationHours
from intake.life import moves
from intake.life.notifications import send_due_notifications
from tests.intake.conftest import NOTIFY

pytestmark = pytest.mark.django_db
JS = Path(__file__).resolve().parents[1] / "js"
READY = shutil.which("node") and (JS / "node_modules" / "ical.js").is_dir()
if not READY:
    if os.environ.get("ICALJS_REQUIRED") == "1":
        raise RuntimeError("ical.js is not installed: npm ci --prefix tests/js")
    pytestmark = [pytestmark, pytest.mark.skip("ical.js not installed: npm ci --prefix tests/js")]


def read(content):
    done = subprocess.run(
        ["node", str(JS / "parse_ics.mjs")],
        input=content.encode() if isinstance(content, str) else content,
        capture_output=True,
        check=True,
        timeout=30,
    )
    return json.loads(done.stdout)


def test_icaljs_reads_each_invite_with_the_rules_kept(practice, mailoutbox):  # noqa: F811
    from intake.consultation_time.booking_panel import confirm_time
    from tests.intake.booking_setup import hold_times
    from tests.intake.factories import make_request

    consultation = make_request(name="Robin Quist", email="robin@example.com")
    booking = hold_times(consultation, 1)[0]
    confirm_time(consultation, booking, None)
    send_due_notifications()
    from booking.slots import open_times

    new = [t for t in open_times(keep_for=consultation.pk) if t.starts_at != booking.starts_at][-1]
    moved = moves.move(booking, new.starts_at, Booking.By.THERAPIST)
    send_due_notifications()
    moves.cancel(moved, Booking.By.THERAPIST, message="Sorry.")
    send_due_notifications()

    for to, attendees in (
        ("robin@example.com", {"mailto:hello@wells.example", "mailto:robin@example.com"}),
        (NOTIFY, {f"mailto:{NOTIFY}"}),
    ):
        read_back = [read(email.attachments[0][1]) for email in mailoutbox if email.to == [to]]
        assert [r["method"] for r in read_back] == ["REQUEST", "REQUEST", "CANCEL"]
        assert [r["events"][0]["sequence"] for r in read_back] == [0, 1, 2]
        assert [r["events"][0]["status"] for r in read_back] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
        for r in read_back:
            (only,) = r["events"]
            assert only["organizer"].lower() == "mailto:hello@wells.example"
            assert {a["address"].lower() for a in only["attendees"]} == attendees
        assert len({r["events"][0]["uid"] for r in read_back}) == 1


def test_icaljs_reads_the_feed_and_an_erased_requests_cancel(practice):  # noqa: F811
    from intake.models import Notification
    from tests.intake.booking_setup import hold_times
    from tests.intake.factories import make_request

    consultation = make_request()
    booking = hold_times(consultation, 1)[0]
    from booking import holds

    holds.confirm(booking)
    feed = read(invite.feed([booking], practice, ConsultationHours.load()))
    assert feed["refresh"] == "PT1H" and feed["ttl"] is not None
    assert feed["events"][0]["uid"].startswith(booking.invite_uid)
    moves.cancel_for_erasure([consultation.pk])
    erased = read(Notification.objects.get(kind=Notification.Kind.CANCEL_ERASED).invite.encode())
    assert erased["method"] == "CANCEL" and erased["events"][0]["sequence"] == 1
