"""Load through the whole stack: every acknowledged request stored once, one alert each, promptly."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from intake.form import spam
from tests.faults.checks import by_marker, check_alerts, check_requests, check_visits
from tests.faults.site import running_site
from tests.faults.visitors import Crowd, Visitor, classify, wait_like_a_person


def test_200_requests_from_50_visitors_8_at_a_time_are_each_stored_once_and_alerted_once_within_60_s(site):
    visitors = [f"127.0.0.{n}" for n in range(2, 52)]
    plan = [(visitors[n % 50], f"[load-{n:04d}]") for n in range(200)]
    started = time.monotonic()
    crowd = Crowd(site, plan, at_once=8).start()
    visits = crowd.join(timeout=300)
    site.timings["200 requests"] = time.monotonic() - started

    check_visits(visits, allowed={"form", "acknowledged", "not checked"})
    resent = sorted(visit.marker for visit in visits if "not checked" in visit.kinds())
    site.notes.append(
        f"forms an earlier tab's cookie overtook, given back filled in and sent again: {resent}"
    )
    assert len(visits) == 200
    rows = check_requests(site, visits)
    assert len(rows) == 200, f"{len(rows)} of 200 requests stored"
    started = time.monotonic()
    check_alerts(site, rows, visits, within=60, wait=60)
    site.timings["last alert"] = time.monotonic() - started


def send_at_once(visitor, forms):
    """Each form on its own connection, all sent together; what each visitor saw."""
    with ThreadPoolExecutor(len(forms)) as pool:
        return list(pool.map(lambda data: classify(visitor.post(data), data), forms))


@pytest.fixture
def busy_site(request, migrated_cluster):
    """Four gunicorn workers (WEB_CONCURRENCY=4): more requests racing for the same count."""
    with running_site(request.node.name, migrated_cluster, web_workers=4) as site:
        yield site


def test_the_hourly_limit_and_the_double_click_hold_for_forms_sent_at_the_same_moment(busy_site):
    """
    Each of six visitors sends ten different forms at once: five are saved, five come back with a
    429 and their text. (Workers race only a few at a time, so one burst could slip past a missing
    lock by luck; six rarely all do.) Another visitor sends one form three times at once (a double
    click, a reload): one request.
    """
    site = busy_site
    bursts = [Visitor(site, f"127.0.0.{60 + n}") for n in range(6)]
    clicker = Visitor(site, "127.0.0.70")
    with ThreadPoolExecutor(8) as pool:
        forms = list(pool.map(lambda visitor: [visitor.open_form()[0] for _ in range(10)], bursts))
    double_click = clicker.open_form()[0]
    wait_like_a_person(double_click)
    limit = spam.RATE_LIMIT
    for n, (visitor, opened) in enumerate(zip(bursts, forms, strict=True)):
        sent = [form.filled(f"[burst{'abcdef'[n]}-{k:04d}]") for k, form in enumerate(opened)]
        seen = send_at_once(visitor, sent)
        assert sorted(seen) == ["acknowledged"] * limit + ["rate limited"] * (10 - limit), (
            f"visitor {visitor.address}, ten forms at once, against a limit of {limit}: {seen}"
        )
    once = double_click.filled("[click-0001]")
    clicks = send_at_once(clicker, [once] * 3)

    rows = by_marker(site.requests())
    for n, visitor in enumerate(bursts):
        saved = [marker for marker in rows if marker.startswith(f"[burst{'abcdef'[n]}-")]
        assert len(saved) == limit, f"{visitor.address}: {len(saved)} of ten forms sent at once saved"
    assert all(len(found) == 1 for found in rows.values())
    assert clicks == ["acknowledged"] * 3, clicks
    assert len(rows["[click-0001]"]) == 1, "a form sent three times at once is stored once"
