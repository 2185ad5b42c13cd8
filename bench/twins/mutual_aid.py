"""Hand-written twins of the 互助保障 line's figures (src/gonghui/mutual_aid/metrics.py).

Stock figures (参保人数, 保障金额总额) count the items covering the cut-off under their union's
placement then; flow figures (人次, 保费, 出险, 理赔) count rows dated in the period (人次: since
1 January of the configured start year) at the path stored on each row. Persons are distinct
person ids, money sums to the cent, rates are (numerator, denominator).
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hand_sql import successor

from . import PLACED, fraction, value

IN_FORCE = f"""
FROM mutual_aid_item x
JOIN orgs_orgplacement pl ON pl.org_id = x.union_id AND {PLACED}
WHERE x.start_on <= %s AND x.end_on >= %s AND (x.ended_on IS NULL OR x.ended_on >= %s)
"""
SUBTREE = "x.path >= %s AND x.path < %s"
NOT_REJECTED = "(x.rejected_on IS NULL OR x.rejected_on > %s)"


def money(amount) -> Decimal:
    """SQLite sums decimals as floats, PostgreSQL as numeric: both to the cent."""
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"))


def _one(cursor, sql: str, params: list):
    cursor.execute(sql, params)
    return cursor.fetchone()


def _in_force(cursor, what: str, p, period):
    at = period.end
    return _one(cursor, f"SELECT {what} {IN_FORCE}", [p, successor(p), at, at, at, at, at])[0]


def insured(cursor, p, period):
    return _in_force(cursor, "COUNT(DISTINCT x.person_id)", p, period)


def sum_insured(cursor, p, period):
    return money(_in_force(cursor, "SUM(x.sum_insured)", p, period))


def _since() -> dt.date:
    from gonghui.mutual_aid import conf

    return dt.date(int(conf.get("SINCE_YEAR")), 1, 1)


def person_times(cursor, p, period):
    return _one(cursor, f"SELECT COUNT(*) FROM mutual_aid_item x WHERE {SUBTREE} AND x.enrolled_on >= %s "
                        "AND x.enrolled_on <= %s", [p, successor(p), _since(), period.end])[0]


def premium(cursor, p, period):
    return money(_one(cursor, f"SELECT SUM(x.premium) FROM mutual_aid_item x WHERE {SUBTREE} "
                              "AND x.enrolled_on >= %s AND x.enrolled_on <= %s",
                      [p, successor(p), period.start, period.end])[0])


def coverage_rate(cursor, p, period):
    n, d = _one(cursor, f"SELECT SUM(x.enrolled_count), SUM(x.eligible_count) FROM mutual_aid_batch x "
                        f"WHERE {SUBTREE} AND x.enrolled_on >= %s AND x.enrolled_on <= %s",
                [p, successor(p), period.start, period.end])
    return (n or 0, d or 0)


def claimants(cursor, p, period):
    return _one(cursor, f"SELECT COUNT(DISTINCT x.person_id) FROM mutual_aid_claim x WHERE {SUBTREE} "
                        f"AND x.registered_on >= %s AND x.registered_on <= %s AND {NOT_REJECTED}",
                [p, successor(p), period.start, period.end, period.end])[0]


def _paid(cursor, p, period):
    return _one(cursor, f"SELECT COUNT(*), SUM(x.paid_amount) FROM mutual_aid_claim x WHERE {SUBTREE} "
                        "AND x.paid_on >= %s AND x.paid_on <= %s", [p, successor(p), period.start, period.end])


def claims_paid(cursor, p, period):
    return _paid(cursor, p, period)[0]


def claim_amount(cursor, p, period):
    return money(_paid(cursor, p, period)[1])


def incidence_rate(cursor, p, period):
    return (claimants(cursor, p, period), insured(cursor, p, period))


def loss_ratio(cursor, p, period):
    return (claim_amount(cursor, p, period), premium(cursor, p, period))


def twins() -> dict:
    return {
        "mutual_aid.insured": value(insured),
        "mutual_aid.person_times": value(person_times),
        "mutual_aid.coverage_rate": fraction(coverage_rate),
        "mutual_aid.premium": value(premium),
        "mutual_aid.sum_insured": value(sum_insured),
        "mutual_aid.claimants": value(claimants),
        "mutual_aid.claims_paid": value(claims_paid),
        "mutual_aid.claim_amount": value(claim_amount),
        "mutual_aid.incidence_rate": fraction(incidence_rate),
        "mutual_aid.loss_ratio": fraction(loss_ratio),
    }
