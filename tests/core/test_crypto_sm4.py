"""SM4-GCM through libgcrypt (core/_sm4gcm.py, the gm profile's fast path): the published vector, the
same bytes as the `cryptography` path both ways, tampering refused, one keyed handle per key and
thread that is closed when dropped, and the `cryptography` fallback chosen by GONGHUI_SM4_BACKEND."""

import base64
import gc
import json
import os
import subprocess
import sys
import threading
import weakref
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from gonghui.core import _sm4gcm, crypto

ROOT = Path(__file__).resolve().parents[2]
KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
NONCE = bytes.fromhex("00001234567800000000abcd")
AAD = bytes.fromhex("feedfacedeadbeeffeedfacedeadbeefabaddad2")
PLAIN = bytes.fromhex("aa" * 8 + "bb" * 8 + "cc" * 8 + "dd" * 8 + "ee" * 8 + "ff" * 8 + "ee" * 8 + "aa" * 8)
SEALED = bytes.fromhex(  # RFC 8998 A.1: ciphertext ‖ tag
    "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15"
    "a56834cbcf98c397b4024a2691233b8d" "83de3541e4c2b58177e065a9bf7b62ec")
SLOW_SEAL, SLOW_OPEN = crypto._sm4_gcm_encrypt_cryptography, crypto._sm4_gcm_decrypt_cryptography


def test_the_fast_path_is_in_use_and_gives_the_rfc_8998_vector():
    # scripts/system-deps.sh installs libgcrypt20 where it is missing: CI runs the fast path.
    assert crypto.sm4_backend().startswith("libgcrypt 1."), crypto.sm4_backend()
    assert _sm4gcm.encrypt(KEY, NONCE, PLAIN, AAD) == SEALED
    assert _sm4gcm.decrypt(KEY, NONCE, SEALED, AAD) == PLAIN
    assert crypto.sm4_gcm_encrypt(KEY, NONCE, PLAIN, AAD) == SEALED
    # Without associated data too (a stored field has none), against the other implementation.
    assert _sm4gcm.encrypt(KEY, NONCE, PLAIN) == SLOW_SEAL(KEY, NONCE, PLAIN) != SEALED
    crypto.self_test()


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 18, 32, 33, 63, 64, 65, 1000, 70_000])
def test_both_paths_make_the_same_bytes_and_open_each_others(size):
    key, nonce, aad = os.urandom(16), os.urandom(12), os.urandom(size % 23)
    plain = os.urandom(size)
    fast = _sm4gcm.encrypt(key, nonce, plain, aad)
    assert fast == SLOW_SEAL(key, nonce, plain, aad) and len(fast) == size + 16
    assert SLOW_OPEN(key, nonce, fast, aad) == plain
    assert _sm4gcm.decrypt(key, nonce, SLOW_SEAL(key, nonce, plain, aad), aad) == plain
    # After a large value grew the thread's buffer a short one still comes back exact.
    assert _sm4gcm.decrypt(key, nonce, _sm4gcm.encrypt(key, nonce, b"ab"), b"") == b"ab"


def test_stored_gm_values_open_through_either_path():
    ring = crypto.Keyring({1: crypto.KeyVersion(1, "gm", "field", "lookup", "audit")}, 1)
    stored = crypto.encrypt("430121199001011234", ring)
    raw = base64.b64decode(crypto.parse_tag(stored)[2])
    key = crypto.digest("gm", b"field")[:16]
    assert SLOW_OPEN(key, raw[:12], raw[12:]) == b"430121199001011234"
    # A value sealed by the cryptography path, as written before this path existed.
    nonce = os.urandom(12)
    old = "k1:gm:" + base64.b64encode(nonce + SLOW_SEAL(key, nonce, "张三".encode())).decode()
    assert crypto.decrypt(old, ring) == "张三"


