"""Excel import of existing contracts (a federation's 集体合同台账), ARCHITECTURE §4.5.

Natural key: the union's code, the type, the start of the term and the contract's name; a
re-imported row changes nothing, or only the key terms (增幅, 最低工资, 覆盖人数, 女职工条款)
when they differ. The steps' dates are taken as the 台账 records them; a contract imported
this way has no negotiation history.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from gonghui.core import scope
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    CREATED,
    IGNORE,
    UNCHANGED,
    UPDATED,
    CellError,
    Column,
    Importer,
    Row,
    choice,
    is_empty,
    normalise_header,
    parse_code,
    parse_count,
    parse_date,
    register,
)
from gonghui.core.identifiers import clean_uscc
from gonghui.orgs.models import Employer, Org
from gonghui.orgs.selectors import employers_for

from . import conf, services
from .models import ContractType, Scope

NOT_FOUND = "工会编码“{}”不存在，或不在您的管理范围内。"


def parse_decimal(value) -> Decimal | None:
    if is_empty(value):
        return None
    text = str(value).strip().rstrip("%％")
    try:
        return Decimal(text).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise CellError(f"“{value}”不是数字。") from exc


def parse_usccs(value) -> list[str]:
    if is_empty(value):
        return []
    out = []
    for part in str(value).replace(";", "、").replace("；", "、").replace(",", "、").replace("，", "、").split("、"):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(clean_uscc(part))
        except ServiceError as exc:
            raise CellError(exc.messages[0]) from exc
    return out


parse_usccs.as_text = True  # codes are text in the template (no lost digits)


def parse_clauses(value) -> list[str]:
    if is_empty(value):
        return []
    allowed = conf.get("WOMEN_CLAUSES")
    clauses = [p.strip() for p in str(value).replace("，", "、").replace(",", "、").split("、") if p.strip()]
    unknown = [c for c in clauses if c not in allowed]
    if unknown:
        raise CellError(f"未知的条款：{'、'.join(unknown)}；可填：{'、'.join(allowed)}。")
    return clauses


EXPORT_ONLY = ("状态", "当前步骤期限", "所属工会")
VOTE_REQUIRED = ("vote_held_on", "vote_total", "vote_for")
PAPERS = ("prev_avg_wage", "department", "accepted_no", "accepted_on", "review_no", "review_on")
TERMS = ("wage_increase_pct", "lowest_wage", "employees_covered", "women_covered", "migrants_covered",
         "women_clauses")


@register
class ContractImporter(Importer):
    kind = "contracts"
    title = "集体合同"
    permission = "bargaining.change"
    back = "bargaining:index"
    max_rows = 10_000
    columns = (
        Column("工会编码", "org_code", required=True, parse=parse_code, max_length=40,
               help="单个企业合同填企业工会的组织编码；区域性、行业性合同填主持协商的工会。"),
        Column("合同名称", "title", required=True, max_length=200),
        Column("合同类型", "contract_type", required=True, parse=choice(ContractType.choices)),
        Column("合同范围", "scope_kind", parse=choice(Scope.choices), help="留空为“单个企业”。"),
        Column("用人单位统一社会信用代码", "usccs", required=True, parse=parse_usccs,
               help="区域性、行业性合同填写全部受约束企业的代码，用“、”分隔。"),
        Column("签字日期", "signed_on", required=True, parse=parse_date),
        Column("期限起", "start_on", required=True, parse=parse_date),
        Column("期限止", "end_on", required=True, parse=parse_date),
        Column("报送审查日期", "filed_on", parse=parse_date, help="留空时以期限起为生效日期。"),
        Column("生效日期", "effective_on", parse=parse_date, help="留空时为报送后第15日。"),
        Column("公布日期", "published_on", parse=parse_date),
        Column("工资增长幅度(%)", "wage_increase_pct", parse=parse_decimal),
        Column("最低工资(元/月)", "lowest_wage", parse=parse_decimal),
        Column("覆盖职工人数", "employees_covered", parse=parse_count, help="留空时按企业登记的职工人数合计。"),
        Column("覆盖女职工人数", "women_covered", parse=parse_count),
        Column("覆盖农民工人数", "migrants_covered", parse=parse_count),
        Column("女职工条款", "women_clauses", parse=parse_clauses,
               help="用“、”分隔，如：四期保护、定期健康检查和妇科病普查。"),
        # The 集体合同审查登记表's columns (issue 17).
        Column("上年度职工平均工资(元/月)", "prev_avg_wage", parse=parse_decimal),
        Column("职工方首席代表", "workers_chief", max_length=50),
        Column("企业方首席代表", "employer_chief", max_length=50),
        Column("职代会审议日期", "vote_held_on", parse=parse_date, help="填写时须同时填写应到人数和通过票数。"),
        Column("应到人数", "vote_total", parse=parse_count, help="职工代表大会（或全体职工大会）应到人数。"),
        Column("实到人数", "vote_present", parse=parse_count, help="留空时按应到人数。"),
        Column("通过票数", "vote_for", parse=parse_count, help="赞成票须超过应到人数的半数。"),
        Column("审查机关", "department", max_length=100),
        Column("受理编号", "accepted_no", parse=parse_code, max_length=50),
        Column("受理日期", "accepted_on", parse=parse_date),
        Column("审查意见书编号", "review_no", parse=parse_code, max_length=50),
        Column("审查意见书日期", "review_on", parse=parse_date),
    )
    field_headers = {"employers": "用人单位统一社会信用代码", "scope_kind": "合同范围", "opened_on": "签字日期",
                     "votes_for": "通过票数", "vote_held_on": "职代会审议日期"}
    notes = (
        "按“工会编码 + 合同类型 + 期限起 + 合同名称”匹配：系统中没有的新登记，已有的只更新工资增幅、最低工资、覆盖人数和女职工条款。",
        "用人单位须已在系统中登记（用人单位页面或导入），并在该工会的覆盖或属地范围内。",
        "导入的合同按台账登记为已生效（填写了公布日期的为已公布），不含协商过程记录；首席代表、职代会审议和审查机关的受理、"
        "审查意见书按所填登记，已登记的合同再次导入时不更改这些内容。",
        "区域性、行业性合同填写全部受约束企业的信用代码，覆盖职工人数留空时按各企业登记的职工人数合计。",
    )

    def __init__(self, **kwargs):
        # The 台账 export adds what the system keeps (状态, 当前步骤期限, 所属工会): not asked on import.
        mapping = {**{normalise_header(h): IGNORE for h in EXPORT_ONLY}, **(kwargs.pop("mapping", None) or {})}
        super().__init__(mapping=mapping, **kwargs)

    def clean_row(self, row: Row) -> None:
        kind = row.get("scope_kind") or Scope.ENTERPRISE
        usccs = row.get("usccs") or []
        if kind == Scope.ENTERPRISE and len(usccs) > 1:
            row.error("usccs", "单个企业的合同只能填一家用人单位；多家请将合同范围填为区域性或行业性。")
        if row.get("contract_type") == ContractType.WOMEN and not row.get("women_clauses"):
            row.error("women_clauses", "女职工权益保护专项集体合同须填写女职工条款。")
        filled = [k for k in VOTE_REQUIRED if not row.blank(k)]
        if (filled or not row.blank("vote_present")) and len(filled) < len(VOTE_REQUIRED):
            for k in VOTE_REQUIRED:
                if row.blank(k):
                    row.error(k, "职代会审议日期、应到人数和通过票数须同时填写。")

    def row_keys(self, row: Row):
        key = (row.get("org_code"), row.get("contract_type"), row.get("start_on"), row.get("title"))
        return [("title", key if all(key) else None)]

    def check_rows(self, rows: list[Row]) -> None:
        codes = {row.get("org_code") for row in rows if row.get("org_code")}
        orgs = {o.code: o for o in Org.objects.filter(code__in=codes)}
        usccs = {u for row in rows for u in (row.get("usccs") or [])}
        # Only employers the importer may pick: another area's reads as unregistered (issue 12).
        pickable = Employer.objects.all() if self.actor is None else employers_for(self.actor, self.permission)
        employers = {e.uscc: e for e in pickable.filter(uscc__in=usccs)}
        self._orgs, self._employers = orgs, employers
        for row in rows:
            code = row.get("org_code")
            org = orgs.get(code)
            if code and (org is None or (self.actor is not None
                                         and not scope.has_perm(self.actor, self.permission, org.path))):
                row.error("org_code", NOT_FOUND.format(code))
                continue
            missing = [u for u in (row.get("usccs") or []) if u not in employers]
            if missing:
                row.error("usccs", f"系统中没有信用代码为 {'、'.join(missing)} 的用人单位，请先登记或导入用人单位。")

    def save_row(self, row: Row) -> str:
        org = self._orgs[row.get("org_code")]
        existing = services.find_existing(org, row.get("contract_type"), row.get("start_on"), row.get("title"))
        terms = {k: row.get(k) for k in TERMS if not row.blank(k)}
        if existing is not None:
            changed = {k: v for k, v in terms.items() if getattr(existing, k) != v}
            if not changed:
                return UNCHANGED
            services.contract_update_terms(actor=self.actor, contract=existing, **changed)
            return UPDATED
        services.contract_register(
            actor=self.actor, org=org, contract_type=row.get("contract_type"), title=row.get("title"),
            employers=[self._employers[u] for u in row.get("usccs")],
            scope_kind=row.get("scope_kind") or Scope.ENTERPRISE, signed_on=row.get("signed_on"),
            start_on=row.get("start_on"), end_on=row.get("end_on"), filed_on=row.get("filed_on"),
            effective_on=row.get("effective_on"), published_on=row.get("published_on"),
            papers={k: row.get(k) for k in PAPERS if not row.blank(k)},
            chiefs={"workers": row.get("workers_chief") or "", "employer": row.get("employer_chief") or ""},
            vote=({"held_on": row.get("vote_held_on"), "total": row.get("vote_total"),
                   "present": row.get("vote_present"), "votes_for": row.get("vote_for")}
                  if not row.blank("vote_held_on") else None),
            **terms,
        )
        return CREATED
