"""Hand-written twins of the 劳模与荣誉 line's figures (src/gonghui/honours/metrics.py).

- the registry is a stock: model workers registered by the cut-off and alive then, each under
  the managing union's placement on the cut-off, at the highest treatment level of their title
  levels in force on the cut-off (so a person with two titles is one row);
- care services and honours are flows: rows dated in the period (served_on, named_on) at the
  path stored on each row;
- 职工之家: grass-roots unions that exist on the cut-off, under their placement then, with a
  rating in force then.
"""

# ruff: noqa: S608 - the SQL is assembled from fixed fragments; every value is a parameter

from __future__ import annotations

from decimal import Decimal

from hand_sql import GRASSROOTS, successor

from . import ACTIVE_ORG, PLACED, fraction, one, placed, value

TREATMENTS = ("national", "provincial", "city", "county")
IN_GRASSROOTS = "(" + ", ".join(f"'{t}'" for t in GRASSROOTS) + ")"


def money(amount) -> Decimal:
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"))


WORKERS = f"""
SELECT COUNT(*) FROM honours_modelworker w
JOIN orgs_orgplacement pl ON pl.org_id = w.org_id AND {PLACED}
WHERE w.registered_on <= %s AND (w.died_on IS NULL OR w.died_on > %s) {{cond}}
"""


def workers(cond: str = "", *params):
    sql = WORKERS.replace("{cond}", cond)

    def run(cursor, p, period):
        at = period.end
        return one(cursor, sql, [*placed(p, at), at, at, *params])[0]

    return run


CARE = """
SELECT {what} FROM honours_carerecord c
WHERE c.served_on >= %s AND c.served_on <= %s AND c.org_path >= %s AND c.org_path < %s {cond}
"""


def care(what: str, kind: str | None = None):
    select = {"amount": "COALESCE(SUM(c.amount), 0)", "times": "COUNT(*)"}.get(what, "COUNT(DISTINCT c.worker_id)")
    sql = CARE.replace("{what}", select).replace("{cond}", "AND c.kind = %s" if kind else "")

    def run(cursor, p, period):
        found = one(cursor, sql, [period.start, period.end, p, successor(p), *([kind] if kind else [])])[0]
        return money(found) if what == "amount" else found

    return run


HONOURS = """
SELECT COUNT(*) FROM honours_honour h
WHERE h.named_on >= %s AND h.named_on <= %s AND h.org_path >= %s AND h.org_path < %s AND h.recipient = %s
"""


def honours(recipient: str):
    def run(cursor, p, period, type=None, level=None, issuer=None):
        sql, params = HONOURS, [period.start, period.end, p, successor(p), recipient]
        if type:
            sql += " AND h.honour_type = %s"
            params.append(type)
        if level:
            sql += " AND h.level = %s"
            params.append(level)
        if issuer:
            sql += " AND h.issuer = %s"
            params.append(issuer)
        return one(cursor, sql, params)[0]

    return run


UNIONS = f"""
SELECT COUNT(*), COUNT(r.org_id)
FROM orgs_orgplacement pl JOIN orgs_org o ON o.id = pl.org_id
LEFT JOIN (SELECT DISTINCT x.org_id FROM honours_homerating x
           WHERE x.rated_on <= %s AND (x.revoked_on IS NULL OR x.revoked_on > %s) {{level}}) r ON r.org_id = o.id
WHERE {PLACED} AND o.org_type IN {IN_GRASSROOTS} AND {ACTIVE_ORG}
"""


def _unions(cursor, p, period, level=None):
    at = period.end
    sql = UNIONS.replace("{level}", "AND x.level = %s" if level else "")
    total, rated = one(cursor, sql, [at, at, *([level] if level else []), *placed(p, at), at, at])
    return int(total), int(rated)


def homes_rated(cursor, p, period, level=None):
    return _unions(cursor, p, period, level)[1]


def home_rate(cursor, p, period):
    total, rated = _unions(cursor, p, period)
    return rated, total


SURVEYS = """
SELECT COUNT(*) FROM honours_homesurvey s
WHERE s.held_on >= %s AND s.held_on <= %s AND s.org_path >= %s AND s.org_path < %s
"""

ANSWERS = """
SELECT COALESCE(SUM(r.satisfied), 0), COALESCE(SUM(r.basic), 0), COALESCE(SUM(r.unsatisfied), 0)
FROM honours_surveyresponse r JOIN honours_homesurvey s ON s.id = r.survey_id
WHERE s.held_on >= %s AND s.held_on <= %s AND s.org_path >= %s AND s.org_path < %s
"""


def surveys_held(cursor, p, period):
    return one(cursor, SURVEYS, [period.start, period.end, p, successor(p)])[0]


def survey_satisfaction(cursor, p, period):
    sat, basic, unsat = one(cursor, ANSWERS, [period.start, period.end, p, successor(p)])
    return int(sat) + int(basic), int(sat) + int(basic) + int(unsat)


CONTESTS = """
SELECT COUNT(*) FROM honours_contest c
WHERE c.start_on >= %s AND c.start_on <= %s AND c.org_path >= %s AND c.org_path < %s
"""

ENTRIES = """
SELECT {what} FROM honours_entry e
JOIN honours_contestevent ev ON ev.id = e.event_id JOIN honours_contest c ON c.id = ev.contest_id
WHERE c.start_on >= %s AND c.start_on <= %s AND e.org_path >= %s AND e.org_path < %s {cond}
"""


