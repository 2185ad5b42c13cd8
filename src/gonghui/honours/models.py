"""劳模与荣誉 (DOMAIN §8, §9): the model-worker registry with its titles and care services, honours
for persons and collectives on an application workflow, and 职工之家 ratings.

A model worker (劳模) is one person in the registry, managed by a union (管理单位); the person is
linked to the roster by the ID number's blind index when they are a member. The ID number and
phone are encrypted (core.crypto) and shown in full only with `honours.view_sensitive`. Each
title (称号) has a level and a treatment level (待遇级别, by configurable equivalences); the
person's highest treatment level is stored on the person, so counting is by person (a person
with two titles counts once, at the highest).

Attribution: the registry and the ratings are stocks, counted under the managing union's tree
position on the cut-off; care services and honours are flows, counted at the path stored on
each row for its own date (`org_path`, rewritten by the re-homer when a move is back-dated).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.workflow import Workflow

MONEY = {"max_digits": 12, "decimal_places": 2}


class Level(models.TextChoices):  # DOMAIN §8.1, a title's level
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省部级"
    CITY = "city", "地市级"
    COUNTY = "county", "县级"
    TREATED = "treated", "享受劳模待遇"


class Treatment(models.TextChoices):  # 待遇级别: the level a title counts at
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省部级"
    CITY = "city", "地市级"
    COUNTY = "county", "县级"


RANK = {Treatment.NATIONAL: 4, Treatment.PROVINCIAL: 3, Treatment.CITY: 2, Treatment.COUNTY: 1}


class WorkerStatus(models.TextChoices):
    ACTIVE = "active", "在职"
    RETIRED = "retired", "退休"
    DECEASED = "deceased", "已故"


class ModelWorker(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="model_workers",
                            verbose_name="管理单位")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="model_worker_records", verbose_name="会员")
    name = models.CharField("姓名", max_length=50)
    gender = models.PositiveSmallIntegerField("性别", choices=[(1, "男"), (2, "女")])
    birth_date = models.DateField("出生日期")
    id_cipher = crypto.EncryptedTextField("公民身份号码(密文)")
    id_hash = crypto.LookupHashField(unique=True, source="id_cipher")
    id_masked = models.CharField("公民身份号码", max_length=18)
    phone_cipher = crypto.EncryptedTextField(blank=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    employer_name = models.CharField("所在单位", max_length=200, blank=True)
    industry = models.CharField("行业", max_length=50, blank=True)
    status = models.CharField("现状", max_length=10, choices=WorkerStatus.choices, default=WorkerStatus.ACTIVE)
    died_on = models.DateField("去世日期", null=True, blank=True)
    is_civil_servant = models.BooleanField("国家工作人员", default=False)
    is_party_member = models.BooleanField("中共党员", default=False)
    is_hardship = models.BooleanField("困难劳模", default=False)
    registered_on = models.DateField("登记日期")
    # The highest treatment level over the person's titles (services keep it), '' before any title.
    highest_level = models.CharField("最高待遇级别", max_length=10, choices=Treatment.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "劳模"
        indexes = [
            models.Index(fields=["org", "registered_on"], name="mw_org_registered"),
            models.Index(fields=["highest_level", "status"], name="mw_level_status"),
            models.Index(fields=["name"], name="mw_name"),
            models.Index(fields=["-registered_on", "-id"], name="mw_registered_desc"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_cipher)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_cipher)


class Title(models.Model):
    """One title (称号) a model worker holds."""

    worker = models.ForeignKey(ModelWorker, on_delete=models.CASCADE, related_name="titles", verbose_name="劳模")
    name = models.CharField("称号", max_length=100)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    treatment = models.CharField("待遇级别", max_length=10, choices=Treatment.choices)
    conferred_by = models.CharField("授予机关", max_length=100, blank=True)
    year = models.PositiveSmallIntegerField("授予年份")
    # The day the title counts from (its level's first dated row starts here); 1 January of the
    # year when the decision's date is not known.
    conferred_on = models.DateField("授予日期", null=True, blank=True)
    batch = models.CharField("批次", max_length=50, blank=True)
    certificate_no = models.CharField("证书编号", max_length=50, blank=True)

    class Meta:
        verbose_name = "劳模称号"
        constraints = [models.UniqueConstraint(fields=["worker", "name", "year"], name="title_once_per_year")]

    def __str__(self):
        return f"{self.year}年{self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.worker.org.path


class TitleLevel(models.Model):
    """A title's 待遇级别 over time: from `valid_from` until `valid_to` (open while in force). A
    title's first row starts on its conferral; a later change (an equivalence granted or changed,
    a re-grading) closes the row in force and opens a new one, so a cut-off reads the level then."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="levels", verbose_name="称号")
    treatment = models.CharField("待遇级别", max_length=10, choices=Treatment.choices)
    rank = models.PositiveSmallIntegerField("级别序号")  # RANK of the treatment, for the highest as of a date
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True)
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "称号待遇级别"
        ordering = ["title", "valid_from", "id"]
        indexes = [models.Index(fields=["title", "valid_from"], name="titlelevel_title_from")]

    def __str__(self):
        return f"{self.title} {self.get_treatment_display()}（{self.valid_from:%Y-%m-%d}起）"


