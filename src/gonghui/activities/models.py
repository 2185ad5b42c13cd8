"""活动与阵地 (DOMAIN §12.2 F and G, units §12.3).

Activity kinds are data: each kind says which measures its records carry (sessions 期/场,
distinct persons 人, person-times 人次, units reached 家, items 项/条/份, money 元) and which
work-summary section it belongs to, so a new kind needs no code. An activity record stores
each measure it carries in its own column (NULL for a measure the kind does not carry); with
an attendance list linked to the roster, 人 and 人次 are computed from the list and stored.

Every dated row carries its organiser's tree position on its own date (`org_path`, or `path` on
rows below it), so figures follow a union moved between townships; indexes start with the path
or the date.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q

MONEY = {"max_digits": 12, "decimal_places": 2}


class Section(models.TextChoices):
    """The work-summary section an activity kind is reported under."""

    WOMEN = "women", "女职工工作"
    TRAINING = "training", "职工教育培训"
    CULTURE = "culture", "宣传文化活动"
    RESEARCH = "research", "调查研究与走访"
    SAFETY = "safety", "劳动保护与安全生产"
    CONTEST = "contest", "劳动竞赛与技能提升"
    SERVICE = "service", "职工服务"
    CARE = "care", "关爱慰问"
    OTHER = "other", "其他工作"


# The measures a kind may carry: (flag on ActivityKind, column on Activity, label, unit).
MEASURES = (
    ("has_sessions", "sessions", "期数/场次", "期"),
    ("has_persons", "persons", "人数", "人"),
    ("has_person_times", "person_times", "人次", "人次"),
    ("has_units", "units", "覆盖单位数", "家"),
    ("has_items", "items", "数量", "项"),
    ("has_money", "amount", "金额", "元"),
)


class ActivityKind(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("活动类型", max_length=40, unique=True)
    section = models.CharField("工作总结栏目", max_length=12, choices=Section.choices, default=Section.OTHER)
    # A sub-kind (其中): its records count in the parent kind's figures too, and the work summary
    # writes it inside the parent's sentence ("开展女职工培训15期……，其中技术培训10期"). One level.
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="subkinds",
                               verbose_name="所属类型（其中）")
    has_sessions = models.BooleanField("登记期数/场次", default=True)
    session_word = models.CharField("期数单位", max_length=2, default="期")
    has_persons = models.BooleanField("登记人数（人）", default=False)
    has_person_times = models.BooleanField("登记人次", default=False)
    has_units = models.BooleanField("登记覆盖单位（家）", default=False)
    has_items = models.BooleanField("登记数量（项/条/份）", default=False)
    item_word = models.CharField("数量单位", max_length=2, default="项")
    has_money = models.BooleanField("登记金额（元）", default=False)
    verb = models.CharField("参加动词", max_length=6, default="参加", help_text="总结中写作“参训1580人次”的“参训”")
    builtin = models.BooleanField("内置", default=False)
    active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = "活动类型"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def carries(self, column: str) -> bool:
        return any(getattr(self, flag) for flag, col, _l, _u in MEASURES if col == column)

    def carried(self) -> list[tuple[str, str, str]]:
        """[(column, label, unit)] of the measures this kind carries, units in its own words."""
        out = []
        for flag, col, label, unit in MEASURES:
            if getattr(self, flag):
                if col == "sessions":
                    unit = self.session_word
                elif col == "items":
                    unit = self.item_word
                out.append((col, label, unit))
        return out


class Activity(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="activities", verbose_name="主办单位")
    org_path = models.CharField(max_length=255)  # the organiser's path on start_on
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="activities", verbose_name="活动类型")
    title = models.CharField("活动名称", max_length=200)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")
    sessions = models.PositiveIntegerField("期数/场次", null=True, blank=True)
    persons = models.PositiveIntegerField("人数", null=True, blank=True)
    person_times = models.PositiveIntegerField("人次", null=True, blank=True)
    units = models.PositiveIntegerField("覆盖单位（家）", null=True, blank=True)
    items = models.PositiveIntegerField("数量", null=True, blank=True)
    amount = models.DecimalField("金额(元)", **MONEY, null=True, blank=True)
    # True when 人 and 人次 come from the attendance list (never typed then).
    from_attendance = models.BooleanField("按签到名单统计", default=False)
    co_organisers = models.CharField("协办单位", max_length=200, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    copied_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # Scope follows the organiser where it stands now; figures use org_path (its place then).
    scope_path_field = "org__path"

    class Meta:
        verbose_name = "活动记录"
        indexes = [
            models.Index(fields=["org_path", "start_on"], name="activity_path_date"),
            models.Index(fields=["start_on", "org_path"], name="activity_date_path"),
            # One kind over a county: the path range inside the kind, then the dates (a county's rows
            # of one kind for a year are read, not the whole city's; docs/benchmarks.md).
            models.Index(fields=["kind", "org_path", "start_on"], name="activity_kind_path_date"),
            models.Index(fields=["-start_on", "-id"], name="activity_start_desc"),
        ]

    def __str__(self):
        return f"{self.start_on} {self.title}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    def measures(self) -> list[tuple[str, object, str]]:
        """[(label, value, unit)] of the kind's measures on this record."""
        return [(label, getattr(self, col), unit) for col, label, unit in self.kind.carried()]


