"""
Spam defences that exclude nobody: no CAPTCHA, no third party.

A signed, one-time form token (its age is the time trap, its nonce stops double
submits), a honeypot field, link counting, and a per-visitor rate limit keyed by a
salted hash of the address. Suspected spam is kept, marked, and never notified.
"""

import re
import secrets
import time
from datetime import timedelta

from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac

from intake.models import SubmissionAttempt

# Separates these signatures from any other the site makes; not a secret.
TOKEN_SALT = "intake.consultation-form"  # noqa: S105
# A person needs longer than this to read and fill the form; a script does not.
MIN_FILL_SECONDS = 3
# A form older than this was scraped and replayed, or left open for days.
MAX_FORM_AGE = timedelta(days=2)
MAX_LINKS = 2
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
LINK = re.compile(r"https?://|www\.|\[url", re.IGNORECASE)


def new_form_token(issued_at=None):
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"nonce": secrets.token_hex(16), "t": int(issued_at)}, salt=TOKEN_SALT)


def read_form_token(token):
    """Return (nonce, spam reason or ""). A missing or altered token gets a fresh nonce."""
    try:
        payload = signing.loads(token or "", salt=TOKEN_SALT)
        nonce, issued_at = str(payload["nonce"]), int(payload["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return secrets.token_hex(16), "form token missing or altered"
    age = time.time() - issued_at
    if age < MIN_FILL_SECONDS:
        return nonce, "sent too fast"
    if age > MAX_FORM_AGE.total_seconds():
        return nonce, "form was stale"
    return nonce, ""


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


def rate_limited(key):
    since = timezone.now() - RATE_WINDOW
    return SubmissionAttempt.objects.filter(client_key=key, at__gte=since).count() >= RATE_LIMIT


def count_attempt(key):
    now = timezone.now()
    # The counts are needed for an hour; older rows only say when someone wrote.
    SubmissionAttempt.objects.filter(at__lt=now - RATE_WINDOW).delete()
    SubmissionAttempt.objects.create(client_key=key, at=now)
