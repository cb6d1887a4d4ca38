"""
The whole site as production runs it, on this machine, for a test to break.

- PostgreSQL: a cluster of the suite's own (tests/faults/cluster.py), copied from one migrated
  once per session with `manage.py migrate`, as compose's migrate service does;
- gunicorn: the image's CMD with its gunicorn.conf.py, two workers;
- the notification worker: `python manage.py send_notifications`, as compose's worker service;
- Caddy with the repository's Caddyfile in front of gunicorn, https://localhost on a free port;
- a local SMTP server (tests/faults/mail.py).

The site's processes get the image's ENV and production settings, nothing from this process's
environment but a PATH. Everything is stopped, in every case, when the `with` block ends.
"""

import contextlib
import os
import re
import signal
import tempfile
import time
from pathlib import Path

from at_rest.encryption import decrypt
from tests.faults.cluster import Cluster
from tests.faults.mail import MailServer
from tests.stack import VENV_BIN, Caddy, Gunicorn, Service, free_port, wait_until
from tests.stack import migrate as run_migrate

NOTIFY = "therapist@practice.example"
ENCRYPTED_COLUMNS = ("name", "email", "phone", "client_location", "insurer", "message", "heard_about")
# (what, {phase: seconds}) for the suite's summary (tests/faults/conftest.py prints it).
TIMINGS = []
ALERT_SUBJECT = re.compile(r"^New consultation request #(\d+)$")
WORKER_READY = "Sending consultation request emails"


# 32 bytes each, URL-safe base64, as .env.example asks; never used outside the fault suite and make bench.
STACK_FIELD_KEYS = {
    "FIELD_ENCRYPTION_KEYS": "C889bH-FHNCWnKoiEF3J17rBhgbKoaMUGpP4Rgj556Q=",
    "FIELD_HASH_KEY": "ZmF1bHQtc3VpdGUtb25seS1oYXNoLWtleS0wMDAwMDA=",
}


def stack_field_keys():
    """
    The keys the stack seals with: the test process's own under pytest (pyproject.toml's env), so
    that what the suite reads back from the database opens here too; else (make bench) the above.
    """
    return {name: os.environ.get(name, key) for name, key in STACK_FIELD_KEYS.items()}


def site_env(database_url, email_port, site_url, home):
    """What a container of the image gets: its ENV, then the settings .env gives it."""
    return {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        # The Dockerfile's ENV.
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "practice.settings",
        # .env, as .env.example describes it.
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "fault-suite-only-" + "k" * 50,
        # Field encryption keys (docs/privacy-at-rest.md), for this stack only.
        **stack_field_keys(),
        "DJANGO_ALLOWED_HOSTS": "localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": site_url,
        # Caddy reaches gunicorn from 127.0.0.1: only it may name the visitor and the scheme.
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(email_port),
        "EMAIL_USE_TLS": "false",
        "DEFAULT_FROM_EMAIL": "website@practice.example",
        "PRACTICE_NOTIFY_EMAIL": NOTIFY,
        "SITE_URL": site_url,
        "DJANGO_LOG_LEVEL": "INFO",
        # gunicorn's own variable, passed on when set here, so that another worker model can be
        # measured on this stack: GUNICORN_CMD_ARGS="--worker-class gthread --threads 4" (gunicorn.conf.py).
        **{name: os.environ[name] for name in ["GUNICORN_CMD_ARGS"] if name in os.environ},
    }


def migrate(cluster):
    """`manage.py migrate` on the cluster, as compose's one-shot migrate service runs it."""
    with tempfile.TemporaryDirectory() as home:
        run_migrate(site_env(cluster.url(), 25, "https://localhost", home))


class Worker(Service):
    """`python manage.py send_notifications`, exactly as compose's worker service runs it."""

    name = "notification worker"

    def __init__(self, env):
        super().__init__(["python", "manage.py", "send_notifications"], env)
        self.started(lambda: WORKER_READY in self.output(), timeout=60)


