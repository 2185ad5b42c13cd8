"""Hand-written twins of the 劳模与荣誉 line's figures (src/gonghui/honours/metrics.py)."""

from __future__ import annotations


def twins() -> dict:
    return {}
