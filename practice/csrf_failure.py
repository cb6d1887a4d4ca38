"""
What a browser sees when Django's CSRF check refuses a POST (settings.CSRF_FAILURE_VIEW).

The consultation form comes back with everything the visitor typed (intake.form.views.form_not_checked):
an anxious visitor who opened it in two tabs must not lose a long message to a security check.
Every other refused POST gets the plain "Please send the form again" page (templates/403_csrf.html).
"""

from django.urls import reverse
from django.views.csrf import csrf_failure as plain_refusal

from intake.form.views import form_not_checked


def csrf_failure(request, reason=""):
    if request.method == "POST" and request.path == reverse("intake:consultation"):
        return form_not_checked(request)
    return plain_refusal(request, reason)
