"""Issue 13: the cost of field decryption per roster page (50 members, ID number and phone in
full, as the full-value export and the sensitive view decrypt them) under each crypto profile.

    GONGHUI_DATA_DIR=/tmp/x DJANGO_SETTINGS_MODULE=gonghui.settings .venv/bin/python bench/crypto_cost.py

The roster list itself decrypts nothing: it shows the masked columns stored beside the ciphertext.
"""

from __future__ import annotations

import statistics
import time

import django

django.setup()

from gonghui.core import crypto  # noqa: E402

PAGE, RUNS = 50, 400


def page_ms(profile: str) -> tuple[float, float]:
    ring = crypto.Keyring({1: crypto.KeyVersion(1, profile, crypto.new_key(), crypto.new_key(), crypto.new_key())}, 1)
    values = [crypto.encrypt(v, ring) for i in range(PAGE) for v in (f"43012119900101{i:04d}", f"1381234{i:04d}")]
    numbers = [f"43012119900101{i:04d}" for i in range(PAGE)]
    decrypt, hashes = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        for v in values:
            crypto.decrypt(v, ring)
        decrypt.append(time.perf_counter() - start)
        start = time.perf_counter()
        for n in numbers:
            crypto.lookup_hash(n, ring)
        hashes.append(time.perf_counter() - start)
    return statistics.median(decrypt) * 1000, statistics.median(hashes) * 1000


if __name__ == "__main__":
    results = {p: page_ms(p) for p in crypto.PROFILES}
    for profile, (dec, hsh) in results.items():
        print(f"{profile:5s} decrypt one page ({2 * PAGE} values): {dec:.3f} ms   lookup hashes ({PAGE}): {hsh:.3f} ms")
    print(f"gm / intl: decrypt {results['gm'][0] / results['intl'][0]:.2f}x, hash {results['gm'][1] / results['intl'][1]:.2f}x")
