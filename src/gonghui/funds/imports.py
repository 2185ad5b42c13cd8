"""Excel imports of 工会经费 receipts: the tax bureau's monthly list (税务代收明细) and the direct
receipts (直接拨缴), two-phase through core.excel.

Each row is one receipt, saved through `services.receipt_record`: matched to an employer by its
统一社会信用代码 (a code with a wrong check character is refused with its row), or kept 待匹配
with the code and name as given. A reference (税票号码/凭证号) already registered with the same
values is left unchanged, so importing the same list twice adds nothing; with other values it is
refused. Any error saves nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from gonghui.core import scope
from gonghui.core.errors import ServiceError
from gonghui.core.excel import (
    CREATED,
    SAVING,
    UNCHANGED,
    UPDATED,
    CellError,
    Column,
    Importer,
    Row,
    display,
    is_empty,
    parse_code,
    parse_count,
    parse_date,
    parse_money,
    register,
)
from gonghui.core.identifiers import clean_uscc
from gonghui.core.sql import among
from gonghui.orgs.models import Org

from . import bulk, services
from .models import Channel, DuesRecord, Receipt

_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def parse_month(value) -> dt.date | None:
    """所属期: 2025-03, 2025年3月, 202503 or a date (its month)."""
    if is_empty(value):
        return None
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).replace(day=1)
    text = display(value).strip()
    if re.fullmatch(r"\d{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    found = _MONTH_RE.match(text)
    if found:
        year, month = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        raise CellError(f"“{value}”不是有效月份。")
    day = parse_date(value)
    return day.replace(day=1) if day else None


parse_month.as_text = True


# GB 32100-2015: the code's alphabet and the weights of its check character (as stdnum.cn.uscc).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _plain_valid_uscc(code: str) -> bool:
    """A code already in its clean form with a right check character. stdnum's validate cleans the
    text twice and spends ~0.1 ms a code, a tenth of a 100,000-row tax list's import; anything
    this does not accept goes through clean_uscc, which gives the message."""
    if len(code) != 18 or not (code[:8].isascii() and code[:8].isdigit()):
        return False
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    except KeyError:
        return False
    return _USCC_ALPHABET[(31 - total) % 31] == code[17]


def parse_uscc(value) -> str | None:
    if is_empty(value):
        return None
    code = parse_code(value)
    if _plain_valid_uscc(code):
        return code
    try:
        return clean_uscc(code)
    except ServiceError as exc:
        raise CellError(exc.messages[0]) from exc


parse_uscc.as_text = True


class ReceiptImporter(Importer):
    channel = ""
    permission = "funds.change"
    back = "funds:index"
    upload_union_field = "org_code"
    max_rows = 200_000
    field_headers = {"org": "收款工会编码", "uscc": "统一社会信用代码", "name": "单位名称", "month": "所属期",
                     "payroll_base": "工资总额", "amount": "金额", "reference": "凭证号"}

    def row_keys(self, row):
        if row.get("reference"):
            yield "reference", row.get("reference")

    def clean_row(self, row) -> None:
        if row.blank("uscc") and row.blank("name"):
            row.error("uscc", "请填写统一社会信用代码或单位名称。")
        month, received = row.get("month"), row.get("received_on")
        if month and received and month > received:
            row.error("month", "所属期不能晚于入库(到账)日期。")
        amount = row.get("amount")
        if amount is not None and amount == 0:
            row.error("amount", "金额应大于0。")

    def check_rows(self, rows) -> None:
        codes = {r.get("org_code") for r in rows if r.get("org_code")}
        self._orgs = {o.code: o for o in scope.visible(Org.objects.filter(code__in=codes), self.actor,
                                                        "funds.change", "path")} if self.actor else {
            o.code: o for o in Org.objects.filter(code__in=codes)}
        refs = [r.get("reference") for r in rows if r.get("reference")]
        self._known = {}
        for start in range(0, len(refs), 5000):
            for r in Receipt.objects.filter(among(Receipt, "reference", refs[start:start + 5000], "text")).only(
                    "reference", "amount", "raw_uscc", "received_on"):
                self._known[r.reference] = r
        for row in rows:
            code = row.get("org_code")
            if code and code not in self._orgs:
                row.error("org_code", f"收款工会编码“{code}”不存在，或不在您的管理范围内。")
            known = self._known.get(row.get("reference"))
            if known is not None and not self._same(known, row):
                row.error("reference", f"凭证号“{known.reference}”已登记（金额{known.amount}元，"
                                       f"入库日期{known.received_on}），与本行不一致，不能重复登记。")

    @staticmethod
    def _same(known: Receipt, row) -> bool:
        return (known.amount == row.get("amount") and known.received_on == row.get("received_on")
                and known.raw_uscc == (row.get("uscc") or known.raw_uscc))

    def save_rows(self, rows, result) -> None:
        """Rows already registered are counted unchanged; the rest go in one set-based call
        (funds.bulk), which names every refused row."""
        fresh = [r for r in rows if r.get("reference") not in self._known]
        result.unchanged += len(rows) - len(fresh)
        if not fresh:
            return
        by_number = {r.number: r for r in fresh}
        v = Row.get
        lines = [bulk.Line(row=r.number, org=self._orgs[v(r, "org_code")], reference=v(r, "reference"),
                           amount=v(r, "amount"), received_on=v(r, "received_on"), uscc=v(r, "uscc") or "",
                           name=v(r, "name") or "", month=v(r, "month"), payroll_base=v(r, "payroll_base"),
                           note=v(r, "note") or "") for r in fresh]
        try:
            bulk.receipts_bulk(actor=self.actor, channel=self.channel, lines=lines, title=self.title,
                               progress=lambda n: self.report(SAVING, len(rows) - len(fresh) + n, len(rows)))
        except bulk.Refused as exc:
            for number, field, reason in exc.rows:
                by_number[number].error(field, reason)
            return
        result.created += len(fresh)
        self.report(SAVING, len(rows), len(rows))

    def save_row(self, row) -> str:
        v = row.get
        if v("reference") in self._known:
            return UNCHANGED
        services.receipt_record(actor=self.actor, org=self._orgs[v("org_code")], reference=v("reference"),
                                channel=self.channel, amount=v("amount"), received_on=v("received_on"),
                                uscc=v("uscc") or "", name=v("name") or "", month=v("month"),
                                payroll_base=v("payroll_base"), note=v("note") or "", source="import")
        return CREATED


@register
class TaxListImporter(ReceiptImporter):
    kind = "funds_tax"
    title = "税务代收经费明细"
    channel = Channel.TAX
    columns = (
        Column("收款工会编码", "org_code", True, parse_code, "收到该批经费的总工会（工会联合会）的组织编码；"
                                                            "税务部门的明细表没有此列时，在上传时选择。"),
        Column("电子税票号码", "reference", True, parse_code, "税务部门的税票号码，一笔一号，不能重复。", max_length=60),
        Column("统一社会信用代码", "uscc", False, parse_uscc, "缴费单位的18位代码；系统据此匹配用人单位。"),
        Column("单位名称", "name", False, help="缴费单位名称；代码匹配不到时按待匹配保留。", max_length=200),
        Column("所属期", "month", True, parse_month, "如 2025-03 或 2025年3月。"),
        Column("工资总额", "payroll_base", False, parse_money, "计征的全部职工工资总额（元）。"),
        Column("金额", "amount", True, parse_money, "实缴工会经费（元），精确到分。"),
        Column("入库日期", "received_on", True, parse_date),
        Column("备注", "note", False, max_length=200),
    )
    field_headers = {**ReceiptImporter.field_headers, "reference": "电子税票号码", "received_on": "入库日期"}
    notes = (
        "每行一笔税务代收的工会经费（或筹备金）；按统一社会信用代码匹配用人单位，匹配不到的作为“待匹配”保留，"
        "可在“待匹配收入”中指定单位。",
        "有工资总额时，同时登记该单位该月的工资总额申报（应缴 = 工资总额 × 2%）。",
        "同一税票号码已登记且金额、入库日期一致的行不再新增，重复导入同一明细表不会重复记账。",
    )


@register
class DirectReceiptImporter(ReceiptImporter):
    kind = "funds_direct"
    title = "直接拨缴经费收入"
    channel = Channel.DIRECT
    columns = (
        Column("收款工会编码", "org_code", True, parse_code, "收到该笔经费的工会的组织编码。"),
        Column("凭证号", "reference", True, parse_code, "银行回单或收款凭证编号，一笔一号，不能重复。", max_length=60),
        Column("统一社会信用代码", "uscc", False, parse_uscc, "缴款单位的18位代码。"),
        Column("缴款单位", "name", False, max_length=200),
        Column("所属期", "month", False, parse_month, "如 2025-03。"),
        Column("工资总额", "payroll_base", False, parse_money, "元。"),
        Column("金额", "amount", True, parse_money, "元，精确到分。"),
        Column("到账日期", "received_on", True, parse_date),
        Column("备注", "note", False, max_length=200),
    )
    field_headers = {**ReceiptImporter.field_headers, "name": "缴款单位", "received_on": "到账日期"}
    notes = (
        "每行一笔单位直接拨缴的经费；按统一社会信用代码匹配用人单位，匹配不到的作为“待匹配”保留。",
        "同一凭证号已登记且金额、到账日期一致的行不再新增。",
    )


@register
class DuesImporter(Importer):
    kind = "funds_dues"
    title = "会费收缴"
    permission = "funds.change"
    back = "funds:dues"
    upload_union_field = "org_code"
    columns = (
        Column("工会编码", "org_code", True, parse_code, "基层工会的组织编码。"),
        Column("所属期", "month", True, parse_month, "如 2025-03。"),
        Column("缴费会员人数", "members", True, parse_count, "不含保留会籍的会员。"),
        Column("工资基数合计", "wage_base", True, parse_money, "缴费会员计缴会费的工资合计（元）；应缴 = 合计 × 0.5%。"),
        Column("实缴会费", "paid", True, parse_money, "元，精确到分。"),
    )
    field_headers = {"union": "工会编码"}
    notes = ("每行一个基层工会一个月的会费；同一工会同一月份已登记且数字一致的行不再更改，数字不同的行更正原记录。",)

    def row_keys(self, row):
        if row.get("org_code") and row.get("month"):
            yield "org_month", (row.get("org_code"), row.get("month"))

    def check_rows(self, rows) -> None:
        codes = {r.get("org_code") for r in rows if r.get("org_code")}
        qs = Org.objects.filter(code__in=codes)
        if self.actor is not None:
            qs = scope.visible(qs, self.actor, "funds.change", "path")
        self._orgs = {o.code: o for o in qs}
        for row in rows:
            code = row.get("org_code")
            if code and code not in self._orgs:
                row.error("org_code", f"工会编码“{code}”不存在，或不在您的管理范围内。")

    def save_row(self, row) -> str:
        v = row.get
        union = self._orgs[v("org_code")]
        known = DuesRecord.objects.filter(union=union, month=v("month")).first()
        if known and (known.members, known.wage_base, known.paid) == (v("members"), v("wage_base"), v("paid")):
            return UNCHANGED
        services.dues_record(actor=self.actor, union=union, month=v("month"), members=v("members"),
                             wage_base=v("wage_base"), paid=v("paid"))
        return UPDATED if known else CREATED
