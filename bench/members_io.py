"""The bench's bulk rows (issue 3 part 9): export and import of 100,000 members.

Each runs end to end in a process of its own, so that its wall time and its peak memory
(`getrusage(RUSAGE_CHILDREN)` in a small process that starts it) are the application's:

* export: the roster export as the demo `admin`, through a job run by the same runner as the
  task worker (bench/child.py), filtered to the ~100,000 members who joined most recently;
* import: `gonghui import members FILE --user admin`, the command users script, of a
  generated sheet of 100,000 new members spread over all the unions.

The floor beside each, in this process: for the export one SELECT of the same rows, the
cells decrypted and labelled and written with XlsxWriter (constant memory); for the import
the very rows the import writes, prepared beforehand and loaded with COPY (PostgreSQL) or
`executemany` (SQLite), then rolled back. Both sides must give the same answer: the exported
sheet is read back and compared with the floor's rows; the imported members are compared
with the rows the floor loaded.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import hand_sql as hand
from report import verdict

HERE = Path(__file__).resolve().parent
IMPORT_ROWS = 100_000
EXPORT_ROWS = 100_000
IMPORT_LIMIT_S = 60.0
EXPORT_LIMIT_S = 30.0
MEMORY_LIMIT_MB = 1024.0
CARD_PREFIX = "BENCH"
AREA = "430181"  # not one of the demo's counties, so no generated number is a demo member's


class Failed(Exception):
    """The application's side of a bulk row failed or gave another answer than the floor."""


@dataclass
class BulkRow:
    work: str
    app_s: float
    sql_s: float
    peak_mb: float
    limit_s: float
    limit_mb: float | None = None

    @property
    def ratio(self) -> float:
        return self.app_s / self.sql_s if self.sql_s else float("inf")

    def misses(self) -> list[str]:
        out = []
        if self.app_s > self.limit_s:
            out.append(f"{self.app_s:.1f} s > {self.limit_s:.0f} s")
        if self.limit_mb is not None and self.peak_mb > self.limit_mb:
            out.append(f"peak {self.peak_mb:.0f} MB > {self.limit_mb:.0f} MB")
        return out


def table(rows: list[BulkRow], informational: bool) -> str:
    lines = [
        "| work | app s | floor s | ratio | app peak RSS MB | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        result = verdict(r.misses(), informational)
        lines.append(f"| {r.work} | {r.app_s:.1f} | {r.sql_s:.1f} | {r.ratio:.1f} | {r.peak_mb:.0f} | {result} |")
    return "\n".join(lines)


def not_ready() -> str:
    """Why the import/export rows cannot run yet ('' when they can)."""
    try:
        from gonghui.core import excel, jobs
        from gonghui.members import exports, imports  # noqa: F401
    except ImportError as exc:
        return f"the member import/export is not in the code yet ({exc})"
    if excel.get_importer("members") is None:
        return "no `members` importer is registered in core.excel"
    if jobs.get_runner("members.export") is None:
        return "no `members.export` job runner is registered"
    return ""


# Started by a small Python process of its own: a child forked straight from this (large)
# process would report this process's size as its peak, because Linux carries the peak RSS
# of the forked copy across exec into ru_maxrss.
WRAPPER = """
import json, resource, subprocess, sys, time
started = time.perf_counter()
status = subprocess.call(sys.argv[2:])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
with open(sys.argv[1], "w") as f:
    json.dump({"status": status, "seconds": elapsed, "peak_mb": peak}, f)
"""


def run_child(argv: list[str]) -> tuple[float, float, int, str, str]:
    """(seconds, peak RSS in MB, exit status, stdout, stderr) of one child process."""
    from django.db import connections

    connections.close_all()  # the child gets the database to itself
    with tempfile.TemporaryDirectory() as tmp:
        measured = Path(tmp) / "measured.json"
        done = subprocess.run([sys.executable, "-c", WRAPPER, str(measured), *argv], capture_output=True,
                              cwd=HERE.parent, check=False)
        if not measured.exists():
            raise Failed(f"the measuring process failed: {done.stderr.decode(errors='replace')[-2000:]}")
        m = json.loads(measured.read_text())
    return (m["seconds"], m["peak_mb"], m["status"], done.stdout.decode(errors="replace"),
            done.stderr.decode(errors="replace"))


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


# --- export -----------------------------------------------------------------------------------


def _labels() -> dict:
    from gonghui.members import exports

    return exports.LABELS


def export_floor(root_path: str, since: dt.date, out: Path) -> tuple[float, list[tuple]]:
    """One SELECT, the cells decrypted (the keyring read once) and labelled, written with XlsxWriter in
    constant-memory mode in the sheet's columns (those the application leaves blank left out)."""
    import xlsxwriter
    from django.db import connection

    from gonghui.core import crypto
    from gonghui.members import exports

    labels = _labels()
    started = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet("会员名册")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, exports.HEADERS)
    keys = []
    at = {h: i for i, h in enumerate(exports.HEADERS)}
    columns = [at[h] for h in (*IMPORT_HEADERS, "工作单位", "是否农民工会员", "所在工会", "会籍状态", "农民工")]
    ring = crypto.keyring()
    with connection.cursor() as cursor:
        for n, (name, id_cipher, gender, ethnicity, birth, education, political, phone_cipher, hukou, employment,
                uscc, code, started_on, card, employer_name, union_name, status, migrant) in enumerate(
                    hand.export_rows(cursor, root_path, since), start=1):
            number = crypto.decrypt(id_cipher, ring)
            cells = [name, number, labels["gender"].get(gender, ""), labels["ethnicity"].get(ethnicity, ""), birth,
                     labels["education"].get(education, ""), labels["political"].get(political, ""),
                     crypto.decrypt(phone_cipher, ring), labels["hukou"].get(hukou, ""),
                     labels["employment"].get(employment, ""), uscc or "", code, started_on, card,
                     employer_name or "", "是" if migrant else "否", union_name, labels["status"].get(status, ""),
                     "是" if migrant else "否"]
            for c, value in zip(columns, cells, strict=True):
                if isinstance(value, dt.date):
                    ws.write_datetime(n, c, value, date_format)
                else:
                    ws.write_string(n, c, value)
            keys.append((name, number, code, card, employer_name or ""))
    wb.close()
    return time.perf_counter() - started, keys


