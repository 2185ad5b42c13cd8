"""Hand-written twins of the 工会经费 line's figures (src/gonghui/funds/metrics.py)."""

from __future__ import annotations


def twins() -> dict:
    return {}
