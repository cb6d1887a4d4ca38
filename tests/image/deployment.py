"""
A deployment as a deployer makes one, in a folder of its own: the project's files, a .env, and the
steps of docs/deploying.md run as they are written there, with `docker compose` on this machine's
terms (compose.check.yaml: the host's network, moved ports).
"""

import re
import secrets
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

from tests.stack import BASE_DIR, Response, _exchange, _FromAddress, free_port

GUIDE = BASE_DIR / "docs" / "deploying.md"
PROJECT = "practice-check"
# Where the guide says the deployer keeps the project; steps name it, the check runs them elsewhere.
GUIDE_FOLDER = "/srv/practice"
MAINTENANCE = "The site is being updated"


def guide_step(name):
    """The shell block that follows `<!-- step: name -->` in docs/deploying.md."""
    text = GUIDE.read_text()
    match = re.search(rf"<!-- step: {re.escape(name)} -->\s*```(?:sh|crontab)\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/deploying.md has no step {name!r}"
    return match[1]


def cron_commands(crontab):
    """What cron runs for each line of a crontab (the five time fields dropped)."""
    return [
        line.split(None, 5)[5] for line in crontab.splitlines() if line.strip() and not line.startswith("#")
    ]


def project_files(commit=None):
    """The files a `git clone` (or `git pull`) would give: the working tree's, or a commit's."""
    if commit:
        listing = subprocess.run(
            ["git", "ls-tree", "-r", "-z", "--name-only", commit],
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
        ).stdout
    else:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=BASE_DIR,
            check=True,
            capture_output=True,
        ).stdout
    return [name for name in listing.decode().split("\0") if name]


