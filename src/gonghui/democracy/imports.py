"""Excel import of a congress's delegate list (职工代表名单), all or nothing.

Natural key: the congress's union code, the term (届次), the delegate's name and constituency;
a re-imported row changes nothing. After the rows are saved every list they touched is checked
against the quota and composition rules (conf): a list that breaks one is kept as a draft with
the rule named, as when it is entered by hand.
"""

from __future__ import annotations

from gonghui.core import scope
from gonghui.core.excel import (
    CREATED,
    UNCHANGED,
    Column,
    Importer,
    Row,
    choice,
    parse_bool,
    parse_code,
    parse_count,
    register,
)

from . import services
from .models import Congress, Gender, Term

NOT_FOUND = "工会编码“{}”不存在，或不在您的管理范围内。"


@register
class DelegateImporter(Importer):
    kind = "democracy_delegates"
    title = "职工代表名单"
    permission = "democracy.change"
    back = "democracy:index"
    max_rows = 10_000
    columns = (
        Column("工会编码", "org_code", required=True, parse=parse_code, max_length=40,
               help="职代会工作机构（企业工会；区域性、行业性职代会填主持的工会）的组织编码。"),
        Column("届次", "term", required=True, parse=parse_count, help="须已在职代会页面登记该届。"),
        Column("姓名", "name", required=True, max_length=50),
        Column("性别", "gender", required=True, parse=choice(Gender.choices)),
        Column("选区", "constituency", required=True, max_length=100, help="车间、科室或班组。",
               aliases=("选举单位", "代表团")),
        Column("中高级管理人员", "is_manager", parse=parse_bool, help="填“是”或“否”，留空为否。"),
        Column("一线职工", "is_frontline", parse=parse_bool, help="填“是”或“否”，留空为否。"),
    )
    notes = (
        "按“工会编码 + 届次 + 姓名 + 选区”匹配：已有的代表不重复登记。",
        "导入后系统按代表名额、中高级管理人员不超过 20%、一线职工不少于 50%、女代表比例不低于女职工比例核对名单；"
        "不符合的名单存为草稿并列明未通过的规则。",
        "有任何一行出错时整张表都不导入。",
    )

    def clean_row(self, row: Row) -> None:
        if row.get("is_manager") and row.get("is_frontline"):
            row.error("is_frontline", "中高级管理人员不能同时是一线职工。")

    def row_keys(self, row: Row):
        key = (row.get("org_code"), row.get("term"), row.get("name"), row.get("constituency"))
        return [("name", key if all(key) else None)]

    def check_rows(self, rows: list[Row]) -> None:
        codes = {row.get("org_code") for row in rows if row.get("org_code")}
        congresses: dict[str, list[Congress]] = {}
        for c in Congress.objects.filter(org__code__in=codes, ended_on__isnull=True).select_related("org"):
            congresses.setdefault(c.org.code, []).append(c)
        self._terms: dict[tuple, Term] = {}
        for row in rows:
            code = row.get("org_code")
            if not code:
                continue
            found = congresses.get(code, [])
            if not found:
                row.error("org_code", f"工会“{code}”尚未建立职代会，请先在职代会页面登记。" if self._org_visible(code)
                          else NOT_FOUND.format(code))
                continue
            if self.actor is not None and not scope.has_perm(self.actor, self.permission, found[0].org.path):
                row.error("org_code", NOT_FOUND.format(code))
                continue
            if len(found) > 1:
                row.error("org_code", f"工会“{code}”有 {len(found)} 个职代会，请在职代会页面逐个登记代表。")
                continue
            term = found[0].terms.filter(number=row.get("term")).first()
            if term is None:
                row.error("term", f"{found[0].name}尚未登记第{row.get('term')}届。")
                continue
            self._terms[(code, row.get("term"))] = term

    def _org_visible(self, code: str) -> bool:
        from gonghui.orgs.models import Org

        org = Org.objects.filter(code=code).first()
        return org is not None and (self.actor is None or scope.has_perm(self.actor, self.permission, org.path))

    def save_row(self, row: Row) -> str:
        term = self._terms[(row.get("org_code"), row.get("term"))]
        if term.delegates.filter(name=row.get("name"), constituency=row.get("constituency")).exists():
            return UNCHANGED
        services.delegate_add(actor=self.actor, term=term, name=row.get("name"), gender=row.get("gender"),
                              constituency=row.get("constituency"), is_manager=bool(row.get("is_manager")),
                              is_frontline=bool(row.get("is_frontline")))
        return CREATED

    def save_rows(self, rows, result) -> None:
        super().save_rows(rows, result)
        if not any(row.errors for row in rows):
            touched = {t.pk: t for t in (self._terms[(r.get("org_code"), r.get("term"))] for r in rows)}
            for term in touched.values():
                term.refresh_from_db()
                services.delegates_confirm(actor=self.actor, term=term)
