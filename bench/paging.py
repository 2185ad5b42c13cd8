"""The bench's paging rows (issue 14, item 5): page N of a long list costs what page 1 costs.

For the roster over the admin's whole scope and for the audit list, the first page and a deep
one (the page after the row at position ~100,000, or two thirds down a shorter list) are read
through the application, each beside the same page in hand-written keyset SQL:

* the data: `core.paging.keyset` over the list's queryset (what the view pages), against one
  statement with a row-value comparison on the ordering's index, plus, for the first page, the
  bounded count the pager shows ("共 N 条" up to 200);
* the page as served (rendered, server time), against the same statement;
* the deep page against the first, both through the application: the ratio that shows whether
  page N costs more than page 1 (OFFSET pages made it grow with N: 1.0–1.1 s at page 2,000 of
  the city's roster).

The deep page's cursor is built from its row (`paging.cursor_after`), as the 下一页 link of the
page before it carries it; the row itself is found once by OFFSET, outside the timings. Both sides
must list the same rows.

`measure(b)` is called by bench/run.py; `b` carries the runner's helpers (see run.py).
"""

from __future__ import annotations

import re

from hand_sql import successor

DEEP = 100_000  # the deep page's position in the list, or two thirds down a shorter one
PAGE_LIMIT_MS = 300.0  # a list page as served, at the city root


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


# --- the roster ---------------------------------------------------------------------------------

def _roster_select() -> str:
    name = 'p.name COLLATE "C"' if _pg() else "p.name"  # the order of members.selectors.name_key
    # SQLite's planner starts from the unions' path range and sorts every member of the scope
    # (about 100 ms for a county); CROSS JOIN makes it walk the name index instead (about 1 ms).
    # PostgreSQL finds that plan by itself.
    people = ("members_person p JOIN members_membership m ON p.id = m.person_id" if _pg()
              else "members_person p CROSS JOIN members_membership m")
    return f"""
SELECT m.id, p.name, p.gender, p.id_masked, p.phone_masked, p.is_migrant_worker, p.first_joined_on,
       u.name, u.short_name, m.card_no, m.status
FROM {people}
JOIN orgs_org u ON u.id = m.union_id
WHERE m.ended_on IS NULL AND p.id = m.person_id
  AND u.path >= %s AND u.path < %s
  {{after}}
ORDER BY {name}, m.id
{{tail}}
""", name  # noqa: S608 - fixed fragments; every value is a parameter


def roster_row_at(cursor, path: str, position: int) -> tuple[int, str]:
    """(membership id, name) of the row at `position` (0-based) in the roster's order."""
    sql, _name = _roster_select()
    cursor.execute(sql.format(after="", tail="LIMIT 1 OFFSET %s"), [path, successor(path), position])
    return cursor.fetchone()[:2]


def roster_page(cursor, path: str, after: tuple[str, int] | None, size: int) -> list[tuple]:
    """The roster page after (name, id), or the first: the columns the page shows, and the row
    more that tells there is a next page. The leading `name >= %s` lets the planner start the
    name index at the cursor; the row value breaks ties on the id."""
    sql, name = _roster_select()
    params = [path, successor(path)]
    cond = ""
    if after is not None:
        cond = f"AND {name} >= %s AND ({name}, m.id) > (%s, %s)"
        params += [after[0], after[0], after[1]]
    cursor.execute(sql.format(after=cond, tail="LIMIT %s"), [*params, size + 1])
    return cursor.fetchall()


def roster_count(cursor, path: str, cap: int) -> int:
    """The pager's bounded count: at most cap + 1 rows are read."""
    cursor.execute("""
SELECT COUNT(*) FROM (
  SELECT m.id FROM members_membership m JOIN orgs_org u ON u.id = m.union_id
  WHERE m.ended_on IS NULL AND u.path >= %s AND u.path < %s LIMIT %s) t""", [path, successor(path), cap + 1])
    return cursor.fetchone()[0]


# --- the audit list ------------------------------------------------------------------------------

