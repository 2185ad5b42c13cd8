"""工会经费 (DOMAIN §6): what employers owe, what was received, how it is split, and refunds.

- `Declaration`: one employer's payroll for one month (工资总额, 全部职工) and the 2 % it owes
  (拨缴经费, or 工会筹备金 when it had no union that month), with what has been paid against it
  (kept by the receipt services, so arrears are one pass over declarations).
- `Receipt`: money received, via the tax bureau (税务代收) or paid directly (直接拨缴), under a
  unique reference; matched to an employer by USCC, or kept 待匹配 with the USCC and name as given.
- `SplitShare`: the split table (分成比例) per level, in force from a date; `ReceiptSplit` the
  shares of one receipt, always summing to it to the cent (the remainder to the declared level).
- `RefundFormality`: a grass-roots union's 返还手续 (independent bank account, encrypted; legal-person
  certificate; refund agreement), 已完善 when all three are in.
- `Refund`: the union's 60 % share returned for a period: prepared, approved by another user, paid.

Dated rows carry the tree position of the org they count under on their own date (`org_path`):
the employer's union on that date, or the employer's territorial federation when it had none.
"""

from __future__ import annotations

from django.db import models

from gonghui.core import crypto
from gonghui.core.money import format_money
from gonghui.orgs.models import NodeTemplate

MONEY = {"max_digits": 14, "decimal_places": 2}


class FundKind(models.TextChoices):
    ALLOCATION = "allocation", "拨缴经费"
    PREPARATION = "preparation", "工会筹备金"


class Channel(models.TextChoices):
    TAX = "tax", "税务代收"
    DIRECT = "direct", "直接拨缴"


class MatchStatus(models.TextChoices):
    MATCHED = "matched", "已匹配"
    PENDING = "pending", "待匹配"


class Level(models.TextChoices):
    GRASSROOTS = "grassroots", "基层工会"
    TOWNSHIP = "township", "乡镇(街道)工会"
    COUNTY = "county", "县(区)总工会"
    CITY = "city", "市总工会"
    PROVINCE = "province", "省总工会"
    NATIONAL = "national", "全国总工会"


class RefundStatus(models.TextChoices):
    PREPARED = "prepared", "待审批"
    APPROVED = "approved", "已审批"
    PAID = "paid", "已支付"
    REFUSED = "refused", "已退回"


class Declaration(models.Model):
    employer = models.ForeignKey("orgs.Employer", on_delete=models.PROTECT, related_name="fund_declarations",
                                 verbose_name="用人单位")
    month = models.DateField("所属期")  # the first day of the month
    employees = models.PositiveIntegerField("职工人数", null=True, blank=True)
    payroll_total = models.DecimalField("工资总额(元)", **MONEY)
    due = models.DecimalField("应缴金额(元)", **MONEY)
    paid = models.DecimalField("已缴金额(元)", default=0, **MONEY)
    kind = models.CharField("经费类别", max_length=12, choices=FundKind.choices, default=FundKind.ALLOCATION)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属工会")
    org_path = models.CharField(max_length=255)  # the org's path on `month`
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "工资总额申报"
        constraints = [models.UniqueConstraint(fields=["employer", "month"], name="funds_declaration_once")]
        indexes = [models.Index(fields=["org_path", "month"], name="funds_decl_path_month"),
                   models.Index(fields=["org", "month"], name="funds_decl_org_month")]

    def __str__(self):
        return f"{self.employer.name} {self.month:%Y-%m} 应缴{format_money(self.due)}"

    @property
    def audit_org_path(self) -> str:
        return self.org_path

    @property
    def arrears(self):
        return max(self.due - self.paid, 0)