def children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _socket_inodes(pid):
    inodes = set()
    with contextlib.suppress(FileNotFoundError, ProcessLookupError, PermissionError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(FileNotFoundError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def _connections_to(port):
    """Inodes of established TCP connections whose local end is `port` (accepted by gunicorn)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if int(parts[1].split(":")[1], 16) == port and parts[3] == "01":
            inodes.add(parts[9])
    return inodes


class Site:
    def __init__(self, template, web_workers=2, extra_env=None, mail_server=MailServer):
        self.web_worker_count = web_workers
        self.mail_server = mail_server
        self.extra_env = extra_env or {}
        self.timings = {}
        self.notes = []  # what a test wants said in the suite's summary
        started = time.monotonic()
        self._exit = contextlib.ExitStack()
        try:
            self._start(template)
        except BaseException:
            self._exit.close()
            raise
        self.timings["start"] = time.monotonic() - started

    def _start(self, template):
        self.cluster = Cluster(template)
        self._exit.callback(self.cluster.destroy)
        self.mail = self.mail_server()
        self.mail.start()
        self._exit.callback(self.mail.stop)
        web_port = free_port()
        self.caddy = self._exit.enter_context(Caddy(f"127.0.0.1:{web_port}"))
        self.home = Path(self._exit.enter_context(tempfile.TemporaryDirectory(prefix="faults-home-")))
        self.env = site_env(self.cluster.url(), self.mail.port, self.caddy.url, self.home) | self.extra_env
        self.gunicorn = self._exit.enter_context(
            Gunicorn(self.env, workers=self.web_worker_count, port=web_port)
        )
        self.workers = []
        self._exit.callback(self._stop_workers)
        self.worker = self.start_worker()
        wait_until(lambda: self._healthy(), "the site through Caddy", self.gunicorn.process, timeout=60)

    def _healthy(self):
        try:
            return self.caddy.request("/healthz", timeout=5).status == 200
        except OSError:
            return False

    def __enter__(self):
        return self

    def on_stop(self, callback):
        """Call `callback` first when the stack stops (LIFO), before any process goes."""
        self._exit.callback(callback)

    def __exit__(self, *exc_info):
        self._exit.close()

    # --- Processes ---------------------------------------------------------------------------

    def start_worker(self):
        """A new notification worker, as compose's `restart: unless-stopped` starts one."""
        self.worker = Worker(self.env)
        self.workers.append(self.worker)
        return self.worker

    def _stop_workers(self):
        for worker in self.workers:
            if not worker.log.closed:
                worker.stop()

    def worker_log(self):
        return "".join(worker.output() for worker in self.workers if not worker.log.closed)

    def web_workers(self):
        """The gunicorn master's children: the processes that answer requests."""
        return children(self.gunicorn.process.pid)

    def busy_web_worker(self, timeout):
        """A gunicorn worker in the middle of a request (it holds a connection from Caddy), or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            connections = _connections_to(self.gunicorn.port)
            if connections:
                for pid in self.web_workers():
                    if _socket_inodes(pid) & connections:
                        return pid
            time.sleep(0.002)
        return None

    def kill_web_worker(self, pid):
        assert pid in self.web_workers(), "a worker, never the master"
        os.kill(pid, signal.SIGKILL)

    def wait_for_web_workers(self, count=2, timeout=60):
        wait_until(lambda: len(self.web_workers()) >= count, "gunicorn's workers", timeout=timeout)

    # --- What the database holds ---------------------------------------------------------------

    def requests(self):
        """Every consultation request, with its choices, as dicts."""
        rows = self.cluster.query(
            """
            SELECT r.id, r.name, r.email, r.phone, r.preferred_contact, r.voicemail_ok, r.text_ok,
                   r.client_location, r.is_adult, r.session_format, r.availability, r.payment,
                   r.insurer, r.message, r.heard_about, r.emergency_notice_seen, r.status,
                   r.form_token, r.received_at, p.slug,
                   ARRAY(SELECT concern_id::text FROM intake_consultationrequest_concerns c
                         WHERE c.consultationrequest_id = r.id ORDER BY concern_id),
                   ARRAY(SELECT relationship_id::text FROM intake_consultationrequest_relationships c
                         WHERE c.consultationrequest_id = r.id ORDER BY relationship_id)
            FROM intake_consultationrequest r LEFT JOIN pages_page p ON p.id = r.service_id
            ORDER BY r.id
            """
        )
        names = [
            "id", "name", "email", "phone", "preferred_contact", "voicemail_ok", "text_ok",
            "client_location", "is_adult", "session_format", "availability", "payment", "insurer",
            "message", "heard_about", "emergency_notice_seen", "status", "form_token", "received_at", "service",
            "concerns", "relationships",
        ]  # fmt: skip
        requests = [dict(zip(names, row, strict=True)) for row in rows]
        for request in requests:
            for sealed in ENCRYPTED_COLUMNS:  # stored encrypted (at_rest/): read as the site reads them
                request[sealed] = decrypt(request[sealed])
        return requests

    def notifications(self):
        rows = self.cluster.query(
            "SELECT id, request_id, kind, message_id, attempts, next_attempt_at, sent_at, last_error "
            "FROM intake_notification ORDER BY id"
        )
        names = [
            "id",
            "request_id",
            "kind",
            "message_id",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "last_error",
        ]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def alerts(self):
        """The alerts the mail server received: (request number, Message-ID, arrival time)."""
        found = []
        for arrival in self.mail.received():
            if match := ALERT_SUBJECT.match(arrival.subject):
                found.append((int(match[1]), arrival.message_id, arrival.at))
        return found

    def diagnostics(self):
        """The processes' own words, for a failure message."""
        return (
            f"--- worker log\n{self.worker_log()[-4000:]}\n"
            f"--- gunicorn log\n{self.gunicorn.output()[-4000:]}\n"
            f"--- PostgreSQL log\n{self.cluster.server_log()[-2000:]}"
        )


@contextlib.contextmanager
def running_site(name, template, **options):
    """The whole stack; its timings (and the test's notes) go to the summary under `name`, pass or fail."""
    started = time.monotonic()
    site = stopping = None
    try:
        with Site(template, **options) as site:
            ran = time.monotonic()
            try:
                yield site
            finally:
                site.timings["test"] = time.monotonic() - ran
                stopping = time.monotonic()
    finally:
        if site is not None:
            site.timings["stop"] = time.monotonic() - (stopping or started)
            site.timings["total"] = time.monotonic() - started
            TIMINGS.append((name, site.timings))
            TIMINGS.extend((f"  {note}", None) for note in site.notes)
