from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count

from intake.models import AuditEntry, ConsultationRequest


class Command(BaseCommand):
    help = (
        "Delete closed, spam and no-response consultation requests whose status has not changed for "
        "INTAKE_RETENTION_DAYS days (180 unless set). Prints counts only, never personal data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.INTAKE_RETENTION_DAYS)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *, days, dry_run, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        due = ConsultationRequest.objects.purgeable(days)
        counts = dict(due.order_by().values_list("status").annotate(count=Count("id")))
        total = sum(counts.values())
        by_status = ", ".join(
            f"{ConsultationRequest.Status(status).label.lower()}: {counts[status]}"
            for status in sorted(counts)
        )
        summary = f"{total} request(s) older than {days} days" + (f" ({by_status})" if by_status else "")
        if dry_run:
            self.stdout.write(f"Would delete {summary}. Nothing was deleted (--dry-run).")
            return
        with transaction.atomic():
            numbers = list(due.values_list("pk", flat=True))
            ConsultationRequest.objects.filter(pk__in=numbers).delete()
            AuditEntry.record(AuditEntry.Action.PURGE, None, numbers, detail=f"retention: {days} days")
        self.stdout.write(f"Deleted {summary}.")
