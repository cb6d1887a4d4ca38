from datetime import timedelta

from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from intake.admin.consultations import SPAM_WEEK_DAYS
from intake.models import ConsultationRequest, Notification

register = template.Library()

# An email the worker has not sent within this long is waiting on a stopped worker or a refusing server.
EMAIL_WAIT_LIMIT = timedelta(minutes=5)


def count_each(**querysets):
    """One query counting the requests in each queryset, each built by the method that holds its rule."""
    return ConsultationRequest.objects.aggregate(
        **{name: Count("pk", filter=Q(pk__in=queryset.values("pk"))) for name, queryset in querysets.items()}
    )


@register.inclusion_tag("admin/intake/summary.html", takes_context=True)
def consultation_summary(context):
    """What needs the therapist's attention, for the admin index: two queries, however much there is."""
    request = context["request"]
    if not request.user.has_perm("intake.view_consultationrequest"):
        return {"show": False}
    requests = ConsultationRequest.objects
    days = settings.INTAKE_RETENTION_DAYS
    counts = count_each(
        new=requests.awaiting_reply(),
        overdue=requests.overdue(),
        untouched=requests.untouched(days),
        spam_week=requests.set_aside_as_spam(SPAM_WEEK_DAYS),
    )
    emails = Notification.objects.filter(sent_at__isnull=True).aggregate(
        failed=Count("pk", filter=Q(attempts__gt=0)),
        late=Count("pk", filter=Q(created_at__lt=timezone.now() - EMAIL_WAIT_LIMIT)),
    )
    return {"show": True, "retention_days": days, "spam_days": SPAM_WEEK_DAYS, **counts, **emails}
