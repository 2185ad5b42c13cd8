"""Excel import of historical petition cases (历史信访台账), two-phase (ARCHITECTURE §4.5).

Each row is one case, saved through the same services a clerk uses, with the dates of the
file: 登记, then 受理/不予受理 on the 告知日期, 答复, 办结. So the stored due dates and the
on-time figures of imported cases are computed exactly as for cases keyed in. A case
already in the system (same union, 收到日期, 事由 and first petitioner) is left unchanged,
so importing a file twice adds nothing. ID numbers and phones are masked in every error.
"""

from __future__ import annotations

from gonghui.core import crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    CREATED,
    UNCHANGED,
    CellError,
    Column,
    Importer,
    choice,
    display,
    is_empty,
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
from .models import Channel, Gender, Petition, Result, Satisfaction

DECISIONS = (("accept", "受理"), ("reject", "不予受理"))


def parse_id(value):
    if is_empty(value):
        return None
    if isinstance(value, bool | int | float):
        raise CellError("单元格是数字格式，Excel 已丢失证件号的末几位。请把该列设为“文本”格式，再重新录入。")
    try:
        return parse_id_number(parse_code(value)).number
    except ServiceError as exc:
        raise CellError(exc.messages[0]) from exc


parse_id.as_text = True


def parse_phone(value):
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = display(value).strip().replace(" ", "").replace("-", "")
    if not (text.isdigit() and 7 <= len(text) <= 12):
        raise CellError("联系电话应为7-12位数字。")
    return text


parse_phone.as_text = True


class CategoryParser:
    """The categories are configurable, so the parser reads them when called."""

    @property
    def choices(self):
        return tuple(label for _, label in conf.categories())

    def __call__(self, value):
        return choice(conf.categories())(value)


MASKS = {"证件号码": crypto.mask_id, "联系电话": crypto.mask_phone}


