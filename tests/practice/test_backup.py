"""
The backup job as compose runs it: compose.yaml's script, with the entrypoint it gives the postgres
image, against a scratch PostgreSQL database made and dropped here. Dated dumps, the newest 14 kept,
a failure that removes nothing, and the deploy guide's restore command bringing the rows back.
"""

import os
import re
import secrets
import shlex
import subprocess

import dj_database_url
import psycopg
import pytest

from practice.settings import BASE_DIR
from tests.practice.compose_file import compose
from tests.stack import migrate

KEEP = 14


def backup_job():
    """The command and environment of compose's backup service, as its container gets them."""
    service = compose()["services"]["backup"]
    (script,) = service["command"]
    # Compose turns $$ into $ before the container sees the script.
    return [*service["entrypoint"], script.replace("$$", "$")], {
        key: str(value) for key, value in service["environment"].items()
    }


def readme_restore_command():
    """The deploy guide's pg_restore line, from pg_restore to the input redirection."""
    (line,) = [
        line
        for line in (BASE_DIR / "docs" / "deploying.md").read_text().splitlines()
        if " pg_restore " in line
    ]
    return shlex.split(line[line.index("pg_restore") : line.index("<")])


@pytest.fixture
def scratch(production_env):
    """A new, migrated database with a few rows of its own; dropped afterwards, whatever happens."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    server = dj_database_url.parse(url)
    name = f"practice_backup_{secrets.token_hex(4)}"
    connection = {
        "host": server["HOST"] or "127.0.0.1",
        "port": str(server["PORT"] or 5432),
        "user": server["USER"],
        "password": server["PASSWORD"],
    }
    libpq = {"PGHOST": connection["host"], "PGPORT": connection["port"], "PGUSER": connection["user"]}
    if connection["password"]:
        libpq["PGPASSWORD"] = connection["password"]
    with psycopg.connect(dbname="postgres", autocommit=True, **connection) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            database_url = url.rsplit("/", 1)[0].split("?")[0] + f"/{name}"
            migrate(production_env | {"DATABASE_URL": database_url})
            with psycopg.connect(dbname=name, autocommit=True, **connection) as db:
                db.execute("INSERT INTO auth_group (name) VALUES ('backup check 1'), ('backup check 2')")
            yield {"name": name, "admin": admin, "connection": connection, "libpq": libpq}
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def contents(scratch):
    with psycopg.connect(dbname=scratch["name"], **scratch["connection"]) as db:
        groups = [row[0] for row in db.execute("SELECT name FROM auth_group ORDER BY name")]
        pages = db.execute("SELECT count(*) FROM pages_page").fetchone()[0]
    return groups, pages


def run_backup(scratch, backups, **overrides):
    command, environment = backup_job()
    env = {"PATH": os.environ["PATH"]} | environment | scratch["libpq"]
    env |= {"PGDATABASE": scratch["name"], "BACKUP_DIR": str(backups)} | overrides
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_backup_keeps_the_newest_14_dumps_and_the_readmes_restore_brings_the_rows_back(scratch, tmp_path):
    before = contents(scratch)
    assert {"backup check 1", "backup check 2"} <= set(before[0]) and before[1] > 0
    older = [f"practice-2025-01-{day:02d}T031500Z.dump" for day in range(1, KEEP + 2)]
    for name in older:
        (tmp_path / name).write_bytes(b"an older dump")

    result = run_backup(scratch, tmp_path)
    assert result.returncode == 0, result.stderr
    dumps = sorted(path.name for path in tmp_path.iterdir())
    assert len(dumps) == KEEP
    newest = dumps[-1]
    assert re.fullmatch(r"practice-\d{4}-\d\d-\d\dT\d{6}Z\.dump", newest)
    assert dumps[:-1] == older[-(KEEP - 1) :], "the oldest go first"
    assert f"backup: wrote {newest}" in result.stdout
    assert oct((tmp_path / newest).stat().st_mode & 0o777) == "0o600", "health information: owner only"

    # The volume is lost: the database is made anew, empty, and the dump restored into it.
    scratch["admin"].execute(f'DROP DATABASE "{scratch["name"]}" WITH (FORCE)')
    scratch["admin"].execute(f'CREATE DATABASE "{scratch["name"]}"')
    command = readme_restore_command()
    assert command[0] == "pg_restore" and "--clean" in command and "--if-exists" in command
    user, database = command.index("-U") + 1, command.index("-d") + 1
    command[user], command[database] = scratch["connection"]["user"], scratch["name"]
    with (tmp_path / newest).open("rb") as dump:
        restored = subprocess.run(
            command,
            stdin=dump,
            env=os.environ | scratch["libpq"],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert restored.returncode == 0, restored.stderr
    assert contents(scratch) == before


def a_pg_dump_that_writes_nonsense(bin_dir):
    """A pg_dump that "succeeds" but leaves a file no pg_restore can read (a full disk, a bug)."""
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text(
        '#!/bin/sh\nfor arg; do case "$arg" in --file=*) echo nonsense > "${arg#--file=}";; esac; done\n'
    )
    fake.chmod(0o755)
    return {"PATH": f"{bin_dir}:{os.environ['PATH']}"}


@pytest.mark.parametrize("failure", ["no such database", "unreadable dump"])
def test_a_failed_backup_says_so_and_removes_nothing(scratch, tmp_path, failure):
    backups = tmp_path / "backups"
    backups.mkdir()
    older = [f"practice-2025-01-{day:02d}T031500Z.dump" for day in range(1, KEEP + 2)]
    for name in older:
        (backups / name).write_bytes(b"an older dump")

    if failure == "no such database":
        overrides = {"PGDATABASE": "no_such_database"}
    else:
        overrides = a_pg_dump_that_writes_nonsense(tmp_path / "bin")
    result = run_backup(scratch, backups, **overrides)
    assert result.returncode != 0
    assert "backup: FAILED; no dump was removed" in result.stderr
    assert sorted(path.name for path in backups.iterdir()) == older, "no dump removed, no partial file left"
