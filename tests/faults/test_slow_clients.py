"""
Slow and stalled clients cost the site nothing (Caddyfile: request_buffers, response_buffers and
the server's timeouts): 20 clients that send one byte every 5 s, headers or bodies, over HTTP/1.1
and HTTP/2, and a few that read their answers as slowly, while 50 ordinary visitors read pages and
send the form. With gunicorn's two sync workers and the proxy passing bodies through, two such
clients stopped the whole site for 30 s at a time, until gunicorn killed its workers (issue 24).
"""

import math
import os
import socket
import ssl
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.faults.checks import check_requests
from tests.faults.visitors import FORM, Visit, Visitor, classify, wait_like_a_person

DRIP_SECONDS = 5
FORM_HEAD = (
    "POST /consultation/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    "Content-Length: 5000\r\n\r\nname=slow"
)
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
# The promise, as it stands: not scaled by the machine's load, which is only reported. A
# worker held by a slow client costs 30 s (gunicorn's timeout), far past it.
P99_LIMIT = 1.0


class Dripper(threading.Thread):
    """One slow client: opens a connection, sends what it has a byte at a time, opens another when cut off."""

    def __init__(self, site, stop, kind):
        super().__init__(daemon=True)
        self.site, self.stop, self.kind = site, stop, kind
        self.connections = self.cut_off = 0

    def run(self):
        while not self.stop.is_set():
            self.connections += 1
            try:
                if self.kind == "http2 body":
                    self.curl_http2_body()
                else:
                    self.drip_http1_or_preface()
            except OSError:
                # The proxy's read timeout ended it, as it should: open another, as a stalled phone would.
                self.cut_off += 1
            self.stop.wait(0.5)

    def tls(self, alpn):
        # A context of its own: the visitors' shared one must keep speaking HTTP/1.1.
        context = ssl.create_default_context(cafile=self.site.caddy.root_certificate)
        raw = socket.create_connection(("127.0.0.1", self.site.caddy.https_port), timeout=DRIP_SECONDS * 3)
        context.set_alpn_protocols([alpn])
        return context.wrap_socket(raw, server_hostname="localhost")

    def drip_http1_or_preface(self):
        if self.kind == "http1 headers":
            first, rest = b"GET /consultation/ HTTP/1.1\r\nHost: localhost\r\n", b"X-Slow: " + b"a" * 200
        elif self.kind == "http1 body":
            first, rest = FORM_HEAD.encode(), b"&message=" + b"a" * 4000
        else:  # "http2 headers": the connection preface itself, a byte at a time
            first, rest = b"", HTTP2_PREFACE + b"\x00" * 200
        with self.tls("h2" if self.kind.startswith("http2") else "http/1.1") as sock:
            sock.sendall(first)
            for byte in rest:
                if self.stop.wait(DRIP_SECONDS):
                    return
                sock.sendall(bytes([byte]))

    def curl_http2_body(self):
        """curl over HTTP/2 sending the form's body from a pipe that gets a byte every 5 s."""
        caddy = self.site.caddy
        curl = subprocess.Popen(
            ["curl", "--silent", "--http2", "--cacert", str(caddy.root_certificate), "-X", "POST", "-T", "-"]
            + ["-H", "Content-Type: application/x-www-form-urlencoded", "--max-time", "120"]
            + ["--resolve", f"localhost:{caddy.https_port}:127.0.0.1", caddy.url + FORM, "-o", "/dev/null"],
            stdin=subprocess.PIPE,
        )
        try:
            for byte in b"name=slow&message=" + b"a" * 400:
                if self.stop.wait(DRIP_SECONDS) or curl.poll() is not None:
                    return
                curl.stdin.write(bytes([byte]))
                curl.stdin.flush()
        finally:
            curl.kill()
            curl.wait(timeout=10)


class SlowReader(threading.Thread):
    """Asks for the largest file the site serves, uncompressed, then reads nothing until told to stop."""

    def __init__(self, site, stop):
        super().__init__(daemon=True)
        self.site, self.stop = site, stop

    def run(self):
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.settimeout(30)
        raw.connect(("127.0.0.1", self.site.caddy.https_port))
        with self.site.caddy.ssl_context().wrap_socket(raw, server_hostname="localhost") as sock:
            for _ in range(3):
                sock.sendall(
                    b"GET /static/vendor/bootstrap/bootstrap.min.css HTTP/1.1\r\nHost: localhost\r\n\r\n"
                )
            while not self.stop.wait(DRIP_SECONDS):
                sock.recv(1)


def ordinary_visit(site, address, marker, timings):
    """Read the home page, open the form, send it: each request's time goes into `timings`."""
    visitor = Visitor(site, address)

    def timed(send):
        started = time.monotonic()
        result = send()
        timings.append(time.monotonic() - started)
        return result

    visit = Visit(address, marker)
    assert timed(lambda: visitor.request("/")).status == 200
    form, page = timed(visitor.open_form)
    assert form is not None, page.status
    visit.sent = form.filled(marker)
    wait_like_a_person(form)
    kind = classify(timed(lambda: visitor.post(visit.sent)), visit.sent)
    assert kind == "acknowledged", kind
    visit.acknowledged_at = time.time()
    return visit


def test_slow_senders_and_readers_cost_ordinary_visitors_nothing(busy_lane_finished, site):
    # Its p99 is measured with no other test's traffic on the machine (tests/faults/lanes.py).
    site.timings["waited for the busy lane"] = busy_lane_finished
    stop = threading.Event()
    site.on_stop(stop.set)
    kinds = ["http1 headers", "http1 body", "http2 headers", "http2 body"]
    drippers = [Dripper(site, stop, kinds[n % 4]) for n in range(20)]
    readers = [SlowReader(site, stop) for _ in range(4)]
    for client in drippers + readers:
        client.start()
    time.sleep(DRIP_SECONDS + 1)  # every slow client has a request half-sent, and a worker if it could

    timings = []
    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        visits = list(
            pool.map(
                lambda n: ordinary_visit(site, f"127.0.0.{10 + n}", f"[slow-{n:04d}]", timings), range(50)
            )
        )
    site.timings["50 visitors among slow clients"] = time.monotonic() - started
    stop.set()

    timings.sort()
    p99 = timings[math.ceil(len(timings) * 0.99) - 1]  # nearest rank: of 150, the second slowest
    weather = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    site.notes.append(
        f"ordinary visitors among 20 slow clients: p99 {p99 * 1000:.0f} ms of {len(timings)} requests "
        f"(limit {P99_LIMIT:.1f} s; {weather})"
    )
    assert p99 < P99_LIMIT, f"p99 {p99:.2f} s ({weather}); slowest {[round(t, 2) for t in timings[-5:]]}"
    assert len(check_requests(site, visits)) == 50, "every form sent is stored once"
    assert all(dripper.is_alive() or dripper.connections for dripper in drippers)
    assert "WORKER TIMEOUT" not in site.gunicorn.output()
