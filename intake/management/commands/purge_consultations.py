from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from intake.life import erasure
from intake.models import AuditEntry, ConsultationRequest

FINAL = ", ".join(str(status.label).lower() for status in ConsultationRequest.FINAL_STATUSES)


class Command(BaseCommand):
    help = (
        f"Delete every consultation request that reached a final status ({FINAL}) more than "
        "INTAKE_RETENTION_DAYS days ago (180 unless set), with its history and emails. Open requests "
        "are never deleted. Prints counts only, never personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.INTAKE_RETENTION_DAYS,
            help=f"Days in a final status before deletion (default: INTAKE_RETENTION_DAYS, {settings.INTAKE_RETENTION_DAYS}).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        with transaction.atomic():
            due = ConsultationRequest.objects.purgeable(days).order_by()
            # Locked, so a request reopened while the purge runs is either kept or was deleted as counted.
            rows = list((due if dry_run else due.select_for_update()).values_list("pk", "status"))
            numbers = [number for number, _ in rows]
            if not dry_run:
                erasure.erase(numbers, None, AuditEntry.Action.PURGE, detail=f"retention: {days} days")
        counts = Counter(status for _, status in rows)
        by_status = ", ".join(
            f"{ConsultationRequest.Status(status).label.lower()}: {counts[status]}"
            for status in sorted(counts)
        )
        summary = f"{len(rows)} request(s) in a final status for more than {days} days" + (
            f" ({by_status})" if by_status else ""
        )
        if dry_run:
            self.stdout.write(f"Would delete {summary}. Nothing was deleted (--dry-run).")
        else:
            self.stdout.write(f"Deleted {summary}.")
