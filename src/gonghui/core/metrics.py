"""The metric registry: every figure the system shows is computed here, once.

Each app's metrics.py registers its indicators with `@metric(...)`: a code such as
`orgs.coverage_rate`, a Chinese label, a unit and a function of
(org, period, include_subordinates). Dashboards, tables, the work summary, the CLI and
the API read figures only through `compute()`, so one figure never has two implementations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .periods import Period


@dataclass(frozen=True)
class Value:
    value: int | Decimal | None
    numerator: int | None = None
    denominator: int | None = None

    def as_dict(self) -> dict:
        out: dict = {"value": float(self.value) if isinstance(self.value, Decimal) else self.value}
        if self.denominator is not None:
            out["numerator"] = self.numerator
            out["denominator"] = self.denominator
        return out


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    group: str
    func: Callable[..., Value]
    description: str = ""

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"


REGISTRY: dict[str, Metric] = {}


def metric(code: str, *, label: str, unit: str, group: str, description: str = ""):
    def decorator(func):
        if code in REGISTRY:
            raise ValueError(f"metric {code} registered twice")
        REGISTRY[code] = Metric(code, label, unit, group, func, description)
        return func

    return decorator


def rate(numerator: int, denominator: int, decimals: int = 2) -> Value:
    """A percentage, rounded half up; None when there is nothing to divide by."""
    if not denominator:
        return Value(None, numerator, denominator)
    pct = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    return Value(pct, numerator, denominator)


def compute(code: str, org, period: Period, include_subordinates: bool = True) -> Value:
    result = REGISTRY[code].func(org, period, include_subordinates)
    return result if isinstance(result, Value) else Value(result)


def compute_all(org, period: Period, include_subordinates: bool = True, prefix: str = "") -> dict[str, Value]:
    return {
        code: compute(code, org, period, include_subordinates)
        for code in REGISTRY
        if code.startswith(prefix)
    }