class CareKind(models.TextChoices):  # DOMAIN §8.3
    CHECKUP = "checkup", "健康体检"
    RECUPERATION = "recuperation", "疗休养"
    FESTIVAL = "festival", "节日慰问"
    ALLOWANCE = "allowance", "荣誉津贴"
    HARDSHIP = "hardship", "困难劳模帮扶"
    FORUM = "forum", "座谈/宣讲"


class CareCampaign(models.Model):
    """A round of care (this year's check-up, the 七一 慰问 of 劳模党员) run by a union for the model
    workers it manages and those below; the eligibility rule is data on the row."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="care_campaigns",
                            verbose_name="组织单位")
    name = models.CharField("活动名称", max_length=100)
    kind = models.CharField("服务类别", max_length=20, choices=CareKind.choices)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    amount = models.DecimalField("每人标准(元)", **MONEY, default=0)
    # Who is due: living model workers, optionally without 国家工作人员, only party members, only 困难劳模.
    exclude_civil_servants = models.BooleanField("不含国家工作人员", default=False)
    party_members_only = models.BooleanField("仅中共党员", default=False)
    hardship_only = models.BooleanField("仅困难劳模", default=False)

    class Meta:
        verbose_name = "关爱活动"
        indexes = [models.Index(fields=["org", "end_on"], name="carecampaign_org_end")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    def due_q(self) -> Q:
        q = Q(status__in=(WorkerStatus.ACTIVE, WorkerStatus.RETIRED))
        if self.exclude_civil_servants:
            q &= Q(is_civil_servant=False)
        if self.party_members_only:
            q &= Q(is_party_member=True)
        if self.hardship_only:
            q &= Q(is_hardship=True)
        return q


class CareRecord(models.Model):
    """One service given to one model worker on a date (a check-up, a 慰问 with its money)."""

    worker = models.ForeignKey(ModelWorker, on_delete=models.PROTECT, related_name="care", verbose_name="劳模")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="管理单位")
    org_path = models.CharField(max_length=255)  # the managing union's path on served_on
    kind = models.CharField("服务类别", max_length=20, choices=CareKind.choices)
    served_on = models.DateField("服务日期")
    amount = models.DecimalField("金额(元)", **MONEY, default=0)
    campaign = models.ForeignKey(CareCampaign, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="records", verbose_name="关爱活动")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "劳模关爱服务"
        indexes = [
            models.Index(fields=["org_path", "served_on"], name="care_path_date"),
            models.Index(fields=["kind", "served_on", "org_path"], name="care_kind_date_path"),
            models.Index(fields=["worker", "served_on"], name="care_worker_date"),
        ]

    def __str__(self):
        return f"{self.worker.name} {self.get_kind_display()}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class Recipient(models.TextChoices):
    PERSON = "person", "个人"
    COLLECTIVE = "collective", "集体"


class HonourType(models.TextChoices):  # DOMAIN §9 and the seeds
    MAY_DAY_MEDAL = "may_day_medal", "五一劳动奖章"
    MAY_DAY_AWARD = "may_day_award", "五一劳动奖状"
    PIONEER = "pioneer", "工人先锋号"
    MODEL_HOME = "model_home", "模范职工之家"
    MODEL_SMALL_HOME = "model_small_home", "模范职工小家"
    ADVANCED_WOMAN = "advanced_woman", "先进女职工"
    WOMEN_POST = "women_post", "巾帼示范岗"
    HARMONY = "harmony", "劳动关系和谐企业"
    CSR = "csr", "企业社会责任示范单位"
    LEARNING = "learning", "学习型组织/五型班组"
    ANKANG = "ankang", "安康杯优胜单位"
    ADVANCED_WORKER = "advanced_worker", "先进工作者/优秀工会工作者"
    ADVANCED_COLLECTIVE = "advanced_collective", "先进集体"  # 双先 (S4): 先进集体 and 先进个人
    MODEL_WORKER = "model_worker", "劳动模范（表彰）"  # a 劳模 named by an employer or system (S4: 41 劳模)
    OTHER = "other", "其他荣誉"


class HonourLevel(models.TextChoices):
    NATIONAL = "national", "全国"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    INTERNAL = "internal", "系统内"


class HonourStatus(models.TextChoices):  # DOMAIN §9 workflow
    APPLIED = "applied", "申报"
    SELF = "self", "自评"
    MEMBERS = "members", "会员评家"
    REVIEW = "review", "评审"
    NOTICE = "notice", "公示"
    NAMED = "named", "已命名"
    RECHECK = "recheck", "复查中"
    RECTIFY = "rectify", "限期整改"
    REVOKED = "revoked", "已撤销"
    REJECTED = "rejected", "未通过"


HONOUR_FLOW = Workflow.build(HonourStatus, {
    # 自评 and 会员评家 are steps an honour type may go through (职工之家 and the like) or skip.
    HonourStatus.APPLIED: {HonourStatus.SELF, HonourStatus.MEMBERS, HonourStatus.REVIEW, HonourStatus.REJECTED},
    HonourStatus.SELF: {HonourStatus.MEMBERS, HonourStatus.REVIEW, HonourStatus.REJECTED},
    HonourStatus.MEMBERS: {HonourStatus.REVIEW, HonourStatus.REJECTED},
    HonourStatus.REVIEW: {HonourStatus.NOTICE, HonourStatus.REJECTED},
    HonourStatus.NOTICE: {HonourStatus.NAMED, HonourStatus.REJECTED},
    HonourStatus.NAMED: {HonourStatus.RECHECK},
    # 复查: 保留 (back to 已命名, next re-check later), 限期整改, 撤销.
    HonourStatus.RECHECK: {HonourStatus.NAMED, HonourStatus.RECTIFY, HonourStatus.REVOKED},
    HonourStatus.RECTIFY: {HonourStatus.NAMED, HonourStatus.REVOKED},
})


class Honour(models.Model):
    """One honour applied for and (once named) held by a person or a collective."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="honours", verbose_name="申报单位")
    org_path = models.CharField(max_length=255)  # the union's path on named_on (on applied_on until named)
    recipient = models.CharField("对象", max_length=10, choices=Recipient.choices)
    recipient_name = models.CharField("获得者", max_length=200)
    worker = models.ForeignKey(ModelWorker, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="honours", verbose_name="劳模")
    honour_type = models.CharField("荣誉类别", max_length=20, choices=HonourType.choices)
    level = models.CharField("级别", max_length=10, choices=HonourLevel.choices)
    issuer = models.CharField("授予单位", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField("状态", max_length=10, choices=HonourStatus.choices, default=HonourStatus.APPLIED)
    applied_on = models.DateField("申报日期")
    named_on = models.DateField("命名日期", null=True, blank=True)
    recheck_on = models.DateField("复查日期", null=True, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    team = models.ForeignKey("Team", on_delete=models.PROTECT, null=True, blank=True, related_name="honours",
                             verbose_name="班组/集体")
    # Scoring on an indicator system: the applicant's 自评 and the reviewers' 评审打分 (totals of
    # the HonourScore rows), and the 会员评家 survey the application rests on.
    indicator_system = models.ForeignKey("IndicatorSystem", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="honours", verbose_name="指标体系")
    self_score = models.DecimalField("自评得分", max_digits=7, decimal_places=2, null=True, blank=True)
    review_score = models.DecimalField("评审得分", max_digits=7, decimal_places=2, null=True, blank=True)
    survey = models.ForeignKey("HomeSurvey", on_delete=models.PROTECT, null=True, blank=True, related_name="honours",
                               verbose_name="会员评家")

    class Meta:
        verbose_name = "荣誉"
        indexes = [
            models.Index(fields=["org_path", "named_on"], name="honour_path_named"),
            models.Index(fields=["named_on", "org_path"], name="honour_named_path"),
            models.Index(fields=["status", "recheck_on"], name="honour_status_recheck"),
            models.Index(fields=["-applied_on", "-id"], name="honour_applied_desc"),
        ]

    def __str__(self):
        return f"{self.recipient_name} {self.year}年{self.get_level_display()}{self.get_honour_type_display()}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class HonourStep(models.Model):
    """The honour's history: one row per move through the workflow."""

    honour = models.ForeignKey(Honour, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField("状态", max_length=10, choices=HonourStatus.choices)
    on = models.DateField("日期")
    note = models.CharField("意见", max_length=200, blank=True)
    actor_name = models.CharField("经办人", max_length=50, blank=True)

    class Meta:
        verbose_name = "荣誉办理记录"
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.on} {self.get_status_display()}"


class RecheckOutcome(models.TextChoices):  # 复查/回头看 (DOMAIN §9)
    KEEP = "keep", "保留"
    RECTIFY = "rectify", "限期整改"
    REVOKE = "revoke", "撤销"


class Recheck(models.Model):
    """One 回头看 of a named honour: when it was inspected, by whom, what was found and the outcome
    (保留 / 限期整改 by a date / 撤销); the honour's status follows the outcome."""

    honour = models.ForeignKey(Honour, on_delete=models.CASCADE, related_name="rechecks", verbose_name="荣誉")
    on = models.DateField("检查日期")
    inspector = models.CharField("检查单位/人员", max_length=100)
    findings = models.CharField("检查情况", max_length=500)
    outcome = models.CharField("结论", max_length=10, choices=RecheckOutcome.choices)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    score = models.DecimalField("检查得分", max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "回头看"
        ordering = ["honour", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_outcome_display()}"


class HomeLevel(models.TextChoices):  # DOMAIN §9: internal ladder, then the external levels
    QUALIFIED = "qualified", "合格职工之家"
    ADVANCED = "advanced", "先进职工之家"
    MODEL = "model", "模范职工之家"
    COUNTY = "county", "县级模范职工之家"
    CITY = "city", "市级模范职工之家"
    PROVINCIAL = "provincial", "省级模范职工之家"
    NATIONAL = "national", "全国模范职工之家"


class HomeRating(models.Model):
    """A grass-roots union's 职工之家 rating, in force from rated_on until revoked_on."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="home_ratings", verbose_name="基层工会")
    org_path = models.CharField(max_length=255)  # the union's path on rated_on
    level = models.CharField("级别", max_length=12, choices=HomeLevel.choices)
    rated_on = models.DateField("命名日期")
    issuer = models.CharField("命名单位", max_length=100, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    # 回头看 (DOMAIN §9): the next re-inspection is due on recheck_on; while rectify_by is set the
    # rating is under 限期整改 and recheck_on is that deadline.
    recheck_on = models.DateField("下次回头看", null=True, blank=True)
    rectify_by = models.DateField("整改期限", null=True, blank=True)

    class Meta:
        verbose_name = "职工之家评定"
        indexes = [
            models.Index(fields=["org_path", "rated_on"], name="home_path_rated"),
            models.Index(fields=["org", "rated_on"], name="home_org_rated"),
            # the 回头看 reminder: ratings in force, by due date
            models.Index(fields=["recheck_on"], name="home_recheck_due", condition=Q(revoked_on__isnull=True)),
        ]

    def __str__(self):
        return f"{self.org.name} {self.get_level_display()}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class HomeRecheck(models.Model):
    """One 回头看 of a 职工之家 rating in force: the inspection and its outcome (保留 / 限期整改 by a
    date / 撤销), which the rating follows, as an honour follows its Recheck."""

    rating = models.ForeignKey(HomeRating, on_delete=models.CASCADE, related_name="rechecks", verbose_name="职工之家评定")
    on = models.DateField("检查日期")
    inspector = models.CharField("检查单位/人员", max_length=100)
    findings = models.CharField("检查情况", max_length=500)
    outcome = models.CharField("结论", max_length=10, choices=RecheckOutcome.choices)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    score = models.DecimalField("检查得分", max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "职工之家回头看"
        ordering = ["rating", "on", "id"]

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_outcome_display()}"


class IndicatorSystem(models.Model):
    """An indicator system (指标体系) an honour type is scored on: a tree of indicators with weights,
    e.g. 企业社会责任示范单位 with 5 项目, 20 一级指标, 69 二级指标 (DOMAIN §9)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="制定单位")
    name = models.CharField("名称", max_length=100)
    honour_type = models.CharField("荣誉类别", max_length=20, choices=HonourType.choices, blank=True)
    total = models.DecimalField("总分", max_digits=7, decimal_places=2, default=100)

    class Meta:
        verbose_name = "指标体系"

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class Indicator(models.Model):
    system = models.ForeignKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    name = models.CharField("指标", max_length=200)
    weight = models.DecimalField("分值(权重)", max_digits=7, decimal_places=2)
    depth = models.PositiveSmallIntegerField("层级", default=1)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "指标"
        ordering = ["system", "depth", "order", "id"]

    def __str__(self):
        return self.name


class ScoreStage(models.TextChoices):
    SELF = "self", "自评"
    REVIEW = "review", "评审打分"


class HonourScore(models.Model):
    """The score an application got on one leaf indicator, at 自评 or at 评审打分."""

    honour = models.ForeignKey(Honour, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+", verbose_name="指标")
    stage = models.CharField("环节", max_length=10, choices=ScoreStage.choices)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = "荣誉评分"
        constraints = [models.UniqueConstraint(fields=["honour", "indicator", "stage"], name="honour_score_once")]

    def __str__(self):
        return f"{self.indicator.name} {self.score}"


class Verdict(models.TextChoices):  # 会员评家 scale (DOMAIN §9)
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class HomeSurvey(models.Model):
    """会员评家: one questionnaire round of a grass-roots union, answered by its members."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="home_surveys", verbose_name="基层工会")
    org_path = models.CharField(max_length=255)  # the union's path on held_on
    name = models.CharField("名称", max_length=100)
    held_on = models.DateField("测评日期")
    items = models.JSONField("测评项目", default=list)
    threshold = models.DecimalField("合格满意率(%)", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "会员评家"
        indexes = [models.Index(fields=["org_path", "held_on"], name="survey_path_held")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class SurveyResponse(models.Model):
    """One member's questionnaire: an answer per item, counted on the row for the figures."""

    survey = models.ForeignKey(HomeSurvey, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField("回答", default=dict)
    satisfied = models.PositiveSmallIntegerField(default=0)
    basic = models.PositiveSmallIntegerField(default=0)
    unsatisfied = models.PositiveSmallIntegerField(default=0)
    online = models.BooleanField("网上填写", default=False)

    class Meta:
        verbose_name = "会员评家问卷"

    def __str__(self):
        return f"问卷{self.pk}"


class TeamKind(models.TextChoices):
    SQUAD = "squad", "班组"
    WORKSHOP = "workshop", "车间"
    PROJECT = "project", "项目组"
    OTHER = "other", "其他集体"


class Team(models.Model):
    """A team (班组/车间/项目组) of a union: the collective that enters a contest, earns a
    工人先锋号 or puts forward 合理化建议; one name per union."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="teams", verbose_name="所属工会")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=10, choices=TeamKind.choices, default=TeamKind.SQUAD)
    leader = models.CharField("负责人", max_length=50, blank=True)
    member_count = models.PositiveIntegerField("人数", null=True, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)

    class Meta:
        verbose_name = "班组/集体"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="team_once_per_union")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class InnovationKind(models.TextChoices):  # issue 21: 合理化建议 and 技术创新成果
    SUGGESTION = "suggestion", "合理化建议"
    INNOVATION = "innovation", "技术创新成果"


class InnovationStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提出"
    ADOPTED = "adopted", "已采纳"
    REJECTED = "rejected", "未采纳"


class Innovation(models.Model):
    """One 合理化建议 or 技术创新成果 of a union's workers (a person or a team), with its status
    and, once adopted, the economic benefit it brought (创效) and the reward paid."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="innovations", verbose_name="所属工会")
    org_path = models.CharField(max_length=255)  # the union's path on submitted_on
    kind = models.CharField("类别", max_length=12, choices=InnovationKind.choices)
    title = models.CharField("名称", max_length=200)
    proposer = models.CharField("提出人", max_length=100)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="innovations",
                             verbose_name="班组/集体")
    submitted_on = models.DateField("提出日期")
    status = models.CharField("状态", max_length=10, choices=InnovationStatus.choices,
                              default=InnovationStatus.SUBMITTED)
    decided_on = models.DateField("采纳日期", null=True, blank=True)
    benefit = models.DecimalField("创造经济效益(元)", **MONEY, default=0)
    reward = models.DecimalField("奖励(元)", **MONEY, default=0)

    class Meta:
        verbose_name = "合理化建议与技术创新"
        indexes = [models.Index(fields=["org_path", "submitted_on"], name="innovation_path_submitted"),
                   models.Index(fields=["org_path", "decided_on"], name="innovation_path_decided")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class ContestKind(models.TextChoices):  # issue 21: 劳动竞赛, 技能竞赛, 岗位练兵
    LABOUR = "labour", "劳动竞赛"
    SKILL = "skill", "技能竞赛"
    DRILL = "drill", "岗位练兵"


class Contest(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="contests", verbose_name="组织单位")
    org_path = models.CharField(max_length=255)  # the organiser's path on start_on
    name = models.CharField("竞赛名称", max_length=200)
    kind = models.CharField("类别", max_length=10, choices=ContestKind.choices)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")

    class Meta:
        verbose_name = "竞赛"
        indexes = [models.Index(fields=["org_path", "start_on"], name="contest_path_start")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class ContestEvent(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="events", verbose_name="竞赛")
    name = models.CharField("项目", max_length=100)

    class Meta:
        verbose_name = "竞赛项目"
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="contest_event_once")]

    def __str__(self):
        return self.name


class Entry(models.Model):
    """One participation: a person (of a union within the organiser's scope), alone or in a team,
    in one event, with the result once known."""

    event = models.ForeignKey(ContestEvent, on_delete=models.CASCADE, related_name="entries", verbose_name="项目")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="参赛单位")
    org_path = models.CharField(max_length=255)  # the participant's union's path on the contest's start
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name="会员")
    name = models.CharField("参赛者", max_length=50)
    # A non-member named by ID number: the number encrypted and its lookup hash (a key rotation
    # re-hashes it from the ciphertext); empty for members (the person link says who) and for
    # entries by name only.
    id_cipher = crypto.EncryptedTextField("公民身份号码(密文)", blank=True)
    id_hash = crypto.LookupHashField(source="id_cipher", blank=True)
    # Who the entry is for, as a plain identity that no key enters (so a rotation leaves it alone):
    # "p<person id>" for a member, "x<first entry id>" for a non-member named by ID number (every
    # later entry of that number takes the first one's key, found through id_hash), and
    # "u<union id>:<name>" for an entry by name only. Distinct persons count distinct keys.
    person_key = models.CharField(max_length=100)
    team = models.CharField("队伍", max_length=100, blank=True)
    team_ref = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="entries",
                                 verbose_name="班组/集体")
    rank = models.PositiveSmallIntegerField("名次", null=True, blank=True)
    score = models.DecimalField("成绩", max_digits=8, decimal_places=2, null=True, blank=True)
    award = models.CharField("奖项", max_length=50, blank=True)
    title_earned = models.CharField("获得称号", max_length=50, blank=True)
    prize = models.DecimalField("奖金(元)", **MONEY, default=0)

    class Meta:
        verbose_name = "参赛记录"
        constraints = [models.UniqueConstraint(fields=["event", "person_key"], name="entry_once_per_event")]
        indexes = [models.Index(fields=["org_path"], name="entry_path"),
                   models.Index(fields=["id_hash"], name="entry_id_hash", condition=~Q(id_hash=""))]

    def __str__(self):
        return f"{self.name} {self.event.name}"
