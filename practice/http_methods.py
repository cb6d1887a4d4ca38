"""
Every route answers only the methods it serves: any other (OPTIONS and TRACE too) gets 405 with an
Allow header naming them, before the view runs. A view says what it serves with
`@allow_methods(...)` (pages/methods.py); a view that says nothing serves GET and HEAD; Django's class-based views say
it with their handlers, and the admin's views (sign-in, forms) serve GET, HEAD and POST.
"""

from django.template.response import SimpleTemplateResponse
from django.utils.log import log_response

from pages.methods import allow_methods

READ_ONLY = ("GET", "HEAD")
ADMIN = ("GET", "HEAD", "POST")

__all__ = ["ADMIN", "READ_ONLY", "AllowedMethodsMiddleware", "allow_methods", "allowed_methods"]


def allowed_methods(view, resolver_match=None):
    declared = getattr(view, "allowed_methods", None)
    if declared is not None:
        return tuple(declared)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        served = [name.upper() for name in view_class.http_method_names if hasattr(view_class, name)]
        return tuple(method for method in served if method not in ("OPTIONS", "TRACE"))
    if resolver_match is not None and "admin" in resolver_match.namespaces:
        return ADMIN
    return READ_ONLY


class AllowedMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):  # noqa: ARG002 - Django names them
        allowed = allowed_methods(view, request.resolver_match)
        if request.method in allowed:
            return None
        # A page the visitor can read (templates/405.html, which needs no database), not a bare 405.
        response = SimpleTemplateResponse("405.html", status=405).render()
        response["Allow"] = ", ".join(allowed)
        log_response(
            "Method Not Allowed (%s): %s", request.method, request.path, response=response, request=request
        )
        return response
