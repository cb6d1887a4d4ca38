"""
The backup job and the restore drill (at_rest/backups.py) as compose runs them (`manage.py backup`,
`manage.py restore_drill`), on PostgreSQL with age keys made here: backup → restore → compare,
the newest 14 sets kept, and a corrupt, truncated or wrongly keyed backup failing loudly while
removing nothing.
"""

import hashlib
import io
import os
import re
import shlex
import subprocess

import psycopg
import pyrage
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from at_rest.backups import libpq_env, libpq_params
from at_rest.encryption import decrypt
from intake.models import ConsultationRequest, TimelineEntry
from practice.settings import BASE_DIR
from tests.intake.factories import make_request
from tests.practice.compose_file import compose

KEEP = 14
STAMP = re.compile(r"^practice-(\d{4}-\d\d-\d\dT\d{6}Z)\.(dump|media\.tar|manifest)\.age$")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


@pytest.fixture
def age_key(tmp_path):
    """A new age key pair: the private key in a file (as brought to a drill), the public key's text."""
    identity = pyrage.x25519.Identity.generate()
    path = tmp_path / "backup-key.txt"
    path.write_text(f"# created for a test\n{identity}\n")
    return path, str(identity.to_public())


@pytest.fixture
def site(postgres, tmp_path, settings, monkeypatch, age_key):
    """Backups into tmp_path/backups, photos from tmp_path/media, the public key in the environment."""
    backups, media = tmp_path / "backups", tmp_path / "media"
    backups.mkdir()
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "abc-640.webp").write_bytes(b"RIFF a photo")
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("BACKUP_DIR", str(backups))
    monkeypatch.setenv("BACKUP_AGE_RECIPIENT", age_key[1])
    monkeypatch.setenv("BACKUP_KEEP", str(KEEP))
    return backups, media


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def files(directory):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in directory.iterdir()}


def drill(backups, key_path):
    return run("restore_drill", "--identity", str(key_path), "--dir", str(backups))


def scratch_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname LIKE %s", ["%_restore_drill"])
        return cursor.fetchone() is not None


def test_compose_runs_these_commands_with_the_backups_volume_and_the_photos():
    services = compose()["services"]
    assert services["backup"]["command"] == ["python", "manage.py", "backup"]
    assert services["backup"]["volumes"] == ["backups:/backups", "media:/app/media:ro"]
    assert services["backup"]["profiles"] == ["jobs"] and services["backup"]["restart"] == "no"
    drill_job = services["restore-drill"]
    assert drill_job["command"][:3] == ["python", "manage.py", "restore_drill"]
    assert drill_job["volumes"] == ["backups:/backups:ro"], "the drill can remove no backup"
    assert "BACKUP_AGE_IDENTITY" not in str(compose()), "the private key is never in compose or .env"


def test_backup_then_drill_restores_every_row_and_photo_and_a_request_decrypted(site, age_key):
    backups, _ = site
    consultation = make_request(name="Drill Person", message="Restored word for word")
    TimelineEntry.objects.create(request=consultation, kind="note", text="A note to restore")
    out = run("backup")
    assert "backup: wrote practice-" in out
    names = sorted(path.name for path in backups.iterdir())
    assert len(names) == 3 and all(STAMP.match(name) for name in names)
    assert {oct(path.stat().st_mode & 0o777) for path in backups.iterdir()} == {"0o600"}
    for path in backups.iterdir():
        assert path.read_bytes().startswith(b"age-encryption.org/v1"), "encrypted to the public key"
        assert b"a photo" not in path.read_bytes() and b"PGDMP" not in path.read_bytes()

    before = files(backups)
    report = drill(backups, age_key[0])
    assert (
        "restore drill: OK" in report
        and f"consultation request #{consultation.pk}" in report
        and "decrypted match the live ones" in report
    )
    assert "1 photo files" in report
    assert files(backups) == before, "the drill changes no backup"
    assert not scratch_exists(), "the scratch database is dropped afterwards"


def test_the_drill_notices_a_restored_request_that_differs_from_the_live_one(site, age_key):
    backups, _ = site
    consultation = make_request(message="As it was at the backup")
    run("backup")
    consultation.message = "Changed since"
    consultation.save()
    with pytest.raises(
        CommandError, match=f"request #{consultation.pk} differs from the live one in: message"
    ):
        drill(backups, age_key[0])
    assert not scratch_exists()


