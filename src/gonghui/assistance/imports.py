"""Excel import of a federation's existing hardship archives (困难职工档案台账), two-phase.

One row per household: the head, the finances, the causes and up to three family members
inline (成员1…成员3), as the county sheets keep them. Every cell and row is checked first;
any error saves nothing. Rows are matched by the head's ID number: a head who already has an
open archive is left unchanged, so importing the same file twice changes nothing. Imported
archives are in force (在档) from their original entry date.
"""

from __future__ import annotations

import re
from dataclasses import fields as dataclass_fields

from gonghui.core import codes, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    CREATED,
    UNCHANGED,
    CellError,
    Column,
    Importer,
    Row,
    checked_code,
    choice,
    display,
    is_empty,
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

from . import conf, services
from .models import Archive, Category, Cause, Relation, WorkStatus

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


def parse_category(value):
    """困难类别: the current three (深度困难 …, with or without 职工家庭) or a legacy label (低保户 …)
    mapped as configured (conf LEGACY_CATEGORIES)."""
    if is_empty(value):
        return None
    text = codes.norm(value)
    for code, label in Category.choices:
        if text in (codes.norm(label), codes.norm(label) + "职工家庭", codes.norm(label) + "职工", code):
            return code
    legacy = {codes.norm(k): v for k, v in conf.legacy_categories().items()}
    if text in legacy:
        return legacy[text]
    allowed = "、".join([label for _, label in Category.choices] + list(conf.legacy_categories()))
    raise CellError(f"“{display(value).strip()}”不是困难类别。可填：{allowed}。")


parse_category.choices = tuple(label for _, label in Category.choices)


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


class _Notes:
    """An import page's notes, ending with the legacy category mapping as configured now."""

    def __init__(self, *base: str):
        self.base = base

    def __get__(self, obj, owner=None) -> tuple[str, ...]:
        mapping = "、".join(f"{old} → {Category(new).label}" for old, new in conf.legacy_categories().items())
        return (*self.base, "旧版困难类别按以下对应关系导入（可在设置 GONGHUI_ASSISTANCE 的 LEGACY_CATEGORIES 中调整）："
                            f"{mapping}。")


def check_existing(row: Row) -> None:
    """The open archive of the row's ID number (re-importing it changes nothing), and a 档案编号
    that another archive already holds (an error on that column)."""
    if row.get("id_number"):
        row.extra["existing"] = Archive.objects.filter(
            id_hash__in=crypto.lookup_hashes(row.get("id_number")), exited_on__isnull=True).first()
    no = row.get("no")
    existing = row.extra.get("existing")
    if no and Archive.objects.filter(no=no).exclude(pk=getattr(existing, "pk", None)).exists():
        row.error("no", f"档案编号“{no}”已被其他档案使用。")


