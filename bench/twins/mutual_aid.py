"""Hand-written twins of the 互助保障 line's figures (src/gonghui/mutual_aid/metrics.py)."""

from __future__ import annotations


def twins() -> dict:
    return {}
