"""The standard tables (标准统计表) a work line declares: "own level + each direct subordinate +
total", one column per figure of the metric registry.

A work line declares its table in its own metrics.py, as metric codes and the headers its clerks
know::

    register_table("petitions", title="信访统计表", permission="petitions.view", columns=[
        ("petitions.total", "收到信访(宗)"),
        ("bargaining.wage_agreement_rate", "已建会非公企业（家）", "denominator"),
        ...])

The reports app renders every registered table (page and xlsx) from the metrics' breakdowns,
grouped by the tree as it stood on the period's cut-off, with the locked figures when the period
is locked. The work line never computes a row itself, so its table and the statistics pages
cannot disagree, and a past period is never grouped by today's tree.
"""

from __future__ import annotations

from dataclasses import dataclass

PARTS = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class Column:
    metric: str
    header: str
    # Which part of the figure the column shows: a rate's value, or its numerator or denominator
    # (e.g. 已建会非公企业 is the denominator of the wage-agreement rate).
    part: str = "value"


@dataclass(frozen=True)
class StandardTable:
    key: str
    title: str
    permission: str  # who may see the table, checked on the org like any list of the work line
    columns: tuple[Column, ...]
    note: str = ""  # one sentence under the title: what is a stock and what a flow
    # Write an access-log entry for each download (hardship figures are sensitive by policy).
    access_logged: bool = False

    @property
    def metrics(self) -> list[str]:
        """The metric codes the columns read, each once, in column order."""
        return list(dict.fromkeys(c.metric for c in self.columns))


TABLES: dict[str, StandardTable] = {}


def register_table(key: str, *, title: str, permission: str, columns, note: str = "",
                   access_logged: bool = False) -> StandardTable:
    """Declare a work line's standard table; `columns` are (metric code, header[, part])."""
    if key in TABLES:
        raise ValueError(f"standard table {key} registered twice")
    if not key.isidentifier():
        raise ValueError(f"standard table key {key!r} must be a plain name (it is part of a URL name)")
    cols = tuple(c if isinstance(c, Column) else Column(*c) for c in columns)
    for c in cols:
        if c.part not in PARTS:
            raise ValueError(f"standard table {key}: column {c.header} reads {c.part!r}, not one of {PARTS}")
    TABLES[key] = StandardTable(key, title, permission, cols, note, access_logged)
    return TABLES[key]


def legacy_query(params) -> str:
    """A work line's old table address (?org=&start=&end=&format=) as the reports table's query,
    so bookmarks and links keep working after the redirect."""
    from urllib.parse import urlencode

    out = {}
    if params.get("org"):
        out["org"] = params["org"].strip()
    if params.get("start") or params.get("end"):
        out["preset"] = "custom"
        for old, new in (("start", "from"), ("end", "to")):
            if params.get(old):
                out[new] = params[old]
    if params.get("format") == "xlsx":
        out["format"] = "xlsx"
    return urlencode(out)


def url_name(key: str) -> str:
    """The reports page of a registered table (the reports app mounts one URL per table)."""
    return f"reports:table_{key}"


def moved_view(key: str):
    """The work line's old table address: a redirect to the reports page by URL name (a work line
    does not import reports). It forwards only; the reports page checks the table's permission and
    scope, so the redirect itself needs a signed-in user and nothing else."""
    from django.shortcuts import redirect
    from django.urls import reverse

    from .views_base import login_only

    @login_only
    def view(request):
        query = legacy_query(request.GET)
        return redirect(reverse(url_name(key)) + (f"?{query}" if query else ""))

    view.__name__ = f"{key}_table_moved"
    return view
