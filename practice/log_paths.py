"""
Paths that are secrets: a visitor's links carry a signed token in their path, and whoever holds
one can delete that request (withdraw/), cancel or move its consultation (time/), or pick one of
the times offered (times/); the therapist's calendar feed address (calendar/) lets whoever holds
it read the consultations calendar. Logs keep the page it was, never the token.

No Django import here: gunicorn's access log (gunicorn.conf.py) uses it too.
"""

import logging
import re

# /consultation/withdraw/<token>/ → /consultation/withdraw/[link]/, and so for /consultation/time(s)/
# /calendar/<token>.ics → /calendar/[link]
SECRET_SEGMENT = re.compile(r"(/withdraw/|/consultation/times?/|/calendar/)[^/?\s\"]+")


def without_secrets(text):
    return SECRET_SEGMENT.sub(r"\1[link]", text)


class HideSecretPaths(logging.Filter):
    """Django's request log names the path of every 4xx and 5xx: hide the token in it."""

    def filter(self, record):
        record.msg = without_secrets(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(without_secrets(a) if isinstance(a, str) else a for a in record.args)
        return True
