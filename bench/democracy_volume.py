"""Load the issue-20 volumes into a city demo database: a 职代会 (or 职工大会) for every employer with a
union, with a term in force, its delegates and a session in each of the last two years, and at
least 200,000 提案 in every status, in set-based SQL (PostgreSQL only), then VACUUM ANALYZE.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/democracy_volume.py gh_de_city [--proposals 200000]

The database must hold the city demo, migrated (bench/run.py --reuse does that). Every employer
covered today by a union that exists today and has no enterprise congress of its own gets one,
run by that union, set up on the later of its coverage start and 1 Jan six years back (plus a few
days); a term from the later of that day and four years back, for five years, as many delegates
as the employer has staff up to 30 (women first, in the staff's share), a regular session in March
of each of the last two years that fell in the term. 提案 are then spread over the sessions (the
loaded ones and the demo's) until the target: filed on the session's day by one of its delegates,
15 % not accepted, the rest assigned three days after the decision with a due date three months
on, most answered (some late) and most of those with the proposer's feedback. Loaded rows are
marked (congress names end in ‘（批量）’, 提案 numbers start with VOL), so a second run adds only
what is still missing (or the 提案 a larger target asks for). No field here is encrypted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import volume  # noqa: E402

CONGRESSES = """
INSERT INTO democracy_congress (org_id, kind, scope, employer_id, name, established_on, ended_on, created_at)
SELECT DISTINCT ON (e.id) cv.union_id,
       CASE WHEN e.headcount < 100 AND e.id %% 3 = 0 THEN 'assembly' ELSE 'congress' END, 'enterprise', e.id,
       left(e.name, 180) || CASE WHEN e.headcount < 100 AND e.id %% 3 = 0 THEN '职工大会' ELSE '职工代表大会' END
           || '（批量）',
       LEAST(GREATEST(cv.valid_from, %(six_years)s::date) + (e.id %% 200)::int, %(today)s::date - 90), NULL, now()
FROM orgs_employer e
JOIN orgs_coverage cv ON cv.employer_id = e.id AND cv.valid_from <= %(today)s
                     AND (cv.valid_to IS NULL OR cv.valid_to > %(today)s)
JOIN orgs_org u ON u.id = cv.union_id AND (u.founded_on IS NULL OR u.founded_on <= %(today)s)
               AND (u.dissolved_on IS NULL OR u.dissolved_on > %(today)s)
WHERE (e.closed_on IS NULL OR e.closed_on > %(today)s)
  AND NOT EXISTS (SELECT 1 FROM democracy_congress c WHERE c.employer_id = e.id AND c.scope = 'enterprise'
                  AND c.ended_on IS NULL)
ORDER BY e.id, cv.valid_from DESC
"""

TERMS = """
INSERT INTO democracy_term (congress_id, number, started_on, ends_on, staff, women_staff, list_status, violations)
SELECT c.id, 1 + c.id %% 3, t.started_on, (t.started_on + interval '5 years' - interval '1 day')::date,
       GREATEST(e.headcount, 1), LEAST(GREATEST(e.women_count, 0), GREATEST(e.headcount, 1)), 'confirmed', '[]'
FROM democracy_congress c
JOIN orgs_employer e ON e.id = c.employer_id
CROSS JOIN LATERAL (SELECT GREATEST(c.established_on, %(four_years)s::date) AS started_on) t
WHERE c.name LIKE '%%（批量）' AND NOT EXISTS (SELECT 1 FROM democracy_term x WHERE x.congress_id = c.id)
"""

DELEGATES = """
INSERT INTO democracy_delegate (term_id, name, gender, constituency, is_manager, is_frontline, employer_id, created_at)
SELECT t.id, '代表' || t.id || '-' || g.i,
       CASE WHEN g.i <= CEIL(n.n * t.women_staff::numeric / t.staff) THEN 'F' ELSE 'M' END,
       '第' || (1 + g.i %% 4) || '车间', g.i %% 10 = 9, g.i %% 10 < 6, c.employer_id, now()