def contests(cursor, p, period):
    return one(cursor, CONTESTS, [period.start, period.end, p, successor(p)])[0]


EVENTS = """
SELECT COUNT(*) FROM honours_contestevent ev JOIN honours_contest c ON c.id = ev.contest_id
WHERE c.start_on >= %s AND c.start_on <= %s AND c.org_path >= %s AND c.org_path < %s
"""


def contest_events(cursor, p, period):
    return one(cursor, EVENTS, [period.start, period.end, p, successor(p)])[0]


def titles(cursor, p, period, title=None):
    sql, params = ENTRIES.replace("{what}", "COUNT(*)").replace("{cond}", "AND e.title_earned <> ''"), \
        [period.start, period.end, p, successor(p)]
    if title:
        sql += " AND e.title_earned = %s"
        params.append(title)
    return one(cursor, sql, params)[0]


def entries(what: str, cond: str = ""):
    select = {"prize": "COALESCE(SUM(e.prize), 0)", "count": "COUNT(*)",
              "teams": "COUNT(DISTINCT e.team_ref_id)"}.get(what, "COUNT(DISTINCT e.person_key)")
    sql = ENTRIES.replace("{what}", select).replace("{cond}", cond)

    def run(cursor, p, period):
        found = one(cursor, sql, [period.start, period.end, p, successor(p)])[0]
        return money(found) if what == "prize" else found

    return run


# The highest 待遇级别 as of the cut-off: the node's workers joined to their title levels in force
# then, grouped by worker.
AT_RANK = f"""
SELECT COUNT(*) FROM (
    SELECT w.id FROM honours_modelworker w
    JOIN orgs_orgplacement pl ON pl.org_id = w.org_id AND {PLACED}
    JOIN honours_title t ON t.worker_id = w.id
    JOIN honours_titlelevel tl ON tl.title_id = t.id AND tl.valid_from <= %s AND (tl.valid_to IS NULL OR tl.valid_to > %s)
    WHERE w.registered_on <= %s AND (w.died_on IS NULL OR w.died_on > %s)
    GROUP BY w.id HAVING MAX(tl.rank) = %s) x
"""
RANKS = {"national": 4, "provincial": 3, "city": 2, "county": 1}


def workers_at_rank(rank: int):
    def run(cursor, p, period):
        at = period.end
        return one(cursor, AT_RANK, [*placed(p, at), at, at, at, at, rank])[0]

    return run


INNOVATIONS = """
SELECT {what} FROM honours_innovation i
WHERE i.{date} >= %s AND i.{date} <= %s AND i.org_path >= %s AND i.org_path < %s AND i.kind = %s {cond}
"""


def innovations(kind: str, adopted: bool = False, what: str = "count"):
    sql = (INNOVATIONS.replace("{what}", "COALESCE(SUM(i.benefit), 0)" if what == "benefit" else "COUNT(*)")
           .replace("{date}", "decided_on" if adopted else "submitted_on")
           .replace("{cond}", "AND i.status = 'adopted'" if adopted else ""))

    def run(cursor, p, period):
        found = one(cursor, sql, [period.start, period.end, p, successor(p), kind])[0]
        return money(found) if what == "benefit" else found

    return run


def twins() -> dict:
    out = {"honours.model_workers": value(workers())}
    for t in TREATMENTS:
        out[f"honours.model_workers_{t}"] = value(workers_at_rank(RANKS[t]))
    for s in ("active", "retired"):
        out[f"honours.model_workers_{s}"] = value(workers("AND w.status = %s", s))
    out["honours.party_model_workers"] = value(workers("AND w.is_party_member = %s", True))
    out["honours.hardship_model_workers"] = value(workers("AND w.is_hardship = %s", True))
    out["honours.care_times"] = value(care("times"))
    for kind, figures in {"checkup": ("persons",), "recuperation": ("persons",), "festival": ("persons", "amount"),
                          "allowance": ("persons", "amount"), "hardship": ("persons", "amount")}.items():
        for f in figures:
            out[f"honours.{kind}_{f}"] = value(care(f, kind))
    out["honours.person_honours"] = value(honours("person"))
    out["honours.collective_honours"] = value(honours("collective"))
    out["honours.homes_rated"] = value(homes_rated)
    out["honours.home_rate"] = fraction(home_rate)
    out["honours.surveys_held"] = value(surveys_held)
    out["honours.survey_satisfaction"] = fraction(survey_satisfaction)
    out["honours.contests"] = value(contests)
    out["honours.contest_participants"] = value(entries("persons"))
    out["honours.contest_participations"] = value(entries("count"))
    out["honours.contest_winners"] = value(entries("persons", "AND e.award <> ''"))
    out["honours.contest_events"] = value(contest_events)
    out["honours.contest_titles"] = value(titles)
    out["honours.contest_prize"] = value(entries("prize"))
    out["honours.contest_teams"] = value(entries("teams", "AND e.team_ref_id IS NOT NULL"))
    out["honours.suggestions"] = value(innovations("suggestion"))
    out["honours.suggestions_adopted"] = value(innovations("suggestion", adopted=True))
    out["honours.innovations"] = value(innovations("innovation"))
    out["honours.suggestion_benefit"] = value(innovations("suggestion", adopted=True, what="benefit"))
    out["honours.innovation_benefit"] = value(innovations("innovation", adopted=True, what="benefit"))
    return out
