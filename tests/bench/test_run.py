"""The benchmark's own arithmetic (bench/run.py); CI runs the benchmark itself, briefly."""

from bench.load import Run, percentile
from bench.run import against_bare, failed_requests, in_turn, print_table, server_times
from tests.faults.site import site_env


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


def timed(per_second, p99, p50=1.0):
    return Run(per_second=per_second, latencies_ms={50: p50, 95: p99, 99: p99}, errors=0)


def test_a_pages_ratio_and_p99_against_the_bare_view():
    """÷bare is the mean requests a second over the bare view's; p99÷bare the median p99 over its."""
    page = [timed(600, 4.0), timed(700, 9.0), timed(800, 5.0)]
    bare = [timed(900, 2.0), timed(1000, 2.5), timed(1100, 4.5)]
    ratio, p99_ratio = against_bare(page, bare)
    assert ratio == 0.7
    assert p99_ratio == 2.0  # 5.0 over 2.5: medians, so one slow round moves neither


def test_the_table_prints_both_comparisons_for_pages_and_none_for_the_post(capsys):
    """The bare view's own row reads 1.00 in both; the POST, through Caddy, is compared with nothing."""
    runs = {
        "service page": {"site": [timed(800, 6.0)], "ceiling": [timed(900, 5.0)]},
        "valid POST": {"site": [timed(50, 90.0)], "ceiling": [timed(60, 80.0)]},
    }
    print_table(runs, {}, seconds=1, rounds=1, posts_per_round=16, bare=[timed(1000, 3.0)])
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if "÷bare" in line).split()
    service, post, bare = (
        next(line for line in lines if line.startswith(name))
        for name in ("service page", "valid POST", "bare view")
    )
    assert header[3:5] == ["÷bare", "p50"] and "p99÷bare" in header
    assert service.split()[2:11] == ["800", "900", "0.89", "0.80", "1.0", "6.0", "6.0", "5.0", "2.00"]
    assert post.split()[2:9] == ["50", "60", "0.83", "1.0", "90.0", "90.0", "80.0"]
    assert bare.split()[2:8] == ["1000", "1.00", "1.0", "3.0", "3.0", "1.00"]


def test_another_worker_model_can_be_measured_on_the_same_stack(monkeypatch, tmp_path):
    """GUNICORN_CMD_ARGS reaches the stack's gunicorn (gunicorn.conf.py says what was measured with it)."""
    assert "GUNICORN_CMD_ARGS" not in site_env("postgres://", 25, "https://localhost", tmp_path)
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--worker-class gthread --threads 4")
    env = site_env("postgres://", 25, "https://localhost", tmp_path)
    assert env["GUNICORN_CMD_ARGS"] == "--worker-class gthread --threads 4"