class Deployment:
    def __init__(self, mail_port):
        self.root = Path(tempfile.mkdtemp(prefix="practice-deploy-", dir="/var/tmp"))
        self.folder = self.root / "practice"
        self.folder.mkdir()
        self.logs = self.root / "log"
        self.logs.mkdir()
        # The deployer's own computer, where the keys are made and the backup private key stays.
        self.computer = self.root / "computer"
        self.computer.mkdir()
        self.keys = None
        self.ports = {
            "CHECK_DB_PORT": free_port(),
            "CHECK_WEB_PORT": free_port(),
            "CHECK_HTTP_PORT": free_port(),
            "CHECK_HTTPS_PORT": free_port(),
        }
        self.https_port = self.ports["CHECK_HTTPS_PORT"]
        self.url = f"https://localhost:{self.https_port}"
        self.mail_port = mail_port
        self._context = None
        # (seconds, command) of every command run, written out by remove().
        self.timings = []

    # --- The deployer's folder --------------------------------------------------------------------

    def check_out(self, commit=None):
        """The project's files at `commit` (the working tree when None), as a clone or a pull leaves them."""
        for path in self.folder.iterdir():
            if path.name != ".env":
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        if commit:
            archive = subprocess.run(
                ["git", "archive", commit], cwd=BASE_DIR, check=True, capture_output=True
            )
            subprocess.run(["tar", "-x", "-C", self.folder], input=archive.stdout, check=True)
            return
        for name in project_files():
            source = BASE_DIR / name
            if source.is_file():
                (self.folder / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, self.folder / name)

    def make_keys(self):
        """The guide's `keys` step, run on the deployer's computer: the field keys it prints, and the
        age key pair it writes (the public key for .env; the private key, backup-key.txt, stays there)."""
        printed = self.run(guide_step("keys"), cwd=self.computer).stdout.split()
        field_key, hash_key = printed
        identity = (self.computer / "backup-key.txt").read_text()
        (recipient,) = re.findall(r"^# public key: (age1\w+)$", identity, re.MULTILINE)
        self.keys = {
            "FIELD_ENCRYPTION_KEYS": field_key,
            "FIELD_HASH_KEY": hash_key,
            "BACKUP_AGE_RECIPIENT": recipient,
        }

    def bring_backup_key(self):
        """The private key copied onto the server for a restore or a drill (the guide has it removed after)."""
        shutil.copy2(self.computer / "backup-key.txt", self.folder / "backup-key.txt")

    def settings(self):
        """What the deployer writes into .env (after the guide's `cp .env.example .env`)."""
        assert self.keys, "make_keys() first"
        return {
            **self.keys,
            "SITE_DOMAIN": "localhost",
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": self.url,
            "SITE_URL": self.url,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.mail_port),
            "EMAIL_USE_TLS": "false",
            "PRACTICE_NOTIFY_EMAIL": "therapist@practice.example",
            # This machine's terms (compose.check.yaml), not a deployer's.
            **{name: str(port) for name, port in self.ports.items()},
        }

    def write_env(self):
        env_file = self.folder / ".env"
        lines = env_file.read_text().splitlines()
        values = self.settings()
        for index, line in enumerate(lines):
            name = line.partition("=")[0]
            if name in values:
                lines[index] = f"{name}={values.pop(name)}"
        lines += [f"{name}={value}" for name, value in values.items()]
        env_file.write_text("\n".join(lines) + "\n")

    # --- Commands ---------------------------------------------------------------------------------

    def environment(self):
        import os

        return os.environ | {
            "COMPOSE_FILE": "compose.yaml:compose.check.yaml",
            "COMPOSE_PROJECT_NAME": PROJECT,
        }

    def run(self, script, timeout=600, check=True, cwd=None, input=None):
        """A shell script as the deployer types it, in the deployer's folder (or `cwd`); `input` is
        what the deployer types when it asks (its stdin, not a terminal)."""
        script = script.replace(GUIDE_FOLDER, str(self.folder)).replace("/var/log/", f"{self.logs}/")
        started = time.monotonic()
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=cwd or self.folder,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input,
        )
        self.timings.append((time.monotonic() - started, script.strip()))
        if check and result.returncode:
            raise AssertionError(f"failed ({result.returncode}):\n{script}\n{result.stdout}\n{result.stderr}")
        return result

    def step(self, name, timeout=600):
        return self.run(guide_step(name), timeout=timeout)

    def compose(self, *args, timeout=600, check=True, input=None):
        started = time.monotonic()
        result = subprocess.run(
            ["docker", "compose", *args],
            cwd=self.folder,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input,
        )
        self.timings.append((time.monotonic() - started, "docker compose " + " ".join(args)[:200]))
        if check and result.returncode:
            raise AssertionError(f"docker compose {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def sql(self, query, **values):
        """One query in the db container, as the deployer would ask it (psql as the practice user):
        each `:'name'` in it is `values[name]`, quoted by psql."""
        options = [f"--variable={name}={value}" for name, value in values.items()]
        psql = ["psql", "-U", "practice", "-d", "practice", "-At", "-v", "ON_ERROR_STOP=1", *options]
        return self.compose("exec", "-T", "db", *psql, input=query + "\n").strip()

    def manage(self, *args, service="web"):
        return self.compose("exec", "-T", service, "python", "manage.py", *args)

    def down(self):
        self.compose(
            "--profile", "jobs", "down", "--volumes", "--remove-orphans", "--timeout", "10", check=False
        )

    def remove(self):
        self.down()
        shutil.rmtree(self.root, ignore_errors=True)
        artifacts = BASE_DIR / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / "image-check-commands.txt").write_text(
            "".join(f"{seconds:6.1f} s  {command}\n" for seconds, command in self.timings)
        )

    # --- HTTPS through the proxy ------------------------------------------------------------------

    def ssl_context(self):
        """Trusting the proxy's own local CA (SITE_DOMAIN=localhost), read from its data volume."""
        if self._context is None:
            root = self.compose("exec", "-T", "proxy", "cat", "/data/caddy/pki/authorities/local/root.crt")
            self._context = ssl.create_default_context(cadata=root)
        return self._context

    def forget_certificate(self):
        self._context = None

    def connect(self, source="127.0.0.1", timeout=10):
        return _FromAddress("localhost", self.https_port, source, context=self.ssl_context(), timeout=timeout)

    def request(
        self, path, method="GET", headers=None, body=None, source="127.0.0.1", timeout=10, connection=None
    ):
        if connection is not None:
            return _exchange(connection, method, path, headers, body, close=False)
        return _exchange(self.connect(source, timeout), method, path, headers, body)

    def wait_for_site(self, timeout=180):
        """Until the home page answers 200 through the proxy."""
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                last = self.request("/", timeout=5)
                if last.status == 200:
                    return last
            except (OSError, ssl.SSLError, AssertionError) as error:
                last = error
                self.forget_certificate()
            time.sleep(1)
        raise AssertionError(f"the site did not answer through the proxy in {timeout} s: {last!r}")


class Watcher:
    """Asks for the home page through the proxy every half second, in a thread, and keeps each answer."""

    def __init__(self, deployment):
        import threading

        self.deployment = deployment
        self.seen = []
        self.slowest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                # As long as a browser waits, not a test's usual 10 s: a new gunicorn's first answers
                # on a busy machine are slow.
                response = self.deployment.request("/", timeout=60)
                body = response.text()
                kind = "page" if response.status == 200 else "maintenance" if MAINTENANCE in body else "other"
                self.seen.append((response.status, kind, body[:300] if kind == "other" else ""))
            except (OSError, ssl.SSLError) as error:
                self.seen.append((0, "no answer", repr(error)))
            self.slowest = max(self.slowest, time.monotonic() - started)
            self._stop.wait(0.5)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(70)


def wait_port_closed(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)):
                return
        time.sleep(0.5)


__all__ = ["Deployment", "Response", "Watcher", "cron_commands", "guide_step", "wait_port_closed"]
