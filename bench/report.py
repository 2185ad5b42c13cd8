"""Shared by the benchmark's tables (bench/run.py, bench/members_io.py)."""


def verdict(misses: list[str], informational: bool) -> str:
    """The result cell: PASS, or MISS with its reasons; lower case and marked on SQLite."""
    if informational:
        return ("miss" if misses else "pass") + " (informational)"
    return ("MISS: " + "; ".join(misses)) if misses else "PASS"
