"""
A PostgreSQL cluster of the fault suite's own, so that stopping or restarting it harms nobody.

Made with the machine's `initdb` and `pg_ctl` (Debian's /usr/lib/postgresql/<version>/bin, or
PG_BIN), listening on 127.0.0.1 only, on a free port, with trust authentication and its socket
in its own directory. initdb refuses to run as root, so as root every command runs as the
`postgres` user, in a directory that user owns.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.stack import free_port


def pg_bin():
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("No PostgreSQL server binaries: apt-get install postgresql, or set PG_BIN.")
    return found[-1].parent


def as_owner(command):
    """The command as the `postgres` user when this process is root (initdb refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *map(str, command)]
    return list(map(str, command))


class Cluster:
    """
    A running cluster in a temporary directory, with a database `practice`. `template`: the data
    directory of a stopped cluster to start from a copy of (the fault suite migrates one, once).
    """

    database = "practice"

    def __init__(self, template=None):
        self.bin = pg_bin()
        self.home = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.home / "data"
        self.log = self.home / "postgresql.log"
        self.port = free_port()
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.home, postgres.pw_uid, postgres.pw_gid)
        if template is None:
            self._run(
                self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync", "--no-instructions", timeout=120,
            )  # fmt: skip
        else:
            self._run("cp", "-a", template, self.data, timeout=120)
        self.start()
        if template is None:
            with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
                connection.execute(f"CREATE DATABASE {self.database}")

    def _run(self, *command, timeout=60):
        result = subprocess.run(as_owner(command), capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
        return result

    def pg_ctl(self, *args, timeout=60):
        return self._run(self.bin / "pg_ctl", "-D", self.data, *args, timeout=timeout)

    def start(self):
        # fsync off: the suite never crashes the machine, only the server (a clean or fast
        # shutdown writes everything out either way), and the disk is shared.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.home} "
            "-c fsync=off -c max_connections=50"
        )
        self.pg_ctl("start", "-w", "-t", "60", "-l", self.log, "-o", options, timeout=90)

    def stop(self, mode="fast"):
        self.pg_ctl("stop", "-w", "-t", "60", "-m", mode, timeout=90)

    def restart(self):
        """`pg_ctl restart -m fast`: every connection is ended, the server is back when this returns."""
        # -l again: without it the new server would write to (and hold open) this command's output.
        self.pg_ctl("restart", "-w", "-t", "60", "-m", "fast", "-l", self.log, timeout=90)

    def running(self):
        return (self.data / "postmaster.pid").exists()

    def url(self, database=None):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database or self.database}"

    def connect(self):
        return psycopg.connect(self.url(), autocommit=True, connect_timeout=10)

    def query(self, sql, params=()):
        with self.connect() as connection:
            return connection.execute(sql, params).fetchall()

    def server_log(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def destroy(self):
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.home, ignore_errors=True)
