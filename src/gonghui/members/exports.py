"""Export of the roster (会员名册) to xlsx: the roster's current filter, in the import's columns.

ID numbers and phones are written in full only for rows whose union the user holds both
`members.export` (the queryset is scoped by it) and `members.view_sensitive` on; otherwise
masked. Every export writes one access-log entry with the row count and the filter (with a
searched ID number or phone masked). Big exports run as a background job (`run_export`).

The code-table columns (性别, 民族, 文化程度, 政治面貌, 户籍类型, 就业状态) hold the labels; with the
codes option (`codes=1`, `gonghui export members --codes`) their codes (issue 17), which other
systems read and our import takes back as well as the labels: exported with either, a roster
imports into the same records.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator

from django.db import connections, transaction
from django.db.models import QuerySet

from gonghui.core import audit, clock, codes, crypto, excel, exports, jobs, scope
from gonghui.core.errors import ServiceError, join_messages
from gonghui.orgs.models import Org

from . import selectors
from .forms import RosterFilterForm
from .imports import MemberImporter
from .models import Gender, MemberStatus, Person

CHUNK = 2000  # rows fetched at a time from the server-side cursor
SYNC_MAX_ROWS = 5000  # above this an export runs as a background job
EXPORTING = "导出"
EXTRA_HEADERS = ("所在工会", "会籍状态", "农民工")
HEADERS = (*(c.header for c in MemberImporter.columns), *EXTRA_HEADERS)
TEXT_COLUMNS = tuple(i for i, c in enumerate(MemberImporter.columns) if c.is_text)
# The person's code-table fields (gonghui.core.codes): a label by default, the code on request.
CODE_TABLES = {"ethnicity": "ethnicity", "education": "education", "political": "political", "hukou": "hukou",
               "employment": "employment"}
# What each import column is filled from: a field of the person (person__<field>), or below.
OTHER_FIELDS = {
    "id_number": ("person__id_cipher", "person__id_masked"), "phone": ("person__phone_cipher", "person__phone_masked"),
    "employer_uscc": ("person__employer__uscc",), "union_code": ("union__code",), "joined_on": ("started_on",),
    "card_no": ("card_no",), "is_migrant": ("person__is_migrant_worker",),
    # The employer's name as the roster gave it, else as registered (a member whose employer was
    # given by credit code only has no name of its own).
    "employer_name": ("person__employer_name", "person__employer__name"),
}
EXTRA_FIELDS = ("union__name", "status", "person__is_migrant_worker", "union__path")
PERSON_FIELDS = {f.name for f in Person._meta.concrete_fields}


def _sources(column) -> tuple[str, ...]:
    if column.field in OTHER_FIELDS:
        return OTHER_FIELDS[column.field]
    return (f"person__{column.field}",) if column.field in PERSON_FIELDS else ()  # () : left blank


SOURCES = [_sources(c) for c in MemberImporter.columns]
VALUES = tuple(dict.fromkeys(v for s in (*SOURCES, EXTRA_FIELDS) for v in s))
LABELS = {
    "gender": dict(Gender.choices), "status": dict(MemberStatus.choices),
    **{field: dict(codes.get(key).choices) for field, key in CODE_TABLES.items()},
}
CODES_PARAM = "codes"  # ?codes=1 / --codes: the code-table columns as codes (for another system, or to re-import)
FILTER_LABELS = {"org": "单位", "q": "查找", "status": "会籍状态", "gender": "性别", "migrant": "农民工",
                 "age_min": "年龄自", "age_max": "年龄至", "joined_from": "入会日期自", "joined_to": "入会日期至"}


class FilterError(Exception):
    """The filter is not valid; the message is Chinese."""


def parse_filters(user, params) -> tuple[Org | None, dict]:
    """The roster's GET parameters, validated by the roster's own form; the org must be one
    the user may export (out of scope reads as missing)."""
    form = RosterFilterForm(params)
    if not form.is_valid():
        raise FilterError("筛选条件有误：" + join_messages(m for errs in form.errors.values() for m in errs))
    filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    code = filters.pop("org", "")
    org = None
    if code:
        org = scope.visible(Org.objects.filter(code=code), user, "members.export", "path").first()
        if org is None:
            raise FilterError(f"未找到编码为“{code}”的单位，或不在您的导出范围内。")
    return org, filters


def queryset(user, org: Org | None, filters: dict) -> QuerySet:
    """The roster's rows, further limited to where the user holds members.export."""
    qs = selectors.roster(user, org=org, **filters)
    return scope.visible(qs, user, "members.export")


def describe(org: Org | None, filters: dict) -> str:
    """The filter for the access log: a searched ID number or phone is masked."""
    parts = [f"单位={org.code}"] if org is not None else []
    for key, value in filters.items():
        if key == "q":
            text = str(value).strip()
            if selectors.ID_LIKE.match(text):
                text = crypto.mask_id(text)
            elif text.isdigit() and len(text) >= 7:
                text = crypto.mask_phone(text)
            value = text
        elif key in ("status", "gender"):
            value = LABELS[key].get(value if key == "status" else int(value), value)
        elif key == "migrant":
            value = "是" if value == "1" else "否"
        parts.append(f"{FILTER_LABELS.get(key, key)}={value}")
    return "；".join(parts) or "全部"


