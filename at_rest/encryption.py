"""
Encryption at rest for what a visitor typed and what the practice wrote about a person.

Each value is sealed with AES-256-GCM (`cryptography`): a fresh 96-bit nonce per value, so the
same name typed twice gives two different stored texts, and any change to a stored value makes
reading it fail instead of returning something else. A stored value looks like

    enc1:<key id>:<base64 of nonce + ciphertext + tag>

The key id (8 hex digits of the key's SHA-256) says which key sealed it: the first key of
FIELD_ENCRYPTION_KEYS seals, the others only open, and `manage.py rotate_encryption_key` finds
the rows not yet under the first key by that prefix. Empty values stay empty (the database's
checks need "no email" to be visible; that a person left a field empty is not what they wrote).

Equality lookups (the same email, the same phone number) use a keyed hash (HMAC-SHA256 with its
own key, FIELD_HASH_KEY) stored beside the sealed value: deterministic encryption would also allow
equality, but it would be reversible by anyone holding the encryption key and would reuse the
sealing key for a second purpose; a hash of its own key opens nothing and can be dropped and
rebuilt from the sealed values.

The keys come from the environment or from a file (a Docker secret), never from the database:
see practice/settings.py and docs/privacy-at-rest.md.
"""

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "enc1:"
PREFIX_LENGTH = len(PREFIX)
KEY_ID_LENGTH = 8
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value no configured key opens (a missing key, or a changed value). Says which key id."""


def new_key():
    """A new random key, as FIELD_ENCRYPTION_KEYS and FIELD_HASH_KEY take it."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def parse_key(text, name):
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{name}: each key must be 32 random bytes in URL-safe base64 (44 characters). Make one with: "
            "python -c 'import base64, secrets; print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())'"
        )
    return key


def keys_from_environment(name):
    """Keys from NAME (comma-separated) or from the file NAME_FILE names (one a line): a Docker secret."""
    raw = os.environ.get(name, "")
    path = os.environ.get(f"{name}_FILE", "")
    if path:
        try:
            raw = open(path, encoding="utf-8").read().replace("\n", ",")  # noqa: SIM115, PTH123
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE names {path!r}, which cannot be read: {error.strerror}."
            ) from None
    return [parse_key(item, name) for item in raw.split(",") if item.strip()]


def key_id(key):
    return hashlib.sha256(key).hexdigest()[:KEY_ID_LENGTH]


@cache
def sealing_keys():
    """{key id: AESGCM} for every configured key, and the first key's id (the one that seals)."""
    keys = [base64.urlsafe_b64decode(k) for k in settings.FIELD_ENCRYPTION_KEYS]
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is not set: requests cannot be read or saved.")
    return {key_id(key): AESGCM(key) for key in keys}, key_id(keys[0])


def current_prefix():
    """What every value sealed under the first key starts with."""
    return f"{PREFIX}{sealing_keys()[1]}:"


def encrypt(text):
    if text is None or text == "":
        return text
    ciphers, current = sealing_keys()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ciphers[current].encrypt(nonce, text.encode(), None)
    return f"{PREFIX}{current}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored):
    """The plain text of a stored value. A value without the prefix is a row from before encryption."""
    # Kept lean: the admin's search decrypts thousands of values per request.
    if stored.__class__ is not str or not stored.startswith(PREFIX):
        return stored
    identifier = stored[PREFIX_LENGTH : PREFIX_LENGTH + KEY_ID_LENGTH]
    cipher = sealing_keys()[0].get(identifier)
    if cipher is None:
        raise DecryptionError(f"no key in FIELD_ENCRYPTION_KEYS has id {identifier}")
    try:
        raw = binascii.a2b_base64(stored[PREFIX_LENGTH + KEY_ID_LENGTH + 1 :], strict_mode=True)
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
    except (InvalidTag, binascii.Error, ValueError):
        raise DecryptionError(f"a value sealed with key {identifier} fails its integrity check") from None


@cache
def hash_key():
    key = settings.FIELD_HASH_KEY
    if not key:
        raise ImproperlyConfigured("FIELD_HASH_KEY is not set: duplicate checks and erasure cannot match.")
    return base64.urlsafe_b64decode(key)


def blind_index(text):
    """HMAC-SHA256 of a normalised value, for equality lookups; empty for an empty value."""
    if not text:
        return ""
    return hmac.new(hash_key(), text.encode(), hashlib.sha256).hexdigest()


def forget_keys():
    """After settings change (tests, rotation): read the keys again."""
    sealing_keys.cache_clear()
    hash_key.cache_clear()
