from django.contrib.auth import SESSION_KEY, logout

from accounts.progress import signed_in_too_long


class SessionLifetimeMiddleware:
    """
    Ends a signed-in session 8 hours after sign-in, however busy it has been.

    The 30-minute idle limit and the end at browser close are Django's own
    session settings; only this upper bound needs code.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if SESSION_KEY in request.session and signed_in_too_long(request):
            logout(request)
        return self.get_response(request)
