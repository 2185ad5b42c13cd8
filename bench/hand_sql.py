"""The hand-written SQL of the benchmark's pages, roster and bulk rows (the registered figures'
twins are in bench/twins/).

Each function computes the same answer as the application, written the way one would
write it directly against the database: subtrees as a range on the materialized path
(`path >= p AND path < successor(p)`, served by a plain btree index under any collation,
unlike `LIKE 'p%'`), and as few round trips as the answer allows. Parameters use `%s`
(Django's cursor translates them for SQLite), so the text is the same on both databases.
"""

from __future__ import annotations

import datetime as dt

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # Org.alphabet
GRASSROOTS = ("grassroots", "joint_grassroots", "community")  # GRASSROOTS_TYPES


def successor(prefix: str) -> str:
    """The smallest string above every path that starts with `prefix`.

    Paths use only ALPHABET (digits, then capitals), which sorts the same in the C
    collation and in the usual linguistic ones, so `[prefix, successor)` is the subtree.
    """
    for i in range(len(prefix) - 1, -1, -1):
        pos = ALPHABET.index(prefix[i])
        if pos + 1 < len(ALPHABET):
            return prefix[:i] + ALPHABET[pos + 1]
    raise ValueError(f"no successor for {prefix!r}")


PATH_ON = """
SELECT path FROM orgs_orgplacement
WHERE org_id = %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)
ORDER BY valid_from DESC LIMIT 1
"""


def path_on(cursor, org_id: int, current_path: str, at: dt.date) -> str:
    """The org's path on `at` (its placement then), else its current path."""
    cursor.execute(PATH_ON, [org_id, at, at])
    row = cursor.fetchone()
    return row[0] if row else current_path


TREE_CHILDREN = """
SELECT c.id, c.path, c.org_type, c.numchild, COALESCE(u.n, 0)
FROM orgs_org c
LEFT JOIN (
    SELECT substr(o.path, 1, %s) AS prefix, COUNT(*) AS n
    FROM orgs_org o
    WHERE o.path >= %s AND o.path < %s AND o.depth > %s
      AND o.org_type IN ('grassroots', 'joint_grassroots', 'community')
      AND o.status <> 'dissolved'
    GROUP BY substr(o.path, 1, %s)
) u ON u.prefix = c.path
WHERE c.path >= %s AND c.path < %s AND c.depth = %s
ORDER BY c.path
"""


def tree_children(cursor, path: str, depth: int) -> list[tuple]:
    """The root tree page's data: each child (id, path, org_type, numchild) and the active
    (not dissolved) grass-roots unions in its subtree, in one statement."""
    hi = successor(path)
    length = len(path) + 4  # Org.steplen
    cursor.execute(TREE_CHILDREN, [length, path, hi, depth, length, path, hi, depth + 1])
    return cursor.fetchall()


# --- members ---------------------------------------------------------------------------------


def name_range(prefix: str) -> tuple[str, str]:
    """Names that start with `prefix`, as a range: `[prefix, prefix with its last character
    incremented)`. Under the C collation (and SQLite's BINARY) that is exactly the prefix;
    a plain btree index on the name serves it, unlike `LIKE 'p%'` (ARCHITECTURE §6)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


ROSTER_PAGE = """
SELECT m.id, p.name, p.gender, p.id_masked, p.phone_masked, p.is_migrant_worker, p.first_joined_on,
       u.name, u.short_name, m.card_no, m.status
FROM members_membership m
JOIN members_person p ON p.id = m.person_id
JOIN orgs_org u ON u.id = m.union_id
WHERE m.ended_on IS NULL
  AND u.path >= %s AND u.path < %s
  AND p.name >= %s AND p.name < %s
