"""
Encryption at rest (at_rest/encryption.py, docs/privacy-at-rest.md): what the database holds, the
lookups that still match, rotation to a new key, and the migration that seals the rows of before.
"""

import io
import subprocess
import sys

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from at_rest import encryption
from at_rest.encryption import DecryptionError, new_key
from at_rest.resealing import not_under_current_key, reseal_batch
from intake.models import ConsultationRequest, Notification, TimelineEntry
from practice.settings import BASE_DIR
from tests.intake.factories import make_request

ENCRYPTED = {
    ConsultationRequest: ["name", "email", "phone", "client_location", "insurer", "message", "heard_about"],
    TimelineEntry: ["subject", "text"],
    Notification: ["subject", "body"],
}


@pytest.fixture
def keys(settings):
    """Set FIELD_ENCRYPTION_KEYS for one test: keys(first, *older)."""

    def use(*chosen):
        settings.FIELD_ENCRYPTION_KEYS = list(chosen)
        encryption.forget_keys()

    yield use
    encryption.forget_keys()


def stored(model, pk, column):
    """The column's value as the database holds it, read past the model."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


def a_request_with_everything():
    consultation = make_request(
        name="Avery Stone",
        email="Avery@Example.com",
        phone="+1 (555) 010-7788",
        insurer="Aetna",
        message="We argue about money.",
        heard_about="A podcast",
    )
    entry = TimelineEntry.objects.create(
        request=consultation, kind="reply", subject="Hello", text="Dear Avery"
    )
    Notification.objects.create(
        request=consultation, kind="reply", reply=entry, subject="Re", body="Dear Avery"
    )
    return consultation, entry


def test_every_typed_or_written_column_is_stored_sealed_and_read_back_plain(db):
    consultation, entry = a_request_with_everything()
    rows = {
        ConsultationRequest: consultation.pk,
        TimelineEntry: entry.pk,
        Notification: Notification.objects.get().pk,
    }
    for model, columns in ENCRYPTED.items():
        fresh = model.objects.get(pk=rows[model])
        for column in columns:
            raw = stored(model, rows[model], column)
            assert raw.startswith(encryption.current_prefix()), f"{model.__name__}.{column} stored plain"
            assert getattr(fresh, column) not in raw
            assert encryption.decrypt(raw) == getattr(fresh, column)
    assert ConsultationRequest.objects.get().name == "Avery Stone"


def test_the_same_text_twice_is_stored_differently_and_a_changed_value_is_refused(db):
    first, second = make_request(name="Same Name"), make_request(name="Same Name")
    one, two = stored(ConsultationRequest, first.pk, "name"), stored(ConsultationRequest, second.pk, "name")
    assert one != two, "no equal ciphertexts: nobody can tell two requests are from the same name"
    tampered = one[:-6] + ("A" if one[-6] != "A" else "B") + one[-5:]
    with pytest.raises(DecryptionError):
        encryption.decrypt(tampered)


def test_empty_answers_stay_empty_so_the_checks_still_see_them(db):
    consultation = make_request(phone="", insurer="")
    assert stored(ConsultationRequest, consultation.pk, "phone") == ""
    assert stored(ConsultationRequest, consultation.pk, "phone_hash") == ""


def test_lookup_hashes_match_an_email_in_any_case_and_a_phone_in_any_format_without_storing_either(db):
    first = make_request(email="Avery@Example.com", phone="555-010-7788")
    same_email = make_request(email="avery@example.COM", phone="")
    same_phone = make_request(email="", phone="+1 (555) 010 7788", preferred_contact="call")
    make_request(email="someone@else.org", phone="555-010-7789", preferred_contact="call")
    found = ConsultationRequest.objects.from_same_people([first])
    assert {r.pk: r.matched_by for r in found} == {
        first.pk: ["selected"],
        same_email.pk: ["same email"],
        same_phone.pk: ["same phone"],
    }
    for column in ("email_hash", "phone_hash"):
        raw = stored(ConsultationRequest, first.pk, column)
        assert "5550107788" not in raw and "avery" not in raw.lower() and len(raw) == 64


def test_the_database_is_never_asked_to_compare_an_encrypted_column(db):
    with pytest.raises(Exception, match="stored encrypted"):
        list(ConsultationRequest.objects.filter(name="Avery"))
    with pytest.raises(Exception, match="stored encrypted"):
        list(ConsultationRequest.objects.filter(email__iexact="a@b.c"))
    with pytest.raises(Exception, match="stored encrypted"):
        list(ConsultationRequest.objects.filter(client_location="NY"))


@pytest.mark.parametrize(
    ("column", "lookup", "value"),
    [
        ("name", "startswith", "Av"),
        ("name", "istartswith", "av"),
        ("email", "endswith", "@example.com"),
        ("message", "contains", "money"),
        ("phone", "in", ["555-010-7788"]),
        ("client_location", "gt", "A"),
        ("heard_about", "regex", "pod"),
        ("subject", "startswith", "enc1:"),
    ],
)
def test_a_prefix_or_any_other_non_exact_lookup_on_a_sealed_column_is_refused_plainly(
    db, column, lookup, value
):
    """Such a lookup would compare sealed texts and silently match nothing: it stops with the reason."""
    make_request(name="Avery", email="a@example.com", message="money")
    model = TimelineEntry if column == "subject" else ConsultationRequest
    with pytest.raises(FieldError, match=rf"{column} is stored encrypted: the database cannot compare it"):
        list(model.objects.filter(**{f"{column}__{lookup}": value}))
    assert ConsultationRequest.objects.filter(insurer="").count() == 1, "an empty answer still matches"


def test_rotation_reseals_every_row_under_the_new_key_in_batches_and_resumes(db, keys, settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    for number in range(7):
        make_request(name=f"Person {number}", message=f"Message {number}")
    consultation, entry = a_request_with_everything()
    new = new_key()
    keys(new, old)
    assert ConsultationRequest.objects.get(pk=consultation.pk).name == "Avery Stone", (
        "the old key still opens"
    )
    assert not_under_current_key(ConsultationRequest).count() == 8

    # Stopped after one batch of 3: those stay done; the next run does the rest.
    assert reseal_batch(ConsultationRequest, 3, lambda row: row.refreshed_hashes()) == 3
    assert not_under_current_key(ConsultationRequest).count() == 5
    out = io.StringIO()
    call_command("rotate_encryption_key", "--batch-size", "2", stdout=out)
    assert "intake.ConsultationRequest [" in out.getvalue() and "5/5" in out.getvalue(), "a progress bar"
    assert "done" in out.getvalue()
    for model in ENCRYPTED:
        assert not not_under_current_key(model).exists()

    keys(new)  # the old key removed: everything still reads
    assert ConsultationRequest.objects.get(pk=consultation.pk).message == "We argue about money."
    assert TimelineEntry.objects.get(pk=entry.pk).text == "Dear Avery"
    assert Notification.objects.get().body == "Dear Avery"


def test_rotation_without_the_old_key_stops_with_a_plain_message_and_changes_nothing(db, keys, settings):
    consultation = make_request(name="Kept Safe")
    before = stored(ConsultationRequest, consultation.pk, "name")
    keys(new_key())
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("rotate_encryption_key", stdout=io.StringIO())
    assert stored(ConsultationRequest, consultation.pk, "name") == before


def test_rehash_after_a_new_hash_key_finds_the_same_people_again(db, settings):
    first = make_request(email="avery@example.com")
    second = make_request(email="AVERY@example.com")
    settings.FIELD_HASH_KEY = new_key()
    encryption.forget_keys()
    try:
        assert len(ConsultationRequest.objects.from_same_people([first])) == 1, "stale hashes"
        out = io.StringIO()
        call_command("rotate_encryption_key", "--rehash", "--batch-size", "1", stdout=out)
        assert {r.pk for r in ConsultationRequest.objects.from_same_people([first])} == {first.pk, second.pk}
        assert "intake.ConsultationRequest hashes [" in out.getvalue() and "] 1/2\r" in out.getvalue()
        assert out.getvalue().count("] 2/2\n") == 1, "the bar counts the rows done, and ends its line"
    finally:
        encryption.forget_keys()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_seals_existing_rows_and_its_reverse_brings_back_plain_text():
    executor = MigrationExecutor(connection)
    before, after = (
        [("intake", "0009_choices_move_content_version")],
        [("intake", "0011_encrypt_existing_rows")],
    )
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    request = old.get_model("intake", "ConsultationRequest").objects.create(
        name="Plain Pat",
        email="pat@example.com",
        phone="(555) 222-3333",
        preferred_contact="email",
        client_location="NY",
        privacy_notice_version="v1",
        privacy_accepted_at="2026-01-05T10:00Z",
        received_at="2026-01-05T10:00Z",
        reply_due_at="2026-01-07T10:00Z",
        form_token="legacy",
        phone_digits="5552223333",
    )
    entry = old.get_model("intake", "TimelineEntry").objects.create(
        request_id=request.pk, kind="note", text="Pat note"
    )
    assert stored(ConsultationRequest, request.pk, "name") == "Plain Pat"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert stored(ConsultationRequest, request.pk, "name").startswith(encryption.PREFIX)
    assert stored(TimelineEntry, entry.pk, "text").startswith(encryption.PREFIX)
    assert stored(ConsultationRequest, request.pk, "phone_hash") == encryption.blind_index("5552223333")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(before)
    assert stored(ConsultationRequest, request.pk, "name") == "Plain Pat"
    assert stored(ConsultationRequest, request.pk, "phone_digits") == "5552223333"
    assert stored(TimelineEntry, entry.pk, "text") == "Pat note"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    fresh = ConsultationRequest.objects.get(pk=request.pk)
    assert (fresh.name, fresh.phone) == ("Plain Pat", "(555) 222-3333")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_location_migration_seals_existing_locations_and_its_reverse_brings_them_back_plain():
    before, after = (
        [("intake", "0012_merge_request_life_and_encryption")],
        [("intake", "0013_encrypt_location")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    consultation = old.get_model("intake", "ConsultationRequest").objects.create(
        name="Located Lee",
        email="lee@example.com",
        preferred_contact="email",
        client_location="NM",
        privacy_notice_version="v1",
        privacy_accepted_at="2026-01-05T10:00Z",
        received_at="2026-01-05T10:00Z",
        reply_due_at="2026-01-07T10:00Z",
        form_token="located",
    )
    assert stored(ConsultationRequest, consultation.pk, "client_location") == "NM"
    sealed_name = stored(ConsultationRequest, consultation.pk, "name")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert stored(ConsultationRequest, consultation.pk, "client_location").startswith(
        encryption.current_prefix()
    )
    assert ConsultationRequest.objects.get(pk=consultation.pk).client_location == "NM"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(before)
    assert stored(ConsultationRequest, consultation.pk, "client_location") == "NM"
    assert stored(ConsultationRequest, consultation.pk, "name").startswith(encryption.PREFIX), (
        "only the location goes back to plain text"
    )
    assert encryption.decrypt(stored(ConsultationRequest, consultation.pk, "name")) == "Located Lee"
    assert sealed_name.startswith(encryption.PREFIX)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert ConsultationRequest.objects.get(pk=consultation.pk).client_location == "NM"


def manage(env, code):
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_key_the_site_says_so_at_start_and_loses_nothing_when_it_comes_back(production_env):
    consultation = make_request(name="Still Here", message="Kept while the key was away")
    database = connection.settings_dict["NAME"]
    if not production_env.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    env = production_env | {"DATABASE_URL": production_env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{database}"}
    read = f"from intake.models import ConsultationRequest as C; print(C.objects.get(pk={consultation.pk}).message)"

    without = {key: value for key, value in env.items() if not key.startswith("FIELD_")}
    result = manage(without, read)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY are required" in result.stderr

    assert manage(env, read).stdout.splitlines()[-1] == "Kept while the key was away"
    assert stored(ConsultationRequest, consultation.pk, "message").startswith(encryption.PREFIX)


def test_keys_may_come_from_a_docker_secret_file_and_a_malformed_key_is_named(production_env, tmp_path):
    secret = tmp_path / "field_encryption_keys"
    secret.write_text(f"{new_key()}\n{new_key()}\n")
    env = {key: value for key, value in production_env.items() if key != "FIELD_ENCRYPTION_KEYS"}
    env["FIELD_ENCRYPTION_KEYS_FILE"] = str(secret)
    result = manage(env, "from django.conf import settings; print(len(settings.FIELD_ENCRYPTION_KEYS))")
    assert result.stdout.splitlines()[-1] == "2", result.stderr

    reads_settings = "from django.conf import settings; print(settings.FIELD_HASH_KEY)"
    env["FIELD_ENCRYPTION_KEYS_FILE"] = str(tmp_path / "missing")
    result = manage(env, reads_settings)
    assert result.returncode != 0 and "cannot be read" in result.stderr
    del env["FIELD_ENCRYPTION_KEYS_FILE"]
    env["FIELD_ENCRYPTION_KEYS"] = "too-short"
    result = manage(env, reads_settings)
    assert result.returncode != 0 and "each key must be 32 random bytes" in result.stderr
