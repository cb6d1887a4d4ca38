"""
manage.py rotate_encryption_key: seal every encrypted value again under the first key of
FIELD_ENCRYPTION_KEYS, so the older keys listed after it can be removed.

    1. Put the new key first: FIELD_ENCRYPTION_KEYS=<new>,<old>, and restart the site.
    2. Run this (the site keeps working meanwhile: both keys open what is stored).
    3. When it says "done", remove <old> and restart.

In batches, each committed on its own: stopped halfway (a deploy, a lost connection), run it
again and it carries on with the rows still under an older key. --rehash also recomputes the
lookup hashes after FIELD_HASH_KEY changed (every request, not only the stale ones).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from at_rest.encryption import DecryptionError
from at_rest.resealing import encrypted_fields, not_under_current_key, reseal_all

BAR_WIDTH = 30


def refreshed_hashes(row):
    return row.refreshed_hashes()


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS (restartable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (500).")
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="Also recompute every lookup hash (after FIELD_HASH_KEY changed).",
        )

    def handle(self, *args, batch_size, rehash, **options):
        models = [model for model in apps.get_models() if encrypted_fields(model)]
        try:
            for model in models:
                extra = refreshed_hashes if hasattr(model, "refreshed_hashes") else None
                label = model._meta.label
                reseal_all(
                    model,
                    batch_size,
                    extra,
                    progress=lambda done, total, label=label: self.bar(label, done, total),
                )
                if rehash and extra:
                    self.rehash(model, batch_size)
        except DecryptionError as error:
            raise CommandError(
                f"A stored value cannot be read ({error}). Put every key still in use in FIELD_ENCRYPTION_KEYS "
                "(the new one first) and run this again: the rows already done stay done."
            ) from None
        left = sum(not_under_current_key(model).count() for model in models)
        if left:
            raise CommandError(
                f"{left} values are still under an older key (written meanwhile?): run this again."
            )
        self.stdout.write("done: every encrypted value is under the first key; the others can be removed.")

    def rehash(self, model, size):
        total = model._default_manager.count()
        last, done = 0, 0
        while True:
            with transaction.atomic():
                rows = list(
                    model._default_manager.filter(pk__gt=last).order_by("pk").select_for_update()[:size]
                )
                for row in rows:
                    for name, value in row.refreshed_hashes().items():
                        setattr(row, name, value)
                if rows:
                    model._default_manager.bulk_update(rows, list(rows[0].refreshed_hashes()))
            if not rows:
                break
            last, done = rows[-1].pk, done + len(rows)
            self.bar(f"{model._meta.label} hashes", done, total)

    def bar(self, label, done, total):
        filled = BAR_WIDTH * done // max(total, 1)
        end = "\n" if done >= total else ""
        self.stdout.write(
            f"\r{label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending=end
        )
        self.stdout.flush()
