"""PostgreSQL restarted twice during traffic: nothing acknowledged lost or doubled, and nothing typed lost."""

import time
from concurrent.futures import ThreadPoolExecutor

from tests.faults.checks import check_alerts, check_requests, check_visits, wait_for
from tests.faults.visitors import Crowd, Visit, Visitor, classify, wait_like_a_person
from tests.html import form_values

# Longer than the worker's 5-second poll, so it meets the outage and must ride it out.
DOWN_SECONDS = 7


def test_postgresql_restarted_twice_during_traffic_loses_nothing_and_everything_recovers_by_itself(site):
    """
    The first restart is `pg_ctl restart -m fast`, as quick as it gets; the second stops the server
    for a few seconds (a restart that takes a while), during which three visitors press "Send".
    They get the form back with what they typed and "could not be saved just now" (503), send it
    again once the database is back, and it is stored once.
    """
    web_workers, worker = sorted(site.web_workers()), site.worker.process.pid
    plan = [(f"127.0.0.{2 + n % 16}", f"[pg-{n:04d}]") for n in range(64)]
    crowd = Crowd(site, plan, at_once=8, start_every=0.5).start()
    wait_for(lambda: crowd.acknowledged() >= 5, 60, "the first acknowledgements")
    started = time.monotonic()
    site.cluster.restart()
    site.timings["pg_ctl restart -m fast"] = time.monotonic() - started

    during = [Visitor(site, f"127.0.0.{100 + n}") for n in range(3)]
    forms = [visitor.open_form()[0] for visitor in during]
    time.sleep(4)
    wait_like_a_person(forms[-1])
    markers = [f"[down-{n:04d}]" for n in range(3)]
    sent = [form.filled(marker) for form, marker in zip(forms, markers, strict=True)]
    site.cluster.stop("fast")
    stopped = time.monotonic()
    try:
        with ThreadPoolExecutor(3) as pool:
            answers = list(pool.map(lambda pair: pair[0].post(pair[1]), zip(during, sent, strict=True)))
        time.sleep(max(0, stopped + DOWN_SECONDS - time.monotonic()))
    finally:
        site.cluster.start()
    site.timings[f"stopped {DOWN_SECONDS} s, started"] = time.monotonic() - stopped
    second_restart = time.time()

    seen = [classify(answer, data) for answer, data in zip(answers, sent, strict=True)]
    assert seen == ["not saved"] * 3, f"sending while the database was down showed: {seen}"
    assert all(answer.headers["Retry-After"] == "60" for answer in answers)
    resent = []
    for visitor, answer, data, marker in zip(during, answers, sent, markers, strict=True):
        again = form_values(answer.text())
        visit = Visit(visitor.address, marker, sent=data)
        response = visitor.post({name: value for name, value in again.items() if name in data})
        if classify(response, data) == "acknowledged":
            visit.acknowledged_at = time.time()
        resent.append(visit)
    assert all(visit.acknowledged for visit in resent), "the form the page gave back, sent again, arrives"

    visits = crowd.join(timeout=180) + resent
    check_visits(visits, allowed={"form", "acknowledged", "not saved", "try again", "not checked"})
    rows = check_requests(site, visits)
    assert any(visit.acknowledged_at > second_restart for visit in visits), "traffic outlived the restarts"
    # A restart between the mail server's "250" and the worker's commit sends that alert again
    # (delivery is at least once): allowed, with the same Message-ID.
    arrived = check_alerts(site, rows, visits, within=60, wait=60, resent={r[0]["id"] for r in rows.values()})
    site.notes.append(
        f"alerts sent twice, each with one Message-ID: {[n for n, c in arrived.items() if len(c) > 1]}"
    )
    site.notes.append(
        f"visitors who got the 503 form: {[v.marker for v in visits if 'not saved' in v.kinds()]}"
    )
    assert site.worker.process.poll() is None, "the notification worker rode the restarts out"
    assert sorted(site.web_workers()) == web_workers, "no gunicorn worker died or was replaced"
    assert site.worker.process.pid == worker
    assert site.caddy.request("/healthz").status == 200
