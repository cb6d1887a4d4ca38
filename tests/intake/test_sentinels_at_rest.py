"""
Proof from outside (docs/privacy-at-rest.md): a request sent through the public form and followed up
in admin (a reply, a note, a logged call), each with a unique word in every field (a rare state for the
location), then a `pg_dump` of the whole database, the outbox table and the backup files read as raw
bytes: none of the words appears, in any case or, for the phone number, in any format.
"""

import io
import subprocess

import pyrage
import pytest
from django.core.management import call_command
from django.db import connection

from at_rest.backups import libpq_env
from intake.models import ConsultationRequest, Notification, TimelineEntry
from tests.intake.factories import form_data
from tests.intake.replying import send
from tests.intake.request_page import log, save_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TYPED = {
    "name": "Quillonname",
    "email": "quillonmail@example.com",
    "phone": "(555) 864-2097",
    "insurer": "Quilloninsurer",
    "heard_about": "Quillonheard",
    "message": "Quillonmessage about us",
}
WRITTEN = {"subject": "Quillonsubject", "body": "Quillonbody", "note": "Quillonnote", "call": "Quilloncall"}
PHONE_FORMS = [b"5558642097", b"555-864-2097", b"864-2097", b"864 2097", b"8642097"]
# Where they will be: a two-letter code turns up in any base64 text by chance, so it counts as a whole
# value (a dump's tab-separated column, a JSON string), and its name anywhere.
STATE, STATE_NAME = "WY", "Wyoming"
STATE_FORMS = [f"\t{STATE}\t".encode(), f'"{STATE}"'.encode(), STATE_NAME.lower().encode()]


def leaks(raw):
    """Which sentinels appear in these bytes (any case), and which forms of the phone number."""
    lowered = raw.lower()
    found = [
        word for word in (*TYPED.values(), *WRITTEN.values()) if word.lower().split()[0].encode() in lowered
    ]
    found += [form.decode() for form in PHONE_FORMS if form in raw]
    found += ["quillon"] if b"quillon" in lowered else []
    found += [form.decode() for form in STATE_FORMS if form in raw or form in lowered]
    return found


def test_no_sentinel_in_the_dump_the_outbox_or_the_backups(client, reviewer, tmp_path, monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    visitor = client.__class__()
    response = visitor.post(
        "/consultation/", form_data(**TYPED, client_location=STATE, preferred_contact="email")
    )
    assert response.status_code == 302
    consultation = ConsultationRequest.objects.get()
    assert consultation.name == TYPED["name"] and consultation.phone == TYPED["phone"], "read back whole"
    assert consultation.client_location == STATE

    assert send(reviewer, consultation, subject=WRITTEN["subject"], body=WRITTEN["body"]).status_code == 302
    assert save_page(reviewer, consultation, add_note=WRITTEN["note"]).status_code == 302
    assert log(reviewer, consultation, note=WRITTEN["call"]).status_code == 302
    texts = list(TimelineEntry.objects.values_list("text", flat=True))
    assert all(any(WRITTEN[key] in text for text in texts) for key in ("body", "note", "call"))
    assert Notification.objects.filter(sent_at=None).exists(), "the outbox holds queued emails"

    dump = subprocess.run(["pg_dump", "--format=plain"], env=libpq_env(), capture_output=True, timeout=120)
    assert dump.returncode == 0, dump.stderr
    assert b"intake_consultationrequest" in dump.stdout and b"enc1:" in dump.stdout
    assert leaks(dump.stdout) == []

    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(n)::text FROM intake_notification n")
        outbox = "\n".join(row[0] for row in cursor.fetchall()).encode()
    assert outbox and leaks(outbox) == []

    identity = pyrage.x25519.Identity.generate()
    (tmp_path / "backups").mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("BACKUP_AGE_RECIPIENT", str(identity.to_public()))
    call_command("backup", stdout=io.StringIO())
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 3
    for path in backups:
        assert leaks(path.read_bytes()) == [], path.name
    # Decrypted with the private key (and uncompressed), the dump holds the request: still sealed.
    dumped = pyrage.decrypt(next(p for p in backups if p.name.endswith(".dump.age")).read_bytes(), [identity])
    sql = subprocess.run(["pg_restore", "--file=-"], input=dumped, capture_output=True, timeout=120).stdout
    assert b"COPY public.intake_consultationrequest" in sql and b"enc1:" in sql
    assert leaks(sql) == []
