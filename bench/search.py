"""The bench's member-search rows (issue 14, item 5): name and pinyin search at the city root.

The first page (50 rows) of `members.selectors.roster(admin, q=…)` over the admin's whole
scope, for the demo's most common surname typed as characters (王) and as pinyin (wang), and
for `zhang` (the case issue 14 measured at 1.4–1.8 s: 张 sorts late in code-point order, so
a walk in name order reads about a third of the people before its first match). Each beside
one hand-written statement returning the same page: the page's ids in the roster's order
(name under COLLATE "C" on PostgreSQL, then membership id), then the columns the roster page
shows for those 50 rows. Both sides must list the same (membership id, name) pairs.

Target: 150 ms for the application (absolute), ratio 1.5 against the SQL.

`measure(b)` is called by bench/run.py; `b` carries the runner's helpers (see run.py).
"""

from __future__ import annotations

from hand_sql import successor

SIZE = 50
LIMIT_MS = 150.0
WORST_PINYIN = "zhang"  # issue 14's measured case


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def _page_sql(where: str) -> str:
    """The page's ids first (the walk in name order needs only indexed columns), then the
    shown columns of those rows: what a hand-written query of one page looks like."""
    name = 'p.name COLLATE "C"' if _pg() else "p.name"
    return f"""
WITH page AS (
    SELECT m.id, p.name
    FROM members_membership m
    JOIN members_person p ON p.id = m.person_id
    JOIN orgs_org u ON u.id = m.union_id
    WHERE m.ended_on IS NULL
      AND u.path >= %s AND u.path < %s
      AND {where.format(name=name)}
    ORDER BY {name}, m.id
    LIMIT %s
)
SELECT m.id, p.name, p.gender, p.id_masked, p.phone_masked, p.is_migrant_worker, p.first_joined_on,
       u.name, u.short_name, m.card_no, m.status
FROM page
JOIN members_membership m ON m.id = page.id
JOIN members_person p ON p.id = m.person_id
JOIN orgs_org u ON u.id = m.union_id
ORDER BY {name}, m.id
"""  # noqa: S608 - no user input: fixed conditions, values as parameters


def name_page(cursor, path: str, prefix: str, size: int = SIZE) -> list[tuple]:
    """Names starting with `prefix` (a range on the name, as in members.selectors.name_prefix_q)."""
    cursor.execute(_page_sql("{name} >= %s AND {name} < %s"),
                   [path, successor(path), prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1), size])
    return cursor.fetchall()


def pinyin_page(cursor, path: str, token: str, size: int = SIZE) -> list[tuple]:
    """People with a pinyin token starting with `token` (a space-framed key, see core.pinyin)."""
    cursor.execute(_page_sql("p.pinyin_keys LIKE %s"), [path, successor(path), f"% {token}%", size])
    return cursor.fetchall()


def most_common_surname() -> tuple[str, int]:
    """The first character most names start with, and how many people have it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT substr(name, 1, 1), COUNT(*) FROM members_person GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else ("", 0)


def measure(b) -> None:
    from django.db import connection

    from gonghui.core.pinyin import search_keys
    from gonghui.members import selectors

    surname, people = most_common_surname()
    if not surname:
        b.facts.setdefault("todo", []).append("search: the demo has no members, so the search rows were skipped")
        return
    token = search_keys(surname).split()[0]  # 王 -> wang
    b.facts["search surname"] = f"{surname} ({token}): {people:,} people"
    path = b.root.path
    cases = [("name", surname, name_page), ("pinyin", token, pinyin_page)]
    if token != WORST_PINYIN:
        cases.append(("pinyin", WORST_PINYIN, pinyin_page))
    for kind, text, sql_page in cases:
        def app(text=text):
            rows = list(selectors.roster(b.admin, q=text)[:SIZE])
            return [(m.pk, m.person.name) for m in rows]  # the page shows the person: fetched

        def sql(text=text, sql_page=sql_page):
            with connection.cursor() as cursor:
                return sql_page(cursor, path, text, SIZE)

        app()  # the admin's grants are read once and cached on the user, as in a request
        got, captured = b.count_queries(app)
        want = sql()
        b.check(f"{kind} search {text!r} at the root", got, [(r[0], r[1]) for r in want])
        b.progress(f"  search {kind} {text!r}: {len(want)} rows, first {want[0][1] if want else '-'}")
        app_ms, sql_ms = b.paired_medians(app, sql, b.runs)
        b.rows.append(b.Row(f"{kind} search at the root: `roster(admin, q=\"{text}\")[:{SIZE}]`", app_ms, sql_ms,
                            len(captured), limit_ms=LIMIT_MS))
