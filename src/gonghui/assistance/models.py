"""困难职工帮扶 (DOMAIN §4): household archives, applications and payments, campaigns, pairing.

An archive (困难职工档案) is one stay of a household in the hardship register, from 建档 to
脱困/解困/退出; a household that falls back into hardship gets a new archive. It belongs to
the grass-roots union that opened it. Household finances and family members are sensitive
(DOMAIN §13): ID numbers and bank accounts are encrypted, the rest is shown in full only to
holders of `assistance.view_sensitive`, and each such view is access-logged.

Figures as of a date come from dates stored on the rows (entered_on / exited_on) and from
`path` columns: each event, payment and visit keeps the org path on its own date, so flow
figures roll up to where the union stood then.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from gonghui.core import codes, crypto
from gonghui.core.money import format_money

from . import conf

MONEY = {"max_digits": 12, "decimal_places": 2}


class Category(models.TextChoices):  # DOMAIN §4.1
    DEEP = "deep", "深度困难"
    RELATIVE = "relative", "相对困难"
    ACCIDENT = "accident", "意外致困"


class Cause(models.TextChoices):  # national form 致困原因
    NO_ABILITY = "01", "无劳动能力"
    NOT_EMPLOYED = "02", "有劳动能力而未就业"
    LAID_OFF = "03", "下岗失业"
    NO_INSURANCE = "04", "未参加社会保险"
    INSURANCE_GAP = "05", "社会保险待遇落实不到位"
    ILLNESS = "06", "患重特大疾病"
    DISASTER = "07", "遭受自然灾害"
    ACCIDENT = "08", "遭受意外事故"
    SCHOOLING = "09", "子女上学"
    OTHER = "10", "其他"


class Health:
    """健康状况: the archive form's 15 values (code table "hardship_health", core/codes/assistance.py).
    Codes 91 and 92 hold the two values of the earlier five-value list that the form lacks."""

    GOOD = "01"
    GENERAL = "14"
    DISABLED = "15"
    choices = codes.get("hardship_health").choices
    # What a form offers: the form's values, without the two kept only for migrated archives.
    form_choices = [(c.code, c.label) for c in codes.get("hardship_health").entries if not c.extension]


def _code_field(verbose_name: str, table: str, max_length: int = 2, **kwargs) -> models.CharField:
    """A code-table column (core.codes) of a table declared for this form: stores the code, shows
    the label (get_<field>_display)."""
    return models.CharField(verbose_name, max_length=max_length, choices=codes.get(table).choices, blank=True,
                            **kwargs)


def _shared_code_field(verbose_name: str, max_length: int = 2) -> models.CharField:
    """A column holding a code of a table shared with other work lines (民族, 政治面貌): no choices on
    the column, so a code added there needs no migration here; CodeLabels gives the label."""
    return models.CharField(verbose_name, max_length=max_length, blank=True)


class CodeLabels:
    """get_ethnicity_display / get_political_display for the shared-table columns, as Django makes
    them for columns with choices."""

    def get_ethnicity_display(self) -> str:
        return codes.get("ethnicity").label(self.ethnicity) if self.ethnicity else ""

    def get_political_display(self) -> str:
        political = getattr(self, "political", "")
        return codes.get("political").label(political) if political else ""


class WorkStatus(models.TextChoices):
    EMPLOYED = "employed", "在岗"
    LAID_OFF = "laid_off", "下(待)岗"
    UNEMPLOYED = "unemployed", "失(无)业"
    RETIRED = "retired", "退休"
    SICK_LEAVE = "sick_leave", "病休"
    INTERNAL_RETIRED = "internal_retired", "内退"
    MIGRANT = "migrant", "农民工"


class ArchiveStatus(models.TextChoices):  # DOMAIN §4.3
    CREATED = "created", "建档"
    NOTICE = "notice", "公示中"
    ACTIVE = "active", "在档"
    REVIEW = "review", "年度复核中"
    RECOVERED = "recovered", "已脱困"
    RELIEVED = "relieved", "已解困"
    EXITED = "exited", "已退出"


EXIT_STATUSES = (ArchiveStatus.RECOVERED, ArchiveStatus.RELIEVED, ArchiveStatus.EXITED)
IN_FORCE = (ArchiveStatus.ACTIVE, ArchiveStatus.REVIEW)


class Archive(CodeLabels, models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="hardship_archives",
                            verbose_name="建档单位")
    # The household head: a member of the roster when there is one, otherwise only the fields below.
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="hardship_archives", verbose_name="会员")
    no = models.CharField("档案编号", max_length=40, unique=True)
    head_name = models.CharField("户主姓名", max_length=50)
    gender = models.PositiveSmallIntegerField("性别", choices=[(1, "男"), (2, "女")])
    birth_date = models.DateField("出生日期")
    id_cipher = crypto.EncryptedTextField("身份证号(密文)")
    id_hash = crypto.LookupHashField(db_index=True, source="id_cipher")
    id_masked = models.CharField("身份证号", max_length=18)
    phone_cipher = crypto.EncryptedTextField(blank=True)
    phone_masked = models.CharField("手机号码", max_length=20, blank=True)
    work_unit = models.CharField("工作单位", max_length=200, blank=True)
    work_status = models.CharField("工作状态", max_length=20, choices=WorkStatus.choices, default=WorkStatus.EMPLOYED)
    health = models.CharField("健康状况", max_length=10, choices=Health.choices, default=Health.GOOD)
    is_model_worker = models.BooleanField("劳模", default=False)
    region_code = models.CharField("户口所在地行政区划", max_length=6)
    # The rest of the national 困难职工档案表 (DOMAIN §4.2). Code-table fields hold core.codes codes.
    ethnicity = _shared_code_field("民族")
    political = _shared_code_field("政治面貌")
    disability = _code_field("残疾类别", "hardship_disability", max_length=1)
    model_worker_type = _code_field("劳模类型", "hardship_model_worker", max_length=1)
    housing_type = _code_field("住房类型", "hardship_housing")
    housing_area = _code_field("住房面积(建筑面积)", "hardship_housing_area", max_length=1)
    marital = _code_field("婚姻状况", "marital")
    hukou_type = _code_field("户口类型", "hardship_hukou", max_length=1)
    address = models.CharField("家庭住址", max_length=200, blank=True)  # shown with view_sensitive only
    unit_nature = _code_field("单位性质", "hardship_unit_nature", max_length=1)
    enterprise_status = _code_field("企业状况", "hardship_enterprise_status", max_length=1)
    medical_insurance = _code_field("医保状况", "hardship_medical", max_length=1)
    self_help = models.BooleanField("是否有一定自救能力", null=True, blank=True)
    # Finances (sensitive): the inputs of the per-capita test and its stored result.
    monthly_wage = models.DecimalField("本人月平均收入", **MONEY, default=0)
    other_income = models.DecimalField("家庭其他非薪资年收入", **MONEY, default=0)
    accident_loss = models.DecimalField("致困费用(损失)", **MONEY, default=0)
    annual_income = models.DecimalField("家庭年度总收入", **MONEY, default=0)
    # 家庭年度总收入 as the form states it (it may count incomes not itemised here); the per-capita
    # test keeps using the computed `annual_income`, this is kept and shown beside it.
    declared_annual_income = models.DecimalField("家庭年度总收入(填报)", **MONEY, null=True, blank=True)
    rigid_expense = models.DecimalField("因困刚性支出(年)", **MONEY, default=0)
    # 家庭人口数 as stated when the archive is opened (户籍证明), before the members are entered
    # one by one; the per-capita test divides by it until more members living together are
    # recorded than it counts (services.household_figures). `household_size` is the divisor used.
    declared_size = models.PositiveSmallIntegerField("家庭人口数", default=1)
    household_size = models.PositiveSmallIntegerField("家庭人口", default=1)
    per_capita = models.DecimalField("家庭月人均收入", **MONEY, default=0)
    standard = models.DecimalField("低保标准(月)", **MONEY, null=True, blank=True)
    proposed_category = models.CharField("系统建议类别", max_length=10, choices=Category.choices, blank=True)
    category = models.CharField("困难类别", max_length=10, choices=Category.choices)
    main_cause = models.CharField("主要致困原因", max_length=2, choices=Cause.choices)
    secondary_causes = models.JSONField("次要致困原因", default=list, blank=True)
    cause_note = models.CharField("致困原因说明", max_length=200, blank=True)
    is_zero_employment = models.BooleanField("零就业家庭", default=False)
    is_single_parent = models.BooleanField("单亲家庭", default=False)
    bank_name = models.CharField("开户银行", max_length=100, blank=True)
    bank_branch = models.CharField("开户网点(支行名称)", max_length=100, blank=True)
    bank_cipher = crypto.EncryptedTextField(blank=True)
    bank_last4 = models.CharField(max_length=4, blank=True)
    # Sign-off of the paper form (建档人, 审核人, 录入人): names as written, not users.
    filed_by_name = models.CharField("建档人", max_length=50, blank=True)
    checked_by_name = models.CharField("审核人", max_length=50, blank=True)
    entered_by_name = models.CharField("录入人", max_length=50, blank=True)
    # Lifecycle dates, stamped by the transition services.
    status = models.CharField("状态", max_length=10, choices=ArchiveStatus.choices, default=ArchiveStatus.CREATED)
    created_on = models.DateField("建档日期")
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_until = models.DateField("公示截止", null=True, blank=True)
    entered_on = models.DateField("入档日期", null=True, blank=True)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True)
    exited_on = models.DateField("出档日期", null=True, blank=True)
    exit_reason = models.CharField("出档原因", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "困难职工档案"
        constraints = [
            # One open archive per household head (a head may be re-archived after an exit).
            models.UniqueConstraint(fields=["id_hash"], condition=Q(exited_on__isnull=True),
                                    name="archive_one_open_per_person"),
        ]
        indexes = [
            models.Index(fields=["org", "status"], name="archive_org_status"),
            models.Index(fields=["status", "next_review_on"], name="archive_status_review"),
            models.Index(fields=["entered_on", "exited_on"], name="archive_entered_exited"),
            models.Index(fields=["head_name"], name="archive_head_name"),
            # The list's order: 35 ms → 3 ms for its first page over 30,000 archives on PostgreSQL.
            models.Index(fields=["-created_on", "-id"], name="archive_created_desc"),
        ]

    def __str__(self):
        return f"{self.head_name}（{self.no}）"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_cipher)

    @property
    def bank_account(self) -> str:
        return crypto.decrypt(self.bank_cipher)

    @property
    def is_open(self) -> bool:
        return self.exited_on is None

    def secondary_labels(self) -> list[str]:
        return [Cause(c).label for c in self.secondary_causes]


class Relation(models.TextChoices):
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    OTHER = "other", "其他"


class Schooling(models.TextChoices):
    NONE = "", "无"
    PRESCHOOL = "preschool", "学前"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    HIGH = "high", "高中"
    VOCATIONAL = "vocational", "中职"
    COLLEGE = "college", "大专"
    UNIVERSITY = "university", "本科"
    POSTGRADUATE = "postgraduate", "研究生"


class FamilyMember(CodeLabels, models.Model):
    """Another person of the household. Children are recorded here, never as separate
    people: 金秋助学 attaches to the parent's archive and names the child."""

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="family")
    name = models.CharField("姓名", max_length=50)
    relation = models.CharField("与户主关系", max_length=10, choices=Relation.choices)
    birth_date = models.DateField("出生日期")
    gender = models.PositiveSmallIntegerField("性别", choices=[(1, "男"), (2, "女")])
    health = models.CharField("健康状况", max_length=10, choices=Health.choices, default=Health.GOOD)
    work_status = models.CharField("就业/身份", max_length=20, blank=True)
    # 身份证号 like the head's and the members' (Person.id_*): encrypted, a blind index, a mask.
    # Optional: a child without an ID card yet, and members entered before the form asked for it.
    id_cipher = crypto.EncryptedTextField("身份证号(密文)", blank=True)
    id_hash = crypto.LookupHashField(db_index=True, source="id_cipher", blank=True)
    id_masked = models.CharField("身份证号", max_length=18, blank=True)
    ethnicity = _shared_code_field("民族")
    medical_insurance = _code_field("医保状况", "hardship_medical", max_length=1)
    marital = _code_field("婚姻状况", "marital")
    hukou_type = _code_field("户口类型", "hardship_hukou", max_length=1)
    identity = _code_field("人员身份", "hardship_identity")
    monthly_income = models.DecimalField("月收入", **MONEY, default=0)
    schooling = models.CharField("当前学历/就读", max_length=12, choices=Schooling.choices, blank=True)
    school = models.CharField("学校或单位", max_length=100, blank=True)
    lives_together = models.BooleanField("共同生活", default=True)

    class Meta:
        verbose_name = "家庭成员"
        ordering = ["id"]

    def __str__(self):
        return self.name

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_cipher)

    def age_on(self, at) -> int:
        return at.year - self.birth_date.year - ((at.month, at.day) < (self.birth_date.month, self.birth_date.day))