@register
class PetitionImporter(Importer):
    kind = "petitions"
    title = "历史信访案件"
    permission = "petitions.change"
    back = "petitions:index"
    columns = (
        Column("承办单位编码", "org_code", True, parse_code, "案件所在工会的组织编码。"),
        Column("渠道", "channel", True, choice(Channel.choices)),
        Column("转办单位", "source_org_name", help="渠道为“上级转办”时必填。", max_length=100),
        Column("转办文号", "source_ref", parse=parse_code, help="渠道为“上级转办”时必填。", max_length=60),
        Column("收到日期", "received_on", True, parse_date),
        Column("信访人姓名", "name", True, max_length=50),
        Column("性别", "gender", parse=choice(Gender.choices)),
        Column("证件号码", "id_number", parse=parse_id),
        Column("联系电话", "phone", parse=parse_phone),
        Column("涉及人数", "people_count", parse=parse_count, help="空白为1人；5人及以上为群体性信访。"),
        Column("所涉单位", "employer_name", max_length=200),
        Column("诉求类别", "category", True, CategoryParser()),
        Column("事由", "title", True, max_length=200),
        Column("诉求金额", "amount_claimed", parse=parse_money, help="单位：元。"),
        Column("受理决定", "decision", parse=choice(DECISIONS), help="空白表示尚未受理告知。"),
        Column("告知日期", "notice_on", parse=parse_date),
        Column("不予受理理由", "reject_reason", max_length=500),
        Column("答复日期", "replied_on", parse=parse_date),
        Column("处理结果", "result", parse=choice(Result.choices)),
        Column("答复意见", "summary", parse=parse_text),
        Column("追回金额", "amount_recovered", parse=parse_money, help="单位：元。"),
        Column("办结日期", "closed_on", parse=parse_date),
        Column("满意度", "satisfaction", parse=choice(Satisfaction.choices)),
    )
    field_headers = {"org": "承办单位编码", "petitioners": "信访人姓名", "reason": "不予受理理由",
                     "on": "收到日期", "notice_on": "告知日期", "replied_on": "答复日期", "closed_on": "办结日期"}
    notes = (
        "每行一宗案件；系统按“收到日期、告知日期、答复日期、办结日期”依次办理，并据此计算各项期限和是否按期。",
        "受理决定为“不予受理”时须填告知日期和理由；有答复日期须先受理，并填处理结果和答复意见；有办结日期须先答复。",
        "同一单位、同一收到日期、同一事由和信访人的案件已存在时不再新增。",
    )

    def clean_row(self, row) -> None:
        v = row.get
        if v("channel") == Channel.FORWARDED:
            for f, what in (("source_org_name", "转办单位"), ("source_ref", "转办文号")):
                if row.blank(f):
                    row.error(f, f"渠道为“上级转办”时须填写{what}。")
        decision = v("decision")
        if decision and not v("notice_on") and "notice_on" in row.values:
            row.error("notice_on", "填写了受理决定，须填写告知日期。")
        if v("notice_on") and not decision and "decision" in row.values:
            row.error("decision", "填写了告知日期，须填写受理决定（受理或不予受理）。")
        if decision == "reject" and not v("reject_reason"):
            row.error("reject_reason", "不予受理须填写理由。")
        if v("replied_on"):
            if decision != "accept":
                row.error("replied_on", "有答复日期的案件，受理决定应为“受理”。")
            for f, what in (("result", "处理结果"), ("summary", "答复意见")):
                if row.blank(f):
                    row.error(f, f"有答复日期时须填写{what}。")
        if v("closed_on"):
            if not v("replied_on") and "replied_on" in row.values:
                row.error("closed_on", "有办结日期的案件须先有答复日期。")
            if row.blank("satisfaction"):
                row.error("satisfaction", "有办结日期时须填写满意度（可填“未评价”）。")
        for earlier, later, what in (("received_on", "notice_on", "告知日期不能早于收到日期"),
                                     ("notice_on", "replied_on", "答复日期不能早于告知日期"),
                                     ("replied_on", "closed_on", "办结日期不能早于答复日期")):
            if v(earlier) and v(later) and v(later) < v(earlier):
                row.error(later, what + "。")
        # Masked values in every error shown or stored.
        for e_index, e in enumerate(row.errors):
            if e.column in MASKS and e.value:
                row.errors[e_index] = type(e)(e.row, e.column, MASKS[e.column](e.value), e.reason)

    def check_rows(self, rows) -> None:
        codes = {r.get("org_code") for r in rows if r.get("org_code")}
        visible = scope.visible(Org.objects.filter(code__in=codes), self.actor, "petitions.change", "path")
        self._orgs = {o.code: o for o in visible}
        for row in rows:
            code = row.get("org_code")
            if code and code not in self._orgs:
                row.error("org_code", f"承办单位编码“{code}”不存在，或不在您的管理范围内。")

    def save_row(self, row) -> str:
        v = row.get
        org = self._orgs[v("org_code")]
        if Petition.objects.filter(org=org, received_on=v("received_on"), title=v("title"),
                                   petitioners__name=v("name")).exists():
            return UNCHANGED
        p = services.petition_register(
            actor=self.actor, org=org, channel=v("channel"), received_on=v("received_on"), title=v("title"),
            category=v("category"), source_org_name=v("source_org_name") or "", source_ref=v("source_ref") or "",
            petitioners=[{"name": v("name"), "gender": v("gender"), "id_number": v("id_number") or "",
                          "phone": v("phone") or ""}],
            people_count=v("people_count") or 1, employer_name=v("employer_name") or "",
            amount_claimed=v("amount_claimed") or 0,
        )
        if v("decision") == "accept":
            services.petition_accept(actor=self.actor, petition=p, notice_on=v("notice_on"))
        elif v("decision") == "reject":
            services.petition_reject(actor=self.actor, petition=p, notice_on=v("notice_on"),
                                     reason=v("reject_reason"))
        if v("replied_on"):
            services.petition_reply(actor=self.actor, petition=p, replied_on=v("replied_on"), result=v("result"),
                                    summary=v("summary"), amount_recovered=v("amount_recovered") or 0)
        if v("closed_on"):
            services.petition_close(actor=self.actor, petition=p, closed_on=v("closed_on"),
                                    satisfaction=v("satisfaction"))
        return CREATED
