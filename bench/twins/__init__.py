"""Every registered figure's hand-written SQL twin.

Each submodule (one per work line: orgs, members, bargaining, petitions, assistance, …) defines
`twins() -> {metric code: Twin}`: the same figure written directly against the database, the way
one would write it by hand (subtrees as a range on the materialized path, as few round trips as
the answer allows, `%s` parameters so the text runs on SQLite and PostgreSQL alike). A twin reads
the settings it needs itself (thresholds, bases) so that it follows the configuration in force.

`bench/run.py` times each figure against its twin; `tests/bench/test_twins.py` (in CI, on the
small demo, both databases) checks that every registered figure has a twin and that both give the
same answer, so a changed definition can never silently break the benchmark again.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

# The work lines whose figures have twins here; a new line adds its module name.
MODULES = ("orgs", "members", "bargaining", "petitions", "assistance", "annual", "funds", "mutual_aid", "democracy",
           "honours", "activities")

# Conditions the org and member twins share: a row's org placed under the path range [p, hi) on
# `at`, and an org that exists on `at`. Each takes its parameters in the order written.
PLACED = "pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)"
ACTIVE_ORG = "(o.founded_on <= %s OR o.founded_on IS NULL) AND (o.dissolved_on IS NULL OR o.dissolved_on > %s)"


@dataclass(frozen=True)
class Twin:
    # (cursor, the node's path on the period's cut-off, period, **filters) -> int | Decimal | (num, den)
    func: Callable[..., object]
    # "value": compare with Value.value; "fraction": with (Value.numerator, Value.denominator)
    shape: str = "value"

    def run(self, cursor, path: str, period, **filters):
        return self.func(cursor, path, period, **filters)

    def answer(self, value) -> object:
        """The application's Value in the twin's shape."""
        if self.shape == "fraction":
            return (value.numerator, value.denominator)
        return value.value


def value(func) -> Twin:
    return Twin(func, "value")


def fraction(func) -> Twin:
    return Twin(func, "fraction")


def placed(p: str, at) -> list:
    """PLACED's parameters."""
    from hand_sql import successor

    return [p, successor(p), at, at]


def one(cursor, sql: str, params: list) -> tuple:
    cursor.execute(sql, params)
    return cursor.fetchone()


def all_twins() -> dict[str, Twin]:
    out: dict[str, Twin] = {}
    for name in MODULES:
        try:
            module = importlib.import_module(f"twins.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"twins.{name}":
                raise
            continue
        for code, twin in module.twins().items():
            if code in out:
                raise ValueError(f"twin for {code} defined twice")
            out[code] = twin
    return out