@register
class ArchiveImporter(Importer):
    kind = "assistance_archives"
    title = "困难职工档案"
    permission = "assistance.change"
    back = "assistance:archives"
    upload_union_field = "union_code"  # a sheet without the column takes the union chosen at upload
    columns = (
        Column("档案编号", "no", parse=parse_code, max_length=40, help="原台账的职工编号；留空由系统编号。"),
        Column("建档单位代码", "union_code", required=True, parse=parse_code, max_length=40),
        Column("户主姓名", "head_name", required=True, max_length=50),
        Column("身份证号", "id_number", required=True, parse=parse_id),
        Column("手机号码", "phone", parse=parse_code, max_length=20),
        Column("户口所在地行政区划代码", "region_code", required=True, parse=parse_code, max_length=6),
        Column("工作单位", "work_unit", max_length=200),
        Column("工作状态", "work_status", parse=choice(WorkStatus.choices)),
        Column("健康状况", "health", parse=codes.parser("hardship_health")),
        Column("家庭人口数", "household_size", parse=parse_count,
               help="共同生活的家庭人口，含户主；留空为户主加本行所列成员。"),
        Column("本人月平均收入", "monthly_wage", required=True, parse=parse_money),
        Column("家庭其他非薪资年收入", "other_income", parse=parse_money),
        Column("因困刚性支出(年)", "rigid", parse=parse_money, help="医疗自付、教育等因困刚性支出的年合计。"),
        Column("主要致困原因", "main_cause", required=True, parse=choice(Cause.choices)),
        Column("次要致困原因", "secondary_causes", parse=parse_causes, help="最多三项，用顿号分隔。"),
        Column("困难类别", "category", parse=parse_category, help="留空则按系统建议；旧版的低保户等按对应关系导入。"),
        Column("零就业家庭", "is_zero_employment", parse=parse_bool),
        Column("建档日期", "created_on", required=True, parse=parse_date),
        Column("入档日期", "entered_on", required=True, parse=parse_date),
        Column("下次复核日期", "next_review_on", parse=parse_date, help="留空为入档满一年。"),
        *_member_columns(),
    )
    field_headers = {"org": "建档单位代码", "household_size": "家庭人口数", "relation": "成员1关系", "birth_date": "成员1出生日期",
                     "name": "成员1姓名", "kind": "因困刚性支出(年)", "annual_amount": "因困刚性支出(年)",
                     "on": "入档日期"}
    notes = _Notes(
        "每行一户：户主、收入、致困原因，以及最多三名家庭成员（成员1至成员3）。",
        "按户主身份证号匹配：已有未出档档案的户主不会重复导入（再次导入同一文件不变）。",
        "导入的档案按原台账“入档日期”直接在档，历史记录注明“由原台账导入”。",
        "低保标准按“户口所在地行政区划代码”和建档年度查找，请先在“低保标准”页面维护。",
        "全总《困难职工档案表》格式（含民族、住房、医保、家庭成员身份证号等）请用“困难职工档案表”导入。",
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
            check_existing(row)

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



# --- the national 困难职工档案表, as the unions fill it today ------------------------------------

_COLUMN_FIELDS = {f.name for f in dataclass_fields(Column)}
FORM_MEMBERS = 5  # family-member column groups read (家庭成员1… 家庭成员5): the form has five rows


def col(header: str, field: str, aliases: tuple[str, ...] = (), **kwargs) -> Column:
    """A column of the official sheet. Its other spellings go to core.excel's alias table when the
    installed Column takes `aliases` (the import front door); without it only `header` is matched."""
    if aliases and "aliases" in _COLUMN_FIELDS:
        kwargs["aliases"] = tuple(aliases)
    return Column(header, field, **kwargs)


_NUMBERED = re.compile(r"^\d{1,2}\s*[.、．。:：]\s*(?=\D)")


def _code_parser(key: str):
    """A code-table cell (core.codes.parser) that also takes the form's numbered options
    ("6.患重特大疾病", "3、下岗失业")."""
    inner = codes.parser(key)

    def parse(value):
        if isinstance(value, str):
            value = _NUMBERED.sub("", value.strip())
        return inner(value)

    parse.choices = inner.choices
    parse.as_text = True
    return parse


parse_form_cause = _code_parser("hardship_cause")


def parse_form_causes(value):
    """次要致困原因: up to three, by number or name, separated by 、 , ， ； or spaces."""
    text = parse_text(value)
    if not text:
        return []
    parts = [p for p in re.split(r"[、,，;；\s]+", text) if p]
    return [parse_form_cause(p) for p in parts]




def parse_region(value):
    """户口所在地行政区划: a 6-digit code as written (old codes too), or a name or 12-digit code of
    GB/T 2260 (core.codes "region")."""
    if is_empty(value):
        return ""
    text = codes.norm(value)
    if len(text) == 6 and text.isdigit():
        return text
    return codes.parser("region")(value)


parse_region.as_text = True


def parse_area(value):
    """住房面积: the form's bracket, or square metres put in their bracket."""
    if is_empty(value):
        return ""
    number = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?(平方米|㎡|m2)?", codes.norm(value)):
        number = float(re.match(r"\d+(\.\d+)?", codes.norm(value)).group())
    if number is not None:
        return "1" if number <= 20 else "2" if number <= 50 else "3" if number <= 70 else "4"
    return codes.parser("hardship_housing_area")(value)


parse_area.choices = codes.parser("hardship_housing_area").choices


def parse_yes_no(value):
    """是否… questions: 是/否, and the 有/无, √/× some sheets use."""
    if is_empty(value):
        return None
    text = codes.norm(value)
    if text in ("是", "有", "√", "✓", "Y", "y"):
        return True
    if text in ("否", "无", "×", "✗", "N", "n"):
        return False
    raise CellError(f"应填“是”或“否”，不能是“{display(value)}”。")


parse_yes_no.choices = ("是", "否")


def label_choice(options, aliases: dict[str, str] | None = None):
    """choice() for labels written by hand: full-width and half-width brackets and spaces alike
    (下（待）岗 is 下(待)岗), plus other words for a value."""
    inner = choice(options)
    by_norm = {codes.norm(label): value for value, label in options}
    by_norm.update({codes.norm(word): value for word, value in (aliases or {}).items()})

    def parse(value):
        if is_empty(value):
            return None
        found = by_norm.get(codes.norm(value))
        return found if found is not None else inner(value)

    parse.choices = inner.choices
    return parse


parse_work_status = label_choice(WorkStatus.choices, {"下岗": "laid_off", "待岗": "laid_off", "待(下)岗": "laid_off",
                                                      "失业": "unemployed", "无业": "unemployed", "在职": "employed",
                                                      "退养(内退)": "internal_retired"})

_RELATIONS = {
    Relation.SPOUSE: ("配偶", "妻", "夫", "妻子", "丈夫", "爱人", "夫妻"),
    Relation.CHILD: ("子女", "子", "女", "儿子", "女儿", "长子", "长女", "次子", "次女", "孩子", "之子", "之女"),
    Relation.PARENT: ("父母", "父", "母", "父亲", "母亲", "岳父", "岳母", "公公", "婆婆"),
    Relation.OTHER: ("其他", "孙子", "孙女", "兄弟", "姐妹", "兄", "弟", "姐", "妹", "祖父", "祖母"),
}
_RELATION_LOOKUP = {codes.norm(word): code for code, words in _RELATIONS.items() for word in words}


def parse_relation(value):
    """关系(是户主的): 配偶, 子女, 父母, 其他, and the words sheets write for them (妻, 长子, 母亲 …)."""
    if is_empty(value):
        return None
    code = _RELATION_LOOKUP.get(codes.norm(value))
    if code is None:
        raise CellError(f"“{display(value).strip()}”不是与户主的关系。可填：配偶、子女、父母、其他"
                        "（或妻、夫、儿子、女儿、父亲、母亲等）。")
    return code


parse_relation.choices = ("配偶", "子女", "父母", "其他")


def _bank_account(value):
    digits = re.sub(r"[\s-]", "", value)
    if not digits.isdigit() or not 12 <= len(digits) <= 30:
        raise ServiceError("银行卡号应为12至30位数字。")
    return digits


parse_bank_account = checked_code(_bank_account)

FAMILY_FIELDS = ("name", "relation", "id", "birth", "gender", "ethnicity", "health", "income", "medical", "marital",
                 "hukou", "identity", "school")


def _form_member_columns():
    cols = []
    for i in range(1, FORM_MEMBERS + 1):
        p, q = f"家庭成员{i}", f"成员{i}"
        cols += [
            col(f"{p}姓名", f"f{i}_name", (f"{q}姓名",), max_length=50),
            col(f"{p}关系", f"f{i}_relation", (f"{q}关系", f"{p}与户主关系", f"{p}关系(是户主的)"),
                parse=parse_relation),
            col(f"{p}身份证号", f"f{i}_id", (f"{q}身份证号", f"{p}公民身份号码", f"{p}身份证号码"), parse=parse_id),
            col(f"{p}出生日期", f"f{i}_birth", (f"{q}出生日期",), parse=parse_date, help="有身份证号的可不填。"),
            col(f"{p}性别", f"f{i}_gender", (f"{q}性别",), parse=codes.parser("gender")),
            col(f"{p}民族", f"f{i}_ethnicity", (f"{q}民族",), parse=codes.parser("ethnicity")),
            col(f"{p}健康状况", f"f{i}_health", (f"{q}健康状况",), parse=codes.parser("hardship_health")),
            col(f"{p}月收入", f"f{i}_income", (f"{q}月收入",), parse=parse_money),
            col(f"{p}医保状况", f"f{i}_medical", (f"{q}医保状况",), parse=codes.parser("hardship_medical")),
            col(f"{p}婚姻状况", f"f{i}_marital", (f"{q}婚姻状况",), parse=codes.parser("marital")),
            col(f"{p}户口类型", f"f{i}_hukou", (f"{q}户口类型",), parse=codes.parser("hardship_hukou")),
            col(f"{p}人员身份", f"f{i}_identity", (f"{q}人员身份", f"{p}身份", f"{q}身份"),
                parse=codes.parser("hardship_identity")),
            col(f"{p}单位或学校", f"f{i}_school", (f"{q}单位或学校",), max_length=100),
        ]
    return cols


@register
class ArchiveFormImporter(Importer):
    """The 困难职工档案表 as a roster: the form's own headers (with the spellings its copies use), its
    labels or codes, its older category names; family members in numbered column groups."""

    kind = "assistance_archive_form"
    title = "困难职工档案表"
    permission = "assistance.change"
    back = "assistance:archives"
    upload_union_field = "union"  # a sheet without a 建档单位 column takes the union chosen at upload
    columns = (
        col("职工编号", "no", ("档案编号",), parse=parse_code, max_length=40, help="留空由系统编号。"),
        col("困难类别", "category", ("困难类型", "困难程度", "困难职工类别"), parse=parse_category,
            help="深度困难、相对困难、意外致困；旧版的低保户等按对应关系导入；留空按系统建议。"),
        # One column for the union, by code or by name, so that a sheet naming it either way needs no
        # union chosen at upload, and one naming it neither way takes the upload's.
        col("建档单位", "union", ("建档单位代码", "建档单位编码", "建档单位名称", "建档工会", "工会代码"),
            max_length=200, help="建档单位的组织编码或名称（名称须在您的管理范围内且不重名）。"),
        col("姓名", "head_name", ("户主姓名", "职工姓名"), required=True, max_length=50),
        col("民族", "ethnicity", parse=codes.parser("ethnicity")),
        col("性别", "gender", parse=codes.parser("gender"), help="可不填：以身份证号为准，填写的须与之一致。"),
        col("政治面貌", "political", parse=codes.parser("political")),
        col("身份证号", "id_number", ("公民身份号码", "身份证号码", "证件号码"), required=True, parse=parse_id),
        col("出生日期", "birth_date", parse=parse_date, help="可不填：以身份证号为准，填写的须与之一致。"),
        col("健康状况", "health", ("本人健康状况", "身体状况"), parse=codes.parser("hardship_health")),
        col("残疾类别", "disability", ("疾病/残疾类别", "残疾类型"), parse=codes.parser("hardship_disability")),
        col("工作状态", "work_status", ("身份", "工作状态/身份", "就业状况", "就业状态"), parse=parse_work_status),
        col("劳模类型", "model_worker_type", ("劳模类别",), parse=codes.parser("hardship_model_worker")),
        col("住房类型", "housing_type", parse=codes.parser("hardship_housing")),
        col("建筑面积", "housing_area", ("住房面积",), parse=parse_area),
        col("手机号码", "phone", ("联系电话",), parse=parse_code, max_length=20),
        col("婚姻状况", "marital", parse=codes.parser("marital")),
        col("户口类型", "hukou_type", parse=codes.parser("hardship_hukou")),
        col("家庭住址", "address", ("住址", "现住址"), max_length=200),
        col("工作单位", "work_unit", max_length=200),
        col("单位性质", "unit_nature", parse=codes.parser("hardship_unit_nature")),
        col("企业状况", "enterprise_status", parse=codes.parser("hardship_enterprise_status")),
        col("是否单亲", "is_single_parent", ("单亲家庭",), parse=parse_yes_no),
        col("本人月平均收入", "monthly_wage", ("本人月收入",), required=True, parse=parse_money),
        col("家庭其他非薪资年收入", "other_income", ("家庭其他年收入",), parse=parse_money),
        col("家庭年度总收入", "declared_annual_income", parse=parse_money),
        col("家庭人口", "household_size", ("家庭人口数", "家庭总人口", "家庭人数"), parse=parse_count),
        col("户口所在地行政区划", "region_code", ("户口所在地行政区划代码", "户口所在地"), required=True,
            parse=parse_region),
        col("医保状况", "medical_insurance", ("是否进入医保",), parse=codes.parser("hardship_medical")),
        col("是否有一定自救能力", "self_help", ("自救能力",), parse=parse_yes_no),
        col("是否为零就业家庭", "is_zero_employment", ("零就业家庭", "是否零就业家庭"), parse=parse_yes_no),
        col("主要致困原因", "main_cause", ("致困主要原因", "致困原因", "困难原因"), required=True,
            parse=parse_form_cause),
        col("次要致困原因", "secondary_causes", parse=parse_form_causes, help="最多三项，用顿号分隔。"),
        col("致困原因说明", "cause_note", ("其他(文字描述)",), max_length=200),
        col("开户银行", "bank_name", max_length=100),
        col("支行名称", "bank_branch", ("开户网点",), max_length=100),
        col("银行卡号", "bank_account", ("银行账号", "账号"), parse=parse_bank_account),
        col("建档日期", "created_on", ("建档时间",), required=True, parse=parse_date),
        col("入档日期", "entered_on", ("入档时间",), parse=parse_date, help="留空为建档日期。"),
        col("下次复核日期", "next_review_on", parse=parse_date, help="留空为入档满一年。"),
        col("建档人", "filed_by_name", max_length=50),
        col("审核人", "checked_by_name", max_length=50),
        col("录入人", "entered_by_name", max_length=50),
        *_form_member_columns(),
    )
    field_headers = {"org": "建档单位", "name": "家庭成员1姓名", "relation": "家庭成员1关系",
                     "birth_date": "家庭成员1出生日期", "kind": "家庭其他非薪资年收入",
                     "annual_amount": "家庭其他非薪资年收入", "on": "入档日期"}
    notes = _Notes(
        "按全总《困难职工档案表》填写：每行一户，户主信息、收入、致困原因，家庭成员按“家庭成员1姓名”“家庭成员1关系”……"
        f"分组填写，最多 {FORM_MEMBERS} 人。列名可用档案表上的写法（如“姓名”“身份证号”“支行名称”）。",
        "代码表列（民族、政治面貌、健康状况、婚姻状况、户口类型、医保状况、人员身份等）可填代码或名称，全角、半角括号均可；"
        "致困原因可填“6”或“6.患重特大疾病”。15 位旧身份证号自动升为 18 位。",
        "建档单位：填组织编码或名称（名称须在您的管理范围内且不重名）；表中没有这一列时，在导入时选择工会。",
        "按户主身份证号匹配：已有未出档档案的户主不会重复导入（再次导入同一文件不变）。导入的档案按“入档日期”"
        "（留空为建档日期）直接在档。",
        "“家庭年度总收入”按表保存并显示；家庭月人均收入仍由系统按本人月收入、成员月收入和其他年收入计算。",
    )

    def clean_row(self, row: Row) -> None:
        if row.blank("union"):
            row.error("union", "须填写建档单位（组织编码或名称），或在导入时选择工会。")
        number = row.get("id_number")
        if number:
            parsed = parse_id_number(number)
            if row.get("birth_date") and row.get("birth_date") != parsed.birth_date:
                row.error("birth_date", f"与身份证号中的出生日期 {parsed.birth_date} 不一致。")
            if row.get("gender") in ("1", "2") and int(row.get("gender")) != parsed.gender:
                row.error("gender", "与身份证号中的性别不一致。")
        created, entered = row.get("created_on"), row.get("entered_on")
        if created and entered and entered < created:
            row.error("entered_on", "入档日期不能早于建档日期。")
        size = row.get("household_size")
        if size is not None and not 1 <= size <= services.MAX_HOUSEHOLD:
            row.error("household_size", f"应为1至{services.MAX_HOUSEHOLD}人（含户主）。")
        causes = row.get("secondary_causes") or []
        if len(causes) > 3:
            row.error("secondary_causes", "最多三项。")
        if row.get("main_cause") and row.get("main_cause") in causes:
            row.error("secondary_causes", "不能与主要致困原因相同。")
        for i in range(1, FORM_MEMBERS + 1):
            if all(row.blank(f"f{i}_{k}") for k in FAMILY_FIELDS):
                continue
            if row.blank(f"f{i}_name") or row.blank(f"f{i}_relation"):
                row.error(f"f{i}_name", f"家庭成员{i}须同时填写姓名和关系。")
            if row.blank(f"f{i}_id") and row.blank(f"f{i}_birth"):
                row.error(f"f{i}_birth", f"家庭成员{i}须填写身份证号或出生日期。")
            number, birth = row.get(f"f{i}_id"), row.get(f"f{i}_birth")
            if number and row.get(f"f{i}_gender") in ("1", "2") and \
                    int(row.get(f"f{i}_gender")) != parse_id_number(number).gender:
                row.error(f"f{i}_gender", f"与家庭成员{i}身份证号中的性别不一致。")
            if number and birth and parse_id_number(number).birth_date != birth:
                row.error(f"f{i}_birth", f"与家庭成员{i}身份证号中的出生日期不一致。")
            if number and number == row.get("id_number"):
                row.error(f"f{i}_id", "与户主身份证号相同。")

    def row_keys(self, row: Row):
        keys = [("id_number", row.get("id_number")), ("no", row.get("no"))]
        return keys

    def check_rows(self, rows: list[Row]) -> None:
        given = {r.get("union") for r in rows if r.get("union")}
        by_code = {o.code: o for o in Org.objects.filter(code__in=given)}
        by_name: dict[str, list[Org]] = {}
        for o in Org.objects.filter(name__in=given - set(by_code)):
            if self.actor is None or scope.has_perm(self.actor, "assistance.change", o.path):
                by_name.setdefault(o.name, []).append(o)
        for row in rows:
            given_union = row.get("union")
            org = by_code.get(given_union)
            if org is not None and self.actor is not None and not scope.has_perm(
                    self.actor, "assistance.change", org.path):
                org = None  # out of scope reads as not found: the message must not tell it exists
            if org is None and given_union:
                found = by_name.get(given_union, [])
                if len(found) == 1:
                    org = found[0]
                elif not found:
                    row.error("union", f"未找到编码或名称为“{given_union}”的组织，或不在您的管理范围内。")
                else:
                    row.error("union", f"有 {len(found)} 个名为“{given_union}”的组织，请改填组织编码。")
            row.extra["org"] = org
            check_existing(row)

    def save_row(self, row: Row) -> str:
        if row.extra.get("existing") is not None:
            return UNCHANGED
        v = row.values
        family = []
        for i in range(1, FORM_MEMBERS + 1):
            if not v.get(f"f{i}_name"):
                continue
            family.append({
                "name": v[f"f{i}_name"], "relation": v[f"f{i}_relation"], "id_number": v.get(f"f{i}_id") or "",
                "birth_date": v.get(f"f{i}_birth"), "monthly_income": v.get(f"f{i}_income") or 0,
                "gender": int(v[f"f{i}_gender"]) if v.get(f"f{i}_gender") in ("1", "2") else None,
                "health": v.get(f"f{i}_health") or "", "ethnicity": v.get(f"f{i}_ethnicity") or "",
                "medical_insurance": v.get(f"f{i}_medical") or "", "marital": v.get(f"f{i}_marital") or "",
                "hukou_type": v.get(f"f{i}_hukou") or "", "identity": v.get(f"f{i}_identity") or "",
                "school": v.get(f"f{i}_school") or ""})
        plain = ("work_unit", "work_status", "health", "cause_note", "bank_name", "bank_branch", "ethnicity",
                 "political", "disability", "model_worker_type", "housing_type", "housing_area", "marital",
                 "hukou_type", "address", "unit_nature", "enterprise_status", "medical_insurance",
                 "filed_by_name", "checked_by_name", "entered_by_name", "declared_annual_income")
        optional = {k: v[k] for k in plain if v.get(k) not in (None, "")}
        optional.update({k: v[k] for k in ("is_single_parent", "is_zero_employment", "self_help")
                         if v.get(k) is not None})
        archive = services.archive_create(
            actor=self.actor, org=row.extra["org"], no=v.get("no") or "", head_name=v["head_name"],
            id_number=v["id_number"], phone=v.get("phone") or "", region_code=v["region_code"],
            monthly_wage=v["monthly_wage"], other_income=v.get("other_income") or 0, main_cause=v["main_cause"],
            secondary_causes=v.get("secondary_causes") or [], category=v.get("category") or None,
            created_on=v["created_on"], family=family, household_size=v.get("household_size"),
            bank_account=v.get("bank_account") or "", **optional)
        raw_category = display(row.raw.get("category", "")).strip()
        note = "由《困难职工档案表》导入"
        if raw_category in conf.legacy_categories():
            note += f"，原困难类别“{raw_category}”按“{archive.get_category_display()}”导入"
        services.archive_take_over(actor=self.actor, archive=archive, entered_on=v.get("entered_on") or v["created_on"],
                                   next_review_on=v.get("next_review_on"), note=note)
        return CREATED