ORDER BY p.name, m.id
LIMIT %s
"""


def roster_params(path: str, prefix: str, size: int) -> list:
    return [path, successor(path), *name_range(prefix), size]


def roster_page(cursor, path: str, prefix: str, size: int = 50) -> list[tuple]:
    """The first page of the roster of a subtree, names starting with `prefix`, ordered by
    name: the columns the roster page shows, in one statement."""
    cursor.execute(ROSTER_PAGE, roster_params(path, prefix, size))
    return cursor.fetchall()


MEMBERS_TOTAL = """
SELECT COUNT(*)
FROM members_memberstatusperiod s
JOIN orgs_orgplacement pl ON pl.org_id = s.union_id
WHERE s.status = 'active'
  AND s.valid_from <= %s AND (s.valid_to IS NULL OR s.valid_to > %s)
  AND pl.path >= %s AND pl.path < %s
  AND pl.valid_from <= %s AND (pl.valid_to IS NULL OR pl.valid_to > %s)
"""


def members_total_params(path: str, at: dt.date) -> list:
    return [at, at, path, successor(path), at, at]


def members_total(cursor, org_id: int, current_path: str, at: dt.date) -> int:
    """Members 在会 on `at` (status periods valid then) in unions that stood under the org
    then: the org's path on `at`, then one COUNT over the periods joined to the placements."""
    cursor.execute(MEMBERS_TOTAL, members_total_params(path_on(cursor, org_id, current_path, at), at))
    return cursor.fetchone()[0]


# --- bulk work: the import's load and the export's query --------------------------------------

# The columns each joining writes (members.services.member_join), in the order of the tuples
# bench/members_io.py prepares.
LOAD_COLUMNS = {
    "members_person": ("id", "name", "id_cipher", "id_hash", "id_masked", "id_last4", "gender", "birth_date",
                       "ethnicity", "education", "political", "phone_cipher", "phone_masked", "hukou",
                       "is_migrant_worker", "employment", "is_dispatched", "employer_id", "employer_name",
                       "first_joined_on",
                       "pinyin_keys", "created_at", "updated_at"),
    "members_membership": ("id", "person_id", "union_id", "started_on", "ended_on", "status", "card_no",
                           "created_at"),
    "members_memberstatusperiod": ("membership_id", "union_id", "status", "valid_from", "valid_to", "reason",
                                   "path", "continued", "gender", "migrant"),
    "members_memberevent": ("person_id", "membership_id", "union_id", "kind", "effective_on", "month", "path",
                            "data", "reason", "actor_name", "created_at"),
}


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - a fixed table name
    return cursor.fetchone()[0]


def load(cursor, vendor: str, table: str, rows: list[tuple]) -> None:
    """The floor of an import's writes: COPY on PostgreSQL, one `executemany` on SQLite."""
    columns = LOAD_COLUMNS[table]
    if vendor == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


EXPORT_ROWS = """
SELECT p.name, p.id_cipher, p.gender, p.ethnicity, p.birth_date, p.education, p.political, p.phone_cipher,
       p.hukou, p.employment, e.uscc, u.code, m.started_on, m.card_no, COALESCE(NULLIF(p.employer_name, ''), e.name),
       u.name, m.status, p.is_migrant_worker
FROM members_membership m
JOIN members_person p ON p.id = m.person_id
JOIN orgs_org u ON u.id = m.union_id
LEFT JOIN orgs_employer e ON e.id = p.employer_id
WHERE m.ended_on IS NULL
  AND u.path >= %s AND u.path < %s
  AND p.first_joined_on >= %s
ORDER BY p.name, m.id
"""


def export_rows(cursor, path: str, joined_from: dt.date):
    """The roster's rows for an export: current members of the subtree who first joined on
    or after `joined_from`, in the roster's order, with the columns the sheet needs."""
    cursor.execute(EXPORT_ROWS, [path, successor(path), joined_from])
    while True:
        chunk = cursor.fetchmany(2000)
        if not chunk:
            return
        yield from chunk


EXPORT_CUTOFF = """
SELECT p.first_joined_on
FROM members_membership m JOIN members_person p ON p.id = m.person_id
WHERE m.ended_on IS NULL
ORDER BY p.first_joined_on DESC
LIMIT 1 OFFSET %s
"""


def export_cutoff(cursor, rows: int) -> dt.date:
    """The first-join date from which the roster has (about) `rows` current members."""
    cursor.execute(EXPORT_CUTOFF, [rows - 1])
    found = cursor.fetchone()
    return found[0] if found else dt.date(1900, 1, 1)
