"""工资集体协商 and 集体合同 (DOMAIN §3): one `Contract` record carries a negotiation from the
selection of representatives to the published contract, then its term and fulfilment checks.

The status is a state machine (`workflow.CONTRACT_FLOW`); every step's date and due date are
fields, so "which negotiations are late" is one indexed query on `next_due_on`, and figures
as of a date come from the dated fields (signed_on, effective_on, start_on/end_on,
terminated_on), never from the current status alone.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q

from gonghui.orgs.models import Employer, Org


class ContractType(models.TextChoices):
    GENERAL = "general", "综合性集体合同"
    WAGE = "wage", "工资专项集体协议"
    WOMEN = "women", "女职工权益保护专项集体合同"
    SAFETY = "safety", "劳动安全卫生专项集体合同"
    WAGE_MECHANISM = "wage_mechanism", "工资调整机制专项集体合同"
    OTHER = "other", "其他专项集体合同"


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", "单个企业"
    REGIONAL = "regional", "区域性"
    INDUSTRY = "industry", "行业性"


class Status(models.TextChoices):
    REPRESENTATIVES = "representatives", "产生代表"
    OFFERED = "offered", "要约待回应"
    REFUSED = "refused", "对方拒绝协商"
    PREPARING = "preparing", "协商准备"
    NEGOTIATING = "negotiating", "正式协商"
    SUSPENDED = "suspended", "协商中止"
    VOTING = "voting", "待职代会审议"
    PASSED = "passed", "审议通过待签字"
    SIGNED = "signed", "已签字待报送"
    FILED = "filed", "已报送审查"
    EFFECTIVE = "effective", "已生效待公布"
    PUBLISHED = "published", "已公布履行中"
    TERMINATED = "terminated", "已终止"
    ABANDONED = "abandoned", "协商终止"


NEGOTIATING_STATUSES = (Status.REPRESENTATIVES, Status.OFFERED, Status.REFUSED, Status.PREPARING,
                        Status.NEGOTIATING, Status.SUSPENDED, Status.VOTING, Status.PASSED, Status.SIGNED,
                        Status.FILED)


class Side(models.TextChoices):
    WORKERS = "workers", "职工方"
    EMPLOYER = "employer", "企业方"


class Contract(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="contracts", verbose_name="所属工会",
                            help_text="单个企业的合同属于该企业的工会；区域性、行业性合同属于主持协商的工会。")
    contract_type = models.CharField("合同类型", max_length=20, choices=ContractType.choices)
    scope = models.CharField("合同范围", max_length=12, choices=Scope.choices, default=Scope.ENTERPRISE)
    title = models.CharField("合同名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    employer_party = models.CharField("企业方（区域、行业）名称", max_length=200, blank=True)
    worker_party = models.CharField("职工方名称", max_length=200, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals",
                                 verbose_name="续订自")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.REPRESENTATIVES)
    opened_on = models.DateField("启动日期")
    next_due_on = models.DateField("当前步骤期限", null=True, blank=True)
    representatives_published_on = models.DateField("代表名单公布日期", null=True, blank=True)

    # 2 实施要约
    offer_side = models.CharField("要约方", max_length=10, choices=Side.choices, blank=True)
    offered_on = models.DateField("要约日期", null=True, blank=True)
    offer_topics = models.TextField("要约议题", blank=True)
    reply_due_on = models.DateField("回应期限", null=True, blank=True)
    replied_on = models.DateField("回应日期", null=True, blank=True)
    reply_accepted = models.BooleanField("同意协商", null=True)
    reply_note = models.TextField("回应意见", blank=True)

    # 3 协商准备
    recorder = models.CharField("记录员", max_length=50, blank=True)
    prep_topics = models.TextField("协商议题", blank=True)
    prev_revenue = models.DecimalField("上年营业收入（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    prev_profit = models.DecimalField("上年净利润（万元）", max_digits=14, decimal_places=2, null=True, blank=True)
    prev_wage_total = models.DecimalField("上年职工工资总额（万元）", max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    prev_avg_wage = models.DecimalField("上年职工平均工资（元/月）", max_digits=10, decimal_places=2, null=True,
                                        blank=True)
    prepared_on = models.DateField("准备完成日期", null=True, blank=True)

    # 4 正式协商 -> the draft both chiefs signed
    draft_agreed_on = models.DateField("草案达成日期", null=True, blank=True)
    vote_due_on = models.DateField("提交审议期限", null=True, blank=True)

    # 5 审议签字
    signed_on = models.DateField("签字日期", null=True, blank=True)

    # 6 送审公布
    filing_due_on = models.DateField("报送期限", null=True, blank=True)
    filed_on = models.DateField("报送日期", null=True, blank=True)
    department = models.CharField("审查机关", max_length=100, blank=True)
    # The review department's papers (集体合同审查登记表): its 受理 and its 审查意见书, by number and date.
    accepted_no = models.CharField("受理编号", max_length=50, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    review_no = models.CharField("审查意见书编号", max_length=50, blank=True)
    review_on = models.DateField("审查意见书日期", null=True, blank=True)
    objection_on = models.DateField("审查异议日期", null=True, blank=True)
    objection_note = models.TextField("审查意见", blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True,
                                    help_text="报送后审查机关 15 日内未提出异议即生效。")
    publish_due_on = models.DateField("公布期限", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    publish_method = models.CharField("公布方式", max_length=100, blank=True)
    upper_filed_on = models.DateField("上级工会备案日期", null=True, blank=True)

    # Term and key terms
    start_on = models.DateField("期限起", null=True, blank=True)
    end_on = models.DateField("期限止", null=True, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=200, blank=True)
    employees_covered = models.PositiveIntegerField("覆盖职工人数", default=0)
    women_covered = models.PositiveIntegerField("覆盖女职工人数", default=0)
    migrants_covered = models.PositiveIntegerField("覆盖农民工人数", default=0)
    wage_increase_pct = models.DecimalField("工资增长幅度（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    lowest_wage = models.DecimalField("最低工资（元/月）", max_digits=10, decimal_places=2, null=True, blank=True)
    avg_wage = models.DecimalField("平均工资水平（元/月）", max_digits=10, decimal_places=2, null=True, blank=True)
    women_clauses = models.JSONField("女职工条款", default=list, blank=True)
    terms_note = models.TextField("其他主要条款", blank=True)
    attachment = models.FileField("签字文本扫描件", upload_to="bargaining/%Y/", blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "集体合同"
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["org", "status"], name="contract_org_status"),
            # The dates and type the figures test, beside the org (PostgreSQL only): a subtree's
            # contracts are then read by an index-only probe per placed org (issue 14).
            models.Index(fields=["org"], include=["contract_type", "signed_on", "effective_on", "end_on",
                                                  "terminated_on"], name="contract_org_figures"),
            models.Index(fields=["status", "next_due_on"], name="contract_status_due"),
            models.Index(fields=["effective_on", "end_on"], name="contract_in_force"),
            models.Index(fields=["signed_on"], name="contract_signed"),
            # The list's default order, newest first (page and API): without it the first page at
            # city size sorted every visible contract (445 ms).
            models.Index(fields=["-opened_on", "-id"], name="contract_recent"),
        ]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    def in_force_on(self, at: dt.date) -> bool:
        return bool(self.effective_on and self.effective_on <= at and (self.end_on is None or at <= self.end_on)
                    and (self.terminated_on is None or at < self.terminated_on))

    def overdue_on(self, today: dt.date) -> bool:
        return self.next_due_on is not None and self.next_due_on < today


def in_force_q(at: dt.date, prefix: str = "") -> Q:
    """Contracts in force on `at`: effective (filed without objection, or approved) and within
    their term, not terminated before. A contract under review counts from its deemed date."""
    return (Q(**{f"{prefix}effective_on__lte": at})
            & (Q(**{f"{prefix}end_on__isnull": True}) | Q(**{f"{prefix}end_on__gte": at}))
            & (Q(**{f"{prefix}terminated_on__isnull": True}) | Q(**{f"{prefix}terminated_on__gt": at})))


class ContractEmployer(models.Model):
    """An employer bound by the contract: one for an enterprise contract, many for a regional or
    industry one; the headcounts are those at signing (as the 台账 records them)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="parties")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contract_parties",
                                 verbose_name="用人单位")
    employees = models.PositiveIntegerField("职工人数", default=0)
    women = models.PositiveIntegerField("女职工人数", default=0)
    migrants = models.PositiveIntegerField("农民工人数", default=0)

    class Meta:
        verbose_name = "合同覆盖单位"
        constraints = [models.UniqueConstraint(fields=["contract", "employer"], name="contract_employer_once")]
        indexes = [models.Index(fields=["employer", "contract"], name="contract_party_employer")]

    def __str__(self):
        return f"{self.contract_id} → {self.employer_id}"


