"""安康互助保障 / 女职工特殊疾病互助 (DOMAIN §11): plans, enrolment and claims.

A plan (互助保障项目) holds its rules as data: who may enrol (sex, age below the statutory
retirement age, in service), the premium per 份 and the term it buys, the most 份 a person may
hold, the least share of a unit's eligible people a group enrolment must reach, the waiting
(免责) period for a first enrolment and the grace days within which a renewal keeps continuity,
the benefit classes and what each pays per 份, and whether a payout ends the cover.

A term (期) is one enrolment round of a plan. A grass-roots union enrols its members in a batch
(参保批次, one 参保单); each item covers one person from the day after enrolment for the plan's
term. A person holds at most one item per term.

A claim (理赔) belongs to one item. The diagnosis is health data (DOMAIN §13): it is encrypted,
shown in full only to holders of `mutual_aid.view_sensitive` (each view access-logged) and never
written to the audit log. Claims go 登记 → 审核 → 审批 (another person than the reviewer) → 给付,
or 拒付 from either step.

Dated rows keep the union's tree path on their own date (`path`), so flow figures (保费, 人次,
理赔) roll up to where the union stood then; stock figures (参保人数 on a cut-off) follow the
union's placement on the cut-off.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.metrics import percent
from gonghui.orgs.models import NodeTemplate

MONEY = {"max_digits": 12, "decimal_places": 2}


class PlanKind(models.TextChoices):
    WOMEN_DISEASE = "women", "女职工安康互助（特殊疾病）"
    HOSPITAL = "hospital", "职工住院医疗互助"
    CRITICAL = "critical", "特种重病互助"
    COMMERCIAL = "commercial", "团体商业保险"
    OTHER = "other", "其他互助保障"


class Sex(models.IntegerChoices):
    ANY = 0, "不限"
    MALE = 1, "男"
    FEMALE = 2, "女"


class Plan(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="mutual_aid_plans",
                            verbose_name="主办工会")
    code = models.CharField("项目代码", max_length=20, unique=True)
    name = models.CharField("项目名称", max_length=100)
    kind = models.CharField("项目类别", max_length=12, choices=PlanKind.choices, default=PlanKind.WOMEN_DISEASE)
    # Eligibility.
    sex = models.PositiveSmallIntegerField("参保性别", choices=Sex.choices, default=Sex.FEMALE)
    max_age_female = models.PositiveSmallIntegerField("女性参保年龄上限(不含)", default=50)
    max_age_male = models.PositiveSmallIntegerField("男性参保年龄上限(不含)", default=60)
    in_service_only = models.BooleanField("仅限在岗职工", default=True)
    # Premium and term.
    unit_premium = models.DecimalField("每份保费(元)", **MONEY)
    term_months = models.PositiveSmallIntegerField("保障期限(月)", default=12)
    max_units = models.PositiveSmallIntegerField("每人最多份数", default=3)
    min_coverage = models.DecimalField("单位最低参保率(%)", max_digits=5, decimal_places=2, default=Decimal("80"))
    # Waiting period and renewal.
    waiting_days = models.PositiveSmallIntegerField("等待期(天)", default=90)
    condolence_after_days = models.PositiveSmallIntegerField("慰问金起付日(参保后第几天)", default=30)
    condolence_amount = models.DecimalField("等待期内慰问金(元/人)", **MONEY, default=Decimal("0"))
    renewal_grace_days = models.PositiveSmallIntegerField("续保宽限期(天)", default=30)
    payout_ends_cover = models.BooleanField("给付后保障责任终止", default=True)
    active = models.BooleanField("接受参保", default=True)
    note = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "互助保障项目"
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def sum_insured_per_unit(self) -> Decimal:
        """保障金额 per 份: the highest benefit class's amount."""
        amounts = [b.amount_per_unit for b in self.benefits.all()]
        return max(amounts) if amounts else Decimal("0")


