"""The benchmark's own arithmetic (bench/run.py); CI runs the benchmark itself, briefly."""

from bench.load import Run, percentile
from bench.run import failed_requests, in_turn, server_times


def run(errors=0):
    return Run(per_second=100.0, latencies_ms={50: 1.0, 95: 2.0, 99: 3.0}, errors=errors)


def test_the_site_and_its_ceiling_take_turns_going_first():
    """Alternating rounds: neither side always meets the machine first."""
    assert in_turn(0) == ["site", "ceiling"]
    assert in_turn(1) == ["ceiling", "site"]


def test_any_failed_request_is_counted_so_the_bench_fails():
    """One error anywhere, site or ceiling, makes the bench exit non-zero."""
    assert failed_requests({"home page": {"site": [run()], "ceiling": [run()]}}) == 0
    assert failed_requests({"home page": {"site": [run()], "ceiling": [run(errors=1)]}}) == 1


def test_server_times_are_read_from_gunicorns_access_log_by_method_and_path():
    """The median of gunicorn's own request time (%(L)s), in ms."""
    log = (
        '"GET /consultation/" 200 20342 0.010000s\n'
        '"GET /consultation/" 200 20342 0.030000s\n'
        '"GET /consultation/" 200 20342 0.020000s\n'
        '"POST /consultation/" 302 0 0.050000s\n'
    )
    assert server_times(log) == {("GET", "/consultation/"): 20.0, ("POST", "/consultation/"): 50.0}


def test_percentiles_of_the_posts():
    """p50 and p95 of 1..100 ms."""
    ordered = [float(ms) for ms in range(1, 101)]
    assert round(percentile(ordered, 50), 1) == 50.5
    assert round(percentile(ordered, 95), 2) == 95.05
