"""
`make bench`: the production stack, measured against the same bytes pre-rendered.

It starts what production runs (tests/faults/site.py): PostgreSQL (a cluster of its own, migrated
as compose's migrate service does, so with the pages the migrations create), gunicorn from the
image's CMD and gunicorn.conf.py with two workers, the mail worker, Caddy with the repository's
Caddyfile and a local mail server (in a process of its own, as a real one is). After a warm-up
that is not counted (a worker's first requests load code and fill its caches), in alternating
rounds so that the machine's drift cancels out, each page against its ceiling: the very bytes it
sent, served by practice/bench_ceiling.py on the same stack. The pages get GETs from wrk, eight
connections, straight at gunicorn; a valid form is POSTed through Caddy by eight visitors at a
time, against the ceiling's bare redirect. Then 5,000 requests are added and the admin's search
among them is timed, one search at a time, straight at gunicorn (bench/admin_search.py).

    make bench                          # 3 rounds of 10 s per page and ceiling: about 5 minutes
    BENCH_SECONDS=1 BENCH_ROUNDS=1 make bench   # does it run (CI)

A benchmark, not a test: it prints figures and judges none of them, but exits non-zero when a
request failed (an error status, a form not acknowledged with the thank-you redirect, or a search
that did not find its one request). Requests a second and the ratio are means over the rounds,
percentiles the median of the rounds'. "server ms" is the median time gunicorn's access log gives
the page's requests (its %(L)s, under this load).
"""

import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench import admin_search
from bench.load import opened_forms, posts, wrk
from tests.faults.cluster import Cluster
from tests.faults.mail import SinkProcess
from tests.faults.site import STACK_FIELD_KEYS, Site, migrate
from tests.stack import BASE_DIR

PAGES = {
    "service page": "/relationship-issues/",
    "home page": "/",
    "form GET": "/consultation/",
}
FORM = "/consultation/"
CEILING = "/bench-ceiling/"
SENT_CEILING = "/bench-ceiling/sent"
# The least a Django view answers on the same stack (practice/bench_ceiling.py): each page's
# "÷bare" is its requests a second over this one's, and "p99÷bare" its p99 over this one's.
BARE = "/bench-ceiling/bare"
ACCESS_LINE = re.compile(r'"(GET|POST) (\S+)" (\d{3}) \S+ ([\d.]+)s')


def main():
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    posts_per_round = max(16, 8 * seconds)
    collect_static()
    with ExitStack() as stack:
        ceiling_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-ceiling-")))
        template = migrated_cluster(stack)
        print(
            "Starting the stack (PostgreSQL, gunicorn with 2 workers, the mail worker, Caddy)...", flush=True
        )
        site = stack.enter_context(
            Site(template, extra_env={"BENCH_CEILING_DIR": str(ceiling_dir)}, mail_server=SinkProcess)
        )
        port = site.gunicorn.port
        for name, path in PAGES.items():
            response = site.caddy.request(path)
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            (ceiling_dir / f"{slug(name)}.html").write_bytes(response.body)
        runs = {name: {"site": [], "ceiling": []} for name in [*PAGES, "valid POST"]}
        bare = []
        addresses = loopback_addresses()
        print("Warming up (not counted)...", flush=True)
        warm_up(site, port, addresses)
        for number in range(rounds):
            print(f"Round {number + 1} of {rounds}...", flush=True)
            bare.append(wrk(port, BARE, seconds))
            for name, path in PAGES.items():
                for which in in_turn(number):
                    target = path if which == "site" else CEILING + slug(name)
                    runs[name][which].append(wrk(port, target, seconds))
            for which in in_turn(number):
                opened = opened_forms(site, [next(addresses) for _ in range(posts_per_round)])
                runs["valid POST"][which].append(posts(opened, FORM if which == "site" else SENT_CEILING))
        # After the rounds: the pages and the form are measured on the database they start with.
        print(f"Adding {admin_search.COUNT:,} requests and timing the admin's search...", flush=True)
        prepared = prepare_admin_search(site)
        search_times, search_failed = admin_search.searches(port, prepared)
        server_ms = server_times(site.gunicorn.output())
    print_report(runs, server_ms, seconds, rounds, posts_per_round, bare, search_times, prepared["list_url"])
    if failed := failed_requests(runs) + sum(run.errors for run in bare) + search_failed:
        # A figure made of error pages or refused forms measures nothing: CI's short run fails on it.
        sys.exit(f"{failed} requests failed (errors column): the figures above are not the site's.")


def warm_up(site, port, addresses):
    """
    A second of each page and its ceiling, and forms sent to each, not counted, so that the rounds
    measure a site that has been running: a worker's first requests import code and fill its caches.
    Measured: the workers' CPU time per sent form falls from 11.6 ms in the first batch of 80 to 8.7
    in the third, and stays there.
    """
    for name, path in PAGES.items():
        for target in (path, CEILING + slug(name)):
            wrk(port, target, 1)
    wrk(port, BARE, 1)
    for target in (FORM, FORM, FORM, SENT_CEILING):
        posts(opened_forms(site, [next(addresses) for _ in range(80)]), target)