class Benefit(models.Model):
    """A benefit class (给付类别) of a plan and what it pays per 份."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="benefits")
    code = models.CharField("类别代码", max_length=10)
    name = models.CharField("给付类别", max_length=100)
    amount_per_unit = models.DecimalField("每份给付金额(元)", **MONEY)

    class Meta:
        verbose_name = "给付类别"
        ordering = ["plan", "code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="mutualaid_benefit_code")]

    def __str__(self):
        return f"{self.name}（{self.amount_per_unit}元/份）"


class Term(models.Model):
    """One enrolment round (期) of a plan: enrolments are accepted from `opens_on` to `closes_on`."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="terms", verbose_name="项目")
    name = models.CharField("期次", max_length=50)
    opens_on = models.DateField("参保开始日期")
    closes_on = models.DateField("参保截止日期")

    class Meta:
        verbose_name = "参保期次"
        ordering = ["-opens_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "name"], name="mutualaid_term_name")]

    def __str__(self):
        return f"{self.plan.name} {self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.plan.org.path


class Batch(models.Model):
    """A union's group enrolment (参保批次) in a term: the 参保单 it stamps."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="batches", verbose_name="期次")
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="mutual_aid_batches",
                              verbose_name="参保单位")
    path = models.CharField(max_length=255)  # the union's path on enrolled_on
    no = models.CharField("参保单号", max_length=40, unique=True)
    enrolled_on = models.DateField("参保日期")
    eligible_count = models.PositiveIntegerField("符合条件人数")
    enrolled_count = models.PositiveIntegerField("参保人数", default=0)
    units_total = models.PositiveIntegerField("参保份数", default=0)
    premium_total = models.DecimalField("保费合计(元)", **MONEY, default=Decimal("0"))
    sum_insured_total = models.DecimalField("保障金额合计(元)", **MONEY, default=Decimal("0"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "参保批次"
        indexes = [
            models.Index(fields=["path", "enrolled_on"], name="mutualaid_batch_path_date"),
            models.Index(fields=["-enrolled_on", "-id"], name="mutualaid_batch_recent"),
        ]

    def __str__(self):
        return f"{self.no} {self.union.name}"

    @property
    def audit_org_path(self) -> str:
        return self.union.path

    @property
    def coverage_rate(self) -> Decimal | None:
        return percent(self.enrolled_count, self.eligible_count, 2)


class ItemStatus(models.TextChoices):
    ACTIVE = "active", "保障中"
    ENDED_PAID = "paid_out", "已给付终止"


class Item(models.Model):
    """One person's cover in a term: from `start_on` to `end_on` (both inclusive), or to
    `ended_on` when a payout ended it. Claims diagnosed on or before `waiting_until` fall in the
    waiting period (none on a renewal)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="items", verbose_name="参保批次")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="mutual_aid_items",
                               verbose_name="参保人")
    path = models.CharField(max_length=255)  # the union's path on enrolled_on
    row_no = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("姓名", max_length=50)
    id_masked = models.CharField("公民身份号码", max_length=18)
    units = models.PositiveSmallIntegerField("份数")
    premium = models.DecimalField("保费(元)", **MONEY)
    sum_insured = models.DecimalField("保障金额(元)", **MONEY)
    enrolled_on = models.DateField("参保日期")
    start_on = models.DateField("保障起始日")
    end_on = models.DateField("保障终止日")
    waiting_until = models.DateField("等待期截止日", null=True, blank=True)
    is_renewal = models.BooleanField("续保", default=False)
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.ACTIVE)
    ended_on = models.DateField("保障提前终止日", null=True, blank=True)

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "参保人员"
        ordering = ["batch", "row_no", "id"]
        constraints = [
            models.UniqueConstraint(fields=["term", "person"], name="mutualaid_item_once_per_term"),
        ]
        indexes = [
            # Flow figures: the subtree's items enrolled in the period.
            models.Index(fields=["path", "enrolled_on"], name="mutualaid_item_path_date"),
            # Stock figures: the items in force on a cut-off, per union.
            models.Index(fields=["union", "start_on", "end_on"], name="mutualaid_item_union_cover"),
            models.Index(fields=["person", "plan", "end_on"], name="mutualaid_item_person_plan"),
        ]

    def __str__(self):
        return f"{self.name} {self.units}份"

    @property
    def audit_org_path(self) -> str:
        return self.union.path

    @property
    def cover_end(self) -> dt.date:
        """The last day covered: the term's end or the payout's."""
        return self.ended_on if self.ended_on is not None else self.end_on

    def in_waiting(self, on: dt.date) -> bool:
        return self.waiting_until is not None and on <= self.waiting_until


