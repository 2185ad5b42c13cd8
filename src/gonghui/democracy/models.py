"""民主管理 (DOMAIN §7): workers' congresses (职代会/职工大会) with their terms, delegates,
sessions, agenda items (议案) and resolutions; delegates' motions (提案) from filing to the
proposer's feedback; 厂务公开 and 会务公开 disclosures with the opinions raised on them.

Every dated row carries the union (`org`) whose tree position the figures use on the cut-off
(orgs.selectors.placed_in), with an index that starts with the org and the date, so a union
moved between townships counts where it stood then.
"""

from __future__ import annotations

from django.db import models

from gonghui.orgs.models import Employer, Org


class Kind(models.TextChoices):
    CONGRESS = "congress", "职工代表大会"
    ASSEMBLY = "assembly", "职工大会"


class Scope(models.TextChoices):
    ENTERPRISE = "enterprise", "单个企业"
    REGIONAL = "regional", "区域性"
    INDUSTRY = "industry", "行业性"


class Congress(models.Model):
    """One 职代会 (or 职工大会) system: an employer's, or a regional/sectoral one run by a
    township, street or park union for the employers it covers (CongressEmployer)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="congresses", verbose_name="工作机构（工会）")
    kind = models.CharField("形式", max_length=10, choices=Kind.choices, default=Kind.CONGRESS)
    scope = models.CharField("范围", max_length=12, choices=Scope.choices, default=Scope.ENTERPRISE)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="congresses",
                                 verbose_name="用人单位")
    name = models.CharField("名称", max_length=200)
    established_on = models.DateField("建立日期")
    ended_on = models.DateField("撤销日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "职工代表大会"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["org", "established_on"], name="congress_org_established"),
                   models.Index(fields=["employer", "established_on"], name="congress_employer")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class CongressEmployer(models.Model):
    """An employer covered by a regional or sectoral congress."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="covered")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="regional_congresses",
                                 verbose_name="覆盖单位")

    class Meta:
        verbose_name = "区域（行业）职代会覆盖单位"
        constraints = [models.UniqueConstraint(fields=["congress", "employer"], name="congress_employer_once")]
        indexes = [models.Index(fields=["employer", "congress"], name="congress_covered_employer")]

    def __str__(self):
        return f"{self.congress_id} → {self.employer_id}"


class ListStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    CONFIRMED = "confirmed", "已确认"


