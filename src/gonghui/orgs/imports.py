"""Excel import of the union tree (组织) and of employers (用人单位), ARCHITECTURE §4.5.

Natural keys: an org by its 组织编码; an employer by its 统一社会信用代码, or by name + 属地
when it has none. Re-importing a file therefore changes nothing.

A blank cell means "leave it as it is", never "clear it": a partial 台账 must not wipe data.
An existing org gets only its plain attributes updated. What has its own dated action in the
system (更名, 转移, 升格/变更类型, 换届, 法人资格登记, 成立日期) must match the system or be
left blank; a difference is a row error naming the action to use, because an import that
silently renamed or moved unions would rewrite their history without a date. Only where the
system has nothing yet (no term, no legal registration) does the import record it.
"""

from __future__ import annotations

from gonghui.core import codes, scope
from gonghui.core.codes.units import CATEGORY_ECONOMIC_TYPE
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    Row,
    checked_code,
    choice,
    parse_bool,
    parse_code,
    parse_count,
    parse_date,
    parse_int,
    register,
)
from gonghui.core.identifiers import clean_org_code, clean_uscc

from . import services
from .models import FEDERATION_TYPES, Employer, Org, OrgStatus, OrgType, Ownership

parse_uscc = checked_code(clean_uscc)
parse_org_code = checked_code(clean_org_code)
NOT_FOUND = "组织编码“{}”不存在，或不在您的管理范围内。"


class _ScopedImporter(Importer):
    permission = "orgs.import"

    def may(self, org: Org, perm: str) -> bool:
        """The importing user needs the import permission and the change permission on the node."""
        if self.actor is None:
            return True
        return scope.has_perm(self.actor, self.permission, org.path) and scope.has_perm(self.actor, perm, org.path)


# --- orgs -----------------------------------------------------------------------------------

ORG_PLAIN_FIELDS = ("approval_no", "chair_name", "womens_committee_on", "audit_committee_on", "address",
                    "contact_person", "contact_phone", "region_code")


