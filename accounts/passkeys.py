"""
Passkeys (WebAuthn): the two ceremonies, checked by py_webauthn (the `webauthn` package).

A passkey is the second factor after the password, like the authenticator app (docs/passkeys.md).
The browser signs a one-time challenge kept in the session; the answer must come from this site's
own address (the browser's promise, which a look-alike site cannot break), from a passkey of
this account, with its counter moved on. Every refusal says what happened in plain words and is
logged with its reason, never with what the browser sent.
"""

import json
import logging
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from webauthn import (
    base64url_to_bytes,
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts.devices import backup_codes_left, has_authenticator
from accounts.models import Passkey

logger = logging.getLogger("accounts.passkeys")

CHALLENGE = "passkey.challenge"
NAME_MAX_LENGTH = Passkey._meta.get_field("name").max_length

OUT_OF_DATE = "That passkey answer was out of date or already used. Please press the button and try again."
OTHER_SITE = (
    "That passkey was made for a different website, so it can't sign in here. "
    "Check that the address bar shows this practice's own address."
)
UNKNOWN = (
    "That passkey isn't set up for this account (it may have been removed). "
    "Use another passkey, or a code from your authenticator app."
)
WRONG_ACCOUNT = "That passkey belongs to a different account. Use the passkey made for this one."
COUNTER_BACKWARDS = (
    "That passkey's answer didn't fit its earlier ones, which can mean it was copied, so it was refused. "
    "Use a code from your authenticator app, and tell whoever runs the website."
)
NOT_CHECKED = "That passkey's answer couldn't be checked. Please try again, or use a code instead."
NOT_SAVED = "The passkey couldn't be saved. Please try again."
ALREADY_SAVED = "That passkey is already set up."


class Refused(Exception):
    """A passkey answer refused: `message` for the person, `reason` for the log."""

    def __init__(self, message, reason):
        super().__init__(reason)
        self.message = message
        self.reason = reason


def refuse(user, ceremony, message, reason):
    logger.warning("Passkey %s refused for user %s: %s", ceremony, user.pk, reason)
    return Refused(message, reason)


def relying_party(request):
    """This site's host name and origin, from the request's host (checked against ALLOWED_HOSTS)."""
    address = urlsplit(request.build_absolute_uri("/"))
    return address.hostname, f"{address.scheme}://{address.netloc}"


def has_passkey(user):
    return Passkey.objects.filter(user=user, confirmed=True).exists()


def descriptors(user):
    return [
        PublicKeyCredentialDescriptor(id=bytes(credential_id))
        for credential_id in Passkey.objects.filter(user=user).values_list("credential_id", flat=True)
    ]


def user_handle(user):
    """The account's handle on its authenticators: the one its passkeys share, or new random bytes."""
    existing = Passkey.objects.filter(user=user).values_list("user_handle", flat=True).first()
    return bytes(existing) if existing is not None else secrets.token_bytes(32)


def remember(request, options):
    """Keep the challenge for one answer; return the options as the page's JSON data."""
    request.session[CHALLENGE] = {"challenge": options.challenge.hex()}
    return json.loads(options_to_json(options))


def take_challenge(request, user, ceremony):
    """The waiting challenge, which can be answered once: it leaves the session now."""
    waiting = request.session.pop(CHALLENGE, None)
    if not waiting:
        raise refuse(user, ceremony, OUT_OF_DATE, "no challenge waiting (a replayed or expired answer)")
    return bytes.fromhex(waiting["challenge"])


def parsed(user, ceremony, answer):
    try:
        data = json.loads(answer)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("response"), dict):
        raise refuse(user, ceremony, NOT_CHECKED, "not a WebAuthn answer")
    return data


def registration_options(request, user):
    rp_id, _ = relying_party(request)
    handle = user_handle(user)
    request.session["passkey.handle"] = handle.hex()
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.OTP_TOTP_ISSUER,
        user_name=user.get_username(),
        user_id=handle,
        user_display_name=user.get_full_name() or user.get_username(),
        exclude_credentials=descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    return remember(request, options)


def register(request, user, answer, name):
    """Check the browser's answer to `registration_options` and keep the new passkey."""
    challenge = take_challenge(request, user, "registration")
    handle = bytes.fromhex(request.session.pop("passkey.handle", ""))
    data = parsed(user, "registration", answer)
    rp_id, origin = relying_party(request)
    try:
        verified = verify_registration_response(
            credential=data, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin
        )
    except InvalidRegistrationResponse as error:
        raise refuse(user, "registration", *explained(error)) from None
    if Passkey.objects.filter(credential_id=verified.credential_id).exists():
        raise refuse(user, "registration", ALREADY_SAVED, "passkey already registered")
    return Passkey.objects.create(
        user=user,
        name=name[:NAME_MAX_LENGTH],
        confirmed=True,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        user_handle=handle,
        sign_count=verified.sign_count,
    )


def authentication_options(request, user):
    rp_id, _ = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    return remember(request, options)


def authenticate(request, user, answer):
    """The user's passkey that answered `authentication_options` rightly, or Refused."""
    challenge = take_challenge(request, user, "sign-in")
    data = parsed(user, "sign-in", answer)
    try:
        credential_id = base64url_to_bytes(data.get("rawId") or data.get("id") or "")
    except (TypeError, ValueError):
        credential_id = b""
    passkey = Passkey.objects.filter(user=user, confirmed=True, credential_id=credential_id).first()
    if passkey is None:
        raise refuse(user, "sign-in", UNKNOWN, "not a passkey of this account (unknown or removed)")
    handle = data["response"].get("userHandle")
    if handle and not secrets.compare_digest(base64url_to_bytes(handle), bytes(passkey.user_handle)):
        raise refuse(user, "sign-in", WRONG_ACCOUNT, "wrong user handle")
    rp_id, origin = relying_party(request)
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except InvalidAuthenticationResponse as error:
        raise refuse(user, "sign-in", *explained(error)) from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return passkey


def explained(error):
    """py_webauthn's reason as (message for the person, reason for the log), without its values."""
    text = str(error)
    if "origin" in text or "RP ID hash" in text:
        return OTHER_SITE, "made for another origin"
    if "challenge" in text:
        return OUT_OF_DATE, "answer to another challenge (replayed)"
    if "sign count" in text:
        return COUNTER_BACKWARDS, "sign count went backwards or stood still"
    return NOT_CHECKED, "answer did not verify"


def ways_in(user):
    """How many ways past the password this user has: each passkey, the app, backup codes left."""
    return (
        Passkey.objects.filter(user=user, confirmed=True).count()
        + has_authenticator(user)
        + (backup_codes_left(user) > 0)
    )