def measure_export(progress) -> tuple[BulkRow, dict]:
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from gonghui.members import exports
    from gonghui.orgs.models import Org

    root = Org.objects.get(depth=1)
    with connection.cursor() as cursor:
        since = hand.export_cutoff(cursor, EXPORT_ROWS)
    progress(f"  export: members who joined on or after {since}, as the admin (a job in a child process)…")
    params = {"joined_from": since.isoformat()}
    app_s, peak, status, out, err = run_child([sys.executable, str(HERE / "child.py"), "export", json.dumps(params)])
    if status:
        raise Failed(f"export: the child exited with {status}: {err[-3000:]}")
    outcome = json.loads(out.strip().splitlines()[-1])
    if outcome["status"] != "done" or not outcome["output"]:
        raise Failed(f"export: the job ended {outcome['status']}: {outcome['error']}")
    app_file = Path(outcome["output"])
    progress(f"  export: {outcome['result'].get('rows', '?'):,} rows in {app_s:.1f} s, peak {peak:.0f} MB; "
             "the floor (SELECT + XlsxWriter)…")
    with tempfile.TemporaryDirectory() as tmp:
        sql_s, want = export_floor(root.path, since, Path(tmp) / "floor.xlsx")
    try:
        sheet = CalamineWorkbook.from_path(str(app_file)).get_sheet_by_index(0).to_python()
    finally:
        app_file.unlink(missing_ok=True)
    if [_text(v) for v in sheet[0][: len(exports.HEADERS)]] != list(exports.HEADERS):
        raise Failed(f"export: unexpected headers {sheet[0]}")
    at = {h: i for i, h in enumerate(exports.HEADERS)}  # the importer's columns may grow: find them by name
    name, number, code, card, employer = at["姓名"], at["公民身份号码"], at["所在工会代码"], at["会员证号"], at["工作单位"]
    got = [(_text(r[name]), _text(r[number]), _text(r[code]), _text(r[card]), _text(r[employer])) for r in sheet[1:]]
    if got != want:
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), min(len(got), len(want)))
        raise Failed(f"export: the sheet has {len(got)} rows, the floor {len(want)}; first difference at row "
                     f"{first + 2}")
    row = BulkRow(f"export of {len(want):,} members to xlsx (job as `admin`, full ID numbers)", app_s, sql_s, peak,
                  EXPORT_LIMIT_S)
    return row, {"export_rows": len(want), "export_since": since}