class ExpenseKind(models.TextChoices):
    MEDICAL = "medical", "医疗自付费用"
    EDUCATION = "education", "子女教育费用"
    DISABILITY = "disability", "残疾康复费用"
    DISASTER = "disaster", "灾害损失"
    OTHER = "other", "其他刚性支出"


class Expense(models.Model):
    """因困刚性支出: deducted from the household's income in the per-capita test."""

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="expenses")
    kind = models.CharField("类型", max_length=12, choices=ExpenseKind.choices)
    annual_amount = models.DecimalField("年金额", **MONEY)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "刚性支出"
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.annual_amount}"


class ArchiveEvent(models.Model):
    """The archive's history: each lifecycle step and each re-assessment."""

    class Kind(models.TextChoices):
        CREATED = "created", "建档"
        NOTICE = "notice", "公示"
        ENTERED = "entered", "入档"
        REVIEW_STARTED = "review_started", "开始年度复核"
        REVIEWED = "reviewed", "复核通过"
        UPDATED = "updated", "重新核定"
        RECOVERED = "recovered", "脱困"
        RELIEVED = "relieved", "解困"
        EXITED = "exited", "退出"

    archive = models.ForeignKey(Archive, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("事项", max_length=16, choices=Kind.choices)
    from_status = models.CharField(max_length=10, choices=ArchiveStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ArchiveStatus.choices)
    category = models.CharField("类别", max_length=10, choices=Category.choices, blank=True)
    effective_on = models.DateField("日期")
    path = models.CharField(max_length=255)  # the union's path on the date (flow figures)
    note = models.CharField("说明", max_length=200, blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["kind", "effective_on", "path"], name="archiveevent_kind_date")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.effective_on}"