class Attendance(models.Model):
    """One roster person on an activity's attendance list; `times` sessions attended (人次).
    The activity's kind, date and path are copied so that distinct persons over a county and a
    year are one index range, without a join to the activities."""

    # No index of their own: attendance_once starts with the activity, attendance_kind_path_date
    # with the kind (five million rows: each index is insert time and memory).
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance", db_index=False)
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+", verbose_name="参加人员")
    times = models.PositiveSmallIntegerField("参加次数", default=1)
    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="+", db_index=False)
    on = models.DateField("活动日期")
    path = models.CharField(max_length=255)

    scope_path_field = "activity__org__path"

    class Meta:
        verbose_name = "签到名单"
        constraints = [models.UniqueConstraint(fields=["activity", "person"], name="attendance_once")]
        # Distinct persons are counted from the index alone (index-only scans). A county over a
        # year reads its own path range (path, on, person); the whole tree over a year reads the
        # year (on, path, person); one kind reads the county inside the kind.
        indexes = [
            models.Index(fields=["on", "path", "person"], name="attendance_date_path"),
            models.Index(fields=["path", "on", "person"], name="attendance_path_date"),
            models.Index(fields=["kind", "path", "on", "person"], name="attendance_kind_path_date"),
        ]

    def __str__(self):
        return f"{self.person_id} × {self.times}"


class PostType(models.TextChoices):
    CENTRE = "centre", "职工服务中心"
    STATION = "station", "职工服务站点"
    LIBRARY = "library", "职工书屋"
    CARE = "care", "爱心驿站"
    OUTDOOR = "outdoor", "户外劳动者驿站"
    HOME = "home", "职工之家"
    OTHER = "other", "其他阵地"


