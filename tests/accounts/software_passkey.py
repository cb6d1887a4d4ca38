"""
A passkey in Python, for checking the server's side of WebAuthn without a browser: it answers
the site's options the way an authenticator does (EC P-256, no attestation), and can be told to
misbehave (another origin, an old counter, another account's handle).
"""

import hashlib
import json
import re
import secrets
from base64 import urlsafe_b64encode

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP_UV = 0x01 | 0x04
ATTESTED = 0x40


def b64url(data):
    return urlsafe_b64encode(data).rstrip(b"=").decode()


def options_on(response):
    """The WebAuthn options a page carries for static/js/passkeys.js."""
    found = re.search(
        r'<script id="passkey-options" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert found, "the page carries no passkey options"
    return json.loads(found.group(1))


class SoftwarePasskey:
    def __init__(self, origin="http://testserver", rp_id="testserver"):
        self.origin = origin
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.sign_count = 0
        self.user_handle = None

    def client_data(self, kind, options, origin):
        data = {"type": kind, "challenge": options["challenge"], "origin": origin or self.origin}
        return json.dumps({**data, "crossOrigin": False}).encode()

    def cose_public_key(self):
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32), -3: numbers.y.to_bytes(32)})

    def create(self, options, origin=None):
        """The answer to navigator.credentials.create(), as passkeys.js posts it."""
        self.user_handle = options["user"]["id"]
        attested = len(self.credential_id).to_bytes(2) + self.credential_id + self.cose_public_key()
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest()
            + bytes([UP_UV | ATTESTED])
            + self.sign_count.to_bytes(4)
            + bytes(16)
            + attested
        )
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        response = {
            "clientDataJSON": b64url(self.client_data("webauthn.create", options, origin)),
            "attestationObject": b64url(attestation),
            "transports": ["internal"],
        }
        return self.credential(response)

    def get(self, options, origin=None, sign_count=None, user_handle=None):
        """The answer to navigator.credentials.get(); each moves the counter on unless told a count."""
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        client_data = self.client_data("webauthn.get", options, origin)
        auth_data = (
            hashlib.sha256(self.rp_id.encode()).digest() + bytes([UP_UV]) + self.sign_count.to_bytes(4)
        )
        signed = auth_data + hashlib.sha256(client_data).digest()
        response = {
            "clientDataJSON": b64url(client_data),
            "authenticatorData": b64url(auth_data),
            "signature": b64url(self.key.sign(signed, ec.ECDSA(hashes.SHA256()))),
            "userHandle": user_handle or self.user_handle,
        }
        return self.credential(response)

    def credential(self, response):
        credential_id = b64url(self.credential_id)
        return json.dumps(
            {
                "id": credential_id,
                "rawId": credential_id,
                "type": "public-key",
                "response": response,
                "clientExtensionResults": {},
                "authenticatorAttachment": "platform",
            }
        )