class Representative(models.Model):
    class Method(models.TextChoices):
        ELECTED = "elected", "选举"
        APPOINTED = "appointed", "委派"
        ENTRUSTED = "entrusted", "委托"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="representatives")
    side = models.CharField("一方", max_length=10, choices=Side.choices)
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100, blank=True)
    is_chief = models.BooleanField("首席代表", default=False)
    is_external = models.BooleanField("外聘代表", default=False)
    method = models.CharField("产生方式", max_length=10, choices=Method.choices, default=Method.ELECTED)

    class Meta:
        verbose_name = "协商代表"
        ordering = ["side", "-is_chief", "pk"]

    def __str__(self):
        return f"{self.get_side_display()} {self.name}"


class Meeting(models.Model):
    class Outcome(models.TextChoices):
        CONTINUE = "continue", "继续协商"
        SUSPENDED = "suspended", "中止"
        AGREED = "agreed", "达成一致"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="meetings")
    round = models.PositiveSmallIntegerField("轮次")
    held_on = models.DateField("日期")
    chair_side = models.CharField("主持方", max_length=10, choices=Side.choices)
    attendees = models.TextField("出席人员")
    minutes = models.TextField("会议记录")
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.CONTINUE)
    next_on = models.DateField("下次协商日期", null=True, blank=True)

    class Meta:
        verbose_name = "协商会议"
        ordering = ["round"]

    def __str__(self):
        return f"第{self.round}次协商 {self.held_on}"


