"""Excel import of a federation's existing hardship archives (困难职工档案台账), two-phase.

One row per household: the head, the finances, the causes and up to three family members
inline (成员1…成员3), as the county sheets keep them. Every cell and row is checked first;
any error saves nothing. Rows are matched by the head's ID number: a head who already has an
open archive is left unchanged, so importing the same file twice changes nothing. Imported
archives are in force (在档) from their original entry date.
"""

from __future__ import annotations

from gonghui.core import crypto, scope
from gonghui.core.excel import (
    CREATED,
    UNCHANGED,
    CellError,
    Column,
    Importer,
    Row,
    checked_code,
    choice,
    parse_bool,
    parse_code,
    parse_count,
    parse_date,
    parse_money,
    parse_text,
    register,
)
from gonghui.core.identifiers import parse_id_number
from gonghui.orgs.models import Org

from . import services
from .models import Archive, Category, Cause, Health, Relation, WorkStatus

MEMBERS = 3


def parse_causes(value):
    """次要致困原因: labels separated by 、 or , (at most three, checked by the service too)."""
    text = parse_text(value)
    if not text:
        return []
    by_label = {label: code for code, label in Cause.choices}
    out = []
    for part in text.replace(",", "、").replace("，", "、").split("、"):
        part = part.strip()
        if part not in by_label:
            raise CellError(f"“{part}”不是致困原因。可选：{'、'.join(by_label)}。")
        out.append(by_label[part])
    return out


def _id(value):
    return parse_id_number(value).number


parse_id = checked_code(_id)


def _member_columns():
    cols = []
    for i in range(1, MEMBERS + 1):
        cols += [
            Column(f"成员{i}姓名", f"m{i}_name", max_length=50),
            Column(f"成员{i}关系", f"m{i}_relation", parse=choice(Relation.choices)),
            Column(f"成员{i}出生日期", f"m{i}_birth", parse=parse_date),
            Column(f"成员{i}月收入", f"m{i}_income", parse=parse_money),
        ]
    return cols


