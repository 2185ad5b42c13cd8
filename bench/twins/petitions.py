"""Hand-written SQL twins of the petition and mediation figures (DOMAIN §5, §12.2 C).

Each case counts once, under the union handling it, at that union's placement on the cut-off.
Flow figures count the dated step inside the period; the deadline rates are on time ÷ (done in
the period + missed by the cut-off, i.e. due in the period and still not done on the cut-off);
overdue is a stock on the cut-off. Every figure of a table is one pass over the subtree's cases
with conditional counts, not one query per condition.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from decimal import Decimal

from hand_sql import successor

from . import fraction, value

CHANNELS = ("letter", "visit", "phone", "online", "forwarded", "reported")

# The case's union (alias `x`) stood under the path on the cut-off: its placement then.
CASES = """
SELECT {what}
FROM {table} x JOIN orgs_orgplacement pl ON pl.org_id = x.org_id
  AND pl.path >= %s AND pl.path < %s AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)
WHERE {where}
"""
PERIOD = "x.{field} >= %s AND x.{field} <= %s"
FORWARDED = "(x.channel = 'forwarded' OR x.forwarded_from_id IS NOT NULL)"


def money(amount) -> Decimal:
    """SQLite sums decimals as floats, PostgreSQL as numeric: both to the cent."""
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"))


def _cases(cursor, what: str, where: str, p: str, period, params: list, table: str = "petitions_petition",
           what_params: tuple = ()):
    """One row over the subtree's cases; `what_params` fill the select list, `params` the `where`."""
    at = period.end
    sql = CASES.replace("{what}", what).replace("{table}", table).replace("{where}", where)
    cursor.execute(sql, [*what_params, p, successor(p), at, at, *params])
    return cursor.fetchone()


def received(cond: str = "", *cond_params):
    """Cases received in the period (with a further condition)."""
    where = PERIOD.replace("{field}", "received_on") + (f" AND {cond}" if cond else "")

    def run(cursor, p, period):
        return _cases(cursor, "COUNT(*)", where, p, period, [period.start, period.end, *cond_params])[0]

    return run


def closed(cursor, p, period):
    return _cases(cursor, "COUNT(*)", PERIOD.replace("{field}", "closed_on"), p, period, [period.start, period.end])[0]


def recovered_amount(cursor, p, period):
    """Money recovered in the cases replied to in the period."""
    row = _cases(cursor, "SUM(x.amount_recovered)", PERIOD.replace("{field}", "replied_on"), p, period,
                 [period.start, period.end])
    return money(row[0])


def women_share(cursor, p, period):
    num, den = _cases(cursor, "COUNT(CASE WHEN x.lead_gender = 2 THEN 1 END), COUNT(*)",
                      PERIOD.replace("{field}", "received_on"), p, period, [period.start, period.end])
    return (num, den)


# A deadline rate: `done` = the step dated in the period, `missed` = due in the period (before its
# last day) and not done by the cut-off; the two are disjoint, so one pass counts both.
ON_TIME = """
COUNT(CASE WHEN x.{done} >= %s AND x.{done} <= %s AND x.{done} <= x.{due} THEN 1 END),
COUNT(CASE WHEN x.{done} >= %s AND x.{done} <= %s THEN 1 END),
COUNT(CASE WHEN (x.{done} IS NULL OR x.{done} > %s) AND x.{due} >= %s AND x.{due} < %s
                AND x.{start} <= %s THEN 1 END)
"""


def on_time_rate(done: str, due: str, start: str, accepted_only: bool):
    what = ON_TIME.replace("{done}", done).replace("{due}", due).replace("{start}", start)
    where = "x.accepted_on IS NOT NULL" if accepted_only else "1 = 1"

    def run(cursor, p, period):
        s, e = period.start, period.end
        on_time, done_n, missed = _cases(cursor, what, where, p, period, [], what_params=(s, e, s, e, e, s, e, e))
        return (on_time, done_n + missed)

    return run


OVERDUE = """(
  ((x.notice_on IS NULL OR x.notice_on > %s) AND x.notice_due < %s AND x.received_on <= %s)
  OR (x.accepted_on <= %s AND (x.replied_on IS NULL OR x.replied_on > %s) AND x.close_due < %s)
)"""


def overdue_open(cursor, p, period):
    """Cases late on the cut-off: not told by the notice date, or not replied by the close date."""
    at = period.end
    return _cases(cursor, "COUNT(*)", OVERDUE, p, period, [at] * 6)[0]


# --- mediation ---------------------------------------------------------------------------------

def mediation_cases(cursor, p, period):
    return _cases(cursor, "COUNT(*)", PERIOD.replace("{field}", "applied_on"), p, period, [period.start, period.end],
                  table="petitions_mediation")[0]


def mediation_success_rate(cursor, p, period):
    """Cases closed in the period with an agreement ÷ cases closed (failed and withdrawn included)."""
    num, den = _cases(cursor, "COUNT(CASE WHEN x.state = 'succeeded' THEN 1 END), COUNT(*)",
                      PERIOD.replace("{field}", "closed_on"), p, period, [period.start, period.end],
                      table="petitions_mediation")
    return (num, den)


def mediation_recovered_amount(cursor, p, period):
    row = _cases(cursor, "SUM(x.agreed_amount)", PERIOD.replace("{field}", "closed_on") + " AND x.state = 'succeeded'",
                 p, period, [period.start, period.end], table="petitions_mediation")
    return money(row[0])


def twins() -> dict:
    out = {
        "petitions.total": value(received()),
        "petitions.forwarded": value(received(FORWARDED)),
        "petitions.direct": value(received(f"NOT {FORWARDED}")),
        "petitions.group_cases": value(received("x.is_group = %s", True)),
        "petitions.closed": value(closed),
        "petitions.recovered_amount": value(recovered_amount),
        "petitions.on_time_notice_rate": fraction(on_time_rate("notice_on", "notice_due", "received_on", False)),
        "petitions.on_time_close_rate": fraction(on_time_rate("replied_on", "close_due", "accepted_on", True)),
        "petitions.overdue_open": value(overdue_open),
        "petitions.women_share": fraction(women_share),
        "mediation.cases": value(mediation_cases),
        "mediation.success_rate": fraction(mediation_success_rate),
        "mediation.recovered_amount": value(mediation_recovered_amount),
    }
    for channel in CHANNELS:
        out[f"petitions.channel_{channel}"] = value(received("x.channel = %s", channel))
    return out

