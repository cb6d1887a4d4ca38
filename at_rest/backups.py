"""
Backups a thief cannot read, and the drill that proves they restore (docs/privacy-at-rest.md).

`manage.py backup` writes one set per run into BACKUP_DIR, each file encrypted to the age public
key BACKUP_AGE_RECIPIENT (pyrage: the age format, readable with the `age` tool too). The server
holds only the public key: it can write a backup and never read one.

    practice-<UTC time>.dump.age       pg_dump's custom format
    practice-<UTC time>.media.tar.age  the photos folder (MEDIA_ROOT)
    practice-<UTC time>.manifest.age   row counts per table and every photo's size and SHA-256,
                                       taken from the same snapshot as the dump

`manage.py restore_drill --identity KEYFILE` decrypts the newest set with the private key given
to it, restores it into a scratch database and a scratch media folder, and compares: the counts
and photos with the manifest, one request (decrypted with the field keys) with the live one. A
corrupt, truncated or wrongly keyed file fails loudly; neither command removes a backup when
anything failed.
"""

import hashlib
import io
import json
import os
import re
import shutil
import subprocess  # noqa: S404 (pg_dump and pg_restore, fixed arguments, no shell)
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pyrage
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from at_rest.encryption import decrypt
from at_rest.resealing import encrypted_fields

SET = re.compile(r"^practice-(\d{4}-\d\d-\d\dT\d{6}Z)\.manifest\.age$")
PARTS = ("dump", "media.tar", "manifest")


class BackupError(Exception):
    """Anything that makes a backup or a restore not count, in words for whoever reads the log."""


def libpq_env(database=None):
    """PGHOST and friends for pg_dump and pg_restore, from Django's database settings."""
    db = settings.DATABASES["default"]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    env["PGDATABASE"] = database or db["NAME"]
    return env


def libpq_params():
    """psycopg's connection arguments for the server Django uses (without the database's name)."""
    db = settings.DATABASES["default"]
    params = {
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
    }
    return {key: value for key, value in params.items() if value}


def table_counts(cursor):
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
        counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root):
    """{relative path: [size, sha256]} for every file under root."""
    root = Path(root)
    found = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            found[str(path.relative_to(root))] = [
                path.stat().st_size,
                hashlib.sha256(path.read_bytes()).hexdigest(),
            ]
    return found


def recipient_from(text):
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except Exception:  # noqa: BLE001 (pyrage raises its own RecipientError or ValueError)
        raise BackupError("BACKUP_AGE_RECIPIENT is not an age public key (it starts with age1).") from None


def dump_in_snapshot():
    """(dump bytes, table counts) of one consistent moment: pg_dump joins this transaction's snapshot."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor)
        dumped = subprocess.run(  # noqa: S603
            # pg_dump from PATH: the image's PostgreSQL client.
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}"],  # noqa: S607
            env=libpq_env(),
            capture_output=True,
            timeout=3600,
        )
    if dumped.returncode:
        raise BackupError(f"pg_dump failed: {dumped.stderr.decode(errors='replace').strip()}")
    listed = subprocess.run(  # noqa: S603
        ["pg_restore", "--list"],  # noqa: S607
        input=dumped.stdout,
        capture_output=True,
        timeout=600,
    )
    if listed.returncode or not dumped.stdout:
        raise BackupError("pg_dump wrote a file pg_restore cannot read")
    return dumped.stdout, counts


def media_tar(root):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        if Path(root).is_dir():
            tar.add(root, arcname=".")
    return buffer.getvalue()


def backup(directory, recipient_text, keep, media_root):
    """Write one encrypted set; then remove the sets beyond the newest `keep`. Returns the set's stamp."""
    recipient = recipient_from(recipient_text)
    directory = Path(directory)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    dump, counts = dump_in_snapshot()
    manifest = {"stamp": stamp, "counts": counts, "media": media_files(media_root)}
    contents = {
        "dump": dump,
        "media.tar": media_tar(media_root),
        "manifest": json.dumps(manifest, sort_keys=True).encode(),
    }
    written = []
    old_umask = os.umask(0o077)
    try:
        for part, data in contents.items():
            partial = directory / f"practice-{stamp}.{part}.age.partial"
            partial.write_bytes(pyrage.encrypt(data, [recipient]))
            written.append(partial)
        # The manifest last: a set counts only when its manifest is there.
        for partial in written:
            partial.rename(partial.with_suffix(""))
    finally:
        os.umask(old_umask)
        for partial in written:
            partial.unlink(missing_ok=True)
    removed = []
    for old in sorted(backup_sets(directory), reverse=True)[keep:]:
        for part in PARTS:
            (directory / f"practice-{old}.{part}.age").unlink(missing_ok=True)
        removed.append(old)
    return stamp, removed