class Term(models.Model):
    """A 届 of the congress (aligned with the union's term), with the headcount its delegate
    quota and composition are checked against."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField("届次")
    started_on = models.DateField("本届起始日期")
    ends_on = models.DateField("届满日期")
    staff = models.PositiveIntegerField("职工人数")
    women_staff = models.PositiveIntegerField("女职工人数", default=0)
    list_status = models.CharField("代表名单状态", max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    violations = models.JSONField("未通过的规则", default=list, blank=True)

    class Meta:
        verbose_name = "职代会届次"
        ordering = ["congress", "-number"]
        constraints = [models.UniqueConstraint(fields=["congress", "number"], name="congress_term_once")]
        indexes = [models.Index(fields=["congress", "started_on", "ends_on"], name="term_congress_dates")]

    def __str__(self):
        return f"第{self.number}届"

    @property
    def audit_org_path(self) -> str:
        return self.congress.org.path


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Delegate(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    constituency = models.CharField("选区（车间、科室、班组）", max_length=100)
    is_manager = models.BooleanField("中高级管理人员", default=False)
    is_frontline = models.BooleanField("一线职工", default=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="所在单位")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "职工代表"
        ordering = ["constituency", "pk"]
        indexes = [models.Index(fields=["term", "gender"], name="delegate_term_gender")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.term.congress.org.path


class SessionKind(models.TextChoices):
    REGULAR = "regular", "定期会议"
    EXTRAORDINARY = "extraordinary", "临时会议"


class Session(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="sessions")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions", verbose_name="届次")
    number = models.PositiveSmallIntegerField("会次")
    kind = models.CharField("会议类型", max_length=14, choices=SessionKind.choices, default=SessionKind.REGULAR)
    held_on = models.DateField("召开日期")
    delegates_total = models.PositiveIntegerField("应到代表")
    delegates_present = models.PositiveIntegerField("实到代表")
    note = models.TextField("会议议程", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "职代会会议"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["org", "held_on"], name="session_org_held")]

    def __str__(self):
        return f"{self.term}第{self.number}次会议（{self.held_on}）"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def has_quorum(self) -> bool:
        from . import conf

        num, den = conf.get("QUORUM")
        return self.delegates_present * den >= self.delegates_total * num


class Motion(models.Model):
    """An agenda item (议案) put to the vote: passed with more than half of ALL delegates."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="motions")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    held_on = models.DateField("表决日期")
    title = models.CharField("议案", max_length=200)
    secret_ballot = models.BooleanField("无记名投票", default=False)
    votes_for = models.PositiveIntegerField("赞成")
    votes_against = models.PositiveIntegerField("反对", default=0)
    abstentions = models.PositiveIntegerField("弃权", default=0)
    passed = models.BooleanField("通过")

    class Meta:
        verbose_name = "议案"
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["org", "held_on"], name="motion_org_held")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class Resolution(models.Model):
    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="resolutions")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="resolutions",
                                verbose_name="会议")
    adopted_on = models.DateField("通过日期")
    title = models.CharField("决议", max_length=200)
    written = models.BooleanField("书面决议（闭会期间）", default=False)

    class Meta:
        verbose_name = "决议"
        ordering = ["-adopted_on", "-pk"]
        indexes = [models.Index(fields=["org", "adopted_on"], name="resolution_org_adopted")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class Category(models.TextChoices):
    PAY = "pay", "工资福利"
    SAFETY = "safety", "安全生产与劳动保护"
    MANAGEMENT = "management", "生产经营管理"
    TRAINING = "training", "教育培训"
    LIFE = "life", "生活后勤"
    DEMOCRACY = "democracy", "民主管理"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    FILED = "filed", "待审查"
    ACCEPTED = "accepted", "已立案待交办"
    REJECTED = "rejected", "不立案（转为意见建议）"
    ASSIGNED = "assigned", "办理中"
    ANSWERED = "answered", "已答复待反馈"
    CLOSED = "closed", "已反馈"


class ResultCode(models.TextChoices):
    A = "A", "A 已解决或基本解决"
    B = "B", "B 正在解决或列入规划"
    C = "C", "C 因条件限制以后解决"
    D = "D", "D 留作参考"


class Feedback(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Proposal(models.Model):
    """A delegate's motion (提案), DOMAIN §7.2."""

    congress = models.ForeignKey(Congress, on_delete=models.PROTECT, related_name="proposals", verbose_name="职代会")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals",
                                verbose_name="会议")
    number = models.CharField("提案编号", max_length=30)
    title = models.CharField("案由", max_length=200)
    content = models.TextField("理由和建议")
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    proposer = models.ForeignKey(Delegate, on_delete=models.PROTECT, related_name="proposals", verbose_name="提案人")
    cosigners = models.ManyToManyField(Delegate, related_name="cosigned", blank=True, verbose_name="附议人")
    filed_on = models.DateField("提出日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.FILED)
    decided_on = models.DateField("审查日期", null=True, blank=True)
    reject_reason = models.CharField("不立案理由", max_length=500, blank=True)
    lead_dept = models.CharField("主办部门", max_length=100, blank=True)
    assist_depts = models.CharField("会办部门", max_length=200, blank=True)
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    due_on = models.DateField("答复期限", null=True, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer = models.TextField("答复意见", blank=True)
    result_code = models.CharField("办理结果", max_length=1, choices=ResultCode.choices, blank=True)
    feedback = models.CharField("提案人意见", max_length=12, choices=Feedback.choices, blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    feedback_note = models.CharField("反馈说明", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "提案"
        ordering = ["-filed_on", "-pk"]
        indexes = [
            models.Index(fields=["org", "filed_on"], name="proposal_org_filed"),
            models.Index(fields=["org", "answered_on"], name="proposal_org_answered"),
            models.Index(fields=["org", "feedback_on"], name="proposal_org_feedback"),
            models.Index(fields=["status", "due_on"], name="proposal_status_due"),
            models.Index(fields=["filed_on", "id"], name="proposal_filed_id"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class ProposalEvent(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=20)
    on = models.DateField("日期")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
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

        return action_label(f"democracy.proposal.{self.action}")

    @property
    def status_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else ""


class DisclosureKind(models.TextChoices):
    WORKPLACE = "workplace", "厂务公开"
    UNION = "union", "会务公开"


class Form(models.TextChoices):
    CONGRESS_REPORT = "congress_report", "职代会报告"
    BOARD = "board", "公开栏"
    INTRANET = "intranet", "内网"
    MEETING = "meeting", "会议"


class ItemCategory(models.TextChoices):
    OPERATIONS = "operations", "发展规划与生产经营"
    DECISIONS = "decisions", "涉及职工切身利益的方案和决定"
    RULES = "rules", "规章制度及执行"
    CONTRACTS = "contracts", "劳动合同、集体合同和工资协议签订履行"
    MAJOR = "major", "重大决策、投资与资产变动"
    EVALUATION = "evaluation", "民主评议与考核"
    HOSPITALITY = "hospitality", "业务招待费"
    UNION_FUNDS = "union_funds", "工会经费收支"
    OTHER = "other", "其他"


class DisclosureSystem(models.Model):
    """An employer's 厂务公开 system (制度), from the day it was set up."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="disclosure_systems",
                                 verbose_name="用人单位")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    established_on = models.DateField("建立日期")
    ended_on = models.DateField("停止日期", null=True, blank=True)
    leader = models.CharField("第一责任人", max_length=50, blank=True)

    class Meta:
        verbose_name = "厂务公开制度"
        indexes = [models.Index(fields=["employer", "established_on"], name="disclosure_system_employer")]

    def __str__(self):
        return f"厂务公开制度（{self.established_on}）"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class Disclosure(models.Model):
    """One issue (期) of 厂务公开 or 会务公开 in one form, with its items by category."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name="用人单位")
    kind = models.CharField("类别", max_length=10, choices=DisclosureKind.choices)
    form = models.CharField("公开形式", max_length=16, choices=Form.choices)
    issue_no = models.PositiveIntegerField("期号")
    disclosed_on = models.DateField("公开日期")
    title = models.CharField("标题", max_length=200)
    item_count = models.PositiveIntegerField("公开项目数", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公开记录"
        ordering = ["-disclosed_on", "-pk"]
        indexes = [models.Index(fields=["org", "disclosed_on"], include=["kind", "form", "item_count"],
                                name="disclosure_org_date")]

    def __str__(self):
        return f"{self.get_kind_display()}第{self.issue_no}期 {self.title}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class DisclosureItem(models.Model):
    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="items")
    category = models.CharField("公开内容类别", max_length=12, choices=ItemCategory.choices)
    title = models.CharField("公开事项", max_length=200)

    class Meta:
        verbose_name = "公开事项"
        ordering = ["pk"]

    def __str__(self):
        return self.title


class Opinion(models.Model):
    """An opinion a delegate or the union raised on a disclosure, answered within 30 days."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="opinions")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    raised_on = models.DateField("提出日期")
    raised_by = models.CharField("提出人", max_length=100)
    content = models.TextField("意见内容")
    due_on = models.DateField("答复期限")
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer = models.TextField("答复", blank=True)

    class Meta:
        verbose_name = "公开意见"
        ordering = ["raised_on", "pk"]
        indexes = [models.Index(fields=["answered_on", "due_on"], name="opinion_open_due")]

    def __str__(self):
        return f"{self.raised_by}（{self.raised_on}）"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class BoardSeat(models.TextChoices):
    DIRECTOR = "director", "职工董事"
    SUPERVISOR = "supervisor", "职工监事"


class BoardMember(models.Model):
    """A 职工董事 or 职工监事 elected by the congress (DOMAIN §7.1)."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="board_members")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="选举会议")
    seat = models.CharField("职务", max_length=10, choices=BoardSeat.choices)
    name = models.CharField("姓名", max_length=50)
    elected_on = models.DateField("当选日期")
    ends_on = models.DateField("任期届满或离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "职工董事、职工监事"
        ordering = ["seat", "-elected_on", "pk"]
        indexes = [models.Index(fields=["org", "elected_on"], name="board_member_org_elected")]

    def __str__(self):
        return f"{self.get_seat_display()} {self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class EvalLevel(models.TextChoices):
    LEADER = "leader", "领导班子成员"
    CADRE = "cadre", "中层管理人员"


class Evaluation(models.Model):
    """民主评议 of one manager at a session: the delegates' votes per grade. The results are shown
    only to holders of democracy.view_sensitive, and each full view is access-logged."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name="会议")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="工会")
    held_on = models.DateField("评议日期")
    name = models.CharField("被评议人", max_length=50)
    position = models.CharField("职务", max_length=100)
    level = models.CharField("层级", max_length=10, choices=EvalLevel.choices)
    excellent = models.PositiveIntegerField("优秀", default=0)
    competent = models.PositiveIntegerField("称职", default=0)
    basic = models.PositiveIntegerField("基本称职", default=0)
    incompetent = models.PositiveIntegerField("不称职", default=0)

    class Meta:
        verbose_name = "民主评议"
        ordering = ["level", "pk"]
        indexes = [models.Index(fields=["org", "held_on"], name="evaluation_org_held")]

    def __str__(self):
        return f"{self.name}（{self.position}）"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def votes(self) -> int:
        return self.excellent + self.competent + self.basic + self.incompetent

    @property
    def approval_pct(self):
        """优秀 + 称职 as a share of the votes, in % (None without votes)."""
        from gonghui.core.metrics import percent

        return percent(self.excellent + self.competent, self.votes)