def test_the_newest_14_sets_are_kept_and_the_oldest_go_first(site):
    backups, _ = site
    older = [f"2025-01-{day:02d}T031500Z" for day in range(1, KEEP + 2)]
    for stamp in older:
        for part in ("dump", "media.tar", "manifest"):
            (backups / f"practice-{stamp}.{part}.age").write_bytes(b"an older backup")
    out = run("backup")
    stamps = sorted({STAMP.match(name).group(1) for name in os.listdir(backups)})
    assert len(stamps) == KEEP and stamps[:-1] == older[-(KEEP - 1) :]
    assert f"backup: removed practice-{older[0]}" in out and f"practice-{older[1]}" in out


@pytest.mark.parametrize("damage", ["wrong key", "truncated", "corrupt", "missing part"])
def test_a_damaged_or_wrongly_keyed_backup_fails_loudly_and_removes_nothing(site, age_key, tmp_path, damage):
    backups, _ = site
    make_request()
    run("backup")
    key_path = age_key[0]
    dump = next(path for path in backups.iterdir() if path.name.endswith(".dump.age"))
    if damage == "wrong key":
        key_path = tmp_path / "other-key.txt"
        key_path.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    elif damage == "truncated":
        dump.write_bytes(dump.read_bytes()[: len(dump.read_bytes()) // 2])
    elif damage == "corrupt":
        data = bytearray(dump.read_bytes())
        data[len(data) // 2] ^= 0xFF
        dump.write_bytes(bytes(data))
    else:
        dump.unlink()
    before = files(backups)
    with pytest.raises(CommandError, match="restore drill: FAILED") as failure:
        drill(backups, key_path)
    assert "No backup was removed" in str(failure.value)
    expected = "is missing" if damage == "missing part" else "cannot be decrypted with this key"
    assert expected in str(failure.value)
    assert files(backups) == before
    assert not scratch_exists()
    assert ConsultationRequest.objects.count() == 1, "the live database is untouched"


def a_pg_dump_that_fails(bin_dir):
    bin_dir.mkdir()
    fake = bin_dir / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: connection refused' >&2\nexit 1\n")
    fake.chmod(0o755)
    return f"{bin_dir}:{os.environ['PATH']}"


@pytest.mark.parametrize("failure", ["pg_dump fails", "not a public key"])
def test_a_failed_backup_says_so_and_removes_nothing(site, tmp_path, monkeypatch, failure):
    backups, _ = site
    older = [
        f"practice-2025-01-{day:02d}T031500Z.{part}.age"
        for day in range(1, KEEP + 2)
        for part in ("dump", "manifest")
    ]
    for name in older:
        (backups / name).write_bytes(b"an older backup")
    if failure == "pg_dump fails":
        monkeypatch.setenv("PATH", a_pg_dump_that_fails(tmp_path / "bin"))
    else:
        monkeypatch.setenv("BACKUP_AGE_RECIPIENT", "AGE-SECRET-KEY-not-a-public-key")
    with pytest.raises(CommandError, match=r"backup: FAILED .*; no backup was removed"):
        run("backup")
    assert sorted(os.listdir(backups)) == sorted(older), "nothing removed, no partial file left"


def docs_restore_command():
    """docs/privacy-at-rest.md's pg_restore line, from pg_restore to the input redirection."""
    text = (BASE_DIR / "docs" / "privacy-at-rest.md").read_text()
    (line,) = [line for line in text.splitlines() if " pg_restore " in line]
    return shlex.split(line[line.index("pg_restore") : line.index("<")])


def test_the_docs_real_restore_brings_the_rows_back_into_an_empty_database(site, age_key):
    backups, _ = site
    consultation = make_request(name="Restored For Real")
    run("backup")
    dump = next(path for path in backups.iterdir() if path.name.endswith(".dump.age"))
    plain = pyrage.decrypt(
        dump.read_bytes(), [pyrage.x25519.Identity.from_str(age_key[0].read_text().split()[-1])]
    )
    command = docs_restore_command()
    assert command[0] == "pg_restore" and "--clean" in command and "--if-exists" in command
    target = f"{connection.settings_dict['NAME']}_docs_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    try:
        command[command.index("-U") + 1] = connection.settings_dict["USER"]
        command[command.index("-d") + 1] = target
        restored = subprocess.run(
            command, input=plain, env=libpq_env(target), capture_output=True, timeout=120
        )
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(**{**libpq_params(), "dbname": target}) as db:
            (stored,) = db.execute(
                "SELECT name FROM intake_consultationrequest WHERE id = %s", [consultation.pk]
            ).fetchone()
        assert decrypt(stored) == "Restored For Real"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