def _audit_select() -> str:
    if _pg():
        head = "substr(e.changes::text, 1, %s)"
        keys = ("(CASE WHEN jsonb_typeof(e.changes) = 'object' "
                "THEN (SELECT count(*) FROM jsonb_object_keys(e.changes)) ELSE 0 END)")
    else:
        head = "substr(e.changes, 1, %s)"
        keys = ("(CASE WHEN json_type(e.changes) = 'object' "
                "THEN (SELECT count(*) FROM json_each(e.changes)) ELSE 0 END)")
    return f"""
SELECT e.id, e.seq, e.created_at, e.actor_name, e.action, e.object_label, e.source, {head}, {keys}
FROM core_auditevent e
WHERE ((e.org_path >= %s AND e.org_path < %s) OR e.org_path = '')
  {{after}}
ORDER BY e.seq DESC
{{tail}}
"""  # noqa: S608 - fixed fragments; every value is a parameter


def audit_row_at(cursor, path: str, position: int) -> int:
    """The id of the entry at `position` (0-based), newest first."""
    cursor.execute(_audit_select().format(after="", tail="LIMIT 1 OFFSET %s"),
                   [2000, path, successor(path), position])
    return cursor.fetchone()[0]


def audit_page(cursor, path: str, after_seq: int | None, size: int) -> list[tuple]:
    from gonghui.core.audit_summary import HEAD

    params = [HEAD, path, successor(path)]
    cond = ""
    if after_seq is not None:
        cond = "AND e.seq < %s"
        params.append(after_seq)
    cursor.execute(_audit_select().format(after=cond, tail="LIMIT %s"), [*params, size + 1])
    return cursor.fetchall()


def audit_count(cursor, path: str, cap: int) -> int:
    cursor.execute("""
SELECT COUNT(*) FROM (
  SELECT e.id FROM core_auditevent e
  WHERE (e.org_path >= %s AND e.org_path < %s) OR e.org_path = '' LIMIT %s) t""", [path, successor(path), cap + 1])
    return cursor.fetchone()[0]


# --- measuring ---------------------------------------------------------------------------------------

SHOWN = {"roster": re.compile(r'href="/members/(\d+)/"'), "audit": re.compile(r'href="/audit/(\d+)/"')}