class LivingStandard(models.Model):
    """当地最低生活保障标准 (城市低保, 元/人·月) per region and year: data, not code."""

    region_code = models.CharField("行政区划代码", max_length=6)
    region_name = models.CharField("地区", max_length=50)
    year = models.PositiveSmallIntegerField("年度")
    monthly = models.DecimalField("低保标准(元/人·月)", **MONEY)

    class Meta:
        verbose_name = "低保标准"
        constraints = [models.UniqueConstraint(fields=["region_code", "year"], name="standard_region_year")]
        ordering = ["-year", "region_code"]

    def __str__(self):
        return f"{self.region_name} {self.year}年 {format_money(self.monthly)}"


class AssistanceType(models.TextChoices):  # DOMAIN §4.4
    LIVING = "living", "生活救助"
    MEDICAL = "medical", "医疗救助"
    GOLDEN_AUTUMN = "golden_autumn", "金秋助学"
    WARMTH = "warmth", "送温暖"
    TEMPORARY = "temporary", "临时救助"
    ACCIDENT = "accident", "意外致困救助"
    EMPLOYMENT = "employment", "就业帮扶"
    INJURY_VISIT = "injury_visit", "工伤/病患探望"
    OTHER = "other", "其他帮扶"


class Beneficiary(models.TextChoices):
    """受助对象类别: whom a payment reached, as the summaries count 送温暖 (S4: 离退休职工、劳动模范、
    贫特困职工、孤寡老人、孤儿、伤残职工)."""

    HARDSHIP = "hardship", "困难职工"
    RETIRED = "retired", "离退休职工"
    MODEL_WORKER = "model_worker", "劳动模范"
    DISABLED = "disabled", "伤残职工"
    ELDERLY_ALONE = "elderly_alone", "孤寡老人"
    ORPHAN = "orphan", "孤儿"
    OTHER = "other", "其他"


