"""SIGKILL, as a crash or the OOM killer would send it: to a gunicorn worker mid-request, and to the mail worker."""

import time

from tests.faults.checks import check_alerts, check_requests, check_visits, wait_for
from tests.faults.visitors import Crowd, Visitor, classify, wait_like_a_person

KILLS = 4


def test_killing_gunicorn_workers_mid_request_loses_and_doubles_nothing_and_shows_the_maintenance_page(site):
    """
    Each kill hits a worker while it holds a request from Caddy (found through /proc) and only forms
    are in flight, never the master, which starts a new worker. The visitor whose request died sees the proxy's page, goes
    back and sends the same form again: it is stored once, whether or not the first try was saved.
    """
    master = site.gunicorn.process.pid
    plan = [(f"127.0.0.{2 + n % 16}", f"[web-{n:04d}]") for n in range(64)]
    started = time.monotonic()
    crowd = Crowd(site, plan, at_once=8, start_every=0.4).start()
    wait_for(lambda: crowd.acknowledged() >= 4, 60, "the first acknowledgements")
    killed = []
    deadline = time.monotonic() + 60
    while len(killed) < KILLS:
        assert time.monotonic() < deadline, f"only {len(killed)} workers found busy with a form in 60 s"
        # Only forms in flight, so the busy worker is saving one: the case that matters.
        if not crowd.only_sending():
            time.sleep(0.005)
            continue
        pid = site.busy_web_worker(timeout=0.5)
        if pid is None or not crowd.only_sending():
            continue
        site.kill_web_worker(pid)
        killed.append(pid)
        site.wait_for_web_workers(2)
        time.sleep(1)
    visits = crowd.join(timeout=180)
    site.timings[f"traffic, {KILLS} workers killed"] = time.monotonic() - started

    assert site.gunicorn.process.poll() is None and site.gunicorn.process.pid == master
    assert not set(killed) & set(site.web_workers()), "every killed worker was replaced"
    check_visits(visits, allowed={"form", "acknowledged", "maintenance page", "not checked"})
    died = [visit.marker for visit in visits if "maintenance page" in visit.kinds("POST")]
    assert died, "no visitor's form died with a worker: the kills proved nothing"
    site.notes.append(f"{len(killed)} workers killed; forms that died with them, then sent again: {died}")
    rows = check_requests(site, visits)
    assert len(rows) == 64
    check_alerts(site, rows, visits, within=60, wait=60)
    first_failure = {
        visit.marker: min(step.at for step in visit.steps if step.kind == "maintenance page")
        for visit in visits
        if visit.marker in died
    }
    saved_first = [m for m in died if rows[m][0]["received_at"].timestamp() < first_failure[m]]
    site.notes.append(f"of which saved before their worker died (the resend found it): {saved_first}")


def test_killing_the_mail_worker_loses_no_alert_and_a_resent_alert_carries_the_same_message_id(site):
    """
    Once during traffic, at whatever it was doing; then in the worst window: the mail server has
    taken the alert in and holds back its final "250", so the worker has not recorded it as sent.
    The next worker sends it again, with the same Message-ID, so the two copies are one email.
    """
    plan = [(f"127.0.0.{2 + n % 10}", f"[mail-{n:04d}]") for n in range(40)]
    crowd = Crowd(site, plan, at_once=8, start_every=0.5).start()
    wait_for(lambda: crowd.acknowledged() >= 8, 60, "the first acknowledgements")
    site.worker.kill()
    time.sleep(3)
    site.start_worker()
    visits = crowd.join(timeout=120)
    rows = check_requests(site, visits)
    # A worker killed between the server's "250" and its commit sends that alert again: allowed, once.
    arrived = check_alerts(site, rows, visits, within=60, wait=60, resent={r[0]["id"] for r in rows.values()})
    site.notes.append(f"sent twice after the first kill: {[n for n, c in arrived.items() if len(c) > 1]}")

    site.mail.reply_delay = 8  # under EMAIL_TIMEOUT (10 s): the worker waits for the reply
    visitor = Visitor(site, "127.0.0.90")
    form = visitor.open_form()[0]
    wait_like_a_person(form)
    data = form.filled("[resent-0001]")
    assert classify(visitor.post(data), data) == "acknowledged"
    (number,) = [row["id"] for row in site.requests() if "[resent-0001]" in row["message"]]
    site.mail.wait_for(
        lambda _: number in [n for n, _, _ in site.alerts()], 30, f"alert #{number} handed over"
    )
    site.worker.kill()
    site.mail.reply_delay = 0
    site.start_worker()
    copies = site.mail.wait_for(
        lambda _: [n for n, _, _ in site.alerts()].count(number) == 2, 60, f"alert #{number} sent again"
    )
    (outbox,) = [n for n in site.notifications() if n["request_id"] == number]
    ids = [mid for n, mid, _ in site.alerts() if n == number]
    assert ids == [outbox["message_id"]] * 2, f"the copies of alert #{number} carried {ids}"

    def marked_sent():
        return [n["sent_at"] for n in site.notifications() if n["request_id"] == number] != [None]

    wait_for(marked_sent, 30, f"alert #{number} marked sent")
    time.sleep(1)
    assert [n for n, _, _ in site.alerts()].count(number) == 2, "sent twice, not three times"
    assert len(site.alerts()) >= len(copies)
