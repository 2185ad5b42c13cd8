"""Target-management appraisal (目标管理考核) and data-collection rounds (填报任务), DOMAIN §10.

An appraisal `Scheme` is issued by a federation for a year and a type of subordinate; its
`Indicator`s form a tree whose rules are scored by `scoring`. Each subordinate has one
`Appraisal` holding its `Entry` per indicator (self-score, evidence, review score). A `Round`
sends a form to subordinates; each has one `Submission`.
"""

from django.conf import settings
from django.db import models

from gonghui.orgs.models import FEDERATION_TYPES, GRASSROOTS_TYPES, OrgType

from . import scoring


class TargetKind(models.TextChoices):
    """Which direct subordinates of the issuer a scheme appraises."""

    TOWNSHIP = "township", "乡镇(街道)工会"
    FEDERATION = "federation", "下级联合会、总工会和工委"
    GRASSROOTS = "grassroots", "基层工会"
    ALL = "all", "全部直属下级"


KIND_TYPES = {
    TargetKind.TOWNSHIP: (OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN),
    TargetKind.FEDERATION: FEDERATION_TYPES,
    TargetKind.GRASSROOTS: GRASSROOTS_TYPES,
    TargetKind.ALL: tuple(OrgType.values),
}


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", "编制中"
    ISSUED = "issued", "已下达"
    PUBLISHED = "published", "已公布结果"
    SUPERSEDED = "superseded", "已被新版本替代"


