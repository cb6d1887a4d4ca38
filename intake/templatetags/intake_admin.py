from django import template

from intake.models import ConsultationRequest, Notification

register = template.Library()


@register.inclusion_tag("admin/intake/summary.html", takes_context=True)
def consultation_summary(context):
    """How many requests wait for a first reply, and how many are past the promise: for the admin index."""
    request = context["request"]
    if not request.user.has_perm("intake.view_consultationrequest"):
        return {"show": False}
    return {
        "show": True,
        "new": ConsultationRequest.objects.awaiting_reply().count(),
        "overdue": ConsultationRequest.objects.overdue().count(),
        "unsent": Notification.objects.filter(sent_at__isnull=True, attempts__gt=0).count(),
    }
