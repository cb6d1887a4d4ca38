"""
How a view says which HTTP methods it serves, for every app's views (pages is the layer all may use).
practice/http_methods.py's middleware answers every other method with 405 and an Allow header.
"""

from django.views.decorators.http import require_http_methods


def allow_methods(*methods):
    """The view serves `methods` alone (the middleware refuses the rest before it runs)."""

    def decorator(view):
        checked = require_http_methods(list(methods))(view)
        checked.allowed_methods = tuple(methods)
        return checked

    return decorator