class Receipt(models.Model):
    reference = models.CharField("凭证号", max_length=60, unique=True)
    channel = models.CharField("收入渠道", max_length=8, choices=Channel.choices)
    kind = models.CharField("经费类别", max_length=12, choices=FundKind.choices, default=FundKind.ALLOCATION)
    status = models.CharField("匹配状态", max_length=8, choices=MatchStatus.choices, default=MatchStatus.MATCHED)
    employer = models.ForeignKey("orgs.Employer", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="fund_receipts", verbose_name="缴款单位")
    raw_uscc = models.CharField("统一社会信用代码(原文)", max_length=30, blank=True)
    raw_name = models.CharField("单位名称(原文)", max_length=200, blank=True)
    month = models.DateField("所属期", null=True, blank=True)
    payroll_base = models.DecimalField("计征工资总额(元)", null=True, blank=True, **MONEY)
    amount = models.DecimalField("金额(元)", **MONEY)
    received_on = models.DateField("入库(到账)日期")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="所属工会")
    org_path = models.CharField(max_length=255)  # the org's path on `received_on`
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "经费收入"
        indexes = [models.Index(fields=["org_path", "received_on"], name="funds_receipt_path_date"),
                   models.Index(fields=["org", "received_on"], name="funds_receipt_org_date"),
                   models.Index(fields=["status", "org_path"], name="funds_receipt_status_path"),
                   models.Index(fields=["employer", "month"], name="funds_receipt_employer_month"),
                   # 经费总额/月均 read a period's partial first or last month from the receipts: at
                   # a city's root the path index above spans every receipt, this one only those days.
                   models.Index(fields=["received_on", "org_path"], name="funds_receipt_date_path")]

    def __str__(self):
        who = self.employer.name if self.employer_id else (self.raw_name or self.raw_uscc)
        return f"{self.reference} {who} {format_money(self.amount)}"

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class SplitShare(models.Model):
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    percent = models.DecimalField("比例(%)", max_digits=6, decimal_places=3)
    valid_from = models.DateField("起始日期")
    takes_remainder = models.BooleanField("承担尾差", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "经费分成比例"
        constraints = [models.UniqueConstraint(fields=["valid_from", "level"], name="funds_share_once")]
        ordering = ["-valid_from", "level"]

    def __str__(self):
        return f"{self.get_level_display()} {self.percent}%（{self.valid_from}起）"


class ReceiptSplit(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="splits")
    level = models.CharField("层级", max_length=12, choices=Level.choices)
    percent = models.DecimalField("比例(%)", max_digits=6, decimal_places=3)
    amount = models.DecimalField("分成金额(元)", **MONEY)

    class Meta:
        verbose_name = "经费分成"

    def __str__(self):
        return f"{self.get_level_display()} {format_money(self.amount)}"


class RefundFormality(models.Model):
    union = models.OneToOneField("orgs.Org", on_delete=models.PROTECT, related_name="fund_formality",
                                 verbose_name="基层工会")
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    account_name = models.CharField("账户名称", max_length=200, blank=True)
    account_cipher = crypto.EncryptedTextField(blank=True)
    account_last4 = models.CharField(max_length=4, blank=True)
    certificate_no = models.CharField("法人资格证书编号", max_length=60, blank=True)
    agreement_on = models.DateField("返还协议签订日期", null=True, blank=True)
    completed_on = models.DateField("完善日期", null=True, blank=True)  # None: 未完善
    updated_at = models.DateTimeField(auto_now=True)

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "返还手续"

    def __str__(self):
        return f"{self.union.name} 返还手续"

    @property
    def audit_org_path(self) -> str:
        return self.union.path

    @property
    def account_number(self) -> str:
        return crypto.decrypt(self.account_cipher) if self.account_cipher else ""

    @property
    def account_masked(self) -> str:
        return f"****{self.account_last4}" if self.account_last4 else ""

    @property
    def is_complete(self) -> bool:
        return self.completed_on is not None

    @property
    def missing(self) -> list[str]:
        out = []
        if not self.account_cipher:
            out.append("独立银行账户")
        if not self.certificate_no:
            out.append("法人资格证书")
        if not self.agreement_on:
            out.append("返还协议")
        return out


class Refund(models.Model):
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="fund_refunds", verbose_name="基层工会")
    start = models.DateField("期间起")
    end = models.DateField("期间止")
    amount = models.DecimalField("返还金额(元)", **MONEY)
    status = models.CharField("状态", max_length=10, choices=RefundStatus.choices, default=RefundStatus.PREPARED)
    prepared_on = models.DateField("制单日期")
    prepared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="制单人")
    approved_on = models.DateField("审批日期", null=True, blank=True)
    approved_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name="审批人")
    paid_on = models.DateField("支付日期", null=True, blank=True)
    org_path = models.CharField(max_length=255)  # the union's path on `prepared_on`
    note = models.CharField("备注", max_length=200, blank=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "经费返还"
        indexes = [models.Index(fields=["org_path", "prepared_on"], name="funds_refund_path_date"),
                   models.Index(fields=["union", "start"], name="funds_refund_union_start")]

    def __str__(self):
        return f"{self.union.name} {self.start:%Y-%m}至{self.end:%Y-%m} 返还{format_money(self.amount)}"

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class DuesRecord(models.Model):
    """A grass-roots union's 会费 for one month: 0.5 % of its paying members' wages (members with
    保留会籍 pay none and are not counted), and what was collected."""

    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="fund_dues", verbose_name="基层工会")
    month = models.DateField("所属期")
    members = models.PositiveIntegerField("缴费会员人数")
    wage_base = models.DecimalField("工资基数合计(元)", **MONEY)
    due = models.DecimalField("应缴会费(元)", **MONEY)
    paid = models.DecimalField("实缴会费(元)", **MONEY)
    org_path = models.CharField(max_length=255)  # the union's path on `month`
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "会费收缴"
        constraints = [models.UniqueConstraint(fields=["union", "month"], name="funds_dues_once")]
        indexes = [models.Index(fields=["org_path", "month"], name="funds_dues_path_month")]

    def __str__(self):
        return f"{self.union.name} {self.month:%Y-%m} 会费{format_money(self.paid)}"

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class ReviewKind(models.TextChoices):
    REVIEW = "review", "经费收支审查"
    TERM_AUDIT = "term_audit", "任期经济责任审计"
    SPECIAL = "special", "专项审计"