class Vote(models.Model):
    class Body(models.TextChoices):
        CONGRESS = "congress", "职工代表大会"
        ASSEMBLY = "assembly", "全体职工大会"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="votes")
    held_on = models.DateField("审议日期")
    body = models.CharField("审议机构", max_length=10, choices=Body.choices, default=Body.CONGRESS)
    total = models.PositiveIntegerField("应到代表（职工）人数")
    present = models.PositiveIntegerField("实到人数")
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对", default=0)
    abstentions = models.PositiveIntegerField("弃权", default=0)
    passed = models.BooleanField("通过")
    # The 职代会 session (民主管理) the draft was put to, when the congress is on record there: the
    # vote is then that session's agenda item (议案) and its delegates the session's.
    session = models.ForeignKey("democracy.Session", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="contract_votes", verbose_name="职代会会议")

    class Meta:
        verbose_name = "职代会审议"
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.held_on} {self.get_body_display()}"


class Inspection(models.Model):
    """A 履约检查: how many clauses were checked and how many were honoured (已兑现)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="inspections")
    checked_on = models.DateField("检查日期")
    items_checked = models.PositiveIntegerField("检查条款数")
    items_fulfilled = models.PositiveIntegerField("已兑现条款数")
    findings = models.TextField("检查情况", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "履约检查"
        ordering = ["-checked_on", "-pk"]
        indexes = [
            models.Index(fields=["checked_on"], name="inspection_checked"),
            # A subtree's inspections read by contract with the figures' columns (PostgreSQL):
            # an index-only probe per contract instead of a heap visit (issue 14).
            models.Index(fields=["contract", "checked_on"], include=["items_checked", "items_fulfilled"],
                         name="inspection_contract_checked"),
        ]

    def __str__(self):
        return f"履约检查 {self.checked_on}"


class ContractEvent(models.Model):
    """The contract's history: one row per step, with the status it moved from and to."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=40)
    on = models.DateField("日期")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.on} {self.action}"

    @property
    def label(self) -> str:
        from gonghui.core.audit import action_label

        return action_label(f"bargaining.contract.{self.action}")

    @property
    def status_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else ""
