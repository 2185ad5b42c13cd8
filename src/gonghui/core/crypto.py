"""Every use of cryptography in gonghui (个人信息保护法 §51; 等保 2.0 数据保密性/完整性; GB/T 39786 密评).

No other module imports a cipher, a hash or an HMAC (tests/core/test_crypto_boundary.py): whatever
is encrypted, hashed or signed goes through here, so the algorithm set can be switched as a whole.

Profiles (GONGHUI_CRYPTO_PROFILE, recorded per key version):
    intl  AES-256-GCM for fields, HMAC-SHA256 for lookup hashes, the audit chain and signatures
    gm    SM4-GCM (GB/T 32907) for fields, HMAC-SM3 (GB/T 32905) for the rest

Keys come in versions (a `Keyring`, loaded by core.keys): one version writes, every readable one
reads, so data written before a rotation stays readable until `gonghui keys rotate` has rewritten
it. Every stored value names the version and profile that produced it:
    ciphertext   "k<version>:<profile>:" + base64(nonce ‖ ciphertext ‖ tag)
    lookup hash  "k<version>:<profile>:" + hex(HMAC)
    audit entry  its `key` column, "k<version>:<profile>"
The forms written before versions existed are read as version 1, intl: a ciphertext "v1:" +
base64(nonce ‖ ciphertext), a lookup hash of 64 bare hex digits, an audit entry whose key is null.

SM4-GCM runs through the system's libgcrypt with one keyed handle per key and thread (the private
core._sm4gcm: `cryptography` rebuilds a whole OpenSSL context per value, several times the cost of
decrypting a short field), checked against the RFC 8998 vector before first use, and through
`cryptography` where libgcrypt cannot (GONGHUI_SM4_BACKEND=auto|libgcrypt|cryptography).

Columns that hold ciphertext are `EncryptedTextField`s and lookup-hash columns are
`LookupHashField`s (naming the encrypted column they hash), so tools that must reach every such
value (the restore's key check, the rotation) find them over django.apps without naming an app.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from cryptography import __version__ as cryptography_version
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import models

from . import _sm4gcm, clock

PROFILES = ("intl", "gm")
PROFILE_LABELS = {"intl": "AES-256-GCM / HMAC-SHA256", "gm": "SM4-GCM / HMAC-SM3（国密）"}
LEGACY_PREFIX = "v1:"
_VERSIONED = re.compile(r"^k(\d+):(intl|gm):")


class KeyUnavailable(ValueError):
    """A value written under a key version this installation cannot read (retired or unknown)."""


# --- keys -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyVersion:
    number: int
    profile: str
    field_key: str  # "" once the version is retired: its data has been rewritten
    lookup_key: str
    audit_key: str  # kept after retirement: the audit entries it signed are verified forever
    retired: bool = False

    @property
    def tag(self) -> str:
        return f"k{self.number}:{self.profile}"


@dataclass(frozen=True)
class Keyring:
    versions: dict[int, KeyVersion]
    write: int
    rotating: bool = False
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def writer(self) -> KeyVersion:
        return self.versions[self.write]

    def readable(self) -> list[KeyVersion]:
        """The versions data may be written in, the writer first."""
        others = [v for n, v in sorted(self.versions.items()) if n != self.write and not v.retired]
        return [self.writer, *others]

    def get(self, number: int) -> KeyVersion:
        version = self.versions.get(number)
        if version is None:
            raise KeyUnavailable(f"key version {number} unknown")
        return version


def keyring() -> Keyring:
    from . import (
        keys,  # keys loads the keyring (settings, the keyring file); crypto stays key-storage agnostic
    )

    return keys.keyring()


def new_key() -> str:
    """A fresh secret for a key version (400 bits from the OS's CSPRNG)."""
    return secrets.token_urlsafe(50)


# --- the two algorithm sets -----------------------------------------------------------------------

def _hash_algorithm(profile: str) -> hashes.HashAlgorithm:
    if profile == "gm":
        return hashes.SM3()
    if profile == "intl":
        return hashes.SHA256()
    raise ValueError(f"unknown crypto profile {profile!r}")


def digest(profile: str, data: bytes) -> bytes:
    """SHA-256 or SM3 of `data`."""
    h = hashes.Hash(_hash_algorithm(profile))
    h.update(data)
    return h.finalize()


def mac(profile: str, key: bytes, data: bytes) -> bytes:
    """HMAC-SHA256 or HMAC-SM3."""
    if profile == "intl":  # the standard library's is faster for the many short inputs of a rotation
        return hmac.new(key, data, hashlib.sha256).digest()
    # HMAC-SM3 through the standard library's OpenSSL (hmac.digest(key, data, "sm3")) was timed too:
    # no faster than this for lookup-sized inputs (docs/benchmarks.md, crypto section).
    h = crypto_hmac.HMAC(key, _hash_algorithm(profile))
    h.update(data)
    return h.finalize()


def mac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@cache
def _aesgcm(secret: str) -> AESGCM:
    return AESGCM(hashlib.sha256(secret.encode()).digest())  # as version 1 always derived it


@cache
def _sm4(secret: str) -> bytes:
    """The SM4 key of a secret (derived once per secret)."""
    return digest("gm", secret.encode())[:16]  # SM4 keys are 128 bits


SM4_BACKENDS = ("auto", "libgcrypt", "cryptography")

# RFC 8998 appendix A.1 (SM4-GCM): key and plain text of GB/T 32907's example, with a nonce and AAD.
_KAT_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
_KAT_NONCE = bytes.fromhex("00001234567800000000abcd")
_KAT_AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
_KAT_PLAIN = bytes.fromhex("aa" * 8 + "bb" * 8 + "cc" * 8 + "dd" * 8 + "ee" * 8 + "ff" * 8 + "ee" * 8 + "aa" * 8)
_KAT_SEALED = bytes.fromhex(
    "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15"
    "a56834cbcf98c397b4024a2691233b8d" "83de3541e4c2b58177e065a9bf7b62ec")


def _gcm_known_answer(encrypt, decrypt) -> bool:
    """Whether an SM4-GCM implementation gives RFC 8998's vector, opens it, and refuses it altered
    (the tag, the ciphertext, the associated data) and with its tag cut short."""
    if encrypt(_KAT_KEY, _KAT_NONCE, _KAT_PLAIN, _KAT_AAD) != _KAT_SEALED:
        return False
    if decrypt(_KAT_KEY, _KAT_NONCE, _KAT_SEALED, _KAT_AAD) != _KAT_PLAIN:
        return False
    flipped = bytes([_KAT_SEALED[0] ^ 1]) + _KAT_SEALED[1:]
    for sealed, aad in ((_KAT_SEALED[:-1] + bytes([_KAT_SEALED[-1] ^ 1]), _KAT_AAD), (flipped, _KAT_AAD),
                        (_KAT_SEALED, _KAT_AAD[:-1]), (_KAT_SEALED[:15], _KAT_AAD)):
        try:
            decrypt(_KAT_KEY, _KAT_NONCE, sealed, aad)
        except InvalidTag:
            continue
        return False
    return True


@cache
def _sm4_gcm():
    """(encrypt, decrypt, name) of the SM4-GCM implementation in use: libgcrypt where it is present
    and gives the known answer, else `cryptography`. GONGHUI_SM4_BACKEND=cryptography forces the
    latter; =libgcrypt refuses to run without libgcrypt (for an operator who must know which
    implementation 密评 looks at). Chosen once per process."""
    choice = os.environ.get("GONGHUI_SM4_BACKEND", "auto") or "auto"
    if choice not in SM4_BACKENDS:
        raise RuntimeError(f"GONGHUI_SM4_BACKEND 只能是 {'、'.join(SM4_BACKENDS)} 之一，而不是 {choice!r}。")
    if choice != "cryptography":
        try:
            version = _sm4gcm.load()
            if _gcm_known_answer(_sm4gcm.encrypt, _sm4gcm.decrypt):
                return _sm4gcm.encrypt, _sm4gcm.decrypt, f"libgcrypt {version}"
            problem = "与 RFC 8998 的标准数据不符"
        except (_sm4gcm.Unavailable, RuntimeError, OSError, ValueError) as exc:
            problem = str(exc)
        if choice == "libgcrypt":
            raise RuntimeError(f"GONGHUI_SM4_BACKEND=libgcrypt，但 libgcrypt 不能使用：{problem}")
    return _sm4_gcm_encrypt_cryptography, _sm4_gcm_decrypt_cryptography, f"cryptography {cryptography_version}"


def sm4_backend() -> str:
    """Which implementation does SM4-GCM in this process ("libgcrypt 1.10.1", "cryptography 50.0.2")."""
    return _sm4_gcm()[2]


@lru_cache(maxsize=16)  # a keyring has a few versions; bounded all the same
def _sm4_algorithm(key: bytes) -> algorithms.SM4:
    return algorithms.SM4(key)  # immutable, no state of any one encryption: made once per key


def _sm4_gcm_encrypt_cryptography(key: bytes, nonce: bytes, plain: bytes, aad: bytes = b"") -> bytes:
    encryptor = Cipher(_sm4_algorithm(key), modes.GCM(nonce)).encryptor()
    if aad:
        encryptor.authenticate_additional_data(aad)
    return encryptor.update(plain) + encryptor.finalize() + encryptor.tag


def _sm4_gcm_decrypt_cryptography(key: bytes, nonce: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    # `cryptography` offers SM4-GCM only through the Cipher interface, not as a one-shot AEAD class
    # like AESGCM: every value needs a fresh OpenSSL context (GCM contexts cannot take a new nonce).
    if len(sealed) < 16:
        raise InvalidTag()
    decryptor = Cipher(_sm4_algorithm(key), modes.GCM(nonce, sealed[-16:])).decryptor()
    if aad:
        decryptor.authenticate_additional_data(aad)
    return decryptor.update(sealed[:-16]) + decryptor.finalize()


def sm4_gcm_encrypt(key: bytes, nonce: bytes, plain: bytes, aad: bytes = b"") -> bytes:
    """SM4-GCM (GB/T 36624 / RFC 8998): ciphertext ‖ 16-byte tag."""
    return _sm4_gcm()[0](key, nonce, plain, aad)


def sm4_gcm_decrypt(key: bytes, nonce: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """The plain text of `sealed` (ciphertext ‖ 16-byte tag); InvalidTag when it does not verify."""
    return _sm4_gcm()[1](key, nonce, sealed, aad)


def sm4_block(key: bytes, block: bytes) -> bytes:
    """One SM4 block (ECB), for the GB/T 32907 known-answer self-test only."""
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 (a single test block)
    return encryptor.update(block) + encryptor.finalize()


def self_test() -> None:
    """Known-answer tests of the national algorithms (密评 expects the implementation to check
    itself before use): SM3 (GB/T 32905 A.1), SM4 (GB/T 32907 A.1), SM4-GCM (RFC 8998 A.1) through
    the implementation in use, and HMAC-SM3 as RFC 2104 builds it over SM3. Raises RuntimeError."""
    sm4 = bytes.fromhex("0123456789abcdeffedcba9876543210")
    if (digest("gm", b"abc").hex() != "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
            or sm4_block(sm4, sm4).hex() != "681edf34d206965e86b3e94f536e4246"):
        raise RuntimeError("SM3/SM4 self-test failed: the cryptography library gives wrong results")
    encrypt, decrypt, name = _sm4_gcm()
    if not _gcm_known_answer(encrypt, decrypt):
        raise RuntimeError(f"SM4-GCM self-test failed: {name} gives wrong results")
    key, message = b"gonghui self-test key", b"abc"
    padded = key.ljust(64, b"\0")
    inner = digest("gm", bytes(b ^ 0x36 for b in padded) + message)
    if mac("gm", key, message) != digest("gm", bytes(b ^ 0x5C for b in padded) + inner):
        raise RuntimeError("HMAC-SM3 self-test failed: it is not HMAC over SM3")


def _seal(profile: str, secret: str, plain: bytes) -> bytes:
    nonce = os.urandom(12)
    if profile == "intl":
        return nonce + _aesgcm(secret).encrypt(nonce, plain, None)
    return nonce + _sm4_gcm()[0](_sm4(secret), nonce, plain)


def _open(profile: str, secret: str, raw: bytes) -> bytes:
    if profile == "intl":
        return _aesgcm(secret).decrypt(raw[:12], raw[12:], None)
    return _sm4_gcm()[1](_sm4(secret), raw[:12], raw[12:])


# --- field encryption -----------------------------------------------------------------------------

def encrypt(plain: str, ring: Keyring | None = None) -> str:
    if not plain:
        return ""
    writer = (ring or keyring()).writer
    sealed = _seal(writer.profile, writer.field_key, plain.encode())
    return f"{writer.tag}:" + base64.b64encode(sealed).decode()


def parse_tag(stored: str) -> tuple[int, str, str]:
    """(key version, profile, the rest) of a stored ciphertext or lookup hash."""
    if stored.startswith(LEGACY_PREFIX):
        return 1, "intl", stored[len(LEGACY_PREFIX):]
    m = _VERSIONED.match(stored)
    if m is None:
        raise ValueError("unknown ciphertext version")
    return int(m.group(1)), m.group(2), stored[m.end():]


def decrypt(stored: str, ring: Keyring | None = None) -> str:
    """The plain value. ValueError (KeyUnavailable, InvalidTag is turned into ValueError too) when
    the keys cannot open it; `ring` defaults to the installation's (a restore checks a keys file's
    keyring on the backup's data before installing it)."""
    if not stored:
        return ""
    number, profile, body = parse_tag(stored)
    version = (ring or keyring()).get(number)
    if version.retired or not version.field_key:
        raise KeyUnavailable(f"key version {number} is retired")
    try:
        return _open(profile, version.field_key, base64.b64decode(body)).decode()
    except InvalidTag as exc:
        raise ValueError("the key does not open this value") from exc


def written_with(stored: str, version: KeyVersion) -> bool:
    """Whether a stored value already is in `version`'s key and profile (a rotation skips it)."""
    return bool(stored) and stored.startswith(version.tag + ":")


# --- lookup hashes (blind index) ------------------------------------------------------------------

def _lookup(version: KeyVersion, plain: str) -> str:
    return f"{version.tag}:" + mac(version.profile, version.lookup_key.encode(), plain.encode()).hex()


def lookup_hash(plain: str, ring: Keyring | None = None) -> str:
    """The hash to store for `plain`, under the writing key version."""
    return _lookup((ring or keyring()).writer, plain)


def lookup_hashes(plain: str, ring: Keyring | None = None) -> list[str]:
    """Every hash `plain` may be stored under while versions coexist (during a rotation, or for
    rows written before versions existed): filter with `column__in=lookup_hashes(x)`."""
    found = []
    for version in (ring or keyring()).readable():
        found.append(_lookup(version, plain))
        if version.number == 1:
            # Rows written before versions existed: bare HMAC-SHA256 hex under version 1's key.
            found.append(hmac.new(version.lookup_key.encode(), plain.encode(), hashlib.sha256).hexdigest())
    return list(dict.fromkeys(found))


# --- audit chain, checkpoints, signed tokens ------------------------------------------------------

def _version_of_tag(tag: str | None, ring: Keyring) -> tuple[KeyVersion, str]:
    """(the key version, the profile) a tag names. The profile is the tag's, not the version's
    current one: version 1's profile follows GONGHUI_CRYPTO_PROFILE until a rotation records it,
    and what was signed before a switch must still verify."""
    if not tag:
        return ring.get(1), "intl"
    m = _VERSIONED.match(tag + ":")
    if m is None:
        raise KeyUnavailable(f"unknown key tag {tag!r}")
    return ring.get(int(m.group(1))), m.group(2)


def audit_mac(tag: str | None, data: bytes, *, purpose: bytes = b"", ring: Keyring | None = None) -> str:
    """The audit chain's HMAC of `data` under the audit key of `tag` ("k2:gm"; None: an entry
    written before key versions, HMAC-SHA256 under version 1). A `purpose` derives a separate key
    (checkpoints use one, so a checkpoint's signature can never pass for an entry's hash)."""
    version, profile = _version_of_tag(tag, ring or keyring())
    key = version.audit_key.encode()
    if purpose:
        key = mac(profile, key, purpose)
    return mac(profile, key, data).hex()


def audit_tag(ring: Keyring | None = None) -> str:
    return (ring or keyring()).writer.tag


# Signed tokens the application hands out (a member card's verification code, an account's
# activation code): "<value>.<tag>.<expiry>.<mac>", where <tag> names the key version and profile
# ("k2:gm"), <expiry> is the last valid moment in Unix seconds ("0": none) and <mac> the first 128
# bits of HMAC-SHA256 / HMAC-SM3 over purpose, tag, expiry and value, under a key derived from the
# version's lookup key for that purpose alone (a card code can never pass for an activation code).
# A token verifies while its key version is readable: a rotation keeps old tokens valid until it
# finishes and retires their version; the features that issue long-lived tokens re-issue them then.
_TOKEN_KEY = b"gonghui signed token v2|"


def _token_mac(version: KeyVersion, profile: str, purpose: str, tag: str, expiry: str, value: str) -> str:
    key = mac(profile, version.lookup_key.encode(), _TOKEN_KEY + purpose.encode())
    return mac(profile, key, f"{tag}|{expiry}|{value}".encode()).hex()[:32]


def sign(value: str, *, purpose: str, expires_at: dt.datetime | None = None, max_age: dt.timedelta | None = None,
         ring: Keyring | None = None) -> str:
    """A token carrying `value` (any text; may contain ".") for `purpose` ("member-card",
    "activation"...), valid until `expires_at`, or for `max_age` from now, or without end."""
    if not purpose:
        raise ValueError("a signed token needs a purpose")
    if max_age is not None:
        expires_at = clock.now() + max_age
    expiry = str(int(expires_at.timestamp())) if expires_at is not None else "0"
    writer = (ring or keyring()).writer
    return f"{value}.{writer.tag}.{expiry}.{_token_mac(writer, writer.profile, purpose, writer.tag, expiry, value)}"


def unsign(token: str, *, purpose: str, now: dt.datetime | None = None, ring: Keyring | None = None) -> str | None:
    """The value of a token `sign` made for `purpose`, or None when it does not verify: altered, made
    for another purpose, expired (at `now`, default the clock's), or under a key version that is
    retired or unknown."""
    try:
        value, tag, expiry, signature = token.rsplit(".", 3)
        version, profile = _version_of_tag(tag, ring or keyring())
        deadline = int(expiry)
    except (ValueError, AttributeError):
        return None
    if not tag or version.retired or not version.lookup_key or not expiry.isdigit():
        return None
    if not mac_equal(_token_mac(version, profile, purpose, tag, expiry, value), signature):
        return None
    if deadline and (now or clock.now()).timestamp() > deadline:
        return None
    return value


# --- columns ---------------------------------------------------------------------------------------

class EncryptedTextField(models.TextField):
    """A column holding `encrypt()`'s output. The class only marks the column: it stores text,
    and `deconstruct` names a plain TextField so that marking a column needs no migration."""

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


class LookupHashField(models.CharField):
    """A column holding `lookup_hash()` of the plain value of the encrypted column `source` (a
    rotation re-hashes it from there). Marks the column only, like EncryptedTextField."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 80)  # "k<version>:<profile>:" + 64 hex digits
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedTextField]]:
    """Every encrypted column of every installed model (core names no domain app)."""
    from django.apps import apps

    return [(model, f) for model in apps.get_models() for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField)]


def lookup_fields() -> list[tuple[type[models.Model], LookupHashField]]:
    from django.apps import apps

    return [(model, f) for model in apps.get_models() for f in model._meta.concrete_fields
            if isinstance(f, LookupHashField)]


# --- fingerprints, files, the passphrase-protected keys file --------------------------------------

def key_fingerprint(key: str) -> str:
    """A short public name for a key: tells two keys apart (a backup records the fingerprints
    of the keys its data needs) without revealing anything about either."""
    return hmac.new(key.encode(), b"gonghui key fingerprint v1", hashlib.sha256).hexdigest()[:16]


def file_checksum(path: Path) -> str:
    """SHA-256 of a file: a backup's integrity list (not keyed, not a protection against an
    attacker: the keys file and the audit anchor are; kept SHA-256 under both profiles so that a
    backup's checksums stay comparable with `sha256sum`)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


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


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with HMAC-SM3 (the gm profile's password hashing). Listed first in PASSWORD_HASHERS
    under gm, so Django re-hashes a PBKDF2-SHA256 password at its owner's next successful login."""

    algorithm = "pbkdf2_sm3"

    def encode(self, password, salt, iterations=None):
        self._check_encode_args(password, salt)
        iterations = iterations or self.iterations
        derived = PBKDF2HMAC(algorithm=hashes.SM3(), length=32, salt=salt.encode(),
                             iterations=iterations).derive(password.encode())
        return f"{self.algorithm}${iterations}${salt}${base64.b64encode(derived).decode()}"
