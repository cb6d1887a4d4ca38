"""
manage.py restore_drill --identity KEYFILE: prove the newest backup restores (at_rest/backups.py).

Decrypts it with the age private key in KEYFILE (brought for the drill, never kept on the server),
restores it into a scratch database (<database>_restore_drill, dropped afterwards) and a scratch
media folder, and compares counts, photos and one decrypted request. Exits non-zero on anything
wrong: a damaged, truncated or wrongly keyed backup, or a difference. It never removes a backup.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from at_rest.backups import BackupError, restore_drill


class Command(BaseCommand):
    help = "Restore the newest backup into a scratch database and media folder, and compare it with the live site."

    def add_arguments(self, parser):
        parser.add_argument(
            "--identity",
            default=os.environ.get("BACKUP_AGE_IDENTITY_FILE", ""),
            help="File holding the age private key (AGE-SECRET-KEY-...).",
        )
        parser.add_argument("--dir", default=os.environ.get("BACKUP_DIR", ""), help="The backups folder.")
        parser.add_argument(
            "--scratch-media", default=None, help="Folder to restore photos into (a temporary one)."
        )
        parser.add_argument(
            "--keep-scratch", action="store_true", help="Keep the scratch database and folder."
        )

    def handle(self, *args, identity, dir, scratch_media, keep_scratch, **options):  # noqa: A002
        if not identity or not dir:
            raise CommandError("restore drill: FAILED; give --identity KEYFILE and --dir (or BACKUP_DIR).")
        scratch = f"{settings.DATABASES['default']['NAME']}_restore_drill"
        try:
            summary = restore_drill(dir, identity, scratch, scratch_media, keep_scratch)
        except (BackupError, OSError) as error:
            raise CommandError(f"restore drill: FAILED: {error}. No backup was removed.") from None
        self.stdout.write(
            f"restore drill: OK: practice-{summary['stamp']} restored {summary['tables']} tables, "
            f"{summary['rows']} rows and {summary['photos']} photo files, as the backup listed them; "
            + ", ".join(f"{name} #{pk}" for name, pk in summary["checked"].items())
            + " decrypted match the live ones."
        )
