"""Excel exports of the 工会经费 lists (the same filters as the pages)."""

from __future__ import annotations

from gonghui.core import exports

from . import selectors


def _org(self):
    return {"org": self.org} if self.org is not None else {}


@exports.register
class ReceiptList(exports.Exporter):
    key = "funds_receipts"
    title = "工会经费收入明细"
    permission = "funds.view"
    headers = ("凭证号", "收入渠道", "经费类别", "匹配状态", "缴款单位", "统一社会信用代码", "所属期", "工资总额(元)",
               "金额(元)", "入库(到账)日期", "所属工会", "备注")
    text_columns = (0, 5)
    params_help = {"status": "匹配状态：matched 已匹配，pending 待匹配", "channel": "渠道：tax 税务代收，direct 直接拨缴"}

    def queryset(self):
        filters = {k: v for k, v in self.params.items() if k in ("q", "channel", "status", "kind", "received_from",
                                                                 "received_to") and v}
        return selectors.receipts(self.user, **_org(self), **filters)

    def rows(self):
        for r in self.queryset().iterator(chunk_size=2000):
            yield [r.reference, r.get_channel_display(), r.get_kind_display(), r.get_status_display(),
                   r.employer.name if r.employer_id else r.raw_name, r.employer.uscc if r.employer_id else r.raw_uscc,
                   f"{r.month:%Y-%m}" if r.month else "", r.payroll_base, r.amount, r.received_on, r.org.name, r.note]


@exports.register
class DeclarationList(exports.Exporter):
    key = "funds_declarations"
    title = "工会经费应缴实缴明细"
    permission = "funds.view"
    headers = ("用人单位", "统一社会信用代码", "所属期", "职工人数", "工资总额(元)", "应缴(元)", "已缴(元)", "欠缴(元)",
               "经费类别", "所属工会")
    text_columns = (1,)

    def queryset(self):
        filters = {k: v for k, v in self.params.items() if k in ("q", "month_from", "month_to", "arrears") and v}
        return selectors.declarations(self.user, **_org(self), **filters)

    def rows(self):
        for d in self.queryset().iterator(chunk_size=2000):
            yield [d.employer.name, d.employer.uscc or "", f"{d.month:%Y-%m}", d.employees, d.payroll_total, d.due,
                   d.paid, d.arrears, d.get_kind_display(), d.org.name]


@exports.register
class FormalityList(exports.Exporter):
    key = "funds_formalities"
    title = "基层工会返还手续"
    permission = "funds.view"
    headers = ("基层工会", "组织编码", "状态", "开户银行", "账户名称", "银行账号", "法人资格证书编号", "返还协议签订日期",
               "完善日期", "缺少")
    text_columns = (1, 5)

    def rows(self):
        state = self.params.get("state", "")
        for u in selectors.unions(self.user, **_org(self), state=state).iterator(chunk_size=2000):
            f = getattr(u, "fund_formality", None)
            if f is None:
                yield [u.name, u.code, "未完善", "", "", "", "", None, None, "独立银行账户、法人资格证书、返还协议"]
                continue
            yield [u.name, u.code, "已完善" if f.is_complete else "未完善", f.bank_name, f.account_name,
                   f.account_masked, f.certificate_no, f.agreement_on, f.completed_on, "、".join(f.missing)]


@exports.register
class RefundList(exports.Exporter):
    key = "funds_refunds"
    title = "工会经费返还"
    permission = "funds.view"
    headers = ("基层工会", "期间起", "期间止", "返还金额(元)", "状态", "制单日期", "制单人", "审批日期", "审批人", "支付日期",
               "备注")

    def rows(self):
        for r in selectors.refunds(self.user, **_org(self), status=self.params.get("status", "")):
            yield [r.union.name, r.start, r.end, r.amount, r.get_status_display(), r.prepared_on,
                   r.prepared_by.display_name if r.prepared_by else "", r.approved_on,
                   r.approved_by.display_name if r.approved_by else "", r.paid_on, r.note]


@exports.register
class DuesList(exports.Exporter):
    key = "funds_dues"
    title = "会费收缴"
    permission = "funds.view"
    headers = ("工会编码", "基层工会", "所属期", "缴费会员人数", "工资基数合计", "应缴会费", "实缴会费")
    text_columns = (0,)

    def rows(self):
        filters = {k: v for k, v in self.params.items() if k in ("month_from", "month_to") and v}
        for d in selectors.dues(self.user, **_org(self), **filters):
            yield [d.union.code, d.union.name, f"{d.month:%Y-%m}", d.members, d.wage_base, d.due, d.paid]