class ServicePost(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="service_posts", verbose_name="运营单位")
    org_path = models.CharField(max_length=255)  # the running union's path on opened_on
    type = models.CharField("阵地类型", max_length=10, choices=PostType.choices)
    name = models.CharField("名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    functions = models.CharField("功能室/服务项目", max_length=500, blank=True)
    rooms = models.PositiveSmallIntegerField("功能室数", default=0)
    opening_hours = models.CharField("开放时间", max_length=100, blank=True)
    opened_on = models.DateField("启用日期")
    closed_on = models.DateField("停用日期", null=True, blank=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "服务阵地"
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="servicepost_org_name")]
        indexes = [models.Index(fields=["org_path", "opened_on"], name="servicepost_path_date")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class PostVisitDay(models.Model):
    """A service post's visits on one day (服务人次), with the post's path on that day."""

    post = models.ForeignKey(ServicePost, on_delete=models.CASCADE, related_name="visit_days")
    on = models.DateField("日期")
    visits = models.PositiveIntegerField("服务人次")
    path = models.CharField(max_length=255)
    # The day's visits were entered one by one (PostVisit): the count is theirs, never typed.
    logged = models.BooleanField("逐人登记", default=False)

    class Meta:
        verbose_name = "阵地服务登记"
        constraints = [models.UniqueConstraint(fields=["post", "on"], name="postvisit_once_a_day")]
        indexes = [models.Index(fields=["on", "path"], name="postvisit_date_path")]

    def __str__(self):
        return f"{self.on} {self.visits}人次"


class PostVisit(models.Model):
    """One visit entered on its own (the visit log's other form): who came and for what. The
    day's PostVisitDay counts these, so the figures read one table either way."""

    post = models.ForeignKey(ServicePost, on_delete=models.CASCADE, related_name="visits")
    on = models.DateField("日期")
    visitor = models.CharField("来访职工", max_length=50)
    service = models.CharField("服务项目", max_length=100, blank=True)

    class Meta:
        verbose_name = "阵地来访登记"
        indexes = [models.Index(fields=["post", "on"], name="postvisit_post_on")]

    def __str__(self):
        return f"{self.on} {self.visitor}"


class VolunteerShift(models.Model):
    """志愿服务: one volunteer's service at a post on a day (one 人次) and its hours."""

    post = models.ForeignKey(ServicePost, on_delete=models.CASCADE, related_name="shifts")
    on = models.DateField("日期")
    volunteer = models.CharField("志愿者", max_length=50)
    hours = models.DecimalField("服务时长（小时）", max_digits=5, decimal_places=1)
    path = models.CharField(max_length=255)

    class Meta:
        verbose_name = "志愿服务登记"
        indexes = [models.Index(fields=["on", "path"], name="volunteer_date_path")]

    def __str__(self):
        return f"{self.on} {self.volunteer} {self.hours}小时"


class InspectionKind(models.TextChoices):
    SUPERVISION = "supervision", "群众安全生产监督检查"
    PATROL = "patrol", "职工代表巡视"
    LAW = "law", "劳动法律监督检查"
    SPOT = "spot", "随机抽查"
    ANKANG = "ankang", "安康杯检查"


class Inspection(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="inspections", verbose_name="组织单位")
    org_path = models.CharField(max_length=255)  # on inspected_on
    kind = models.CharField("检查类型", max_length=12, choices=InspectionKind.choices)
    inspected_on = models.DateField("检查日期")
    employer = models.ForeignKey("orgs.Employer", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="被检查单位")
    employer_name = models.CharField("被检查单位名称", max_length=200, blank=True)
    inspectors = models.PositiveIntegerField("参加人数", default=0)
    suggestions = models.PositiveIntegerField("提出建议（条）", default=0)
    note = models.CharField("检查情况", max_length=500, blank=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "安全监督检查"
        indexes = [
            models.Index(fields=["org_path", "inspected_on"], name="inspection_path_date"),
            models.Index(fields=["inspected_on", "org_path"], name="inspection_date_path"),
        ]

    def __str__(self):
        return f"{self.inspected_on} {self.get_kind_display()} {self.employer_name}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


class FindingKind(models.TextChoices):
    VIOLATION = "violation", "三违"
    HAZARD = "hazard", "事故隐患"
    PROBLEM = "problem", "问题"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    MAJOR = "major", "较大"
    SERIOUS = "serious", "重大"


class Finding(models.Model):
    """One finding of an inspection; rectification has a due date and a closing date. Solved on
    the spot: closed on the day it was found."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField("问题类别", max_length=10, choices=FindingKind.choices)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices, default=Severity.GENERAL)
    description = models.CharField("问题描述", max_length=300)
    found_on = models.DateField("发现日期")
    due_on = models.DateField("整改期限", null=True, blank=True)
    closed_on = models.DateField("整改完成日期", null=True, blank=True)
    on_spot = models.BooleanField("现场整改", default=False)
    path = models.CharField(max_length=255)  # the inspection's org_path

    class Meta:
        verbose_name = "检查发现问题"
        indexes = [
            models.Index(fields=["found_on", "path"], name="finding_date_path"),
            models.Index(fields=["due_on"], condition=Q(closed_on__isnull=True), name="finding_open_due"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.description}"

    @property
    def audit_org_path(self) -> str:
        return self.inspection.org.path


class PublicityKind(models.TextChoices):
    REPORT = "report", "调研报告"
    PAPER = "paper", "论文"
    NEWS = "news", "通讯报道"
    BULLETIN = "bulletin", "工运信息"
    JOURNAL = "journal", "期刊"
    MEDIA = "media", "媒体宣传报道"


class PublicityItem(models.Model):
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="publicity", verbose_name="报送单位")
    org_path = models.CharField(max_length=255)
    kind = models.CharField("类别", max_length=10, choices=PublicityKind.choices)
    title = models.CharField("标题", max_length=200)
    outlet = models.CharField("刊发/报送媒体", max_length=100, blank=True)
    published_on = models.DateField("刊发日期")
    issue_no = models.CharField("期号", max_length=20, blank=True)
    entries = models.PositiveIntegerField("条数", default=1, help_text="一期工运信息所含信息条数；其他类别为1")

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "宣传信息"
        indexes = [models.Index(fields=["published_on", "org_path"], name="publicity_date_path")]

    def __str__(self):
        return self.title

    @property
    def audit_org_path(self) -> str:
        return self.org.path


ZERO = Decimal("0.00")


# --- attachments ---------------------------------------------------------------------------------

class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "活动照片"
    SIGN_IN = "sign_in", "签到表"
    OTHER = "other", "其他材料"


class ActivityAttachment(models.Model):
    """A photo, a scanned sign-in sheet or another paper of an activity, stored under the data dir
    (MEDIA_ROOT/activities/<year>/). A sign-in sheet names people: downloading one is
    access-logged."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("附件类别", max_length=8, choices=AttachmentKind.choices, default=AttachmentKind.PHOTO)
    name = models.CharField("名称", max_length=100)
    file = models.FileField("文件", upload_to="activities/%Y/", max_length=200)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by_name = models.CharField("上传人", max_length=150, blank=True)

    scope_path_field = "activity__org__path"

    class Meta:
        verbose_name = "活动附件"
        ordering = ["id"]

    def __str__(self):
        return self.name


# --- 安康杯 participation --------------------------------------------------------------------------

class AnkangResult(models.TextChoices):
    TAKING_PART = "part", "参赛"
    WINNER = "winner", "优胜单位"
    GROUP_WINNER = "group", "优胜班组"
    ORGANISER = "organiser", "优秀组织单位"
    WITHDRAWN = "withdrawn", "未完成"


class AnkangEntry(models.Model):
    """One employer's 安康杯 participation in one year (enrolled by a union node) and its result."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="ankang_entries",
                            verbose_name="组织单位")
    org_path = models.CharField(max_length=255)  # the organising node's path on 31 December of the year
    employer = models.ForeignKey("orgs.Employer", on_delete=models.PROTECT, related_name="+", verbose_name="参赛单位")
    year = models.PositiveSmallIntegerField("年度")
    participants = models.PositiveIntegerField("参赛职工（人）", default=0)
    teams = models.PositiveIntegerField("参赛班组（个）", default=0)
    result = models.CharField("竞赛结果", max_length=10, choices=AnkangResult.choices, default=AnkangResult.TAKING_PART)
    note = models.CharField("备注", max_length=300, blank=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "安康杯参赛单位"
        constraints = [models.UniqueConstraint(fields=["employer", "year"], name="ankang_employer_year")]
        indexes = [models.Index(fields=["year", "org_path"], name="ankang_year_path")]

    def __str__(self):
        return f"{self.year} {self.employer}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path


# --- visits to one person (送温暖、走访慰问) -------------------------------------------------------

class VisitKind(models.TextChoices):
    WARMTH = "warmth", "送温暖"
    FESTIVAL = "festival", "节日慰问"
    ILLNESS = "illness", "生病住院慰问"
    HARDSHIP = "hardship", "困难职工走访"
    MODEL = "model", "走访劳模"
    OTHER = "other", "其他走访"


class PersonVisit(models.Model):
    """A visit to one roster person (送温暖、慰问、走访) by a union node: one 人次; money and goods
    optional. The organiser's path on the visit's date is stored, so figures follow moves."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="person_visits",
                            verbose_name="走访单位")
    org_path = models.CharField(max_length=255)
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name="走访对象")
    kind = models.CharField("走访类型", max_length=10, choices=VisitKind.choices)
    visited_on = models.DateField("走访日期")
    amount = models.DecimalField("慰问金(元)", **MONEY, default=Decimal("0.00"))
    goods = models.CharField("慰问品", max_length=200, blank=True)
    visitors = models.CharField("走访人", max_length=100, blank=True)
    note = models.CharField("情况记录", max_length=500, blank=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "走访慰问"
        indexes = [models.Index(fields=["visited_on", "org_path", "person"], name="personvisit_date_path"),
                   models.Index(fields=["-visited_on", "-id"], name="personvisit_desc")]

    def __str__(self):
        return f"{self.visited_on} {self.get_kind_display()}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path