def test_any_change_is_refused_and_the_handle_keeps_working():
    changed = [
        (NONCE, SEALED[:-1] + bytes([SEALED[-1] ^ 1]), AAD),  # tag
        (NONCE, bytes([SEALED[0] ^ 0x80]) + SEALED[1:], AAD),  # ciphertext
        (NONCE, SEALED, AAD[:-1]),  # associated data
        (NONCE, SEALED, b""),
        (bytes([NONCE[0] ^ 1]) + NONCE[1:], SEALED, AAD),  # nonce
        (NONCE, SEALED[:-16], AAD),  # the tag cut off
        (NONCE, SEALED[:15], AAD),  # shorter than a tag
        (NONCE, b"", AAD),
    ]
    for nonce, sealed, aad in changed:
        with pytest.raises(InvalidTag):
            _sm4gcm.decrypt(KEY, nonce, sealed, aad)
        with pytest.raises(InvalidTag):
            crypto.sm4_gcm_decrypt(KEY, nonce, sealed, aad)
        assert _sm4gcm.decrypt(KEY, NONCE, SEALED, AAD) == PLAIN  # no state left by the refusal
    with pytest.raises(InvalidTag):
        _sm4gcm.decrypt(os.urandom(16), NONCE, SEALED, AAD)
    other = crypto.Keyring({1: crypto.KeyVersion(1, "gm", "another", "lookup", "audit")}, 1)
    ring = crypto.Keyring({1: crypto.KeyVersion(1, "gm", "field", "lookup", "audit")}, 1)
    with pytest.raises(ValueError, match="does not open"):
        crypto.decrypt(crypto.encrypt("13812345678", ring), other)


def test_threads_decrypt_at_once_each_with_its_own_handles_closed_when_the_thread_ends():
    keys = [os.urandom(16) for _ in range(3)]
    values = [(k, n, os.urandom(20 + i)) for i, (k, n) in enumerate((k, os.urandom(12)) for k in keys * 3)]
    sealed = [(k, n, p, SLOW_SEAL(k, n, p)) for k, n, p in values]
    errors, handles = [], []
    start = threading.Barrier(4)

    def work():
        try:
            start.wait()
            for _ in range(300):
                for key, nonce, plain, box in sealed:
                    if _sm4gcm.decrypt(key, nonce, box) != plain:
                        errors.append("wrong plain text")
            handles.extend(weakref.ref(entry[3]) for entry in _sm4gcm._local.handles.values())
        except Exception as exc:  # reported below: an assertion in a thread would go unseen
            errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(handles) == 12  # 3 keys × 4 threads, none shared
    gc.collect()
    assert [h for h in handles if h() is not None] == []  # each closed with its thread


def test_a_thread_keeps_at_most_max_keys_handles():
    keys = [os.urandom(16) for _ in range(_sm4gcm.MAX_KEYS + 3)]
    first = None
    for key in keys:
        _sm4gcm.encrypt(key, NONCE, b"x")
        if first is None:
            first = weakref.ref(_sm4gcm._local.handles[key][3])
    assert len(_sm4gcm._local.handles) == _sm4gcm.MAX_KEYS and keys[0] not in _sm4gcm._local.handles
    gc.collect()
    assert first() is None
    assert _sm4gcm.decrypt(keys[0], NONCE, SLOW_SEAL(keys[0], NONCE, b"x")) == b"x"  # made again


CHILD = """
import json, sys
from gonghui.core import crypto
crypto.self_test()
args = json.loads(sys.argv[1])
key, nonce = bytes.fromhex(args["key"]), bytes.fromhex(args["nonce"])
print(json.dumps({
    "backend": crypto.sm4_backend(),
    "opened": crypto.sm4_gcm_decrypt(key, nonce, bytes.fromhex(args["sealed"])).hex(),
    "sealed": crypto.sm4_gcm_encrypt(key, nonce, bytes.fromhex(args["plain"])).hex(),
}))
"""


def _child(backend: str, **args) -> subprocess.CompletedProcess:
    env = {**os.environ, "GONGHUI_SM4_BACKEND": backend, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    return subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_the_cryptography_fallback_opens_fast_path_values_and_makes_the_same_bytes():
    key, nonce, plain = os.urandom(16), os.urandom(12), b"430121199001011234"
    sealed = _sm4gcm.encrypt(key, nonce, plain)
    args = {"key": key.hex(), "nonce": nonce.hex(), "sealed": sealed.hex(), "plain": plain.hex()}
    for backend, name in (("cryptography", "cryptography "), ("libgcrypt", "libgcrypt "), ("auto", "libgcrypt ")):
        done = _child(backend, **args)
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert answer["backend"].startswith(name)
        assert (answer["opened"], answer["sealed"]) == (plain.hex(), sealed.hex())
    refused = _child("openssl", **args)
    assert refused.returncode != 0 and "GONGHUI_SM4_BACKEND 只能是" in refused.stderr