@register
class ArchiveImporter(Importer):
    kind = "assistance_archives"
    title = "困难职工档案"
    permission = "assistance.change"
    back = "assistance:archives"
    columns = (
        Column("档案编号", "no", parse=parse_code, max_length=40, help="原台账的职工编号；留空由系统编号。"),
        Column("建档单位代码", "union_code", required=True, parse=parse_code, max_length=40),
        Column("户主姓名", "head_name", required=True, max_length=50),
        Column("身份证号", "id_number", required=True, parse=parse_id),
        Column("手机号码", "phone", parse=parse_code, max_length=20),
        Column("户口所在地行政区划代码", "region_code", required=True, parse=parse_code, max_length=6),
        Column("工作单位", "work_unit", max_length=200),
        Column("工作状态", "work_status", parse=choice(WorkStatus.choices)),
        Column("健康状况", "health", parse=choice(Health.choices)),
        Column("家庭人口数", "household_size", parse=parse_count,
               help="共同生活的家庭人口，含户主；留空为户主加本行所列成员。"),
        Column("本人月平均收入", "monthly_wage", required=True, parse=parse_money),
        Column("家庭其他非薪资年收入", "other_income", parse=parse_money),
        Column("因困刚性支出(年)", "rigid", parse=parse_money, help="医疗自付、教育等因困刚性支出的年合计。"),
        Column("主要致困原因", "main_cause", required=True, parse=choice(Cause.choices)),
        Column("次要致困原因", "secondary_causes", parse=parse_causes, help="最多三项，用顿号分隔。"),
        Column("困难类别", "category", parse=choice(Category.choices), help="留空则按系统建议。"),
        Column("零就业家庭", "is_zero_employment", parse=parse_bool),
        Column("建档日期", "created_on", required=True, parse=parse_date),
        Column("入档日期", "entered_on", required=True, parse=parse_date),
        Column("下次复核日期", "next_review_on", parse=parse_date, help="留空为入档满一年。"),
        *_member_columns(),
    )
    field_headers = {"org": "建档单位代码", "household_size": "家庭人口数", "relation": "成员1关系", "birth_date": "成员1出生日期",
                     "name": "成员1姓名", "kind": "因困刚性支出(年)", "annual_amount": "因困刚性支出(年)",
                     "on": "入档日期"}
    notes = (
        "每行一户：户主、收入、致困原因，以及最多三名家庭成员（成员1至成员3）。",
        "按户主身份证号匹配：已有未出档档案的户主不会重复导入（再次导入同一文件不变）。",
        "导入的档案按原台账“入档日期”直接在档，历史记录注明“由原台账导入”。",
        "低保标准按“户口所在地行政区划代码”和建档年度查找，请先在“低保标准”页面维护。",
    )

    def clean_row(self, row: Row) -> None:
        created, entered = row.get("created_on"), row.get("entered_on")
        if created and entered and entered < created:
            row.error("entered_on", "入档日期不能早于建档日期。")
        size = row.get("household_size")
        if size is not None and not 1 <= size <= services.MAX_HOUSEHOLD:
            row.error("household_size", f"应为1至{services.MAX_HOUSEHOLD}人（含户主）。")
        code = row.get("region_code") or ""
        if code and (len(code) != 6 or not code.isdigit()):
            row.error("region_code", "应为6位数字的行政区划代码。")
        causes = row.get("secondary_causes") or []
        if len(causes) > 3:
            row.error("secondary_causes", "最多三项。")
        if row.get("main_cause") and row.get("main_cause") in causes:
            row.error("secondary_causes", "不能与主要致困原因相同。")
        for i in range(1, MEMBERS + 1):
            filled = [not row.blank(f"m{i}_{k}") for k in ("name", "relation", "birth", "income")]
            if any(filled) and not all(filled[:3]):
                row.error(f"m{i}_name", f"成员{i}须同时填写姓名、关系和出生日期。")

    def row_keys(self, row: Row):
        return [("id_number", row.get("id_number")), ("no", row.get("no"))]

    def check_rows(self, rows: list[Row]) -> None:
        codes = {r.get("union_code") for r in rows if r.get("union_code")}
        orgs = {o.code: o for o in Org.objects.filter(code__in=codes)}
        for row in rows:
            org = orgs.get(row.get("union_code"))
            if row.get("union_code") and (org is None or (self.actor is not None and not scope.has_perm(
                    self.actor, "assistance.change", org.path))):
                row.error("union_code", f"组织编码“{row.get('union_code')}”不存在，或不在您的管理范围内。")
            row.extra["org"] = org
            if row.get("id_number"):
                row.extra["existing"] = Archive.objects.filter(
                    id_hash__in=crypto.lookup_hashes(row.get("id_number")), exited_on__isnull=True).first()
            no = row.get("no")
            existing = row.extra.get("existing")
            if no and Archive.objects.filter(no=no).exclude(pk=getattr(existing, "pk", None)).exists():
                row.error("no", f"档案编号“{no}”已被其他档案使用。")

    def save_row(self, row: Row) -> str:
        if row.extra.get("existing") is not None:
            return UNCHANGED
        v = row.values
        family = []
        for i in range(1, MEMBERS + 1):
            if v.get(f"m{i}_name"):
                family.append({"name": v[f"m{i}_name"], "relation": v[f"m{i}_relation"],
                               "birth_date": v[f"m{i}_birth"], "monthly_income": v.get(f"m{i}_income") or 0})
        expenses = [{"kind": "other", "annual_amount": v["rigid"], "note": "原台账刚性支出合计"}] if v.get("rigid") else []
        optional = {k: v[k] for k in ("work_unit", "work_status", "health") if v.get(k)}
        archive = services.archive_create(
            actor=self.actor, org=row.extra["org"], no=v.get("no") or "", head_name=v["head_name"],
            id_number=v["id_number"], phone=v.get("phone") or "", region_code=v["region_code"],
            monthly_wage=v["monthly_wage"], other_income=v.get("other_income") or 0, main_cause=v["main_cause"],
            secondary_causes=v.get("secondary_causes") or [], category=v.get("category") or None,
            created_on=v["created_on"], family=family, expenses=expenses, household_size=v.get("household_size"),
            is_zero_employment=bool(v.get("is_zero_employment")), **optional)
        services.archive_take_over(actor=self.actor, archive=archive, entered_on=v["entered_on"],
                                   next_review_on=v.get("next_review_on"))
        return CREATED

