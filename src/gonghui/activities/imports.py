"""Excel imports of the 活动与阵地 line, through the one import front door (core.excel).

- 活动记录: one activity a row, as the ledgers (活动台账) clerks keep: organiser's code, kind (by its
  name), title, dates and the measures the kind carries; a measure the kind does not carry, or
  人次 below 人, is an error on that row. Importing the same sheet twice adds nothing.
- 签到名单: one person a row (活动编号, 姓名, 身份证号码, 参加次数): each ID number must be on the
  member roster under the same name; unknown numbers are listed by row and nothing is saved.
  人 and 人次 of the activity are then computed from its list.

Nothing is saved when any row is wrong; ID numbers are masked in every error.
"""

from __future__ import annotations

from gonghui.core import crypto, excel, scope
from gonghui.core.excel import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    parse_count,
    parse_date,
    parse_money,
    parse_text,
)
from gonghui.members.imports import parse_id
from gonghui.members.models import Person
from gonghui.orgs.models import Org

from . import services
from .models import MEASURES, Activity, ActivityKind

MEASURE_HEADERS = {"sessions": "期数/场次", "persons": "人数", "person_times": "人次", "units": "覆盖单位数（家）",
                   "items": "数量（项/条/份）", "amount": "金额（元）"}


class _KindName:
    """The 活动类型 column's parser: plain text, matched to a kind in check_rows. Its `choices`
    (the template's drop-down, core.excel.Column.options) are the active kinds' names, read when
    a template is made, since kinds are data and a kind added on the 活动类型 page must be offered."""

    def __call__(self, value) -> str:
        return parse_text(value)

    @property
    def choices(self) -> list[str]:
        return list(ActivityKind.objects.filter(active=True).order_by("order", "id").values_list("name", flat=True))


@excel.register
class ActivityImporter(excel.Importer):
    kind = "activities"
    title = "活动记录"
    permission = "activities.change"
    back = "activities:index"
    notes = ("每行一次活动；“活动类型”填写活动类型名称（见“活动类型”页面），只填写该类型登记的指标，其余留空。",
             "有签到名单的活动，人数和人次请留空，再在活动页面导入签到名单，系统按名单统计。",
             "同一单位、同一类型、同一名称、同一开始日期的活动已存在时不重复导入。")
    columns = [
        Column("主办单位编码", "org_code", True, excel.parse_code, aliases=("单位编码", "组织编码")),
        Column("活动类型", "kind", True, _KindName(), aliases=("类型",)),
        Column("活动名称", "title", True, parse_text, max_length=200, aliases=("活动主题", "名称")),
        Column("开始日期", "start_on", True, parse_date, aliases=("活动日期", "日期")),
        Column("结束日期", "end_on", False, parse_date),
        Column(MEASURE_HEADERS["sessions"], "sessions", False, parse_count, aliases=("期数", "场次")),
        Column(MEASURE_HEADERS["persons"], "persons", False, parse_count, aliases=("参加人数",)),
        Column(MEASURE_HEADERS["person_times"], "person_times", False, parse_count, aliases=("参加人次",)),
        Column(MEASURE_HEADERS["units"], "units", False, parse_count, aliases=("覆盖单位数", "单位数", "企业数")),
        Column(MEASURE_HEADERS["items"], "items", False, parse_count, aliases=("数量",)),
        Column(MEASURE_HEADERS["amount"], "amount", False, parse_money, aliases=("金额", "经费（元）", "经费")),
        Column("地点", "place", False, parse_text, max_length=200),
        Column("协办单位", "co_organisers", False, parse_text, max_length=200),
        Column("备注", "note", False, parse_text, max_length=500),
    ]

    def clean_row(self, row) -> None:
        if row.get("end_on") and row.get("start_on") and row.get("end_on") < row.get("start_on"):
            row.error("end_on", "结束日期不能早于开始日期。")

    def check_rows(self, rows) -> None:
        codes = {r.get("org_code") for r in rows if r.get("org_code")}
        self._orgs = {o.code: o for o in scope.visible(Org.objects.filter(code__in=codes), self.actor,
                                                        self.permission, "path")}
        self._kinds = {k.name: k for k in ActivityKind.objects.filter(active=True)}
        for row in rows:
            code = row.get("org_code")
            if code and code not in self._orgs:
                row.error("org_code", f"主办单位编码“{code}”不存在，或不在您的管理范围内。")
            name = row.get("kind")
            kind = self._kinds.get(name) if name else None
            if name and kind is None:
                row.error("kind", f"活动类型“{name}”不存在或已停用，请填写“活动类型”页面上的名称。")
            if kind is None:
                continue
            for flag, col, label, _unit in MEASURES:
                if not getattr(kind, flag) and not row.blank(col):
                    row.error(col, f"活动类型“{kind.name}”不登记{label}，请留空。")
            persons, times = row.get("persons"), row.get("person_times")
            if persons is not None and times is not None and times < persons:
                row.error("person_times", f"人次（{times}）不能少于人数（{persons}）。")

    def row_keys(self, row):
        return [("活动", (row.get("org_code"), row.get("kind"), row.get("title"), row.get("start_on")))]

    def save_rows(self, rows, result) -> None:
        """Set-based: the records already there found in one query (re-import adds nothing), the
        rest created by one bulk service call (validated again, all or nothing, refusals by row)."""
        orgs = {o.pk for o in self._orgs.values()}
        dates = {r.get("start_on") for r in rows}
        have = set(Activity.objects.filter(org_id__in=orgs, start_on__in=dates)
                   .values_list("org_id", "kind_id", "title", "start_on"))
        new = []
        for row in rows:
            v = row.get
            org, kind = self._orgs[v("org_code")], self._kinds[v("kind")]
            if (org.pk, kind.pk, v("title"), v("start_on")) in have:
                result.unchanged += 1
                continue
            new.append(services.NewActivity(
                org=org, kind=kind, title=v("title"), start_on=v("start_on"), end_on=v("end_on"),
                place=v("place") or "", co_organisers=v("co_organisers") or "", note=v("note") or "",
                measures={col: v(col) for _f, col, _l, _u in MEASURES}, row=row.number))
        try:
            result.created += services.activities_bulk_create(actor=self.actor, items=new)
        except services.BulkErrors as exc:
            by_number = {r.number: r for r in rows}
            for number, field, message in exc.errors:
                by_number[number].error(field, message)
        self.report(excel.SAVING, len(rows), len(rows))

    def save_row(self, row) -> str:  # every row goes through save_rows
        raise NotImplementedError


