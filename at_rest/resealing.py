"""
Sealing rows again under the first key of FIELD_ENCRYPTION_KEYS: the rows stored in plain text
before encryption (the migration) and the rows sealed under an older key (rotate_encryption_key).

In batches, each in its own transaction: stopped halfway, nothing is half-written, and the next
run finds the rows still to do by their stored prefix (at_rest/encryption.py), so it resumes.
Works on the migrations' historical models too.
"""

from django.db import connection, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.db.models.lookups import StartsWith

from at_rest.encryption import current_prefix
from at_rest.fields import EncryptedMixin


def encrypted_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, EncryptedMixin)]


def stored_text(field):
    """The column as stored (the sealed text), as a plain text expression the database may compare."""
    # Cast: an encrypted field refuses every lookup but equality with "" (at_rest/fields.py); the
    # key id prefix is the one thing about a sealed value the database may look at.
    return Cast(field.name, output_field=TextField())


def not_under_current_key(model):
    """The rows with a non-empty value not sealed under the first key (plain text or an older key)."""
    prefix = current_prefix()
    stale = Q()
    for field in encrypted_fields(model):
        stale |= ~Q(**{field.name: ""}) & ~Q(StartsWith(stored_text(field), prefix))
    return model._default_manager.filter(stale)


def reseal_batch(model, size, extra=None):
    """Seal up to `size` stale rows under the first key; returns how many. `extra(row)` may set more fields."""
    names = [field.name for field in encrypted_fields(model)]
    with transaction.atomic():
        rows = list(not_under_current_key(model).order_by("pk").select_for_update(skip_locked=True)[:size])
        changed = list(names)
        for row in rows:
            for name, value in (extra(row) if extra else {}).items():
                setattr(row, name, value)
                if name not in changed:
                    changed.append(name)
        if rows:
            model._default_manager.bulk_update(rows, changed)
    return len(rows)


def reseal_all(model, size=500, extra=None, progress=None):
    """Every stale row of `model`, batch after batch; `progress(done, total)` after each."""
    total = not_under_current_key(model).count()
    done = 0
    while done < total:
        count = reseal_batch(model, size, extra)
        if not count:
            break
        done += count
        if progress:
            progress(done, total)
    return done


def write_plain(model, extra=None, only=None):
    """
    Undo: every encrypted column (or those named in `only`) back to plain text, straight through SQL
    (a migration's reverse).
    """
    fields = [field for field in encrypted_fields(model) if only is None or field.name in only]
    table = connection.ops.quote_name(model._meta.db_table)
    for row in model._default_manager.order_by("pk").iterator(chunk_size=500):
        values = {field.column: getattr(row, field.name) for field in fields}
        values |= extra(row) if extra else {}
        assignments = ", ".join(f"{connection.ops.quote_name(column)} = %s" for column in values)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*values.values(), row.pk])  # noqa: S608