class Scheme(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发布单位")
    org_path = models.CharField("单位路径", max_length=255)
    year = models.PositiveSmallIntegerField("考核年度")
    title = models.CharField("方案名称", max_length=200)
    target_type = models.CharField("考核对象", max_length=20, choices=TargetKind.choices)
    total_score = models.DecimalField("总分", max_digits=7, decimal_places=2)
    # [[name, minimum total], ...] from the best grade down (scoring.clean_grades).
    grades = models.JSONField("等次", default=list)
    tie_break = models.CharField("同分时比较的指标", max_length=40, blank=True)
    status = models.CharField("状态", max_length=12, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT)
    issued_on = models.DateField("下达日期", null=True, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    # A scheme changed after it was issued is a new version: a draft copy that replaces this one
    # (its appraisals, self-scores and evidence carried over) when it is issued in turn.
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="上一版本")

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "考核方案"
        indexes = [models.Index(fields=["org_path", "year"], name="appraisal_scheme_path_year")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class Indicator(models.Model):
    RULES = list(scoring.RULE_LABELS.items())

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators", verbose_name="考核方案")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name="上级指标")
    code = models.CharField("指标编号", max_length=40)
    name = models.CharField("指标名称", max_length=200)
    max_score = models.DecimalField("分值", max_digits=7, decimal_places=2)
    rule_type = models.CharField("计分方式", max_length=20, choices=RULES)
    params = models.JSONField("计分参数", default=dict, blank=True)
    metric_code = models.CharField("取数指标", max_length=100, blank=True)
    position = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考核指标"
        ordering = ["scheme", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="appraisal_indicator_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.scheme.org_path

    def node(self) -> scoring.Node:
        return scoring.Node(self.code, self.name, self.max_score, self.rule_type, self.params,
                            self.parent.code if self.parent_id else "")


class AppraisalStatus(models.TextChoices):
    OPEN = "open", "自评中"
    SUBMITTED = "submitted", "已提交自评"
    REVIEWED = "reviewed", "已审核"
    PUBLISHED = "published", "已公布"


class Appraisal(models.Model):
    """One subordinate under one scheme; totals, grade and rank are set when results are published."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="appraisals", verbose_name="考核方案")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="被考核单位")
    org_path = models.CharField("单位路径", max_length=255)
    status = models.CharField("状态", max_length=12, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等次", max_length=20, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    vetoed = models.CharField("否决事项", max_length=200, blank=True)
    submitted_on = models.DateField("自评提交日期", null=True, blank=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "单位考核"
        constraints = [models.UniqueConstraint(fields=["scheme", "org"], name="appraisal_scheme_org")]
        indexes = [models.Index(fields=["org_path", "scheme"], name="appraisal_path_scheme")]

    def __str__(self):
        return f"{self.org} {self.scheme}"

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class Entry(models.Model):
    """An indicator's facts and scores for one subordinate: the value taken (registry or counted),
    the self-score with its evidence, the review score and why it differs."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="entries", verbose_name="单位考核")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+", verbose_name="考核指标")
    value = models.DecimalField("实际值", max_digits=16, decimal_places=2, null=True, blank=True)
    self_score = models.DecimalField("自评分", max_digits=7, decimal_places=2, null=True, blank=True)
    evidence = models.TextField("佐证材料说明", blank=True)
    review_score = models.DecimalField("考核分", max_digits=7, decimal_places=2, null=True, blank=True)
    reason = models.CharField("调整理由", max_length=300, blank=True)
    final_score = models.DecimalField("最终得分", max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "考核得分"
        constraints = [models.UniqueConstraint(fields=["appraisal", "indicator"], name="appraisal_entry_unique")]

    def __str__(self):
        return f"{self.appraisal} {self.indicator}"

    @property
    def audit_org_path(self) -> str:
        return self.appraisal.org_path


# ---------------------------------------------------------------- data-collection rounds

class FieldKind(models.TextChoices):
    NUMBER = "number", "数字"
    TEXT = "text", "文字"
    CHOICE = "choice", "单选"
    DATE = "date", "日期"
    FILE = "file", "文件"


class Recurrence(models.TextChoices):
    """How often a round is sent again by itself (the next period's round, made by the daily
    `gonghui remind` run once that period has begun)."""

    NONE = "", "不自动下发"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    YEARLY = "yearly", "每年"


class RoundStatus(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已截止"


class Round(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="发起单位")
    org_path = models.CharField("单位路径", max_length=255)
    title = models.CharField("填报任务", max_length=200)
    instructions = models.TextField("填报说明", blank=True)
    # [{"key", "label", "kind", "required", "choices": [...], "min", "max", "metric"}, ...]
    fields = models.JSONField("表单字段", default=list)
    period_start = models.DateField("统计期间开始")
    period_end = models.DateField("统计期间截止")
    deadline = models.DateField("截止日期")
    status = models.CharField("状态", max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    sent_on = models.DateField("下发日期")
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name="复制自")
    recurrence = models.CharField("自动下发", max_length=12, choices=Recurrence.choices, blank=True, default="")

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "填报任务"
        indexes = [models.Index(fields=["org_path", "deadline"], name="appraisal_round_path_deadline")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "未填报"
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已采用"


NOT_REPORTED = (SubmissionStatus.PENDING, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Submission(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="submissions", verbose_name="填报任务")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="填报单位")
    org_path = models.CharField("单位路径", max_length=255)
    status = models.CharField("状态", max_length=12, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.PENDING)
    data = models.JSONField("填报内容", default=dict, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="提交人")
    reason = models.CharField("退回理由", max_length=300, blank=True)
    reopened = models.BooleanField("截止后允许补报", default=False)
    reminded_on = models.DateField("最近催报日期", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("催报次数", default=0)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "填报"
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="appraisal_submission_unique")]
        # The 督导 page: one round's not-reported units in path order (keyset on org_path, pk).
        indexes = [models.Index(fields=["round", "status", "org_path"], name="appraisal_sub_round_status"),
                   models.Index(fields=["org_path", "status"], name="appraisal_sub_path_status")]

    def __str__(self):
        return f"{self.round} {self.org}"

    @property
    def audit_org_path(self) -> str:
        return self.org_path


class Upload(models.Model):
    """A file kept for an appraisal entry (evidence of a self-score) or for a file field of a
    submission. The file lives under DATA_DIR/appraisal (mode 600) under a random name; it is
    downloaded by users who see the unit (its own path, so the level above too)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="uploads",
                              verbose_name="考核得分")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="uploads", verbose_name="填报")
    field_key = models.CharField("字段", max_length=30, blank=True)
    org_path = models.CharField("单位路径", max_length=255)
    name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=80, unique=True)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    scope_path_field = "org_path"

    class Meta:
        verbose_name = "佐证材料文件"
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org_path
