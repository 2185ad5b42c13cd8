"""Field encryption for personal data (个人信息保护法 §51; 等保 2.0 数据保密性).

Values are encrypted with AES-GCM under a key from the environment (GONGHUI_FIELD_KEY) or
generated once into the data dir; the stored form is "v1:" + base64(nonce ‖ ciphertext).
`lookup_hash` is an HMAC under a second key: equal inputs give equal hashes, so a unique
index on it enforces "one person, one ID number" and finds a person without decrypting.
Columns that hold ciphertext are `EncryptedTextField`s, so tools that must reach every
encrypted value (the restore's key check) find them over django.apps without naming an app.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import models

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


def decrypt(stored: str, key: str | None = None) -> str:
    """The plain value; `key` defaults to the installation's field key (a restore checks a
    keys file's key on the backup's data before the key is installed)."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(stored[len(PREFIX):])
    return _aead(key or settings.FIELD_KEY).decrypt(raw[:12], raw[12:], None).decode()


class EncryptedTextField(models.TextField):
    """A column holding `encrypt()`'s output. The class only marks the column: it stores text,
    and `deconstruct` names a plain TextField so that marking a column needs no migration."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model (core names no domain app)."""
    from django.apps import apps

    return [(model, field) for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField)]


def key_fingerprint(key: str) -> str:
    """A short public name for a key: tells two keys apart (a backup records the fingerprints
    of the keys its data needs) without revealing anything about either."""
    return hmac.new(key.encode(), b"gonghui key fingerprint v1", hashlib.sha256).hexdigest()[:16]


# Passphrase protection of an exported keys file: scrypt (RFC 7914; N=2^17, r=8 takes 128 MB
# and about 0.3 s, which makes guessing slow) derives an AES-256-GCM key.
SCRYPT_PARAMS = {"n": 2**17, "r": 8, "p": 1}


def seal_with_passphrase(data: bytes, passphrase: str, aad: bytes) -> dict:
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, **SCRYPT_PARAMS).derive(passphrase.encode())
    return {
        "kdf": {"name": "scrypt", "salt": base64.b64encode(salt).decode(), **SCRYPT_PARAMS},
        "cipher": "AES-256-GCM", "nonce": base64.b64encode(nonce).decode(),
        "ciphertext": base64.b64encode(AESGCM(key).encrypt(nonce, data, aad)).decode(),
    }


def open_with_passphrase(sealed: dict, passphrase: str, aad: bytes) -> bytes:
    """The data sealed by `seal_with_passphrase`; ValueError for a wrong passphrase, an altered
    file or parameters this version does not accept."""
    try:
        kdf = sealed["kdf"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if kdf["name"] != "scrypt" or sealed["cipher"] != "AES-256-GCM":
            raise ValueError("unsupported algorithm")
        if not (2**14 <= n <= 2**20 and 1 <= r <= 16 and 1 <= p <= 4):  # bounded: a file cannot exhaust memory
            raise ValueError("unsupported scrypt parameters")
        salt, nonce = base64.b64decode(kdf["salt"]), base64.b64decode(sealed["nonce"])
        key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())
        return AESGCM(key).decrypt(nonce, base64.b64decode(sealed["ciphertext"]), aad)
    except (KeyError, TypeError, ValueError, InvalidTag) as exc:
        raise ValueError("cannot open") from exc


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


# ID numbers (18 or 15 characters) and phone numbers (7 digits or more) inside free text,
# e.g. a search box: "张三 13812345678" or "138-1234-5678".
_NUMBER_IN_TEXT = re.compile(r"\d{17}[\dXx]|\d{3}[- ]\d{4}[- ]\d{4}|\d{7,}")


def mask_text(text: str) -> str:
    """Free text with every ID number and phone number in it masked, for logs (a searched
    term must not reach the access log in clear). Shorter digit runs (years, case numbers
    such as XF2025-00012) are kept."""

    def mask(match: re.Match) -> str:
        found = match.group()
        digits = re.sub(r"[- ]", "", found)
        if len(digits) in (15, 18):
            return mask_id(digits)
        return mask_phone(digits)

    return _NUMBER_IN_TEXT.sub(mask, text or "")