@register
class OrgImporter(_ScopedImporter):
    kind = "orgs"
    title = "组织"
    back = "orgs:tree"
    columns = (
        Column("组织编码", "code", required=True, parse=parse_code, max_length=40,
               help="在系统中唯一；再次导入时按它匹配已有组织。"),
        Column("工会名称", "name", required=True, max_length=200),
        Column("组织类型", "org_type", required=True, parse=choice(OrgType.choices)),
        Column("上级组织编码", "parent_code", parse=parse_code, max_length=40,
               help="新组织必填（或填上级组织名称）：系统中已有的，或本表其他行的组织编码（行的先后不限）。"),
        Column("上级组织名称", "parent_name", max_length=200,
               help="未填上级组织编码时按名称查找（您管理范围内名称完全一致的组织，或本表其他行）。"),
        Column("成立日期", "founded_on", parse=parse_date, help="新组织必填，如 2024-03-01。"),
        Column("批准文号", "approval_no", max_length=100),
        Column("工会主席", "chair_name", max_length=50),
        Column("本届选举日期", "elected_on", parse=parse_date, help="与任期(年)同时填写。"),
        Column("任期(年)", "term_years", parse=parse_int, choices=("3", "5"),
               help="3 或 5；县级以上地方总工会和产业工会为 5。"),
        Column("女职工委员会成立日期", "womens_committee_on", parse=parse_date),
        Column("经费审查委员会成立日期", "audit_committee_on", parse=parse_date),
        Column("统一社会信用代码", "uscc", parse=parse_uscc, help="工会法人资格登记的 18 位代码。"),
        Column("法人证书号", "cert_no", parse=parse_code, max_length=50),
        Column("发证日期", "issued_on", parse=parse_date),
        Column("地址", "address", max_length=200),
        Column("联系人", "contact_person", max_length=50),
        Column("联系电话", "contact_phone", parse=parse_code, max_length=30),
        Column("行政区划代码", "region_code", parse=codes.parser("region"),
               help="GB/T 2260 的6位代码，或省市县全称（如 湖南省长沙市长沙县）。"),
    )
    field_headers = {"parent": "上级组织编码", "new_type": "组织类型", "valid_until": "发证日期",
                     "new_name": "工会名称"}

    def __init__(self, **kwargs):  # actor, and the job's progress (the import page runs every file as a job)
        super().__init__(**kwargs)
        self._depth: dict[int, int] = {}  # row number -> save order (parents first)
    notes = (
        "按“组织编码”匹配：系统中没有的新建（组建），已有的只更新批准文号、主席、地址、联系人等一般信息。",
        "单元格留空表示不修改，不会清空系统中的内容。",
        "名称、类型、上级、成立日期、本届选举日期、法人资格与系统不一致时报错：请在组织页面使用更名、"
        "升格/变更类型、转移、换届、法人资格登记等功能，以便留下有日期的记录。",
        "上级组织须在系统中已有，或在本表中；行的先后顺序不限。上级可填编码或名称，名称须与系统中（或本表中）"
        "的组织名称完全一致，重名时请改填编码。",
    )

    def clean_row(self, row: Row) -> None:
        if row.blank("elected_on") != row.blank("term_years"):
            missing = "term_years" if row.blank("term_years") else "elected_on"
            row.error(missing, "本届选举日期与任期(年)须同时填写。")
        years, org_type = row.get("term_years"), row.get("org_type")
        if years is not None and org_type:
            try:
                # The rule of 工会法 §16 lives in the services; ask it now so all errors come at once.
                services._check_term_years(org_type, years)
            except ServiceError as exc:
                row.error("term_years", exc.messages[0])
        if row.blank("uscc"):
            for name in ("cert_no", "issued_on"):
                if not row.blank(name):
                    row.error(name, "填写法人资格信息时须同时填写统一社会信用代码。")
        elif row.blank("issued_on"):
            row.error("issued_on", "填写了统一社会信用代码时须同时填写发证日期。")

    def row_keys(self, row: Row):
        return [("code", row.get("code")), ("uscc", row.get("uscc"))]

    def check_rows(self, rows: list[Row]) -> None:
        self._parents_by_name(rows)
        codes = {c for row in rows for c in (row.get("code"), row.get("parent_code")) if c}
        known = {org.code: org for org in Org.objects.filter(code__in=codes)}
        parent_codes = _parent_codes(known.values())
        in_file: dict[str, Row] = {}
        for row in rows:
            if row.get("code"):
                in_file.setdefault(row.get("code"), row)
        for row in rows:
            code = row.get("code")
            if not code:
                continue
            if code in known:
                self._check_existing(row, known[code], parent_codes.get(code))
                self._depth[row.number] = -1
            else:
                self._check_new(row, known, in_file)
                self._depth[row.number] = self._new_depth(row, known, in_file)

    def _parents_by_name(self, rows: list[Row]) -> None:
        """上级组织名称 → 上级组织编码: the org of that exact (normalised) name the importer may
        change, not dissolved, or a new org of this file; two or more is an error naming them."""
        wanted = {norm_name(r.get("parent_name")) for r in rows if r.get("parent_name") and r.blank("parent_code")}
        wanted.discard("")
        if not wanted:
            return
        found: dict[str, list[str]] = {}
        for row in rows:
            if row.get("code") and norm_name(row.get("name")) in wanted:
                found.setdefault(norm_name(row.get("name")), []).append(row.get("code"))
        # One indexed query by the names as written; the normalised comparison runs on what it returns.
        names = {r.get("parent_name").strip() for r in rows if r.get("parent_name")}
        candidates = Org.objects.filter(name__in=names).exclude(status=OrgStatus.DISSOLVED)
        if self.actor is not None:
            candidates = scope.visible(candidates, self.actor, "orgs.change")
        for org in candidates.only("code", "name", "path"):
            codes_ = found.setdefault(norm_name(org.name), [])
            if org.code not in codes_:
                codes_.append(org.code)
        for row in rows:
            name = row.get("parent_name")
            if not name or not row.blank("parent_code"):
                continue
            matches = found.get(norm_name(name), [])
            if not matches:
                row.error("parent_name", f"您管理范围内没有名称为“{name}”的组织，请核对名称或填写上级组织编码。")
            elif len(matches) > 1:
                row.error("parent_name", f"名称为“{name}”的组织有 {len(matches)} 个（编码 {'、'.join(sorted(matches))}），"
                                         "请改填上级组织编码。")
            else:
                row.values["parent_code"] = matches[0]

    def _check_new(self, row: Row, known: dict[str, Org], in_file: dict[str, Row]) -> None:
        if row.blank("founded_on"):
            row.error("founded_on", "新组织须填写成立日期。")
        if row.blank("parent_code") and row.blank("parent_name"):
            row.error("parent_code", "新组织须填写上级组织编码或上级组织名称。")
            return
        code, parent_code = row.get("code"), row.get("parent_code")
        if not parent_code:
            return  # the bad cell (or the 上级组织名称 that named none or several) is already reported
        if parent_code == code:
            row.error("parent_code", "上级组织编码不能是本组织自己的编码。")
            return
        parent = known.get(parent_code)
        if parent is not None:
            if not self.may(parent, "orgs.change"):
                # Same words for missing and out of scope: the import must not reveal other areas.
                row.error("parent_code", NOT_FOUND.format(parent_code))
                return
        elif parent_code in in_file:
            # A parent founded by this same file; its own row carries its errors, scope included.
            other = in_file[parent_code]
            parent = Org(name=other.get("name") or parent_code, org_type=other.get("org_type") or "",
                         status=OrgStatus.ACTIVE)
        else:
            row.error("parent_code", NOT_FOUND.format(parent_code))
            return
        if row.get("org_type") and parent.org_type:
            try:
                services._check_child_type(parent, row.get("org_type"))
            except ServiceError as exc:
                row.error(exc.field, exc.messages[0])

    def _new_depth(self, row: Row, known: dict[str, Org], in_file: dict[str, Row]) -> int:
        """How many new orgs of the file stand above this one: parents are saved first."""
        seen, depth, current = {row.get("code")}, 0, row
        while True:
            parent_code = current.get("parent_code")
            if not parent_code or parent_code in known or parent_code not in in_file:
                return depth
            if parent_code in seen:
                if depth:  # depth 0 is a row naming itself, reported in _check_new
                    row.error("parent_code", "上级组织编码形成了循环（甲的上级是乙，乙的上级又是甲）。")
                return depth
            seen.add(parent_code)
            depth, current = depth + 1, in_file[parent_code]

    def _check_existing(self, row: Row, org: Org, parent_code: str | None) -> None:
        if not self.may(org, "orgs.change"):
            row.error("code", f"组织编码“{org.code}”已被您管理范围以外的组织使用。")
            return

        def differs(name: str, current) -> bool:
            value = row.get(name)
            return not row.blank(name) and value is not None and value != current

        if differs("name", org.name):
            row.error("name", f"与系统中的名称“{org.name}”不一致。导入不做更名，请在组织页面使用“更名”。")
        if differs("org_type", org.org_type):
            row.error("org_type", f"与系统中的类型“{org.get_org_type_display()}”不一致，请在组织页面使用“升格/变更类型”。")
        if differs("parent_code", parent_code):
            where = f"上级组织编码为“{parent_code}”" if parent_code else "是顶级组织"
            row.error("parent_code", f"该组织在系统中{where}。导入不做转移，请在组织页面使用“转移”。")
        if differs("founded_on", org.founded_on):
            row.error("founded_on", f"与系统中的成立日期（{org.founded_on or '未填'}）不一致，导入不修改成立日期。")
        if org.term_started_on:
            if differs("elected_on", org.term_started_on):
                row.error("elected_on", f"与系统中的本届选举日期（{org.term_started_on}）不一致。"
                                        "换届请在组织页面使用“换届”。")
            elif differs("term_years", org.term_years):
                row.error("term_years", f"与系统中本届任期（{org.term_years}年）不一致。")
        if org.uscc:
            for name, current in (("uscc", org.uscc), ("cert_no", org.legal_cert_no),
                                  ("issued_on", org.legal_cert_issued_on)):
                if differs(name, current):
                    row.error(name, "与系统中登记的法人资格信息不一致，请在组织页面使用“法人资格登记”。")

    def order(self, rows: list[Row]) -> list[Row]:
        return sorted(rows, key=lambda row: self._depth.get(row.number, 0))

    def save_row(self, row: Row) -> str:
        org = Org.objects.filter(code=row.get("code")).first()
        if org is None:
            return self._found(row)
        return self._update(row, org)

    def _found(self, row: Row) -> str:
        parent = Org.objects.filter(code=row.get("parent_code")).first()
        if parent is None:
            raise ServiceError("上级组织未能导入，请先改正上级组织所在行的错误。", field="parent")
        plain = {f: row.get(f) for f in ORG_PLAIN_FIELDS if not row.blank(f)}
        org = services.org_found(
            actor=self.actor, parent=parent, name=row.get("name"), org_type=row.get("org_type"),
            founded_on=row.get("founded_on"), code=row.get("code"), elected_on=row.get("elected_on"),
            term_years=row.get("term_years"), **plain,
        )
        if row.get("uscc"):
            services.org_register_legal_person(actor=self.actor, org=org, uscc=row.get("uscc"),
                                               cert_no=row.get("cert_no") or "", issued_on=row.get("issued_on"))
        return CREATED

    def _update(self, row: Row, org: Org) -> str:
        plain = {f: row.get(f) for f in ORG_PLAIN_FIELDS if not row.blank(f) and row.get(f) != getattr(org, f)}
        if plain:
            services.org_update(actor=self.actor, org=org, **plain)
        new_term = org.term_started_on is None and row.get("elected_on") is not None
        if new_term:
            services.org_reelect(actor=self.actor, org=org, elected_on=row.get("elected_on"),
                                 term_years=row.get("term_years"), chair_name=row.get("chair_name") or "")
        new_legal = not org.uscc and row.get("uscc")
        if new_legal:
            services.org_register_legal_person(actor=self.actor, org=org, uscc=row.get("uscc"),
                                               cert_no=row.get("cert_no") or "", issued_on=row.get("issued_on"))
        return UPDATED if plain or new_term or new_legal else UNCHANGED


