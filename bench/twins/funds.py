"""Hand-written twins of the 工会经费 line's figures (src/gonghui/funds/metrics.py).

Every row counts at the path stored on it (its org's position on the row's own date): receipts
by 入库日期, declarations by 所属期 (the month's first day), refunds by their approval or payment
date. Payers are distinct employers with a matched receipt; 已完善 those whose receipt's union had
complete 返还手续 on the cut-off. Money is summed to the cent.

The money sums read the monthly summary funds_monthlytotal (per stored path and month; the
services keep it equal to the detail rows, tests/funds/test_totals.py), as the application does:
应缴/实缴/欠缴/筹备金 over the period's months, 经费总额 over its whole months plus the receipts
of the days of a partly covered first or last month.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from hand_sql import successor

from . import fraction, value

RECEIPTS = """
SELECT {what} FROM funds_receipt r {join}
WHERE r.org_path >= %s AND r.org_path < %s AND r.received_on >= %s AND r.received_on <= %s {where}
"""
MONTHLY = """
SELECT {what} FROM funds_monthlytotal t
WHERE t.org_path >= %s AND t.org_path < %s AND t.month >= %s AND t.month <= %s
"""
FORMALITY = "LEFT JOIN funds_refundformality f ON f.union_id = r.org_id AND f.completed_on <= %s"


def money(amount) -> Decimal:
    """SQLite sums decimals as floats, PostgreSQL as numeric: both to the cent."""
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"))


def _receipts(cursor, p, period, what: str, *, join: str = "", where: str = "", join_params=()):
    sql = RECEIPTS.replace("{what}", what).replace("{join}", join).replace("{where}", where)
    cursor.execute(sql, [*join_params, p, successor(p), period.start, period.end])
    return cursor.fetchone()


def _payers(cursor, p, period) -> tuple[int, int]:
    """(paying employers, those among them whose union's formalities were complete on the cut-off)."""
    return _receipts(cursor, p, period,
                     "COUNT(DISTINCT r.employer_id), COUNT(DISTINCT CASE WHEN f.id IS NOT NULL THEN r.employer_id END)",
                     join=FORMALITY, where="AND r.employer_id IS NOT NULL", join_params=(period.end,))


def _declarations(cursor, p, period):
    sql = MONTHLY.replace("{what}", "SUM(t.due), SUM(t.paid), SUM(t.arrears), SUM(t.preparation_due), "
                                    "SUM(t.preparation_paid)")
    cursor.execute(sql, [p, successor(p), period.start.replace(day=1), period.end])
    return tuple(money(x) for x in cursor.fetchone())


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def total(cursor, p, period) -> Decimal:
    """Whole months from the summary, the days before the first and after the last from the receipts."""
    start, end = period.start, period.end
    first = start if start.day == 1 else _next_month(start)
    after = _next_month(end) if (end + dt.timedelta(days=1)).day == 1 else end.replace(day=1)
    if first >= after:
        return money(_receipts(cursor, p, period, "SUM(r.amount)")[0])
    cursor.execute("SELECT (SELECT SUM(t.received) FROM funds_monthlytotal t WHERE t.org_path >= %s "
                   "AND t.org_path < %s AND t.month >= %s AND t.month < %s), "
                   "(SELECT SUM(r.amount) FROM funds_receipt r WHERE r.org_path >= %s AND r.org_path < %s "
                   "AND ((r.received_on >= %s AND r.received_on < %s) OR (r.received_on >= %s AND r.received_on <= %s)))",
                   [p, successor(p), first, after, p, successor(p), start, first, after, end])
    return sum((money(x) for x in cursor.fetchone()), Decimal("0.00"))


def monthly_avg(cursor, p, period):
    from gonghui.core import clock

    end = min(period.end, clock.today())
    if end < period.start:
        return None
    months = (end.year - period.start.year) * 12 + end.month - period.start.month + 1
    return (total(cursor, p, period) / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _refunds(field: str, statuses: tuple[str, ...]):
    def run(cursor, p, period):
        marks = ", ".join(["%s"] * len(statuses))
        cursor.execute(f"SELECT SUM(x.amount) FROM funds_refund x WHERE x.org_path >= %s AND x.org_path < %s "
                       f"AND x.{field} >= %s AND x.{field} <= %s AND x.status IN ({marks})",
                       [p, successor(p), period.start, period.end, *statuses])
        return money(cursor.fetchone()[0])

    return run


def _dues(cursor, p, period):
    cursor.execute("SELECT SUM(x.due), SUM(x.paid) FROM funds_duesrecord x WHERE x.org_path >= %s AND x.org_path < %s "
                   "AND x.month >= %s AND x.month <= %s", [p, successor(p), period.start.replace(day=1), period.end])
    return tuple(money(v) for v in cursor.fetchone())


def _reviews(cursor, p, period) -> tuple[int, int]:
    """(reviews, term-end audits) dated in the period."""
    cursor.execute("SELECT COUNT(*), COUNT(CASE WHEN x.kind = 'term_audit' THEN 1 END) FROM funds_fundreview x "
                   "WHERE x.org_path >= %s AND x.org_path < %s AND x.reviewed_on >= %s AND x.reviewed_on <= %s",
                   [p, successor(p), period.start, period.end])
    return cursor.fetchone()


def _findings(cursor, p, period) -> int:
    cursor.execute("SELECT COUNT(*) FROM funds_reviewfinding x WHERE x.org_path >= %s AND x.org_path < %s "
                   "AND x.reviewed_on >= %s AND x.reviewed_on <= %s", [p, successor(p), period.start, period.end])
    return cursor.fetchone()[0]


def _rectified(cursor, p, period) -> tuple[int, int]:
    """(findings due in the period up to today rectified by their due date, findings due then)."""
    from gonghui.core import clock

    cursor.execute("SELECT COUNT(CASE WHEN x.rectified_on IS NOT NULL AND x.rectified_on <= x.due_on THEN 1 END), "
                   "COUNT(*) FROM funds_reviewfinding x WHERE x.org_path >= %s AND x.org_path < %s "
                   "AND x.due_on >= %s AND x.due_on <= %s",
                   [p, successor(p), period.start, min(period.end, clock.today())])
    return cursor.fetchone()


def twins() -> dict:
    return {
        "funds.payers": value(lambda c, p, period: _payers(c, p, period)[0]),
        "funds.formality_complete": value(lambda c, p, period: _payers(c, p, period)[1]),
        "funds.formality_incomplete": value(lambda c, p, period: (lambda n, k: n - k)(*_payers(c, p, period))),
        "funds.formality_rate": fraction(lambda c, p, period: (lambda n, k: (k, n))(*_payers(c, p, period))),
        "funds.due": value(lambda c, p, period: _declarations(c, p, period)[0]),
        "funds.paid": value(lambda c, p, period: _declarations(c, p, period)[1]),
        "funds.arrears": value(lambda c, p, period: _declarations(c, p, period)[2]),
        "funds.collection_rate": fraction(lambda c, p, period: (lambda d, pd, *_: (pd, d))(*_declarations(c, p, period))),
        "funds.preparation_due": value(lambda c, p, period: _declarations(c, p, period)[3]),
        "funds.preparation_paid": value(lambda c, p, period: _declarations(c, p, period)[4]),
        "funds.dues_due": value(lambda c, p, period: _dues(c, p, period)[0]),
        "funds.dues_paid": value(lambda c, p, period: _dues(c, p, period)[1]),
        "funds.dues_rate": fraction(lambda c, p, period: (lambda d, pd: (pd, d))(*_dues(c, p, period))),
        "funds.total": value(total),
        "funds.monthly_avg": value(monthly_avg),
        "funds.refund_approved": value(_refunds("approved_on", ("approved", "paid"))),
        "funds.refund_paid": value(_refunds("paid_on", ("paid",))),
        "funds.reviews": value(lambda c, p, period: _reviews(c, p, period)[0]),
        "funds.term_audits": value(lambda c, p, period: _reviews(c, p, period)[1]),
        "funds.findings": value(_findings),
        "funds.findings_on_time": value(lambda c, p, period: _rectified(c, p, period)[0]),
        "funds.rectify_rate": fraction(_rectified),
    }
