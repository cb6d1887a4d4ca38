"""
Errors never carry what a visitor typed: not in error reports, not in the logs.

Django's own filter hides only what each view marks (`sensitive_variables`,
`sensitive_post_parameters`), and only in that view's frames; a database error raised
deeper down still shows the query's parameters in the driver's frames, and
PostgreSQL's message quotes the failing row ("Failing row contains (…, Robin, …)").
So, for every view and every frame, whatever the next view forgets:

- error reports show the code path (files, lines, functions) but no variable, no POST
  value, no visitor address and no exception message;
- logged tracebacks keep the frames and the exception's type, never its message.

With DJANGO_DEBUG on (a developer's machine, test data) Django's full reports stay.
"""

import logging
import traceback

from django.conf import settings
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

WITHHELD = "(withheld: it may quote what a visitor typed)"
# Headers that name the visitor rather than the request.
VISITOR_HEADERS = {"REMOTE_ADDR", "HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"}


class WithheldException:
    """Stands in for an exception in a report: its type, never its message."""

    def __init__(self, exception):
        self.type_name = type(exception).__name__

    def __str__(self):
        return f"{self.type_name} {WITHHELD}"


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """settings.DEFAULT_EXCEPTION_REPORTER_FILTER: every POST value and frame variable hidden."""

    def get_post_parameters(self, request):
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        return self._cleanse_multivaluedict(request.POST, "__ALL__")

    def get_traceback_frame_variables(self, request, tb_frame):
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        if self.is_active(request):
            meta.update((key, self.cleansed_substitute) for key in VISITOR_HEADERS & meta.keys())
        return meta


class PrivateExceptionReporter(ExceptionReporter):
    """settings.DEFAULT_EXCEPTION_REPORTER: the exception's type, never its message."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if not self.filter.is_active(self.request):
            return data
        if self.exc_value is not None:
            data["exception_value"] = WITHHELD
        data.pop("exception_notes", None)
        data["unicode_hint"] = ""
        for frame in data["frames"]:
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = WithheldException(frame["exc_cause"])
        return data


class TracebackWithoutValuesFormatter(logging.Formatter):
    """For the stdout log: a traceback's frames and exception types, without the messages."""

    def formatException(self, exc_info):
        if settings.DEBUG:
            return super().formatException(exc_info)
        exception = exc_info[1]
        lines = []
        for link in reversed(_chain(exception)):
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_tb(link.__traceback__))
            lines.append(f"{type(link).__name__} {WITHHELD}\n")
        return "".join(lines).rstrip("\n")


def _chain(exception):
    """The exception and the ones it was raised from or while handling, newest first."""
    chain = []
    while exception is not None and exception not in chain:
        chain.append(exception)
        exception = exception.__cause__ or exception.__context__
    return chain