FROM democracy_term t
JOIN democracy_congress c ON c.id = t.congress_id
CROSS JOIN LATERAL (SELECT LEAST(t.staff, 30) AS n) n
CROSS JOIN LATERAL generate_series(1, n.n) g(i)
WHERE c.name LIKE '%%（批量）' AND NOT EXISTS (SELECT 1 FROM democracy_delegate d WHERE d.term_id = t.id)
"""

SESSIONS = """
INSERT INTO democracy_session (congress_id, org_id, term_id, number, kind, held_on, delegates_total,
                               delegates_present, note, created_at)
SELECT c.id, c.org_id, t.id, y.k, 'regular', y.held_on, n.n, n.n - (c.id + y.k) %% 4, '', now()
FROM democracy_congress c
JOIN democracy_term t ON t.congress_id = c.id
CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM democracy_delegate d WHERE d.term_id = t.id) n
CROSS JOIN LATERAL (VALUES (1, make_date(%(year)s - 1, 3, 1 + (c.id %% 28)::int)),
                           (2, make_date(%(year)s, 3, 1 + (c.id %% 28)::int))) y(k, held_on)
WHERE c.name LIKE '%%（批量）' AND n.n > 0 AND y.held_on >= t.started_on AND y.held_on <= t.ends_on
  AND y.held_on <= %(today)s
  AND NOT EXISTS (SELECT 1 FROM democracy_session s WHERE s.term_id = t.id)
"""

# 提案 spread over every session with delegates: `per` more for each session (numbered on from the
# ones loaded before), until `limit`, a round over the sessions at a time. The k-th of a session is filed by the session term's delegate number 1 + k mod n; its path through the workflow
# follows (session id + k) so every status occurs, and nothing is dated after `today`.
PROPOSALS = """
INSERT INTO democracy_proposal (congress_id, org_id, session_id, number, title, content, category, proposer_id,
                                filed_on, status, decided_on, reject_reason, lead_dept, assist_depts, assigned_on,
                                due_on, answered_on, answer, result_code, feedback, feedback_on, feedback_note,
                                created_at)
SELECT p.congress_id, p.org_id, p.session_id, 'VOL' || p.session_id || '-' || p.k,
       '关于改进' || (ARRAY['食堂', '班车', '夜班津贴', '劳动防护', '培训'])[1 + p.r %% 5] || '的提案', '理由和建议',
       (ARRAY['pay', 'safety', 'management', 'training', 'life', 'democracy', 'other'])[1 + p.r %% 7],
       p.proposer_id, p.filed_on,
       CASE WHEN NOT p.decided THEN 'filed' WHEN p.rejected THEN 'rejected'
            WHEN p.answered_on IS NULL THEN 'assigned' WHEN p.feedback_on IS NULL THEN 'answered' ELSE 'closed' END,
       CASE WHEN p.decided THEN p.decided_on END,
       CASE WHEN p.decided AND p.rejected THEN '属个人诉求，转为意见建议' ELSE '' END,
       CASE WHEN p.assigned THEN (ARRAY['人力资源部', '后勤保障部', '安全环保部', '财务部'])[1 + p.r %% 4] ELSE '' END,
       '', CASE WHEN p.assigned THEN p.assigned_on END, CASE WHEN p.assigned THEN p.due_on END,
       p.answered_on, CASE WHEN p.answered_on IS NOT NULL THEN '已研究办理' ELSE '' END,
       CASE WHEN p.answered_on IS NOT NULL THEN (ARRAY['A', 'B', 'C', 'D'])[1 + p.r %% 4] ELSE '' END,
       CASE WHEN p.feedback_on IS NOT NULL
            THEN (ARRAY['satisfied', 'satisfied', 'fairly', 'unsatisfied'])[1 + (p.r / 7) %% 4] ELSE '' END,
       p.feedback_on, '', now()
