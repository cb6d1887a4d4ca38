"""What every page a request's button opens does first and last: find the request, audit the view, draw.

Reply by email, log a call, offer other times, and cancel or move the consultation each add a page
under one request (their mixins live in intake/admin and intake/consultation_time). The mixins run
inside ConsultationRequestAdmin and call these through self, as they call the admin's own
message_user, so the consultation-time room needs no import of the admin.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse

from intake.models import AuditEntry


class RequestPagesMixin:
    def request_for_page(self, request, object_id):
        """The request a page is about, for a reviewer who may change it; None once it is erased."""
        consultation = self.get_object(request, unquote(object_id))
        # As the admin's change page: whether it exists is not told to someone who may not change it.
        if not self.has_change_permission(request, consultation):
            raise PermissionDenied
        return consultation

    def request_gone(self, request, object_id):
        """A page left open on a request erased since: back to admin with the change page's own words."""
        return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)

    def request_url(self, consultation):
        """The request's own page, where each of these pages returns."""
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[consultation.pk],
            current_app=self.admin_site.name,
        )

    def request_page(self, request, consultation, template, *, title, audited_as, status=200, **context):
        """The page drawn, after auditing its opening: each shows the visitor's name or contact details."""
        AuditEntry.record(AuditEntry.Action.VIEW, request.user, [consultation.pk], detail=audited_as)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "consultation": consultation,
            "change_url": self.request_url(consultation),
            **context,
        }
        return TemplateResponse(
            request, f"admin/intake/consultationrequest/{template}", context, status=status
        )
