"""Cached figures, never stale: every entry is keyed on the data version.

Computing every registered figure of a city is seconds of work, and the dashboard, the start page
and the drill-down ask for the same figures again and again while nothing changes. Every service
write appends an entry to the audit log in its own transaction (core.audit, ARCHITECTURE §4.2), so
the last entry (its sequence number and hash; entries that change no figure, such as logins, are
passed over) names the state of the data: `data_version()`. A cached value is looked up under the
version read *before* it was computed, so a write that lands during the computation only makes the
next view recompute; a cached value is therefore never older than the data it is served for.

The version is global, not per subtree: an entry carries one org path, while a write can change
figures of two subtrees (a transfer between townships, a move) or of all (an entry without an
org). A global version is always right; its cost is that any write anywhere recomputes.

The key also holds the org (id and path), the period, whether subordinates are included, the day
(figures of a period that is still running are taken as of today), the metric code and a
fingerprint of the rules in force (rounding, deadlines: core.config) and of the code, so that a
township's key can never name a county's figure. Access is checked by the views before anything is read here.

The cache is Django's default cache (settings.CACHES, GONGHUI_CACHE_URL): per process by default,
shared between workers with a file, database or Redis cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from django.core.cache import cache as django_cache

from . import clock, crypto
from .metrics import Value, compute, sharing
from .periods import Period

TIMEOUT = 24 * 3600  # seconds; the version makes entries obsolete, this only lets them go
PREFIX = "gh:fig:"


# Audit actions that change no figure: who may sign in and what they may see (access is checked
# before the cache is read), and key rotation. Every login writes an entry; without this list each
# login would make every cached figure recompute.
NEUTRAL_ACTIONS = ("accounts.", "core.keys.")


def data_version() -> str:
    """The state of the data: the last figure-relevant audit entry's sequence number and hash.

    The hash (chained over every entry's content and time) tells apart two databases that hold the
    same number of entries, e.g. a restored backup that was written to again, or two test runs.
    One row through the sequence index, read backwards past the latest neutral entries (logins)."""
    from django.db.models import Q

    from .models import AuditEvent

    neutral = Q()
    for prefix in NEUTRAL_ACTIONS:
        neutral |= Q(action__startswith=prefix)
    last = AuditEvent.objects.exclude(neutral).order_by("-seq").values_list("seq", "hash").first()
    return "0" if last is None else f"{last[0]}.{last[1][:16]}"


@cache
def rules_fingerprint() -> str:
    """A digest of every configurable rule in force and of the code (read once per process: the
    settings, the environment and the code do not change while it runs), so that a cache shared
    between processes (a file or Redis cache) never serves a figure computed under other rules or
    by an earlier version of a metric after an upgrade."""
    from pathlib import Path

    from . import config

    parts: list[bytes] = []
    for group in config.GROUPS:
        for key in sorted(group.defaults):
            try:
                parts.append(f"{group.setting}.{key}={group.get(key)!r}|".encode())
            except Exception:  # a value that does not parse is reported by `manage check`, not here
                parts.append(f"{group.setting}.{key}=?|".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        parts.append(str(path.relative_to(package)).encode())
        parts.append(path.read_bytes())
    # A fingerprint, not a secret: SHA-256 whatever the crypto profile (core.crypto owns the primitive).
    return crypto.digest("intl", b"".join(parts)).hex()[:16]


def key(version: str, kind: str, org, period: Period, *extra) -> str:
    raw = "|".join(str(p) for p in (version, kind, org.pk, org.path, period.start, period.end, clock.today(),
                                     rules_fingerprint(), *extra))
    # Hashed: a cache backend may limit key length (memcached: 250) and characters.
    return PREFIX + crypto.digest("intl", raw.encode()).hex()


def peek(org, period: Period, codes: Iterable[str], *, version: str,
         include_subordinates: bool = True) -> dict[str, Value]:
    """The cached figures among `codes` (one round trip to the cache; no database query)."""
    codes = list(codes)
    keys = {key(version, "value", org, period, include_subordinates, code): code for code in codes}
    found = django_cache.get_many(list(keys))
    return {keys[k]: v for k, v in found.items()}


def values(org, period: Period, codes: Iterable[str], *, version: str | None = None,
           include_subordinates: bool = True) -> dict[str, Value]:
    """{code: Value} for the node and period, from the cache where present, else computed through
    the registry (core.metrics.compute) and stored. `version`: data_version() read by the caller
    before anything else (one read per page); None reads it here."""
    codes = list(codes)
    version = data_version() if version is None else version
    out = peek(org, period, codes, version=version, include_subordinates=include_subordinates)
    with sharing():  # figures that count the same rows read them once
        fresh = {code: compute(code, org, period, include_subordinates) for code in codes if code not in out}
    if fresh:
        django_cache.set_many({key(version, "value", org, period, include_subordinates, code): v
                               for code, v in fresh.items()}, TIMEOUT)
        out.update(fresh)
    return {code: out[code] for code in codes}


def remember(kind: str, org, period: Period, extra: tuple, make: Callable[[], object], *, version: str):
    """Anything else derived from the figures of (org, period) (a chart's trend and breakdown),
    computed by `make` once per data version. `make` must return a picklable value."""
    k = key(version, kind, org, period, *extra)
    hit = django_cache.get(k)
    if hit is not None:
        return hit[0]
    value = make()
    django_cache.set(k, (value,), TIMEOUT)  # boxed, so that a None result is remembered too
    return value


def remembered(kind: str, org, period: Period, extra: tuple, *, version: str) -> bool:
    """Whether `remember` holds the value for these arguments (no computation, no query)."""
    return django_cache.get(key(version, kind, org, period, *extra)) is not None


def recall_many(kind: str, org, period: Period, extras: Iterable[tuple], *, version: str) -> dict[tuple, object]:
    """{extra: value} of what `remember` (or `keep`) holds for each of `extras` (one round trip to
    the cache; the missing ones are left out)."""
    keys = {key(version, kind, org, period, *extra): extra for extra in extras}
    return {keys[k]: hit[0] for k, hit in django_cache.get_many(list(keys)).items()}


def keep(kind: str, org, period: Period, extra: tuple, value, *, version: str) -> None:
    """Store `value` as `remember` would have (for values computed several at a time)."""
    django_cache.set(key(version, kind, org, period, *extra), (value,), TIMEOUT)
