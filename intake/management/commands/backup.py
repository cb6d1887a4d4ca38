"""
manage.py backup: one encrypted backup set (database and photos) into BACKUP_DIR, keeping the
newest BACKUP_KEEP sets (at_rest/backups.py). Compose's `backup` job runs it nightly. A failure
exits non-zero, says so, and removes nothing.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from at_rest.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the photos, encrypted to BACKUP_AGE_RECIPIENT, into BACKUP_DIR."

    def handle(self, *args, **options):
        recipient = os.environ.get("BACKUP_AGE_RECIPIENT", "")
        directory = os.environ.get("BACKUP_DIR", "")
        if not recipient or not directory:
            raise CommandError(
                "backup: FAILED; set BACKUP_AGE_RECIPIENT and BACKUP_DIR. No backup was removed."
            )
        try:
            keep = int(os.environ.get("BACKUP_KEEP", "14"))
            stamp, removed = backup(directory, recipient, keep, settings.MEDIA_ROOT)
        except (BackupError, OSError, ValueError) as error:
            raise CommandError(f"backup: FAILED ({error}); no backup was removed") from None
        self.stdout.write(f"backup: wrote practice-{stamp} (database, photos, manifest; encrypted)")
        for old in removed:
            self.stdout.write(f"backup: removed practice-{old}")
