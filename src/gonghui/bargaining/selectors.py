"""Reads of the bargaining work line that are more than one filter.

"Expiring" is defined here once: the figure (bargaining.contracts_expiring), the registry's
三个月内到期 view and the renegotiation reminder all call `expiring_q`, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from gonghui.core import clock

from . import conf
from .models import Status, in_force_q


def expiry_horizon(at: dt.date) -> dt.date:
    """The last end date that counts as expiring on `at`: EXPIRING_MONTHS months ahead."""
    return clock.add_months(at, conf.get("EXPIRING_MONTHS"))


def expiring_q(at: dt.date, prefix: str = "") -> Q:
    """Contracts expiring as of `at`: in force on `at` and ending by `expiry_horizon(at)`, so
    the renegotiation (续订) should start."""
    return in_force_q(at, prefix) & Q(**{f"{prefix}end_on__lte": expiry_horizon(at)})


def renewal_started_q() -> Q:
    """Contracts whose renewal is already under way (a follow-up contract not abandoned)."""
    return Q(renewals__status__in=[s for s in Status.values if s != Status.ABANDONED])
