"""A software WebAuthn authenticator for the portal's passkey tests: a real P-256 key, real CBOR
and real signatures, answering options as a browser would (the JSON passkey.js posts), so
py_webauthn checks them exactly as it checks a phone's. The browser test uses Chromium's own
virtual authenticator instead."""

from __future__ import annotations

import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from gonghui.portal import passkeys
from tests.portal.conftest import PASSWORD

UP, UV, AT = 0x01, 0x04, 0x40
TEST_RP = passkeys.RelyingParty(id="testserver", origin="http://testserver")  # Django's test client


def register_passkey(account, authenticator, name="我的手机"):
    """The two steps of adding a passkey, as the passkeys page runs them."""
    options, challenge, handle = passkeys.registration_begin(account=account, name=name, password=PASSWORD,
                                                             rp=TEST_RP)
    return passkeys.passkey_add(account=account, name=name, credential=authenticator.create(options),
                                challenge=challenge, user_handle=handle, rp=TEST_RP)


class SoftAuthenticator:
    def __init__(self, origin: str = "http://testserver", rp_id: str = "testserver"):
        self.origin, self.rp_id = origin, rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(32)
        self.user_handle = b""
        self.sign_count = 0

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin,
                           "crossOrigin": False}).encode()

    def create(self, options: str | dict, *, origin: str | None = None) -> str:
        """navigator.credentials.create() for the options' JSON: the credential as passkey.js posts it."""
        options = json.loads(options) if isinstance(options, str) else options
        self.user_handle = base64url_to_bytes(options["user"]["id"])
        rp_hash = hashlib.sha256(options["rp"]["id"].encode()).digest()
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._cose_key()
        auth_data = rp_hash + bytes([UP | UV | AT]) + struct.pack(">I", self.sign_count) + attested
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        cid = bytes_to_base64url(self.credential_id)
        return json.dumps({"id": cid, "rawId": cid, "type": "public-key",
                           "response": {"clientDataJSON": bytes_to_base64url(client_data),
                                        "attestationObject": bytes_to_base64url(attestation),
                                        "transports": ["internal"]},
                           "clientExtensionResults": {}})

    def get(self, options: str | dict, *, origin: str | None = None, sign_count: int | None = None) -> str:
        """navigator.credentials.get(): an assertion over the challenge, the counter one up (or as given)."""
        options = json.loads(options) if isinstance(options, str) else options
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        rp_hash = hashlib.sha256(options.get("rpId", self.rp_id).encode()).digest()
        auth_data = rp_hash + bytes([UP | UV]) + struct.pack(">I", self.sign_count)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        cid = bytes_to_base64url(self.credential_id)
        return json.dumps({"id": cid, "rawId": cid, "type": "public-key",
                           "response": {"clientDataJSON": bytes_to_base64url(client_data),
                                        "authenticatorData": bytes_to_base64url(auth_data),
                                        "signature": bytes_to_base64url(signature),
                                        "userHandle": bytes_to_base64url(self.user_handle)},
                           "clientExtensionResults": {}})
