"""Field encryption for personal data (个人信息保护法 §51; 等保 2.0 数据保密性).

Values are encrypted with AES-GCM under a key from the environment (GONGHUI_FIELD_KEY) or
generated once into the data dir; the stored form is "v1:" + base64(nonce ‖ ciphertext).
`lookup_hash` is an HMAC under a second key: equal inputs give equal hashes, so a unique
index on it enforces "one person, one ID number" and finds a person without decrypting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "v1:"


@cache
def _aead(key: str) -> AESGCM:
    return AESGCM(hashlib.sha256(key.encode()).digest())


def encrypt(plain: str) -> str:
    if not plain:
        return ""
    nonce = os.urandom(12)
    sealed = _aead(settings.FIELD_KEY).encrypt(nonce, plain.encode(), None)
    return PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(stored[len(PREFIX):])
    return _aead(settings.FIELD_KEY).decrypt(raw[:12], raw[12:], None).decode()


def lookup_hash(plain: str) -> str:
    return hmac.new(settings.LOOKUP_KEY.encode(), plain.encode(), hashlib.sha256).hexdigest()


def mask_id(number: str) -> str:
    """110105********002X: the first 6 and last 4 characters (DOMAIN §13.3)."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****1234."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