def in_force_q(at: dt.date, prefix: str = "") -> Q:
    """Items covering `at`: started, not past their end, not ended by a payout before it."""
    return Q(**{f"{prefix}start_on__lte": at, f"{prefix}end_on__gte": at}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": at}))


class ClaimStatus(models.TextChoices):
    REGISTERED = "registered", "已登记"
    REVIEWED = "reviewed", "已审核"
    APPROVED = "approved", "已审批"
    PAID = "paid", "已给付"
    REJECTED = "rejected", "拒付"


class Treatment(models.TextChoices):
    INPATIENT = "inpatient", "住院治疗"
    SURGERY = "surgery", "手术治疗"
    OUTPATIENT = "outpatient", "门诊治疗"


class Decision(models.TextChoices):
    FULL = "full", "按保障责任给付"
    CONDOLENCE = "condolence", "等待期内，仅给付慰问金"
    NONE = "none", "不予给付"


class Claim(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="claims", verbose_name="参保记录")
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255)  # the union's path on registered_on
    no = models.CharField("理赔编号", max_length=40, unique=True)
    registered_on = models.DateField("登记日期")
    # Health data (DOMAIN §13): the diagnosis and the benefit class it falls in, encrypted.
    diagnosis_cipher = crypto.EncryptedTextField("诊断(密文)")
    benefit_cipher = crypto.EncryptedTextField("给付类别(密文)")
    diagnosed_on = models.DateField("确诊日期")
    hospital = models.CharField("就诊医院", max_length=100)
    treatment = models.CharField("治疗方式", max_length=12, choices=Treatment.choices)
    decision = models.CharField("给付结论", max_length=12, choices=Decision.choices)
    amount = models.DecimalField("核定给付金额(元)", **MONEY)
    status = models.CharField("状态", max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    approved_on = models.DateField("审批日期", null=True, blank=True)
    paid_on = models.DateField("给付日期", null=True, blank=True)
    paid_amount = models.DecimalField("实付金额(元)", **MONEY, null=True, blank=True)
    rejected_on = models.DateField("拒付日期", null=True, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)
    # The payee's bank account (DOMAIN §13: financial data): encrypted, shown masked, a full view logged.
    payee_name = models.CharField("收款人", max_length=50, blank=True)
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    account_cipher = crypto.EncryptedTextField("银行账号(密文)", blank=True)
    account_last4 = models.CharField("银行账号后四位", max_length=4, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "理赔"
        indexes = [
            models.Index(fields=["path", "registered_on"], name="mutualaid_claim_path_reg"),
            models.Index(fields=["path", "paid_on"], name="mutualaid_claim_path_paid"),
            models.Index(fields=["status", "registered_on"], name="mutualaid_claim_status"),
            models.Index(fields=["-registered_on", "-id"], name="mutualaid_claim_recent"),
        ]

    def __str__(self):
        return self.no

    @property
    def audit_org_path(self) -> str:
        return self.union.path

    @property
    def diagnosis(self) -> str:
        """The diagnosis in clear: reading it is an access to log (services.claim_reveal)."""
        return crypto.decrypt(self.diagnosis_cipher)

    @property
    def benefit_name(self) -> str:
        return crypto.decrypt(self.benefit_cipher)

    @property
    def account_masked(self) -> str:
        return f"****{self.account_last4}" if self.account_last4 else ""

    @property
    def account_number(self) -> str:
        """The account in clear: reading it is an access to log (services.claim_account_reveal)."""
        return crypto.decrypt(self.account_cipher) if self.account_cipher else ""


class DocumentKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", "诊断证明"
    PATHOLOGY = "pathology", "病理报告"
    DISCHARGE = "discharge", "出院小结"
    INVOICE = "invoice", "医疗费用发票"
    ID_CARD = "id_card", "身份证复印件"
    BANK_CARD = "bank_card", "银行卡复印件"
    OTHER = "other", "其他材料"


def _document_path(instance, filename: str) -> str:
    """A name of our own under the data dir: the clerk's file name (often the member's name) stays
    in the row, not on the disk."""
    import uuid

    from gonghui.core import clock

    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"mutual_aid/claims/{clock.today():%Y}/{uuid.uuid4().hex}.{suffix}"


class ClaimDocument(models.Model):
    """A claim's supporting paper (诊断证明, 病理报告, 发票, 银行卡 …): health and financial data, so
    downloading one needs mutual_aid.view_sensitive and is access-logged."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents", verbose_name="理赔")
    kind = models.CharField("材料类别", max_length=12, choices=DocumentKind.choices)
    name = models.CharField("文件名", max_length=100)
    file = models.FileField("文件", upload_to=_document_path, max_length=200)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "claim__union__path"

    class Meta:
        verbose_name = "理赔材料"
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.claim.union.path


class FormTemplate(NodeTemplate):
    """A federation's own 参保单 template (a docxtpl .docx): used for the batches of its whole subtree
    instead of the built-in one; the nearest one up the tree wins."""

    class Meta:
        verbose_name = "参保单模板"