@excel.register
class AttendanceImporter(excel.Importer):
    kind = "activities_attendance"
    title = "活动签到名单"
    permission = "activities.change"
    back = "activities:index"
    notes = ("每行一人；“活动编号”见活动详情页。身份证号码须在会员名册中，且姓名一致；名册中没有的号码逐行列出，整个文件不导入。",
             "“参加次数”为该人参加的期数或场次，不填按1次计；导入后活动的人数、人次按名单自动统计。",
             "同一文件可以包含多个活动的名单；重复导入不会重复计人。",
             "名册中没有的身份证号码逐行列出（号码打码），整个文件不导入；核对后可勾选“只导入名册中有的人员”重新上传，"
             "这些行跳过（计入“未变”），其余行导入，活动的记录中注明跳过的人数。")
    # Options of the import page and the command line (core.views_import, `gonghui import`).
    flags = (("skip_unknown", "只导入名册中有的人员", "--skip-unknown",
              "先不勾选上传一次，核对列出的名册外人员；确认后勾选并重新上传，名册中没有的身份证号码所在行跳过不导入，"
              "其余行照常导入。"),)
    columns = [
        Column("活动编号", "activity", True, parse_count),
        Column("姓名", "name", True, parse_text, max_length=50),
        Column("身份证号码", "id_number", True, parse_id, aliases=("证件号码", "公民身份号码", "身份证号")),
        Column("参加次数", "times", False, parse_count, aliases=("次数", "参加期数")),
    ]

    def __init__(self, *, skip_unknown: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.skip_unknown = skip_unknown
        self.skipped: list[int] = []

    def clean_row(self, row) -> None:
        if row.get("times") == 0:
            row.error("times", "参加次数至少为1。")

    def row_keys(self, row):
        number = row.get("id_number")
        return [("身份证号码", (row.get("activity"), number.number))] if number else []

    def check_rows(self, rows) -> None:
        ids = {r.get("activity") for r in rows if r.get("activity")}
        visible = scope.visible(Activity.objects.filter(pk__in=ids).select_related("kind", "org"), self.actor,
                                self.permission)
        self._activities = {a.pk: a for a in visible}
        hashes = {}
        for row in rows:
            number = row.get("id_number")
            if number:
                for h in crypto.lookup_hashes(number.number):
                    hashes[h] = number.number
        by_number = {}
        for person in Person.objects.filter(id_hash__in=list(hashes)):
            by_number[hashes[person.id_hash]] = person
        self._people = by_number
        for row in rows:
            pk = row.get("activity")
            activity = self._activities.get(pk) if pk else None
            if pk and activity is None:
                row.error("activity", f"活动编号“{pk}”不存在，或不在您的管理范围内。")
            elif activity is not None and not (activity.kind.has_persons or activity.kind.has_person_times):
                row.error("activity", f"活动类型“{activity.kind.name}”不登记人数或人次，不能导入签到名单。")
            number = row.get("id_number")
            if not number:
                continue
            person = by_number.get(number.number)
            if person is None and self.skip_unknown:
                row.extra["skip"] = True  # the clerk confirmed: this row is left out, the rest imported
            elif person is None:
                row.error("id_number", "该身份证号码不在会员名册中（请先登记会员；或确认后勾选“只导入名册中有的人员”"
                                       "重新上传，跳过此行、导入其余行）。")
            elif row.get("name") and person.name != row.get("name"):
                row.error("name", f"姓名与会员名册不一致（名册为“{crypto.mask_text(person.name)}”）。")
        # Masked ID numbers in every error shown or stored.
        for row in rows:
            for i, e in enumerate(row.errors):
                if e.column == "身份证号码" and e.value:
                    row.errors[i] = type(e)(e.row, e.column, crypto.mask_id(e.value), e.reason, e.col, e.source)

    def save_rows(self, rows, result) -> None:
        skipped = [r for r in rows if r.extra.get("skip")]
        kept = [r for r in rows if not r.extra.get("skip")]
        self.skipped = [r.number for r in skipped]
        result.unchanged += len(skipped)
        self.save_each(kept, result)
        per_activity: dict[int, int] = {}
        for r in skipped:
            per_activity[r.get("activity")] = per_activity.get(r.get("activity"), 0) + 1
        for activity in {self._activities[r.get("activity")] for r in rows if not r.errors}:
            n = per_activity.get(activity.pk, 0)
            services.attendance_recount(actor=self.actor, activity=activity,
                                        source=f"导入签到名单（跳过名册外{n}人）" if n else "导入签到名单")

    def save_row(self, row) -> str:
        activity = self._activities[row.get("activity")]
        outcome = services.attendance_add(actor=self.actor, activity=activity,
                                          person=self._people[row.get("id_number").number],
                                          times=row.get("times") or 1, recount=False)
        return {"created": CREATED, "updated": UPDATED}.get(outcome, UNCHANGED)
