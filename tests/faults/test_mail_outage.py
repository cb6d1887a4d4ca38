"""The mail server down for two minutes during traffic: every alert goes out afterwards, on schedule."""

import re
import time
from datetime import datetime, timedelta

from intake.life import notifications
from intake.life.notifications import LONGEST_WAIT_SECONDS
from tests.faults.checks import check_alerts, check_requests, check_visits
from tests.faults.visitors import Crowd

OUTAGE_SECONDS = 120
# The worker checks for due emails every 5 s (send_notifications' default, as compose runs it).
POLL_SECONDS = 5
# How late a retry may be against its schedule: one poll, plus sending what else is due.
LATE = POLL_SECONDS + 5
# The worker's logger is named after its module.
FAILED = re.compile(
    rf"^(\S+ \S+) WARNING {re.escape(notifications.logger.name)} Notification (\d+) not sent \((\w+)\); "
    r"try (\d+) in (\d+):(\d\d):(\d\d)$",
    re.MULTILINE,
)


def failures(worker_log):
    """From the worker's log: {notification id: [(when it failed, the wait it announced)]}."""
    found = {}
    for at, pk, _error, _next, hours, minutes, seconds in FAILED.findall(worker_log):
        wait = timedelta(hours=int(hours), minutes=int(minutes), seconds=int(seconds))
        found.setdefault(int(pk), []).append((datetime.strptime(at, "%Y-%m-%d %H:%M:%S,%f"), wait))
    return found


def test_with_the_mail_server_down_for_two_minutes_every_alert_goes_out_afterwards_retried_at_most_5_minutes_apart(
    site,
):
    plan = [(f"127.0.0.{2 + n % 12}", f"[mail-{n:04d}]") for n in range(48)]
    crowd = Crowd(site, plan, at_once=8, start_every=3).start()
    time.sleep(10)
    site.mail.stop()
    down_at = time.time()
    time.sleep(OUTAGE_SECONDS)
    site.mail.start()
    back_at = time.time()
    visits = crowd.join(timeout=120)
    site.timings["traffic, mail server down 2 min"] = back_at - down_at

    check_visits(visits, allowed={"form", "acknowledged", "not checked"})
    rows = check_requests(site, visits)
    assert len(rows) == 48
    waiting = [n for n in site.notifications() if n["sent_at"] is None]
    last_due = max((n["next_attempt_at"].timestamp() for n in waiting), default=time.time())
    started = time.monotonic()
    # Every alert arrives by its next scheduled try after the server is back, plus a poll.
    check_alerts(site, rows, visits, within=None, wait=max(0, last_due - time.time()) + LATE + 10)
    site.timings["until the last alert"] = time.monotonic() - started

    outbox = site.notifications()
    retried = [n for n in outbox if n["attempts"] > 1]
    assert any(n["attempts"] >= 4 for n in outbox), "the outage was felt: some alerts failed three times"
    assert all(n["sent_at"].timestamp() >= back_at - 1 for n in retried), "nothing counts as sent while down"
    late = {
        n["id"]: round((n["sent_at"] - n["next_attempt_at"]).total_seconds(), 1)
        for n in outbox
        if n["sent_at"] - n["next_attempt_at"] > timedelta(seconds=LATE)
    }
    assert not late, f"alerts sent later than a poll after they were due (seconds late): {late}"

    log = failures(site.worker_log())
    assert sorted(log) == sorted(n["id"] for n in retried), (
        "each failed try is logged, each logged one failed"
    )
    longest = timedelta(seconds=LONGEST_WAIT_SECONDS)
    for pk, tries in log.items():
        waits = [wait for _, wait in tries]
        assert max(waits) <= longest, f"notification {pk} was to wait {max(waits)} before its next try"
        gaps = [later - earlier for (earlier, _), (later, _) in zip(tries, tries[1:], strict=False)]
        # The log's times are the worker's local time: only their differences are compared.
        on_time = [
            wait - timedelta(seconds=1) <= gap <= wait + timedelta(seconds=LATE)
            for gap, wait in zip(gaps, waits, strict=False)
        ]
        assert all(on_time), f"notification {pk}: tried again {gaps} after failures that announced {waits}"
        assert len(tries) == next(n["attempts"] for n in outbox if n["id"] == pk) - 1
