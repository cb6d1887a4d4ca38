"""The admin search's figure in `make bench` (bench/admin_search.py): computed on a real site, and printed."""

import pytest

from bench import admin_search
from bench.load import Run
from bench.run import print_report, server_times

# Committed rows for the live server; the content data migrations made is put back afterwards.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_search_is_timed_on_a_running_site_as_a_signed_in_reviewer(live_server):
    """Seeded requests, a reviewer signed in with both factors, each search finding its one request."""
    prepared = admin_search.prepare(count=12)
    port = int(live_server.url.rsplit(":", 1)[1])
    times, failed = admin_search.searches(port, prepared, repeats=2, sought=admin_search.queries(11))
    assert failed == 0
    assert list(times) == admin_search.queries(11)
    assert all(len(measured) == 2 and all(ms > 0 for ms in measured) for measured in times.values())

    signed_out = prepared | {"session": "not-a-session"}
    _, failed = admin_search.searches(port, signed_out, repeats=1, sought=admin_search.queries(11)[:1])
    assert failed == 2, "a page other than the list (here: the way to sign in) counts as failed"
    _, failed = admin_search.searches(port, prepared, repeats=1, sought=["Nobody Of That Name"])
    assert failed == 2, "a search that finds nothing counts as failed"


def test_the_figure_is_printed_beside_the_others_with_the_goal():
    """Median, p95 and slowest of every timed search, gunicorn's own time, and the 300 ms goal."""
    times = {"Person 1": [100.0, 300.0], "person1@": [200.0, 250.0], "(555) 000-0001": [150.0, 400.0]}
    log = '"GET /admin/intake/consultationrequest/" 200 9000 0.120000s\n'
    server_ms = server_times(log)[("GET", "/admin/intake/consultationrequest/")]
    line = admin_search.summary(times, server_ms)
    assert line.startswith("admin search among 5,000 requests: median 225 ms, ")
    assert "slowest 400 ms wall" in line and "(3 searches x 2," in line
    assert "server ms 120" in line and "goal <= 300 ms" in line


def test_make_bench_prints_the_search_line_under_the_pages_and_the_form(capsys):
    """The report: the table as before, then the admin search's figure."""
    run = Run(per_second=100.0, latencies_ms={50: 1.0, 95: 2.0, 99: 3.0}, errors=0)
    pages = ["service page", "home page", "form GET", "valid POST"]
    runs = {name: {"site": [run], "ceiling": [run]} for name in pages}
    times = {query: [90.0, 110.0] for query in admin_search.QUERIES}
    server_ms = {("GET", "/admin/intake/consultationrequest/"): 80.0}
    print_report(runs, server_ms, 1, 1, 16, [run], times, "/admin/intake/consultationrequest/")
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2].startswith("Pages: wrk") and any(line.startswith("valid POST") for line in lines)
    assert (
        lines[-1].startswith("admin search among 5,000 requests: median 100 ms")
        and "server ms 80" in lines[-1]
    )