def backup_sets(directory):
    return sorted(match.group(1) for p in Path(directory).iterdir() if (match := SET.match(p.name)))


def decrypt_part(directory, stamp, part, identity):
    path = Path(directory) / f"practice-{stamp}.{part}.age"
    try:
        return pyrage.decrypt(path.read_bytes(), [identity])
    except FileNotFoundError:
        raise BackupError(f"{path.name} is missing: this backup is incomplete") from None
    except Exception as error:  # noqa: BLE001 (pyrage.DecryptError, and errors of a damaged header)
        raise BackupError(
            f"{path.name} cannot be decrypted with this key: it is damaged, cut short, or made for another key "
            f"({type(error).__name__})"
        ) from None


def identity_from(path):
    try:
        lines = Path(path).read_text().splitlines()
    except OSError as error:
        raise BackupError(f"the private key file {path} cannot be read: {error.strerror}") from None
    keys = [line.strip() for line in lines if line.strip().startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise BackupError(f"{path} holds no age private key (a line starting AGE-SECRET-KEY-)")
    return pyrage.x25519.Identity.from_str(keys[0])


def restore(directory, stamp, identity, scratch_database, scratch_media):
    """Decrypt one set into a new scratch database and media folder; returns its manifest."""
    manifest = json.loads(decrypt_part(directory, stamp, "manifest", identity))
    dump = decrypt_part(directory, stamp, "dump", identity)
    media = decrypt_part(directory, stamp, "media.tar", identity)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch_database}"')
        cursor.execute(f'CREATE DATABASE "{scratch_database}"')
    restored = subprocess.run(  # noqa: S603
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", scratch_database],  # noqa: S607
        input=dump,
        env=libpq_env(scratch_database),
        capture_output=True,
        timeout=3600,
    )
    if restored.returncode:
        raise BackupError(f"pg_restore failed: {restored.stderr.decode(errors='replace').strip()[-500:]}")
    Path(scratch_media).mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(media)) as tar:
        tar.extractall(scratch_media, filter="data")
    return manifest


def compare(manifest, scratch_database, scratch_media):
    """
    What differs between the restored copy and what the backup said it held; and, for every model with
    encrypted fields (requests, timeline, outbox), its newest restored row decrypted against the live one.
    """
    problems, checked = [], {}
    with psycopg.connect(dbname=scratch_database, **libpq_params()) as scratch:
        with scratch.cursor() as cursor:
            counts = table_counts(cursor)
        if counts != manifest["counts"]:
            tables = set(counts) | set(manifest["counts"])
            differing = sorted(t for t in tables if counts.get(t) != manifest["counts"].get(t))
            problems.append(f"row counts differ from the backup's in: {', '.join(differing)}")
        if media_files(scratch_media) != manifest["media"]:
            problems.append("the restored photos differ from the backup's list")
        for model in (model for model in apps.get_models() if encrypted_fields(model)):
            fields = encrypted_fields(model)
            columns = ", ".join(f'"{field.column}"' for field in fields)
            row = scratch.execute(
                f'SELECT id, {columns} FROM "{model._meta.db_table}" ORDER BY id DESC LIMIT 1'  # noqa: S608
            ).fetchone()
            live = (
                row
                and model._default_manager.filter(pk=row[0]).values_list(*[f.name for f in fields]).first()
            )
            if not live:
                continue
            # Named by field only: never a value in the message.
            wrong = [f.name for f, a, b in zip(fields, row[1:], live, strict=True) if decrypt(a) != b]
            if wrong:
                problems.append(
                    f"{model._meta.verbose_name} #{row[0]} differs from the live one in: {', '.join(wrong)}"
                )
            checked[model._meta.verbose_name] = row[0]
    return problems, counts, checked


def restore_drill(directory, identity_path, scratch_database, scratch_media=None, keep_scratch=False):
    """Restore the newest set and compare; returns a summary. Raises BackupError on any difference."""
    identity = identity_from(identity_path)
    sets = backup_sets(directory)
    if not sets:
        raise BackupError(f"no backup in {directory}")
    stamp = sets[-1]
    media_dir = scratch_media or tempfile.mkdtemp(prefix="restore-drill-media-")
    try:
        manifest = restore(directory, stamp, identity, scratch_database, media_dir)
        problems, counts, checked = compare(manifest, scratch_database, media_dir)
    finally:
        if not keep_scratch:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch_database}" WITH (FORCE)')
            if scratch_media is None:
                shutil.rmtree(media_dir, ignore_errors=True)
    if problems:
        raise BackupError("; ".join(problems))
    return {
        "stamp": stamp,
        "tables": len(counts),
        "rows": sum(counts.values()),
        "photos": len(manifest["media"]),
        "checked": checked,
    }