# --- import -----------------------------------------------------------------------------------


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def make_records(n: int, today: dt.date) -> list[dict]:
    """`n` new members over all the active unions (a covered employer's USCC for most)."""
    from gonghui.core.identifiers import id_check_char
    from gonghui.members.models import Employment, Hukou, Person, education_choices, political_choices
    from gonghui.orgs.models import MEMBER_UNION_TYPES, Coverage, Org, OrgStatus

    rng = random.Random(1)
    education, political = [c for c, _ in education_choices()], [c for c, _ in political_choices()]
    unions = list(Org.objects.filter(org_type__in=MEMBER_UNION_TYPES, status=OrgStatus.ACTIVE).order_by("path")
                  .values_list("pk", "code", "founded_on", "path"))
    employers: dict[int, tuple[str, int]] = {}
    for union_id, uscc, pk in (Coverage.objects.filter(valid_to__isnull=True, employer__uscc__isnull=False)
                               .order_by("union_id", "employer_id")
                               .values_list("union_id", "employer__uscc", "employer_id")):
        employers.setdefault(union_id, (uscc, pk))
    names = {g: list(Person.objects.filter(gender=g).order_by("name").values_list("name", flat=True)
                     .distinct()[:4000]) for g in (1, 2)}
    used: set[str] = set()
    oldest, youngest = _add_years(today, -60), _add_years(today, -18)
    records = []
    for i in range(n):
        union_id, code, founded, path = unions[i % len(unions)]
        gender = rng.choice((1, 2))
        while True:
            birth = oldest + dt.timedelta(days=rng.randint(0, (youngest - oldest).days))
            body = f"{AREA}{birth:%Y%m%d}{rng.randrange(0, 500) * 2 + (1 if gender == 1 else 0):03d}"
            if body not in used:
                used.add(body)
                break
        lo = max(founded or dt.date(1990, 1, 1), _add_years(birth, 18))
        joined = lo + dt.timedelta(days=rng.randint(0, max(0, (today - lo).days)))
        migrant = rng.random() < 0.3
        employer = employers.get(union_id) if rng.random() < 0.8 else None
        records.append({
            "name": rng.choice(names[gender]) if names[gender] else f"会员{i}",
            "number": body + id_check_char(body), "gender": gender, "birth": birth,
            "education": rng.choice(education), "political": rng.choice(political),
            "phone": f"13{rng.randrange(10**9):09d}" if rng.random() < 0.9 else "",
            "hukou": Hukou.RURAL if migrant else Hukou.URBAN, "employment": Employment.EMPLOYED,
            "uscc": employer[0] if employer else "", "employer_id": employer[1] if employer else None,
            "union_id": union_id, "code": code, "path": path, "joined": joined, "card": f"{CARD_PREFIX}{i:07d}",
        })
    return records


# The columns the records fill (the importer's first ones; it matches columns by name and has more).
IMPORT_HEADERS = ("姓名", "公民身份号码", "性别", "民族", "出生日期", "文化程度", "政治面貌", "手机号码", "户籍类型",
                  "就业状态", "工作单位统一社会信用代码", "所在工会代码", "入会日期", "会员证号")


def write_import_file(records: list[dict], path: Path) -> None:
    """The import template's columns, the ID number (and other codes) as text."""
    import xlsxwriter

    from gonghui.core import codes
    from gonghui.members.models import Gender

    label = {**dict(Gender.choices), **{(key, k): v for key in ("education", "political", "hukou", "employment")
                                        for k, v in codes.get(key).choices}}
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("会员名册")
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, IMPORT_HEADERS)
    for n, r in enumerate(records, start=1):
        cells = [r["name"], r["number"], label[r["gender"]], "汉族", r["birth"], label[("education", r["education"])],
                 label[("political", r["political"])], r["phone"], label[("hukou", r["hukou"])],
                 label[("employment", r["employment"])],
                 r["uscc"],
                 r["code"], r["joined"], r["card"]]
        for c, value in enumerate(cells):
            if isinstance(value, dt.date):
                ws.write_datetime(n, c, value, date_format)
            elif value != "":
                ws.write_string(n, c, value)
    wb.close()


def import_rows(records: list[dict], person_id: int, membership_id: int, actor: str) -> dict[str, list[tuple]]:
    """The rows `member_join` writes for these records (as the bulk import does: audit aside)."""
    from django.utils import timezone

    from gonghui.core import crypto
    from gonghui.core.pinyin import search_keys
    from gonghui.members.models import Hukou

    now = timezone.now()
    keys: dict[str, str] = {}
    out: dict[str, list[tuple]] = {t: [] for t in hand.LOAD_COLUMNS}
    for i, r in enumerate(records):
        pid, mid, number, phone = person_id + i, membership_id + i, r["number"], r["phone"]
        name = r["name"]
        if name not in keys:
            keys[name] = search_keys(name)
        out["members_person"].append((
            pid, name, crypto.encrypt(number), crypto.lookup_hash(number), crypto.mask_id(number), number[-4:],
            r["gender"], r["birth"], "01", r["education"], r["political"], crypto.encrypt(phone),
            crypto.mask_phone(phone), str(r["hukou"]), Hukou.is_rural(r["hukou"]), str(r["employment"]), False,
            r["employer_id"], "",  # the typed-in employer name: none, the employer is registered
            r["joined"], keys[name], now, now))
        out["members_membership"].append((mid, pid, r["union_id"], r["joined"], None, "active", r["card"], now))
        out["members_memberstatusperiod"].append((mid, r["union_id"], "active", r["joined"], None, "", r["path"],
                                                  False, r["gender"], Hukou.is_rural(r["hukou"])))
        out["members_memberevent"].append((pid, mid, r["union_id"], "joined", r["joined"], r["joined"].replace(day=1),
                                           r["path"], "{}", "", actor, now))
    return out