class Rows:
    """Yields the sheet's rows; counts how many carried full ID numbers and phones.

    The import's columns in its order, so the file goes back through the import as it is; with
    `codes`, the code-table columns hold the codes (性别 1/2, 民族 01, 学历 21 …), which the import
    reads as well as the labels."""

    def __init__(self, user, qs: QuerySet, codes: bool = False):
        self.user, self.qs, self.full, self.codes = user, qs, 0, codes
        self._sensitive: dict[str, bool] = {}
        self._ring: crypto.Keyring | None = None

    def _may_see(self, path: str) -> bool:
        if path not in self._sensitive:
            self._sensitive[path] = scope.has_perm(self.user, "members.view_sensitive", path)
        return self._sensitive[path]

    def _cell(self, field: str, values: list, full: bool):
        if field in ("id_number", "phone"):
            cipher, masked = values
            return crypto.decrypt(cipher, self._ring) if full else masked
        if field == "employer_name":
            given, registered = values
            return given or registered or ""
        value = values[0] if values else ""
        if field == "gender":
            return str(value) if self.codes else LABELS["gender"].get(value, "")
        if field in CODE_TABLES:
            return (value or "") if self.codes else LABELS[field].get(value, value or "")
        if field == "is_migrant":
            return "是" if value else "否"
        return "" if value is None else value

    def __iter__(self) -> Iterator[list]:
        at = {v: i for i, v in enumerate(VALUES)}
        plan = [(c.field, [at[v] for v in src]) for c, src in zip(MemberImporter.columns, SOURCES, strict=True)]
        union_name, status, migrant, path = (at[v] for v in EXTRA_FIELDS)
        postgres = connections[self.qs.db].vendor == "postgresql"
        with transaction.atomic(using=self.qs.db) if postgres else contextlib.nullcontext():
            if postgres:
                # The rows come through a server-side cursor, which PostgreSQL plans for its first
                # tenth by default: for the roster's name order, a walk of every person by name
                # (nested loops over the whole table; 3× the time of the plain query for 20,000 of
                # 150,000 people). An export reads every row: plan for all of them.
                with connections[self.qs.db].cursor() as cursor:
                    cursor.execute("SET LOCAL cursor_tuple_fraction = 1")
            for n, row in enumerate(self.qs.values_list(*VALUES).iterator(chunk_size=CHUNK)):
                if n % CHUNK == 0:
                    # The keyring once a chunk, not once a cell (each look-up checks the keyring file);
                    # a rotation meanwhile is still seen within a chunk.
                    self._ring = crypto.keyring()
                full = self._may_see(row[path])
                self.full += full
                yield [self._cell(field, [row[i] for i in where], full) for field, where in plan] + [
                    row[union_name], LABELS["status"].get(row[status], ""), "是" if row[migrant] else "否"]


def wants_codes(params) -> bool:
    """The export's codes option (a page's checkbox, `--codes` or `--param codes=1`)."""
    return str(params.get(CODES_PARAM) or "").strip().lower() in ("1", "on", "true", "yes", "是")


def write(out, user, qs: QuerySet, progress: Callable[[int], None] | None = None,
          codes: bool = False) -> tuple[int, int]:
    """Write the xlsx to `out` (a path or a file object); returns (rows, rows in full)."""
    rows = Rows(user, qs, codes=codes)
    n = excel.write_table(out, HEADERS, rows, sheet_name="会员名册", text_columns=TEXT_COLUMNS,
                          tmpdir=jobs.tmp_dir(), progress=progress)
    return n, rows.full


def log(user, org: Org | None, filters: dict, n: int, full: int) -> None:
    shown = f"其中 {full} 行含完整身份证号和手机号" if full else "身份证号、手机号已脱敏"
    audit.log_access(user=user, kind="export", object_type="members.membership", object_id="",
                     fields=list(HEADERS), reason=f"导出会员名册 {n} 行（{shown}）；筛选：{describe(org, filters)}"[:255],
                     org_path=org.path if org is not None else "")


def filename() -> str:
    return f"会员名册_{clock.today():%Y%m%d}.xlsx"


@jobs.runner("members.export")
def run_export(job, progress) -> None:
    """input: the roster's GET parameters as JSON (a private file: the search may be an ID number)."""
    if not scope.has_perm(job.user, "members.export"):
        raise jobs.JobError("您已没有导出权限。")
    params = json.loads(jobs.read_input(job))
    try:
        org, filters = parse_filters(job.user, params)
    except FilterError as exc:
        raise jobs.JobError(str(exc)) from exc
    qs = queryset(job.user, org, filters)
    job.total = qs.count()
    target = jobs.output_target(job, filename())
    n, full = write(str(target), job.user, qs, progress=lambda done: progress(EXPORTING, done, job.total),
                    codes=wants_codes(params))
    job.total = n
    log(job.user, org, filters, n, full)
    job.result = {"rows": n, "full": full, "summary": f"共导出 {n:,} 行。"}


def params_json(params) -> bytes:
    """The filter parameters to hand to a job, as they came in (re-validated when it runs)."""
    return json.dumps({k: params.get(k, "") for k in (*FILTER_LABELS, CODES_PARAM)}, ensure_ascii=False).encode()



@exports.register
class MemberRoster(exports.Exporter):
    """`gonghui export members`: the roster as the page exports it (the roster's filters as --param)."""

    key = "members"
    title = "会员名册"
    permission = "members.export"
    headers = HEADERS
    text_columns = TEXT_COLUMNS
    params_help = {**{k: v for k, v in FILTER_LABELS.items() if k != "org"},
                   CODES_PARAM: "值为1时，性别、民族、文化程度、政治面貌、户籍类型、就业状态写代码（可再导入）"}

    def _parsed(self):
        params = dict(self.params)
        if self.org is not None and self.org.depth > 1:
            params["org"] = self.org.code
        try:
            return parse_filters(self.user, params)
        except FilterError as exc:
            raise ServiceError(str(exc)) from exc

    def write(self, out, *, tmpdir=None, progress=None) -> int:
        org, filters = self._parsed()
        n, full = write(out, self.user, queryset(self.user, org, filters), progress=progress,
                        codes=wants_codes(self.params))
        log(self.user, org, filters, n, full)
        self.written = n
        return n
