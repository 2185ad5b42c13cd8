"""Hand-written twins of the 活动与阵地 line's figures (src/gonghui/activities/metrics.py)."""

from __future__ import annotations


def twins() -> dict:
    return {}