def import_floor(records: list[dict]) -> float:
    """Load the import's rows (prepared beforehand) and roll back: the time of the load."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            rows = import_rows(records, hand.next_id(cursor, "members_person"),
                               hand.next_id(cursor, "members_membership"), "admin")
            started = time.perf_counter()
            for name, table_rows in rows.items():
                hand.load(cursor, connection.vendor, name, table_rows)
            elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def forget_earlier_imports(progress) -> None:
    """On a reused database, remove the members a previous run imported (and vacuum), so
    that the export and the import see the demo as it was built."""
    from django.db import connection

    like = CARD_PREFIX + "%"
    ids = "SELECT id FROM members_membership WHERE card_no LIKE %s"
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id FROM members_membership WHERE card_no LIKE %s", [like])
        people = [r[0] for r in cursor.fetchall()]
        if not people:
            return
        progress(f"  removing the {len(people):,} members an earlier run imported…")
        cursor.execute(f"DELETE FROM members_memberevent WHERE membership_id IN ({ids})", [like])  # noqa: S608
        cursor.execute(f"DELETE FROM members_memberstatusperiod WHERE membership_id IN ({ids})", [like])  # noqa: S608
        cursor.execute("DELETE FROM members_membership WHERE card_no LIKE %s", [like])
        for start in range(0, len(people), 1000):
            part = people[start: start + 1000]
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(f"DELETE FROM members_person WHERE id IN ({marks})", part)  # noqa: S608
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "VACUUM")


def measure_import(progress, today: dt.date) -> tuple[BulkRow, dict]:
    from gonghui.core import crypto
    from gonghui.members.models import MemberEvent, Membership, MemberStatusPeriod

    progress(f"  import: generating a sheet of {IMPORT_ROWS:,} new members…")
    records = make_records(IMPORT_ROWS, today)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "members.xlsx"
        write_import_file(records, path)
        size_mb = path.stat().st_size / 1e6
        progress(f"  import: the floor (the same rows, {'COPY' if _vendor() == 'postgresql' else 'executemany'})…")
        sql_s = import_floor(records)
        progress(f"  import: `gonghui import members` ({size_mb:.1f} MB) in a child process…")
        app_s, peak, status, out, err = run_child([sys.executable, "-m", "gonghui.cli", "import", "members",
                                                   str(path), "--user", "admin"])
    if status:
        raise Failed(f"import: exit status {status}: {(out + err)[-3000:]}")
    progress(f"  import: {out.strip()} ({app_s:.1f} s, peak {peak:.0f} MB)")
    got = set(Membership.objects.filter(card_no__startswith=CARD_PREFIX, ended_on__isnull=True).values_list(
        "person__id_hash", "person__name", "union_id", "started_on", "card_no", "person__employer_id"))
    want = {(crypto.lookup_hash(r["number"]), r["name"], r["union_id"], r["joined"], r["card"], r["employer_id"])
            for r in records}
    if got != want:
        raise Failed(f"import: {len(got)} members imported, {len(got & want)} of {len(want)} as expected")
    imported = Membership.objects.filter(card_no__startswith=CARD_PREFIX)
    periods = MemberStatusPeriod.objects.filter(membership__in=imported).count()
    events = MemberEvent.objects.filter(membership__in=imported, kind=MemberEvent.Kind.JOINED).count()
    if periods != len(want) or events != len(want):
        raise Failed(f"import: {periods} status periods and {events} events for {len(want)} members")
    row = BulkRow(f"import of {len(want):,} new members (`gonghui import members`, {size_mb:.0f} MB xlsx)", app_s,
                  sql_s, peak, IMPORT_LIMIT_S, MEMORY_LIMIT_MB)
    return row, {"import_rows": len(want)}


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def measure(progress, today: dt.date) -> tuple[list[BulkRow], dict, str]:
    """The export, then the import (which adds its members for good: it comes last).
    Returns (rows, facts, why not) — no rows and the reason when the code is not there."""
    reason = not_ready()
    if reason:
        return [], {}, reason
    forget_earlier_imports(progress)
    rows, facts = [], {}
    for func in (measure_export, lambda p: measure_import(p, today)):
        row, more = func(progress)
        rows.append(row)
        facts.update(more)
    return rows, facts, ""
