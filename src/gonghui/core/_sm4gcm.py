"""SM4-GCM through the system's libgcrypt, with one keyed handle per key and thread (core.crypto's
private helper: nothing else imports it; tests/core/test_crypto.py keeps it that way).

Why: `cryptography` offers SM4-GCM only through its generic `Cipher` interface, which builds a new
OpenSSL context (cipher fetch, SM4 key schedule, GHASH key) for every value; for the short fields
gonghui encrypts that costs several times the decryption itself (docs/benchmarks.md, crypto
section). libgcrypt (the GnuPG project's library, Debian package libgcrypt20, present wherever
systemd is) has SM4 since 1.9 and lets a keyed GCM handle take a new nonce: per value it is three
calls (set the nonce, decrypt, check the tag) and the key schedule is made once. The system
OpenSSL 3.0 of Debian 12 has no SM4-GCM (3.5 has), and the OpenSSL inside `cryptography` is not
reachable, so libgcrypt is the one library at hand that can do this.

Same algorithm and format as the `cryptography` path (GB/T 36624 / RFC 8998 SM4-GCM, 12-byte nonce,
16-byte tag): each opens what the other sealed. core.crypto checks this path against the RFC 8998
vector when it loads it, and uses `cryptography` when libgcrypt is missing, too old, refuses SM4
(FIPS mode) or gives a wrong answer, or when GONGHUI_SM4_BACKEND=cryptography.

Handles are per thread (a libgcrypt handle holds the state of one operation; gunicorn threads and the
job worker decrypt at once) and per key, at most MAX_KEYS of them per thread (a keyring has a few key
versions; tests make many): the oldest is closed, and a thread's handles are closed when the thread
ends. gcry_cipher_close wipes the key schedule.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

from cryptography.exceptions import InvalidTag  # the other path's exception: callers see one

_GCRY_CIPHER_SM4 = 318  # gcrypt.h
_GCRY_CIPHER_MODE_GCM = 9
_GCRYCTL_INITIALIZATION_FINISHED = 38
_MIN_VERSION = b"1.9.0"  # the first with SM4
TAG = 16
MAX_KEYS = 8


class Unavailable(Exception):
    """libgcrypt cannot do SM4-GCM here (missing, too old, or SM4 refused, e.g. in FIPS mode)."""


def _load() -> tuple[ctypes.PyDLL, str]:
    # PyDLL: the calls keep the GIL. Each takes well under a microsecond, less than releasing and
    # taking back the GIL around it costs (measured: the per-value cost drops by about an eighth).
    for name in filter(None, ["libgcrypt.so.20", ctypes.util.find_library("gcrypt")]):
        try:
            lib = ctypes.PyDLL(name)
            break
        except OSError:
            continue
    else:
        raise Unavailable("libgcrypt not found")
    lib.gcry_check_version.restype = ctypes.c_char_p
    lib.gcry_check_version.argtypes = [ctypes.c_char_p]
    # Initialises the library (it must come before any other call) and checks its version.
    version = lib.gcry_check_version(_MIN_VERSION)
    if version is None:
        raise Unavailable(f"libgcrypt older than {_MIN_VERSION.decode()}")
    lib.gcry_control(_GCRYCTL_INITIALIZATION_FINISHED, 0)
    lib.gcry_cipher_open.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int, ctypes.c_uint]
    lib.gcry_cipher_setkey.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.gcry_cipher_close.argtypes = [ctypes.c_void_p]
    lib.gcry_cipher_close.restype = None
    return lib, version.decode()


_lib = None
_version = ""
_local = threading.local()
# The per-value calls, bound once. They keep ctypes' default conversion (bytes → const char *, a
# c_void_p or buffer → pointer, int → int): declaring argtypes makes every call slower. Lengths
# passed as int are safe: a field is far below 2 GB, and libffi widens them to size_t.
_setiv = _authenticate = _encrypt = _decrypt = _gettag = _checktag = None


def load() -> str:
    """Load libgcrypt (once); its version. Raises Unavailable."""
    global _lib, _version, _setiv, _authenticate, _encrypt, _decrypt, _gettag, _checktag
    if _lib is None:
        lib, _version = _load()
        _setiv, _authenticate = lib.gcry_cipher_setiv, lib.gcry_cipher_authenticate
        _encrypt, _decrypt = lib.gcry_cipher_encrypt, lib.gcry_cipher_decrypt
        _gettag, _checktag = lib.gcry_cipher_gettag, lib.gcry_cipher_checktag
        _lib = lib
    return _version


class _Handle:
    """A GCM handle keyed once; closed (and its key schedule wiped) when dropped."""

    __slots__ = ("ptr", "_close", "__weakref__")

    def __init__(self, key: bytes):
        ptr = ctypes.c_void_p()
        if _lib.gcry_cipher_open(ctypes.byref(ptr), _GCRY_CIPHER_SM4, _GCRY_CIPHER_MODE_GCM, 0):
            raise Unavailable("libgcrypt refuses SM4-GCM (FIPS mode?)")
        self.ptr, self._close = ptr, _lib.gcry_cipher_close
        if _lib.gcry_cipher_setkey(ptr, key, len(key)):
            raise ValueError("SM4 keys are 16 bytes")

    def __del__(self):
        if getattr(self, "ptr", None):
            self._close(self.ptr)
            self.ptr = None


def _entry(key: bytes, size: int):
    """This thread's (handle pointer, output buffer of at least `size` bytes, tag buffer, handle)
    for `key`, made on first use; the oldest of MAX_KEYS is dropped."""
    handles = _local.__dict__.setdefault("handles", {})
    entry = handles.pop(key, None)
    if entry is None:
        if len(handles) >= MAX_KEYS:
            del handles[next(iter(handles))]
        handle = _Handle(key)
        entry = (handle.ptr, ctypes.create_string_buffer(max(size, 64)), ctypes.create_string_buffer(TAG), handle)
    elif len(entry[1]) < size:
        entry = (entry[0], ctypes.create_string_buffer(size), entry[2], entry[3])
    handles[key] = entry
    return entry


def encrypt(key: bytes, nonce: bytes, plain: bytes, aad: bytes = b"") -> bytes:
    """ciphertext ‖ 16-byte tag."""
    n = len(plain)
    try:
        ptr, buffer, tag, _ = _local.handles[key]
        if len(buffer) < n:
            raise KeyError
    except (AttributeError, KeyError):
        ptr, buffer, tag, _ = _entry(key, n)
    if (_setiv(ptr, nonce, len(nonce))
            or (aad and _authenticate(ptr, aad, len(aad)))
            or _encrypt(ptr, buffer, n, plain, n)
            or _gettag(ptr, tag, TAG)):
        raise RuntimeError("libgcrypt SM4-GCM encryption failed")
    return buffer.raw[:n] + tag.raw


def decrypt(key: bytes, nonce: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """The plain text of `sealed` (ciphertext ‖ 16-byte tag); InvalidTag when it does not verify
    (wrong key, altered ciphertext, tag or associated data). Nothing decrypted is returned before
    the tag has been checked."""
    n = len(sealed) - TAG
    if n < 0:
        raise InvalidTag
    # Written out rather than split into helpers: this runs for every field shown, and each Python
    # call costs about as much as one of the three library calls.
    try:
        ptr, buffer, _, _ = _local.handles[key]
        if len(buffer) < n:
            raise KeyError
    except (AttributeError, KeyError):
        ptr, buffer, _, _ = _entry(key, n)
    if (_setiv(ptr, nonce, len(nonce))
            or (aad and _authenticate(ptr, aad, len(aad)))
            or _decrypt(ptr, buffer, n, sealed, n)):
        raise RuntimeError("libgcrypt SM4-GCM decryption failed")
    if _checktag(ptr, sealed[n:], TAG):  # constant-time comparison inside libgcrypt
        raise InvalidTag
    return buffer.raw[:n]