FROM (
    SELECT q.*, q.decided AND NOT q.rejected AS assigned,
           CASE WHEN q.decided AND NOT q.rejected AND q.r %% 10 <> 0 AND q.answer_on <= %(today)s::date
                THEN q.answer_on END AS answered_on,
           CASE WHEN q.decided AND NOT q.rejected AND q.r %% 10 <> 0 AND q.answer_on + (2 + q.r %% 18)::int <= %(today)s::date
                     AND q.r %% 7 <> 0 THEN q.answer_on + (2 + q.r %% 18)::int END AS feedback_on
    FROM (
        SELECT s.congress_id, s.org_id, s.id AS session_id, g.k, d.id AS proposer_id, s.held_on AS filed_on,
               (s.id * 7 + g.k * 13) AS r,
               s.held_on + (3 + (s.id + g.k) %% 8)::int AS decided_on,
               s.held_on + (3 + (s.id + g.k) %% 8)::int <= %(today)s::date - 10 AS decided,
               (s.id * 7 + g.k * 13) %% 20 < 3 AS rejected,
               s.held_on + (6 + (s.id + g.k) %% 8)::int AS assigned_on,
               (s.held_on + (6 + (s.id + g.k) %% 8)::int + interval '3 months')::date AS due_on,
               s.held_on + (26 + (s.id + g.k) %% 8 + (s.id * 7 + g.k * 13) %% 90)::int AS answer_on
        FROM democracy_session s
        CROSS JOIN LATERAL (SELECT count(*) AS n FROM democracy_proposal x
                            WHERE x.session_id = s.id AND x.number LIKE 'VOL%%') b
        CROSS JOIN LATERAL generate_series(b.n + 1, b.n + %(per)s) g(k)
        JOIN LATERAL (SELECT d.id FROM democracy_delegate d WHERE d.term_id = s.term_id
                      ORDER BY d.id OFFSET (g.k %% GREATEST(s.delegates_total, 1)) LIMIT 1) d ON TRUE
        ORDER BY g.k, s.id
        LIMIT %(limit)s
    ) q
) p
"""

TABLES = ("democracy_congress", "democracy_term", "democracy_delegate", "democracy_session", "democracy_proposal")


def setup(database: str) -> None:
    volume.open_database(database, "democracy_volume")


def step(cursor, name: str, sql: str, params: dict) -> int:
    started = time.perf_counter()
    cursor.execute(sql, params)
    print(f"  {name}: {cursor.rowcount:,} rows ({time.perf_counter() - started:.1f} s)")
    return cursor.rowcount


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", help="the PostgreSQL database (on DATABASE_URL's server) holding the city demo")
    parser.add_argument("--proposals", type=int, default=200_000, help="提案 in all (default 200,000)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    args = parser.parse_args(argv)
    setup(args.database)
    from django.db import connection, transaction

    from gonghui.democracy.models import Congress, Delegate, Proposal, Session

    today = args.today
    params = {"today": today, "year": today.year, "six_years": dt.date(today.year - 6, 1, 1),
              "four_years": dt.date(today.year - 4, today.month, 1)}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        step(cursor, "congresses", CONGRESSES, params)
        step(cursor, "terms", TERMS, params)
        step(cursor, "delegates", DELEGATES, params)
        step(cursor, "sessions", SESSIONS, params)
        missing = args.proposals - Proposal.objects.count()
        if missing > 0:
            sessions = Session.objects.filter(delegates_total__gt=0).count()
            step(cursor, "提案", PROPOSALS, {**params, "per": -(-missing // max(sessions, 1)), "limit": missing})
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"{args.database}: {Congress.objects.count():,} congresses, {Delegate.objects.count():,} delegates, "
          f"{Session.objects.count():,} sessions, {Proposal.objects.count():,} 提案 "
          f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
