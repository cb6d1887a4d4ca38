"""
The two load generators of the benchmark, each returning a Run.

- `wrk` (Debian's package) for the pages, straight at gunicorn as the proxy would reach it: eight
  connections, for a given number of seconds. Its Lua `done` hook prints the percentiles we report.
- Python threads for the valid POST, through Caddy (HTTPS) like a browser: eight at a time, each
  form opened beforehand by its own visitor at its own loopback address (the rate limit counts
  per address), and sent no sooner than a person could fill it in (the form's time trap), on the
  connection that opened it, as a browser sends it (keep-alive: no new TLS handshake to time).
"""

import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tests.faults.visitors import THANKS, Visitor, wait_like_a_person

CONNECTIONS = 8
# Percentiles in microseconds, the request count and every kind of error, one per line.
REPORT = """
done = function(summary, latency, requests)
  for _, p in ipairs({50, 95, 99}) do
    io.write(string.format("p%d %d\\n", p, latency:percentile(p)))
  end
  local errors = summary.errors
  io.write(string.format("requests %d\\n", summary.requests))
  io.write(string.format("errors %d\\n", errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
"""


@dataclass
class Run:
    per_second: float
    latencies_ms: dict  # {50: ..., 95: ..., 99: ...}
    errors: int


def wrk(port, path, seconds):
    """GETs of `path` at gunicorn on `port`, as Caddy sends them (Host, X-Forwarded-Proto)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(REPORT)
        script.flush()
        result = subprocess.run(
            ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", script.name,
             "-H", "Host: localhost", "-H", "X-Forwarded-Proto: https", f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        )  # fmt: skip
    figures = dict(
        line.split()
        for line in result.stdout.splitlines()
        if line.split()[:1] in (["p50"], ["p95"], ["p99"], ["requests"], ["errors"])
    )
    return Run(
        per_second=int(figures["requests"]) / seconds,
        latencies_ms={p: int(figures[f"p{p}"]) / 1000 for p in (50, 95, 99)},
        errors=int(figures["errors"]),
    )


def opened_forms(site, addresses):
    """A visitor per address, each with the form open and filled in, ready to send."""

    def open_one(address):
        visitor = Visitor(site, address, keep_alive=True)
        form, response = visitor.open_form()
        if form is None:
            raise RuntimeError(f"the form did not open: {response.status}")
        return visitor, form, form.filled(f"[bench-{address}]")

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        opened = list(pool.map(open_one, addresses))
    wait_like_a_person(opened[-1][1])
    return opened


def posts(opened, path):
    """Each visitor sends its form to `path`, eight at a time; what every answer took."""

    def send(item):
        visitor, _, data = item
        started = time.perf_counter()
        response = visitor.post(data, path=path)
        took = time.perf_counter() - started
        return took, response.status == 302 and response.headers["Location"] == THANKS

    started = time.perf_counter()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        answers = list(pool.map(send, opened))
    elapsed = time.perf_counter() - started
    took = sorted(seconds * 1000 for seconds, _ in answers)
    return Run(
        per_second=len(answers) / elapsed,
        latencies_ms={p: percentile(took, p) for p in (50, 95, 99)},
        errors=sum(not acknowledged for _, acknowledged in answers),
    )


def percentile(ordered, p):
    return statistics.quantiles(ordered, n=100, method="inclusive")[p - 1] if len(ordered) > 1 else ordered[0]
