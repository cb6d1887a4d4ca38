"""
Paths that are secrets: a visitor's links carry a signed token in their path, and whoever holds
one can delete that request (withdraw/), cancel or move its consultation (time/), or pick one of
the times offered (times/); the therapist's calendar feed address (calendar/) lets whoever holds
it read the consultations calendar. Logs keep the page it was, never the token, whatever a
mangled link holds (a space, a quote, a tab, a newline, %-encoding once or twice), and no log line
can be split or forged: control characters are written escaped (\\n, \\x00).

No Django import here: gunicorn's access log (gunicorn.conf.py) uses it too.
"""

import logging
import re
from urllib.parse import unquote

LINK_PAGES = r"(/withdraw/|/consultation/times?/|/calendar/)"
FOUND = re.compile(LINK_PAGES, re.IGNORECASE)
# In a path, everything after the page is the token, whatever characters it holds.
IN_PATH = re.compile(LINK_PAGES + r"(.*)", re.IGNORECASE | re.DOTALL)
# In a log line the path ends at its query string, at the quote closing a request line, at the
# protocol or the status after it, or at the end.
IN_TEXT = re.compile(LINK_PAGES + r'(.*?)(?=\?|"\s|"$| HTTP/|\s\d{3}(?:\s|$)|$)', re.IGNORECASE | re.DOTALL)
# Control characters (C0, DEL, C1, the Unicode line and paragraph separators) and the backslash
# that starts an escape, so that an escape in a path cannot pass for one written here.
UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")


def _masked(match):
    return match[1] + ("[link]/" if match[2].endswith("/") else "[link]")


def _as_text(value):
    if value is None:
        return "-"
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "backslashreplace")
    return str(value)


def without_secrets(text, path=False):
    """
    `text` (anything: None, bytes) as text, the token after a secret page replaced by [link]:
    to the end if it is a `path`, else to the end of the path within a log line. A page written
    %-encoded (once, twice) is found too, and then the decoded text is what remains.
    """
    text = _as_text(text)
    pattern = IN_PATH if path else IN_TEXT
    candidate = text
    for _ in range(4):
        if FOUND.search(candidate):
            return pattern.sub(_masked, candidate)
        decoded = unquote(candidate, errors="backslashreplace")
        if decoded == candidate:
            break
        candidate = decoded
    return text


def escaped(text):
    """`text` on one line: control characters and backslashes written as Python escapes."""
    return UNSAFE.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), _as_text(text))


def safe_log_text(text, path=False):
    return escaped(without_secrets(text, path=path))


class HideSecretPaths(logging.Filter):
    """
    Every log line of the site's (settings.LOGGING) and of gunicorn's (gunicorn.conf.py): the token
    hidden, control characters escaped. A filter never stops a line, and never raises.
    """

    def filter(self, record):
        try:
            if isinstance(record.args, tuple):
                # Django's request log passes the path alone as an argument: all of it after the page.
                record.args = tuple(
                    without_secrets(arg, path=True) if isinstance(arg, str) and arg.startswith("/") else arg
                    for arg in record.args
                )
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a message that cannot be formatted is still logged
            message = f"{_as_text(record.msg)} {_as_text(record.args)}"
        record.msg = safe_log_text(message)
        record.args = ()
        return True