# 金秋助学 by school stage (S1: 就读高中、中专、大学的职工子女; S1 篇四: 大学生 and 小学生).
SCHOOL_STAGES = {
    "compulsory": ("义务教育", ("primary", "junior")),
    "high": ("高中阶段", ("high", "vocational")),
    "higher": ("高等教育", ("college", "university", "postgraduate")),
}
SCHOOL_LEVELS = tuple(level for _label, levels in SCHOOL_STAGES.values() for level in levels)


class Campaign(models.Model):
    """A campaign run by a federation (e.g. 2026年“两节”送温暖): budget, targets, progress."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="assistance_campaigns",
                            verbose_name="组织单位")
    name = models.CharField("活动名称", max_length=100)
    type = models.CharField("帮扶类型", max_length=16, choices=AssistanceType.choices)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    budget = models.DecimalField("预算(元)", **MONEY)
    targets = models.ManyToManyField(Archive, through="CampaignTarget", related_name="campaigns")
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "帮扶活动"
        indexes = [models.Index(fields=["org", "end_on"], name="campaign_org_end")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class CampaignTarget(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE)
    archive = models.ForeignKey(Archive, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "archive"], name="campaign_target_unique")]

    def __str__(self):
        return f"{self.campaign_id}:{self.archive_id}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    REVIEWED = "reviewed", "待审批"
    APPROVED = "approved", "已批准待发放"
    PAID = "paid", "已发放"
    REJECTED = "rejected", "未通过"


class Application(models.Model):
    """经办 → 审核 → 审批 → 发放. The three people differ (four-eyes, services.application_*)."""

    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="applications")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")  # = archive.org (scope)
    type = models.CharField("帮扶类型", max_length=16, choices=AssistanceType.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="applications", verbose_name="帮扶活动")
    student = models.ForeignKey(FamilyMember, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name="受助学生")
    amount_requested = models.DecimalField("申请金额(元)", **MONEY)
    reason = models.CharField("申请理由", max_length=500)
    documents = models.CharField("附件材料", max_length=500, blank=True)
    status = models.CharField("状态", max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED)
    applied_on = models.DateField("申请日期")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    applied_by_name = models.CharField("经办人", max_length=150, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reviewed_by_name = models.CharField("审核人", max_length=150, blank=True)
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=200, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    related_name="+")
    approved_by_name = models.CharField("审批人", max_length=150, blank=True)
    approved_on = models.DateField("审批日期", null=True, blank=True)
    approve_note = models.CharField("审批意见", max_length=200, blank=True)
    amount_approved = models.DecimalField("批准金额(元)", **MONEY, null=True, blank=True)
    # 初审 by the applicant's own union (DOMAIN §4.3: 所在单位工会初审 → 上级工会审核). Optional:
    # `eligible_on` is the day the application was first found to meet the conditions, by 初审 or,
    # without one, by a review that passed, so that the funnel (S1: 82 初步符合 → 75 获帮扶) holds.
    screened_on = models.DateField("初审日期", null=True, blank=True)
    screened_by_name = models.CharField("初审人", max_length=150, blank=True)
    screen_note = models.CharField("初审意见", max_length=200, blank=True)
    eligible_on = models.DateField("初步符合条件日期", null=True, blank=True)
    beneficiary = models.CharField("受助对象类别", max_length=16, choices=Beneficiary.choices,
                                   default=Beneficiary.HARDSHIP)
    # 金秋助学: the student's school level when applying (the family record keeps only today's).
    school_level = models.CharField("就读阶段", max_length=12, choices=Schooling.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "帮扶申请"
        indexes = [models.Index(fields=["org", "status", "applied_on"], name="application_org_status")]

    def __str__(self):
        return f"{self.archive.head_name} {self.get_type_display()} {format_money(self.amount_requested)}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class ApplicationDocument(models.Model):
    """An attached paper (诊断书, 医药费单据, 学籍证明 …). Such papers carry health and family data:
    downloading one needs assistance.view_sensitive and is access-logged."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("名称", max_length=100)
    file = models.FileField("文件", upload_to="assistance/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by_name = models.CharField("上传人", max_length=150, blank=True)

    scope_path_field = "application__org__path"

    class Meta:
        verbose_name = "申请附件"
        ordering = ["id"]

    def __str__(self):
        return self.name


class PayMethod(models.TextChoices):
    BANK = "bank", "银行卡"
    CASH = "cash", "现金（实名签收）"
    GOODS = "goods", "实物（实名签收）"


class Payment(models.Model):
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="payment")
    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="payments")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="payments")
    type = models.CharField("帮扶类型", max_length=16, choices=AssistanceType.choices)
    student = models.ForeignKey(FamilyMember, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = models.DecimalField("金额(元)", **MONEY)
    paid_on = models.DateField("发放日期")
    method = models.CharField("发放方式", max_length=8, choices=PayMethod.choices)
    fund_source = models.CharField("资金来源", max_length=20)
    path = models.CharField(max_length=255)  # the union's path on paid_on
    recorded_by_name = models.CharField("经办人", max_length=150, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "帮扶发放"
        constraints = [
            # The duplicate-payment guard: one payment per household per campaign.
            models.UniqueConstraint(fields=["campaign", "archive"], condition=Q(campaign__isnull=False),
                                    name="payment_once_per_campaign"),
        ]
        indexes = [
            models.Index(fields=["paid_on", "path"], name="payment_date_path"),
            models.Index(fields=["type", "paid_on", "path"], name="payment_type_date_path"),
            models.Index(fields=["org", "paid_on"], name="payment_org_date"),
        ]

    def __str__(self):
        return f"{self.archive.head_name} {format_money(self.amount)} {self.paid_on}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def fund_source_label(self) -> str:
        return conf.fund_source_label(self.fund_source)


class Helper(models.Model):
    """帮扶单位 or 帮扶干部 of the 一对一 programme, registered by the federation running it."""

    class Kind(models.TextChoices):
        UNIT = "unit", "单位"
        CADRE = "cadre", "干部"

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="assistance_helpers",
                            verbose_name="所属组织")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=6, choices=Kind.choices, default=Kind.UNIT)
    contact = models.CharField("联系人", max_length=50, blank=True)

    class Meta:
        verbose_name = "帮扶单位"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="helper_org_name")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class Pairing(models.Model):
    """结对: one helper ↔ one household; a household has at most one open pairing (一对一)."""

    helper = models.ForeignKey(Helper, on_delete=models.PROTECT, related_name="pairings", verbose_name="帮扶单位")
    archive = models.ForeignKey(Archive, on_delete=models.PROTECT, related_name="pairings", verbose_name="困难家庭")
    pledged_on = models.DateField("结对日期")
    commitment = models.CharField("帮扶承诺", max_length=200, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)

    scope_path_field = "helper__org__path"

    class Meta:
        verbose_name = "结对帮扶"
        constraints = [models.UniqueConstraint(fields=["archive"], condition=Q(ended_on__isnull=True),
                                               name="pairing_one_open_per_archive")]
        indexes = [models.Index(fields=["helper", "pledged_on"], name="pairing_helper_date")]

    def __str__(self):
        return f"{self.helper.name} ↔ {self.archive.head_name}"

    @property
    def audit_org_path(self) -> str:
        return self.helper.org.path


class Visit(models.Model):
    """帮扶走访: a visit with money, goods or services, counted for the helper's federation."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人", max_length=100, blank=True)
    amount = models.DecimalField("帮扶资金(元)", **MONEY, default=Decimal(0))
    goods = models.CharField("物资/服务", max_length=200, blank=True)
    note = models.CharField("解决的问题", max_length=200, blank=True)
    path = models.CharField(max_length=255)  # the helper's federation's path on the date

    class Meta:
        verbose_name = "帮扶走访"
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["visited_on", "path"], name="visit_date_path")]

    def __str__(self):
        return f"{self.visited_on} {format_money(self.amount)}"