def _parent_codes(orgs) -> dict[str, str | None]:
    """{code: its parent's code} for these orgs, in one query."""
    orgs = list(orgs)
    parent_paths = {org.path[: -Org.steplen] for org in orgs if org.depth > 1}
    by_path = dict(Org.objects.filter(path__in=parent_paths).values_list("path", "code"))
    return {org.code: by_path.get(org.path[: -Org.steplen]) for org in orgs}


# --- employers ------------------------------------------------------------------------------

EMPLOYER_FIELDS = ("name", "uscc", "ownership", "industry", "headcount", "women_count", "migrant_count",
                   "is_fortune500", "is_above_scale", "required_override", "registered_on", "address",
                   "contact_person", "contact_phone", "unit_category", "economic_type", "region_code")
# 单位性质 from the 单位类别 when the sheet gives only the latter (the report's list is finer).
CATEGORY_OWNERSHIP = {
    "110": Ownership.STATE, "151": Ownership.STATE, "161": Ownership.STATE, "120": Ownership.COLLECTIVE,
    **dict.fromkeys(("130", "140", "159", "169", "170", "190"), Ownership.PRIVATE),
    "200": Ownership.HMT, "300": Ownership.FOREIGN, "400": Ownership.INSTITUTION, "500": Ownership.GOVERNMENT,
    "600": Ownership.INDIVIDUAL, "700": Ownership.SOCIAL, "800": Ownership.SOCIAL,
}


