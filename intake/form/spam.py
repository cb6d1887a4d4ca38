"""
Screening a sent form, with spam defences that exclude nobody: no CAPTCHA, no third party.

`screen()` is the one entry point. It reads the signed, one-time form token (its nonce
finds a form sent twice; its age is the time trap), checks the honeypot and counts
links, and counts the visitor's requests this hour under a salted hash of their
address. Suspected spam is kept, marked, and never announced; a visitor over the
limit is asked to wait, with everything they typed kept on the page.

It runs inside the transaction that saves the request and holds a lock on the
visitor's count until that transaction ends, so ten forms sent at once by one visitor
save five, not six or seven.
"""

import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core import signing
from django.db import connection
from django.utils import timezone
from django.utils.crypto import salted_hmac

from intake.models import ConsultationRequest, SubmissionAttempt

# Separates these signatures from any other the site makes; not a secret.
TOKEN_SALT = "intake.consultation-form"  # noqa: S105
# A person needs longer than this to read and fill the form; a script does not.
MIN_FILL_SECONDS = 3
MAX_LINKS = 2
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
LINK = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)
# Namespaces this module's PostgreSQL advisory locks (any 32-bit number nothing else uses).
LOCK_NAMESPACE = 0x1A7A4E


@dataclass(frozen=True)
class Verdict:
    """What to do with a valid form: show thanks for one already received, ask to wait, or save."""

    nonce: str
    form_opened_at: datetime | None = None
    already_received: int | None = None  # the number of the request this very form saved before
    rate_limited: bool = False
    spam_reason: str = ""


def screen(request, cleaned_data):
    """Judge a valid form. Call inside the transaction that saves it (see the module's docstring)."""
    nonce, opened_at, token_reason = read_form_token(cleaned_data.get("form_token"))
    key = client_key(request)
    hold_the_count(key)
    if existing := ConsultationRequest.objects.filter(form_token=nonce).values_list("pk", flat=True).first():
        return Verdict(nonce, opened_at, already_received=existing)
    if not admitted(key):
        return Verdict(nonce, opened_at, rate_limited=True)
    return Verdict(nonce, opened_at, spam_reason=spam_reason(cleaned_data, token_reason))


def new_form_token(issued_at=None):
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"nonce": secrets.token_hex(16), "t": int(issued_at)}, salt=TOKEN_SALT)


def read_form_token(token):
    """
    Return (nonce, when the form was opened, spam reason or ""). A missing or altered
    token gets a fresh nonce. A form left open for days is a person who hesitated: its
    age is kept, not held against it.
    """
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT)
        nonce, issued_at = str(payload["nonce"]), int(payload["t"])
        opened_at = datetime.fromtimestamp(issued_at, tz=UTC)
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        return secrets.token_hex(16), None, "form token missing or altered"
    if time.time() - issued_at < MIN_FILL_SECONDS:
        return nonce, opened_at, "sent too fast"
    return nonce, opened_at, ""


def link_count(*texts):
    return sum(len(LINK.findall(text or "")) for text in texts)


def spam_reason(cleaned_data, token_reason):
    if cleaned_data.get("reference_code"):
        return "honeypot filled"
    if token_reason:
        return token_reason
    text_fields = ("name", "message", "insurer", "heard_about")
    if link_count(*(cleaned_data.get(field) for field in text_fields)) > MAX_LINKS:
        return "too many links"
    return ""


def client_key(request):
    # REMOTE_ADDR is the visitor's address behind the TLS proxy too (practice.visitor_address).
    address = request.META.get("REMOTE_ADDR", "")
    return salted_hmac("intake.rate-limit", address, algorithm="sha256").hexdigest()


def hold_the_count(key):
    """
    Until the transaction ends, make other requests from this visitor wait here. On
    PostgreSQL an advisory lock on the key; SQLite (development) takes the whole
    database for each write transaction instead (settings: transaction_mode IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, int(key[:7], 16)])


def admitted(key):
    """Count this post towards the visitor's hour, unless they have reached the limit."""
    now = timezone.now()
    since = connection.ops.adapt_datetimefield_value(now - RATE_WINDOW)
    table = SubmissionAttempt._meta.db_table
    with connection.cursor() as cursor:
        # The counts are needed for an hour; older rows only say when someone wrote.
        cursor.execute(f"DELETE FROM {table} WHERE at < %s", [since])  # noqa: S608 - our own table
        # Counted and added in one statement: the ORM's count() and create() cost a sent form over
        # a millisecond more on the benchmark's machine. hold_the_count keeps the count true.
        cursor.execute(
            f"INSERT INTO {table} (client_key, at) SELECT %s, %s "  # noqa: S608 - our own table
            f"WHERE (SELECT count(*) FROM {table} WHERE client_key = %s AND at >= %s) < %s",
            [key, connection.ops.adapt_datetimefield_value(now), key, since, RATE_LIMIT],
        )
        return cursor.rowcount == 1