def prepare_admin_search(site):
    """bench/admin_search.py's requests and reviewer, added in the site's own environment."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.admin_search"],
        cwd=BASE_DIR, env=site.env, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def failed_requests(runs):
    return sum(run.errors for measured in runs.values() for turns in measured.values() for run in turns)


def collect_static():
    """As the Docker build does: production's static storage needs the manifest."""
    env = os.environ | {"DJANGO_SECRET_KEY": "collectstatic-only", "DJANGO_DEBUG": "false"} | STACK_FIELD_KEYS
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=BASE_DIR, env=env, check=True, timeout=300,
    )  # fmt: skip


def migrated_cluster(stack):
    """The data directory of a stopped cluster, migrated; the site starts from a copy of it."""
    cluster = Cluster()
    stack.callback(cluster.destroy)
    migrate(cluster)
    cluster.stop()
    return cluster.data


def in_turn(number):
    """Site first in even rounds, the ceiling first in odd ones: neither always gets the cooler machine."""
    return ["site", "ceiling"] if number % 2 == 0 else ["ceiling", "site"]


def loopback_addresses():
    """127.1.0.1, 127.1.0.2, ...: a visitor each, so no form meets the hourly limit per address."""
    for high in range(256):
        for low in range(1, 255):
            yield f"127.1.{high}.{low}"


def slug(name):
    return name.replace(" ", "-")


def server_times(log):
    """Median request time gunicorn logged, in ms, per (method, path)."""
    seen = {}
    for method, path, _, took in ACCESS_LINE.findall(log):
        seen.setdefault((method, path), []).append(float(took) * 1000)
    return {key: statistics.median(times) for key, times in seen.items()}


def print_report(runs, server_ms, seconds, rounds, posts_per_round, bare, search_times, list_url):
    """The pages' and the form's table, then the admin search's line under it."""
    print_table(runs, server_ms, seconds, rounds, posts_per_round, bare)
    print(admin_search.summary(search_times, server_ms.get(("GET", list_url), 0)))


def figures(runs):
    """Requests a second (the rounds' mean) and p50, p95, p99 in ms (each the rounds' median)."""
    per_second = statistics.mean(run.per_second for run in runs)
    return per_second, *(statistics.median(run.latencies_ms[p] for run in runs) for p in (50, 95, 99))


def against_bare(page, bare):
    """A page's "÷bare" (its requests a second over the bare view's) and "p99÷bare" (its p99 over the bare view's)."""
    per_second, _, _, p99 = figures(page)
    bare_per_second, _, _, bare_p99 = figures(bare)
    return per_second / bare_per_second, p99 / bare_p99


def print_table(runs, server_ms, seconds, rounds, posts_per_round, bare):
    print()
    print(
        f"{machine()}; {rounds} round(s) of {seconds} s per page and ceiling, {posts_per_round} POSTs per round"
    )
    header = f"{'':14} {'req/s':>7} {'ceiling':>8} {'ratio':>6} {'÷bare':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'ceil p99':>8} {'p99÷bare':>8} {'server ms':>9} {'errors':>6}"
    print(header)
    print("-" * len(header))
    for name, measured in runs.items():
        site, ceiling = measured["site"], measured["ceiling"]
        per_second, p50, p95, p99 = figures(site)
        ceiling_per_second, _, _, ceiling_p99 = figures(ceiling)
        method, path = ("POST", FORM) if name == "valid POST" else ("GET", PAGES[name])
        errors = sum(run.errors for run in site + ceiling)
        # A POST goes through Caddy and saves a form: against a bare GET straight at gunicorn it compares nothing.
        if name == "valid POST":
            direct, p99_direct = f"{'':6}", f"{'':8}"
        else:
            ratio, p99_ratio = against_bare(site, bare)
            direct, p99_direct = f"{ratio:6.2f}", f"{p99_ratio:8.2f}"
        print(
            f"{name:14} {per_second:7.0f} {ceiling_per_second:8.0f} {per_second / ceiling_per_second:6.2f} {direct} "
            f"{p50:7.1f} {p95:7.1f} {p99:7.1f} {ceiling_p99:8.1f} {p99_direct} {server_ms.get((method, path), 0):9.1f} {errors:6}"
        )
    bare_per_second, bare_p50, bare_p95, bare_p99 = figures(bare)
    print(
        f"{'bare view':14} {bare_per_second:7.0f} {'':8} {'':6} {1:6.2f} {bare_p50:7.1f} {bare_p95:7.1f} "
        f"{bare_p99:7.1f} {'':8} {1:8.2f} {server_ms.get(('GET', BARE), 0):9.1f} {sum(run.errors for run in bare):6}"
    )
    print(
        "Pages: wrk, 8 connections, straight at gunicorn. Valid POST: 8 visitors at a time through Caddy (HTTPS)."
    )


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    # The load average says how much else ran meanwhile: on a shared machine, the figures' weather.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs ({cpu}), "
        f"Python {platform.python_version()}, load average {load}"
    )


if __name__ == "__main__":
    started = time.monotonic()
    main()
    print(f"({time.monotonic() - started:.0f} s)")
