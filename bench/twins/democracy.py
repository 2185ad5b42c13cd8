"""Hand-written twins of the 民主管理 line's figures (src/gonghui/democracy/metrics.py)."""

from __future__ import annotations


def twins() -> dict:
    return {}