def measure(b) -> None:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.urls import reverse

    from gonghui.core import paging, scope
    from gonghui.core.models import AuditEvent
    from gonghui.core.views import _audit_where
    from gonghui.members import selectors
    from gonghui.members.models import Membership

    admin, root = b.admin, b.root
    size, cap = paging.SIZE, paging.COUNT_CAP  # the pager's own (tests/bench shrinks them)
    path = root.path
    scope.paths_with(admin, "members.view")  # the grants are read once per request; warm them here
    factory = RequestFactory()
    client = Client()
    client.force_login(admin)

    def keyset(qs, name, cursor):
        request = factory.get("/", {"cursor": cursor} if cursor else {})
        request.user = admin
        page = paging.keyset(qs, request, name)
        if page.message:
            raise RuntimeError(f"{name}: the application refused the bench's cursor ({page.message})")
        return page

    def served(url, cursor):
        response = client.get(url, {"cursor": cursor} if cursor else {})
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    lists = []
    total = Membership.objects.filter(ended_on__isnull=True, union__path__startswith=path).count()
    if total > 2 * size:
        position = min(DEEP, total * 2 // 3)
        with connection.cursor() as cur:
            row_id, row_name = roster_row_at(cur, path, position - 1)
        cursor = paging.cursor_after(selectors.roster(admin), "members.roster", row_id, position // size + 1)
        after = (row_name, row_id)
        lists.append(dict(
            key="roster", label="roster, the admin's whole scope", url=reverse("members:roster"), total=total,
            position=position, cursor=cursor,
            app=lambda cursor: keyset(selectors.roster(admin), "members.roster", cursor),
            sql_first=lambda cur: (roster_page(cur, path, None, size), roster_count(cur, path, cap)),
            sql_deep=lambda cur, after=after: (roster_page(cur, path, after, size), None),
        ))
    else:
        b.facts.setdefault("todo", []).append("paging: the roster is too short for a deep page")

    audit_qs = AuditEvent.objects.filter(_audit_where(admin))
    audit_total = audit_qs.count()
    if audit_total > 2 * size:
        position = min(DEEP, audit_total * 2 // 3)
        with connection.cursor() as cur:
            entry_id = audit_row_at(cur, path, position - 1)
        entry_seq = AuditEvent.objects.values_list("seq", flat=True).get(pk=entry_id)

        def audit_app(cursor):
            from gonghui.core import audit_summary

            page = keyset(audit_summary.with_summary(AuditEvent.objects.filter(_audit_where(admin)))
                          .order_by("-seq"), "core.audit", cursor)
            for e in page.items:
                e.summary = audit_summary.summarize(e.changes_head, e.changes_count)
            return page

        lists.append(dict(
            key="audit", label="audit list, the admin's whole scope", url=reverse("core:audit"), total=audit_total,
            position=position, cursor=paging.cursor_after(audit_qs.order_by("-seq"), "core.audit", entry_id,
                                                         position // size + 1),
            app=audit_app,
            sql_first=lambda cur: (audit_page(cur, path, None, size), audit_count(cur, path, cap)),
            sql_deep=lambda cur, seq=entry_seq: (audit_page(cur, path, seq, size), None),
        ))
    else:
        b.facts.setdefault("todo", []).append("paging: the audit log is too short for a deep page")

    for spec in lists:
        b.progress(f"  paging: {spec['label']} ({spec['total']:,} rows), page 1 and the page at row "
                   f"{spec['position']:,}…")
        timed = {}
        for where, cursor, sql in (("first", "", spec["sql_first"]), ("deep", spec["cursor"], spec["sql_deep"])):
            def app(cursor=cursor, spec=spec):
                return spec["app"](cursor)

            def hand(sql=sql):
                with connection.cursor() as cur:
                    return sql(cur)

            def page(cursor=cursor, spec=spec):
                return served(spec["url"], cursor)

            got, captured = b.count_queries(app)
            rows, count = hand()
            want = [r[0] for r in rows[:size]]
            b.check(f"paging {spec['key']} {where} page (rows)", [o.pk for o in got.items], want)
            b.check(f"paging {spec['key']} {where} page (more rows)", got.has_next, len(rows) > size)
            if count is not None:
                b.check(f"paging {spec['key']} first page (count)", got.total, count if count <= cap else None)
            page()  # the client's first request also fills its session (grants, the to-do badge)
            response, served_queries = b.count_queries(page)
            shown = [int(pk) for pk in SHOWN[spec["key"]].findall(response.content.decode())]
            if spec["key"] == "audit":  # the entry's link is its number: map the ids to numbers
                seqs = dict(AuditEvent.objects.filter(pk__in=want).values_list("pk", "seq"))
                want_shown = [seqs[pk] for pk in want]
                shown = list(dict.fromkeys(shown))  # the number and "查看全部变更" link to the same page
            else:
                want_shown = want
            b.check(f"paging {spec['key']} {where} page as served", shown, want_shown)
            where_label = "page 1" if where == "first" else f"the page after row {spec['position']:,}"
            app_ms, sql_ms = b.paired_medians(app, hand, b.runs)
            timed[where] = app_ms
            # Beside the twin for the record; the verdicts are the page's time and page N against page 1
            # (the ORM's rows of the list's own selector cost more than a tuple, on every page alike).
            b.rows.append(b.Row(f"{spec['label']}: {where_label}, `core.paging.keyset` (data)", app_ms, sql_ms,
                                len(captured), ratio_target=None))
            page_ms, sql_ms = b.paired_medians(page, hand, b.runs)
            b.rows.append(b.Row(f"… {where_label} as served `{spec['url']}` (rendered, {len(response.content):,} "
                                f"bytes)", page_ms, sql_ms, len(served_queries), limit_ms=PAGE_LIMIT_MS,
                                ratio_target=None))
            b.facts[f"paging_{spec['key']}_{where}_bytes"] = len(response.content)
        # Page N against page 1, both through the application, in the same interleaved runs.
        deep_ms, first_ms = b.paired_medians(lambda spec=spec: spec["app"](spec["cursor"]),
                                             lambda spec=spec: spec["app"](""), b.runs)
        b.rows.append(b.Row(f"{spec['label']}: the page after row {spec['position']:,} against page 1 "
                            "(application both; page N as fast as page 1)", deep_ms, first_ms, len(captured)))
        b.facts[f"paging_{spec['key']}_rows"] = spec["total"]
        b.facts[f"paging_{spec['key']}_deep_position"] = spec["position"]
