from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions import middleware
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import InterfaceError, OperationalError
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string

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
        try:
            expired = SESSION_KEY in request.session and signed_in_too_long(request)
        except (OperationalError, InterfaceError):
            # The database is out of reach, so the session cannot be read and the limit not checked.
            # This request goes on signed out (session and cookie are kept for the next one): the
            # page then answers as it does in any outage, the consultation form keeping what was
            # typed, rather than a generic error page from here that loses it.
            request.user = AnonymousUser()
            return self.get_response(request)
        if expired:
            logout(request)
        return self.get_response(request)


class SessionMiddleware(middleware.SessionMiddleware):
    """
    Django's, except that the database being out of reach never replaces the page:

    - an error response (5xx) leaves the session alone. Django saves no session with one anyway,
      but reads it first for the cookie's expiry: during a database outage that read fails, and
      the page saying so (the consultation form with everything typed) would become a generic
      error page;
    - a session that cannot be saved because the database went away after the page was made
      keeps its last saved state, and the page stands. Django would answer 400 ("session
      interrupted"): a visitor whose request was saved would read "that could not be sent".
    """

    def process_response(self, request, response):
        if response.status_code >= 500:
            if request.session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, OperationalError, InterfaceError) as error:
            if not caused_by_unreachable_database(error):
                raise
            return response


def caused_by_unreachable_database(error):
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error = error.__cause__ or error.__context__
    return False


class SessionStore(db.SessionStore):
    """
    Django's database sessions (SESSION_ENGINE), without asking whether a new key is taken before
    saving it. The save that follows inserts with must_create, which the primary key refuses for a
    key in use, and Django then draws another (`create()`): the question was a query per new session
    for a 32-character random key, such as the one the consultation form's thank-you page opens.
    """

    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)