def norm_name(name) -> str:
    """Two spellings of one name (full-width brackets, spaces) compare equal."""
    return codes.norm(name)


@register
class EmployerImporter(_ScopedImporter):
    kind = "employers"
    title = "用人单位"
    back = "orgs:employers"
    columns = (
        Column("单位名称", "name", required=True, max_length=200),
        Column("统一社会信用代码", "uscc", parse=parse_uscc,
               help="18 位；没有的留空，此时按“单位名称 + 属地工会编码”匹配已有单位。"),
        Column("属地工会编码", "org_code", required=True, parse=parse_code, max_length=40,
               help="负责该单位所在区域的工会（乡镇、街道、园区等）的组织编码。"),
        Column("单位性质", "ownership", parse=choice(Ownership.choices), help="留空时按单位类别填写。"),
        Column("单位类别", "unit_category", parse=codes.parser("unit_category"),
               help="工会统计的单位类别代码或名称，如 170 或 私营企业、400 或 事业。"),
        Column("经济类型", "economic_type", parse=codes.parser("economic_type"),
               help="企业登记注册类型代码或名称，如 173 或 私营有限责任公司；企业留空时按单位类别填写。"),
        Column("行业", "industry", parse=codes.parser("industry"),
               help="GB/T 4754-2017 国民经济行业分类的代码（如 1311 或 C1311）或名称。"),
        # "org_code" is the 属地工会编码 here; the service's org_code is set from this column in save_row.
        Column("组织机构代码", "organization_code", parse=parse_org_code, help="9位，可带“-”，如 12345678-9。"),
        Column("行政区划代码", "region_code", parse=codes.parser("region"),
               help="GB/T 2260 的6位代码，或省市县全称。"),
        Column("职工人数", "headcount", parse=parse_count),
        Column("女职工人数", "women_count", parse=parse_count),
        Column("农民工人数", "migrant_count", parse=parse_count),
        Column("世界500强", "is_fortune500", parse=parse_bool),
        Column("规模以上", "is_above_scale", parse=parse_bool),
        Column("应建会", "required_override", parse=parse_bool,
               help="留空：按职工人数规则认定；填“是”或“否”：人工认定。"),
        Column("成立日期", "registered_on", parse=parse_date),
        Column("地址", "address", max_length=200),
        Column("联系人", "contact_person", max_length=50),
        Column("联系电话", "contact_phone", parse=parse_code, max_length=30),
        Column("覆盖工会编码", "union_code", parse=parse_code, max_length=40,
               help="已建会的单位：覆盖它的基层工会的组织编码，与覆盖起始日期同时填写。"),
        Column("覆盖起始日期", "coverage_from", parse=parse_date),
    )
    field_headers = {"org": "属地工会编码", "union": "覆盖工会编码", "employer": "覆盖工会编码",
                     "valid_from": "覆盖起始日期"}
    notes = (
        "按“统一社会信用代码”匹配已有单位；没有代码的，按“单位名称 + 属地工会编码”匹配。",
        "单元格留空表示不修改，不会清空系统中的内容（“应建会”留空即保持原认定）。",
        "填写了覆盖工会的，单位尚无覆盖关系时记录覆盖；已由其他工会覆盖的，请先在单位页面终止原覆盖。",
    )

    def clean_row(self, row: Row) -> None:
        if row.blank("union_code") != row.blank("coverage_from"):
            missing = "union_code" if row.blank("union_code") else "coverage_from"
            row.error(missing, "覆盖工会编码与覆盖起始日期须同时填写。")
        total = row.get("headcount")
        for name, label in (("women_count", "女职工人数"), ("migrant_count", "农民工人数")):
            count = row.get(name)
            if total is not None and count is not None and count > total:
                row.error(name, f"{label}（{count}）不能大于职工人数（{total}）。")

    def row_keys(self, row: Row):
        if row.get("uscc"):
            return [("uscc", row.get("uscc"))]
        if row.blank("uscc") and row.get("name") and row.get("org_code"):
            return [("name", (row.get("name"), row.get("org_code")))]
        return []

    def check_rows(self, rows: list[Row]) -> None:
        codes = {c for row in rows for c in (row.get("org_code"), row.get("union_code")) if c}
        orgs = {org.code: org for org in Org.objects.filter(code__in=codes)}
        usccs = [row.get("uscc") for row in rows if row.get("uscc")]
        by_uscc = {e.uscc: e for e in Employer.objects.filter(uscc__in=usccs).select_related("org")}
        for row in rows:
            area = self._area(row, orgs)
            employer = self._existing(row, area, by_uscc)
            self._check_coverage(row, orgs, employer)

    def _area(self, row: Row, orgs: dict[str, Org]) -> Org | None:
        code = row.get("org_code")
        if not code:
            return None
        org = orgs.get(code)
        if org is None or not self.may(org, "employers.change"):
            row.error("org_code", NOT_FOUND.format(code))
            return None
        if org.is_dissolved:
            row.error("org_code", f"“{org.name}”已注销，不能作为属地工会。")
        elif org.org_type not in FEDERATION_TYPES:
            row.error("org_code", f"“{org.name}”是{org.get_org_type_display()}；属地工会应为乡镇(街道)、园区等上级工会。")
        else:
            row.extra["org_pk"] = org.pk
        return org

    def _existing(self, row: Row, area: Org | None, by_uscc: dict[str, Employer]) -> Employer | None:
        if row.get("uscc"):
            employer = by_uscc.get(row.get("uscc"))
        elif row.blank("uscc") and area is not None and row.get("name"):
            matches = list(Employer.objects.filter(org=area, name=row.get("name")).select_related("org")[:2])
            if len(matches) > 1:
                row.error("name", "系统中该属地下有多家同名单位，请填写统一社会信用代码以区分。")
                return None
            employer = matches[0] if matches else None
        else:
            return None
        if employer is None:
            return None
        if not self.may(employer.org, "employers.change"):
            row.error("uscc", "该统一社会信用代码已登记在您管理范围以外的单位名下。")
            return None
        row.extra["employer_pk"] = employer.pk
        return employer

    def _check_coverage(self, row: Row, orgs: dict[str, Org], employer: Employer | None) -> None:
        code = row.get("union_code")
        if not code:
            return
        union = orgs.get(code)
        if union is None or not self.may(union, "employers.change"):
            row.error("union_code", NOT_FOUND.format(code))
            return
        row.extra["union_pk"] = union.pk
        if employer is None:
            return
        current = employer.coverages.filter(valid_to__isnull=True).select_related("union").first()
        if current and current.union_id != union.pk:
            row.error("union_code", f"该单位现由“{current.union.name}”覆盖；导入不改变覆盖关系，"
                                    "请先在单位页面终止原覆盖。")

    def save_row(self, row: Row) -> str:
        org = Org.objects.get(pk=row.extra["org_pk"])
        fields = {f: row.get(f) for f in EMPLOYER_FIELDS if not row.blank(f)}
        if not row.blank("organization_code"):
            fields["org_code"] = row.get("organization_code")
        category = fields.get("unit_category")
        if category and "ownership" not in fields and category in CATEGORY_OWNERSHIP:
            fields["ownership"] = CATEGORY_OWNERSHIP[category]
        if category and "economic_type" not in fields and category in CATEGORY_ECONOMIC_TYPE:
            fields["economic_type"] = CATEGORY_ECONOMIC_TYPE[category]
        pk = row.extra.get("employer_pk")
        if pk is None:
            employer = services.employer_create(actor=self.actor, org=org, **fields)
            outcome = CREATED
        else:
            employer = Employer.objects.select_related("org").get(pk=pk)
            changes = {f: v for f, v in fields.items() if getattr(employer, f) != v}
            if employer.org_id != org.pk:
                changes["org"] = org
            if changes:
                services.employer_update(actor=self.actor, employer=employer, **changes)
            outcome = UPDATED if changes else UNCHANGED
        union_pk = row.extra.get("union_pk")
        if union_pk and not employer.coverages.filter(valid_to__isnull=True).exists():
            services.coverage_start(actor=self.actor, union=Org.objects.get(pk=union_pk), employer=employer,
                                    valid_from=row.get("coverage_from"))
            outcome = CREATED if outcome == CREATED else UPDATED
        return outcome
