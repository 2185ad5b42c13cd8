"""The union tree (组织), its dated history, employers (用人单位) and who covers whom.

Time: every fact has its effective date, and changes are history rows, so figures can be
computed as of any cut-off (ARCHITECTURE §4.3). Tree positions are history too: each org
has `OrgPlacement` rows (its path from one date to another), so a union moved from one
township to another on 1 May counts under the first township as of 30 April.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node


class OrgType(models.TextChoices):
    PROVINCE = "province", "省总工会"
    CITY = "city", "市(地)总工会"
    COUNTY = "county", "县(市、区)总工会"
    INDUSTRY = "industry", "产业(系统)工会"
    TOWNSHIP_FED = "township_fed", "乡镇(街道)工会联合会"
    TOWNSHIP_GEN = "township_gen", "乡镇(街道)总工会"
    WORK_COMMITTEE = "work_committee", "工会工作委员会"
    PARK = "park", "园区工会联合会"
    COMMUNITY_GEN = "community_gen", "社区总工会"
    COMMUNITY = "community", "村(社区)工会"
    REGIONAL = "regional", "区域性、行业性工会联合会"
    GRASSROOTS = "grassroots", "基层工会委员会"
    JOINT_GRASSROOTS = "joint_grassroots", "联合基层工会委员会"
    ORGANIZER = "organizer", "工会组织员"
    SUB_UNION = "sub_union", "二级工会(分工会)"
    GROUP = "group", "工会小组"


# What counts as a 基层工会 in 基层工会总数, 新建, 组建率 etc. (DOMAIN §1.1, §1.7):
# a union committee of one employer, a joint committee of several, and a village or
# community union. Sub-units inside an employer and groups are not counted separately.
GRASSROOTS_TYPES = (OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS, OrgType.COMMUNITY)
# Where members are registered: grass-roots unions, their branch unions, and an 组织员's unit.
MEMBER_UNION_TYPES = (*GRASSROOTS_TYPES, OrgType.SUB_UNION, OrgType.ORGANIZER)
# Federations and other leading bodies: they may have subordinates.
FEDERATION_TYPES = (
    OrgType.PROVINCE, OrgType.CITY, OrgType.COUNTY, OrgType.INDUSTRY, OrgType.TOWNSHIP_FED,
    OrgType.TOWNSHIP_GEN, OrgType.WORK_COMMITTEE, OrgType.PARK, OrgType.COMMUNITY_GEN, OrgType.REGIONAL,
)
# Bodies that elect a committee for a term (3 or 5 years, 工会法 §16).
ELECTED_TYPES = tuple(t for t in OrgType if t not in (OrgType.GROUP, OrgType.WORK_COMMITTEE))

# Which types may stand directly under which (DOMAIN §1.1; 工会法 §10-§12: 地方总工会 by
# administrative level, 乡镇(街道)工会 under the county, 基层工会 under the federation of their
# area or industry). The one table behind founding, moving, type changes, the org import and
# the found form. A 联合基层工会 is itself a grass-roots union (it is counted in 基层工会总数),
# so only its own sub-units stand under it; employers join it as covered employers.
_UNIONS = (OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS, OrgType.ORGANIZER)
_INSIDE_A_UNION = (OrgType.SUB_UNION, OrgType.GROUP)
_AREA_BODIES = (OrgType.WORK_COMMITTEE, OrgType.PARK, OrgType.REGIONAL)
CHILD_TYPES: dict[str, tuple[str, ...]] = {
    OrgType.PROVINCE: (OrgType.CITY, OrgType.INDUSTRY, *_AREA_BODIES, *_UNIONS),
    OrgType.CITY: (OrgType.COUNTY, OrgType.INDUSTRY, *_AREA_BODIES, *_UNIONS),
    OrgType.COUNTY: (OrgType.INDUSTRY, OrgType.TOWNSHIP_FED, OrgType.TOWNSHIP_GEN, OrgType.COMMUNITY_GEN,
                     *_AREA_BODIES, *_UNIONS),
    OrgType.INDUSTRY: (OrgType.REGIONAL, *_UNIONS),
    OrgType.TOWNSHIP_FED: (OrgType.COMMUNITY_GEN, OrgType.COMMUNITY, *_AREA_BODIES, *_UNIONS),
    OrgType.TOWNSHIP_GEN: (OrgType.COMMUNITY_GEN, OrgType.COMMUNITY, *_AREA_BODIES, *_UNIONS),
    OrgType.WORK_COMMITTEE: (OrgType.COMMUNITY, OrgType.REGIONAL, *_UNIONS),
    OrgType.PARK: (OrgType.REGIONAL, *_UNIONS),
    OrgType.COMMUNITY_GEN: (OrgType.COMMUNITY, OrgType.REGIONAL, *_UNIONS),
    OrgType.REGIONAL: _UNIONS,
    OrgType.COMMUNITY: _INSIDE_A_UNION,
    OrgType.GRASSROOTS: _INSIDE_A_UNION,
    OrgType.JOINT_GRASSROOTS: _INSIDE_A_UNION,
    OrgType.SUB_UNION: _INSIDE_A_UNION,  # 公司、矿、区队(车间): branch unions nest (S4)
    OrgType.ORGANIZER: (),
    OrgType.GROUP: (),
}


def child_type_problem(parent_type: str, parent_name: str, child_type: str) -> str | None:
    """Why a `child_type` may not stand under a parent of `parent_type`, in Chinese; None if it may."""
    allowed = CHILD_TYPES.get(parent_type, ())
    if child_type in allowed:
        return None
    parent_label = OrgType(parent_type).label
    if not allowed:
        return f"“{parent_name}”是{parent_label}，其下不能再设下级组织。"
    labels = "、".join(OrgType(t).label for t in allowed)
    return f"“{parent_name}”是{parent_label}，其下不能设{OrgType(child_type).label}（只能设{labels}）。"


class OrgStatus(models.TextChoices):
    PREPARING = "preparing", "筹建中"
    ACTIVE = "active", "正常"
    INACTIVE = "inactive", "停止活动"
    DISSOLVED = "dissolved", "已注销"


class Org(MP_Node):
    steplen = 4
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    name = models.CharField("工会名称", max_length=200)
    short_name = models.CharField("简称", max_length=50, blank=True)
    code = models.CharField("组织编码", max_length=40, unique=True)
    org_type = models.CharField("组织类型", max_length=20, choices=OrgType.choices)
    status = models.CharField("状态", max_length=12, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    funding_parent = models.ForeignKey(
        "self", verbose_name="经费收缴上级", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    founded_on = models.DateField("成立(批准)日期", null=True, blank=True)
    approval_no = models.CharField("批准文号", max_length=100, blank=True)
    dissolved_on = models.DateField("注销日期", null=True, blank=True)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    address = models.CharField("办公地址", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    chair_name = models.CharField("工会主席", max_length=50, blank=True)
    womens_committee_on = models.DateField("女职工委员会成立日期", null=True, blank=True)
    audit_committee_on = models.DateField("经费审查委员会成立日期", null=True, blank=True)
    # 法人资格登记 (DOMAIN §1.5)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True, unique=True)
    legal_cert_no = models.CharField("法人资格证书号", max_length=50, blank=True)
    legal_cert_issued_on = models.DateField("法人证书发证日期", null=True, blank=True)
    legal_cert_valid_until = models.DateField("法人证书有效期至", null=True, blank=True)
    # The current term (本届); earlier terms are OrgTerm rows.
    term_number = models.PositiveSmallIntegerField("届次", null=True, blank=True)
    term_started_on = models.DateField("本届选举日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("任期(年)", null=True, blank=True)
    term_ends_on = models.DateField("届满日期", null=True, blank=True, db_index=True)
    name_pinyin = models.CharField(max_length=255, blank=True)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    node_order_by: list[str] = []  # ordering is done in queries; see ECOSYSTEM §3.3
    scope_path_field = "path"

    class Meta:
        verbose_name = "工会组织"
        indexes = [
            models.Index(fields=["org_type", "founded_on"], name="org_type_founded"),
            models.Index(fields=["name"], name="org_name"),
            # The columns the union counts test, beside the id (PostgreSQL only; elsewhere a
            # plain id index): for a subtree's placements PostgreSQL then probes the orgs by an
            # index-only scan instead of hashing a sequential scan of the whole table (issue 14:
            # a county of the city demo read all 20,294 orgs to count its 1,535 unions).
            models.Index(fields=["id"], include=["org_type", "founded_on", "dissolved_on", "legal_cert_issued_on"],
                         name="org_id_union_cols"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.path

    @property
    def is_grassroots(self) -> bool:
        return self.org_type in GRASSROOTS_TYPES

    @property
    def is_dissolved(self) -> bool:
        return self.status == OrgStatus.DISSOLVED

    @property
    def has_legal_person(self) -> bool:
        return bool(self.legal_cert_issued_on)

    def term_overdue(self, today: dt.date) -> bool:
        return bool(self.term_ends_on and self.term_ends_on < today and not self.is_dissolved)


def active_on(at: dt.date, prefix: str = "") -> Q:
    """Orgs that exist on `at`: founded on or before it and not yet dissolved."""
    return (Q(**{f"{prefix}founded_on__lte": at}) | Q(**{f"{prefix}founded_on__isnull": True})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": at})
    )


class OrgPlacement(models.Model):
    """Where an org stood in the tree from `valid_from` until `valid_to` (exclusive)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="placements")
    path = models.CharField(max_length=255)
    prev_path = models.CharField(max_length=255, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    event = models.ForeignKey("OrgEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [
            # org_id and valid_to carried in the index (PostgreSQL): a subtree on a date is then an
            # index-only range scan, whatever the size of the table (issue 14).
            models.Index(fields=["path", "valid_from"], include=["org", "valid_to"], name="placement_path_from_cover"),
            models.Index(fields=["org", "valid_from"], name="placement_org_from"),
        ]

    def __str__(self):
        return f"{self.org_id}@{self.path} {self.valid_from}–{self.valid_to or ''}"


class OrgEvent(models.Model):
    """A dated lifecycle event: the history timeline and the source of flow figures."""

    class Kind(models.TextChoices):
        FOUNDED = "founded", "组建"
        UPDATED = "updated", "信息变更"
        RENAMED = "renamed", "更名"
        MOVED = "moved", "转移"
        REELECTED = "reelected", "换届"
        TYPE_CHANGED = "type_changed", "升格/类型变更"
        LEGAL_REGISTERED = "legal_registered", "法人资格登记"
        DISSOLVED = "dissolved", "注销"

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="events", verbose_name="组织")
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    effective_on = models.DateField("生效日期")
    # The org's path on the effective date, so flow figures roll up to where it stood then.
    path = models.CharField(max_length=255)
    data = models.JSONField("内容", default=dict, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = "组织变动"
        indexes = [
            models.Index(fields=["kind", "effective_on", "path"], name="orgevent_kind_date"),
        ]

    def __str__(self):
        return f"{self.org} {self.get_kind_display()} {self.effective_on}"


class OrgTerm(models.Model):
    """One term (届) of an org's committee."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField("届次")
    elected_on = models.DateField("选举日期")
    years = models.PositiveSmallIntegerField("任期(年)")
    ends_on = models.DateField("届满日期")
    chair_name = models.CharField("主席", max_length=50, blank=True)

    class Meta:
        ordering = ["org", "-elected_on"]
        indexes = [models.Index(fields=["org", "elected_on"], name="term_org_elected")]

    def __str__(self):
        return f"{self.org_id} 第{self.number}届 {self.elected_on}"


class Ownership(models.TextChoices):
    STATE = "state", "国有"
    COLLECTIVE = "collective", "集体"
    PRIVATE = "private", "民营"
    HMT = "hmt", "港澳台商投资"
    FOREIGN = "foreign", "外商投资"
    GOVERNMENT = "government", "机关"
    INSTITUTION = "institution", "事业单位"
    SOCIAL = "social", "社会组织"
    INDIVIDUAL = "individual", "个体经济组织"


class Employer(models.Model):
    """A 用人单位, separate from its union: an employer may have no union yet."""

    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    # The federation responsible for the employer's area; scope follows it.
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="employers", verbose_name="属地工会")
    ownership = models.CharField("单位性质", max_length=20, choices=Ownership.choices, default=Ownership.PRIVATE)
    # The unit as the 全总 statistics report and the 工会组织信息登记表 describe it (issue 17): codes of
    # core.codes tables (unit_category, economic_type, industry = GB/T 4754-2017), shown by their label.
    unit_category = models.CharField("单位类别", max_length=3, blank=True)
    economic_type = models.CharField("经济类型", max_length=3, blank=True)
    industry = models.CharField("行业（GB/T 4754）", max_length=50, blank=True)
    org_code = models.CharField("组织机构代码", max_length=9, blank=True)  # GB 11714, before the USCC
    headcount = models.PositiveIntegerField("职工人数", default=0)
    women_count = models.PositiveIntegerField("女职工人数", default=0)
    migrant_count = models.PositiveIntegerField("农民工人数", default=0)
    is_fortune500 = models.BooleanField("世界500强", default=False)
    is_above_scale = models.BooleanField("规模以上", default=False)
    # None: apply the rule in settings (headcount >= REQUIRED_HEADCOUNT); True/False overrides it.
    required_override = models.BooleanField("应建会(人工认定)", null=True, blank=True)
    registered_on = models.DateField("成立日期", null=True, blank=True)
    closed_on = models.DateField("注销(关闭)日期", null=True, blank=True)
    region_code = models.CharField("行政区划代码", max_length=12, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    name_pinyin = models.CharField(max_length=255, blank=True)
    name_initials = models.CharField(max_length=100, blank=True, db_index=True)
    # orgs.matching.normalise_name(name): a roster's 工作单位 names its employer (issue 17).
    name_norm = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path_field = "org__path"

    class Meta:
        verbose_name = "用人单位"
        indexes = [models.Index(fields=["org", "headcount"], name="employer_org_headcount")]

    def __str__(self):
        return self.name

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def is_over_1000(self) -> bool:
        return self.headcount >= 1000

    @property
    def uscc_pending(self) -> bool:
        """待补充信用代码: registered without its credit code (e.g. from a roster's 工作单位 name)."""
        return not self.uscc


class EmployerAlias(models.Model):
    """Another name under which an employer appears in clerks' sheets (导入名称): a roster import
    matches it like the registered name. Kept normalised (orgs.matching.normalise_name)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="aliases", verbose_name="用人单位")
    name = models.CharField("名称", max_length=200)
    name_norm = models.CharField(max_length=200, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "employer__org__path"

    class Meta:
        verbose_name = "用人单位别名"
        constraints = [models.UniqueConstraint(fields=["employer", "name_norm"], name="employer_alias_unique")]

    def __str__(self):
        return f"{self.name} → {self.employer_id}"

    @property
    def audit_org_path(self) -> str:
        return self.employer.org.path


def required_q(threshold: int, prefix: str = "") -> Q:
    """Employers that should have a union (应建会): the override, else headcount >= threshold."""
    return Q(**{f"{prefix}required_override": True}) | Q(
        **{f"{prefix}required_override__isnull": True, f"{prefix}headcount__gte": threshold}
    )


def employer_open_on(at: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}registered_on__lte": at}) | Q(**{f"{prefix}registered_on__isnull": True})) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": at})
    )


class Coverage(models.Model):
    """A union covers an employer from `valid_from` until `valid_to` (exclusive).

    A 联合基层工会 covers many employers; an employer is covered by one union at a time.
    """

    union = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="coverages", verbose_name="工会")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="coverages", verbose_name="用人单位")
    valid_from = models.DateField("覆盖起始日期")
    valid_to = models.DateField("覆盖终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "工会覆盖单位"
        indexes = [
            models.Index(fields=["employer", "valid_from"], name="coverage_employer_from"),
            models.Index(fields=["union", "valid_from"], name="coverage_union_from"),
        ]

    def __str__(self):
        return f"{self.union} → {self.employer}"

    @property
    def audit_org_path(self) -> str:
        return self.union.path


def valid_on(at: dt.date, prefix: str = "") -> Q:
    """Interval rows (placements, coverages) valid on `at`: from <= at < to."""
    return Q(**{f"{prefix}valid_from__lte": at}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": at})
    )


class NodeTemplate(models.Model):
    """A node's own Word template (a docxtpl .docx), one per org, used for its whole subtree
    instead of the built-in one: the nearest up the tree wins (core.docx_templates.keep/nearest).
    A line's template model names what it prints in its Meta."""

    org = models.OneToOneField(Org, on_delete=models.CASCADE, related_name="+", verbose_name="组织")
    name = models.CharField("文件名", max_length=200)
    content = models.BinaryField("模板")
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="上传人")

    scope_path_field = "org__path"

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.org}：{self.name}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path
