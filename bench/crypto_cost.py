"""Issue 13: the cost of field decryption per roster page (50 members, ID number and phone in
full, as the full-value export and the sensitive view decrypt them) under each crypto profile.

    GONGHUI_DATA_DIR=/tmp/x DJANGO_SETTINGS_MODULE=gonghui.settings .venv/bin/python bench/crypto_cost.py

The roster list itself decrypts nothing: it shows the masked columns stored beside the ciphertext.
The two profiles are timed alternately, page after page, so that a load change on a shared
machine hits both alike; the ratio is the median of the per-round ratios. Encrypting a page (an
import, a rotation) and the lookup hashes of its ID numbers are timed the same way.
GONGHUI_SM4_BACKEND=cryptography times gm through `cryptography` instead of libgcrypt.
"""

from __future__ import annotations

import statistics
import time

import django

django.setup()

from gonghui.core import crypto  # noqa: E402

PAGE, ROUNDS = 50, 400


def setup(profile: str):
    ring = crypto.Keyring({1: crypto.KeyVersion(1, profile, crypto.new_key(), crypto.new_key(), crypto.new_key())}, 1)
    values = [crypto.encrypt(v, ring) for i in range(PAGE) for v in (f"43012119900101{i:04d}", f"1381234{i:04d}")]
    numbers = [f"43012119900101{i:04d}" for i in range(PAGE)]
    return ring, values, numbers


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    print(f"SM4-GCM through {crypto.sm4_backend()}")
    cases = {p: setup(p) for p in crypto.PROFILES}
    dec = {p: [] for p in cases}
    enc = {p: [] for p in cases}
    hsh = {p: [] for p in cases}
    for _ in range(ROUNDS):
        for profile, (ring, values, numbers) in cases.items():
            plain = [crypto.decrypt(v, ring) for v in values]
            dec[profile].append(timed(lambda: [crypto.decrypt(v, ring) for v in values]))  # noqa: B023
            enc[profile].append(timed(lambda: [crypto.encrypt(v, ring) for v in plain]))  # noqa: B023
            hsh[profile].append(timed(lambda: [crypto.lookup_hash(n, ring) for n in numbers]))  # noqa: B023
    for profile in cases:
        print(f"{profile:5s} decrypt one page ({2 * PAGE} values): {statistics.median(dec[profile]) * 1000:.3f} ms"
              f"   encrypt it: {statistics.median(enc[profile]) * 1000:.3f} ms"
              f"   lookup hashes ({PAGE}): {statistics.median(hsh[profile]) * 1000:.3f} ms")
    ratio, eratio, hratio = (statistics.median(g / i for g, i in zip(t["gm"], t["intl"], strict=True))
                             for t in (dec, enc, hsh))
    print(f"gm / intl: decrypt {ratio:.2f}x, encrypt {eratio:.2f}x, hash {hratio:.2f}x")

    gm_us, intl_us = (statistics.median(dec[p]) * 1e6 / (2 * PAGE) for p in ("gm", "intl"))
    print(f"per decrypted value: gm {gm_us:.2f} µs, intl {intl_us:.2f} µs, difference {gm_us - intl_us:.2f} µs")


if __name__ == "__main__":
    main()