class FundReview(models.Model):
    """经费审查 (DOMAIN §6.3): the 经费审查委员会's review of a union's income and expenditure for a
    period, the higher union's audit of it, or the 任期经济责任审计 when its chair leaves office;
    with the findings to rectify (`ReviewFinding`)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="fund_reviews", verbose_name="被审查工会")
    kind = models.CharField("审查类别", max_length=12, choices=ReviewKind.choices, default=ReviewKind.REVIEW)
    period_start = models.DateField("审查期间起")
    period_end = models.DateField("审查期间止")
    reviewed_on = models.DateField("审查日期")
    auditor = models.CharField("审查组织", max_length=100)
    chair_name = models.CharField("离任主席", max_length=50, blank=True)
    conclusion = models.TextField("审查结论", blank=True)
    reported_on = models.DateField("向会员(代表)大会报告日期", null=True, blank=True)
    org_path = models.CharField(max_length=255)  # the org's path on `reviewed_on`
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="登记人")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "经费审查"
        indexes = [models.Index(fields=["org_path", "reviewed_on"], name="funds_review_path_date"),
                   models.Index(fields=["org", "reviewed_on"], name="funds_review_org_date")]

    def __str__(self):
        return f"{self.org.name} {self.get_kind_display()}（{self.period_start:%Y-%m}至{self.period_end:%Y-%m}）"

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class ReviewFinding(models.Model):
    """A problem a review found, its rectification due date and how and when it was rectified.
    Stored with the review's path and date so the figures filter on its own columns."""

    review = models.ForeignKey(FundReview, on_delete=models.CASCADE, related_name="findings", verbose_name="经费审查")
    description = models.CharField("发现问题", max_length=300)
    amount = models.DecimalField("涉及金额(元)", null=True, blank=True, **MONEY)
    due_on = models.DateField("整改期限")
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification = models.CharField("整改情况", max_length=300, blank=True)
    reviewed_on = models.DateField("审查日期")  # the review's, for the figures
    org_path = models.CharField(max_length=255)  # the review's

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "审查发现问题"
        indexes = [models.Index(fields=["org_path", "due_on"], name="funds_finding_path_due"),
                   models.Index(fields=["org_path", "reviewed_on"], name="funds_finding_path_date")]

    def __str__(self):
        return f"{self.description[:40]}（整改期限{self.due_on}）"

    @property
    def audit_org_path(self) -> str:
        return self.org_path

    @property
    def on_time(self) -> bool:
        return self.rectified_on is not None and self.rectified_on <= self.due_on

    @property
    def state(self) -> str:
        if self.rectified_on is None:
            return "未整改"
        return "按期整改" if self.on_time else "逾期整改"


class MonthlyTotal(models.Model):
    """The money figures' summary (DOMAIN §6.4): per tree position (`org_path`, as stored on the
    rows) and calendar month, the declarations of that 所属期 (应缴, 已缴, 欠缴, their 筹备金 part)
    and the receipts whose 入库(到账)日期 falls in that month (经费总额, 待匹配 included).

    Kept by `totals.refresh` in the transaction of every service that writes or moves receipts and
    declarations, so it always equals what the detail rows add up to (tests/funds/test_totals.py);
    收缴率, 应缴/实缴/欠缴 and 经费总额/月均 read it instead of millions of detail rows."""

    org_path = models.CharField(max_length=255)
    month = models.DateField("月份")  # the first day of the month
    due = models.DecimalField("应缴金额(元)", default=0, **MONEY)
    paid = models.DecimalField("已缴金额(元)", default=0, **MONEY)
    arrears = models.DecimalField("欠缴金额(元)", default=0, **MONEY)
    preparation_due = models.DecimalField("应缴筹备金(元)", default=0, **MONEY)
    preparation_paid = models.DecimalField("实缴筹备金(元)", default=0, **MONEY)
    received = models.DecimalField("收到经费(元)", default=0, **MONEY)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "经费月度汇总"
        constraints = [models.UniqueConstraint(fields=["org_path", "month"], name="funds_monthly_once")]

    def __str__(self):
        return f"{self.org_path} {self.month:%Y-%m} 应缴{format_money(self.due)}"


class LetterTemplate(NodeTemplate):
    """A federation's own 工会经费催缴通知书 template (a docxtpl .docx): used for the letters to the
    employers of its whole subtree instead of the built-in one; the nearest one up the tree wins."""

    class Meta:
        verbose_name = "催缴通知书模板"
