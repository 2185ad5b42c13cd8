"""The figures of the 全总 annual statistics report (基层工会统计年报, reports/annual.py) that no work
line registers: grass-roots unions, their employees and members by 单位类别, 联合基层工会 and the
units they cover, 女职工委员会 and 经费审查组织.

They cross the orgs and members lines (a union's 单位类别 is its covered employer's; its members are
the roster's), so they live here, registered in the one metric registry like every other figure
(the reports app imports this module at start-up, ReportsConfig.connect) and each with a
hand-written SQL twin in bench/twins/annual.py that tests/bench/test_twins.py keeps equal.

单位类别 of a grass-roots union (the rows of 表一): the category of the employer it covers on the
cut-off (a 联合基层工会 covering several: the one with the most employees, then the lowest id),
read from the employer's 单位类别 code (`Employer.unit_category`) where it is filled in, else
from its 单位性质 (`Employer.ownership`: 国有/集体/民营 → 内资企业, 港澳台商投资, 外商投资, 事业单位,
机关, 社会组织, 个体经济组织). A union covering no open employer on the cut-off (a village or
community union, one whose employer closed) is 其他. Every column of a row follows the union's
category: its covered employers' employees, its members — members of a union that is no
grass-roots union (a 分工会, an 组织员's unit) count under 其他 too, so the rows add up to the
total.

Each figure takes the filter `unit_type` (one of UNIT_TYPES); without it, every category: the
unfiltered 基层工会数 and 会员 figures are the same sets as orgs.unions_total and members.*, read
from the same querysets (orgs.metrics._unions_on, members.metrics.active_on), so the two can never
drift apart.

职工人数 (and 女职工, 农民工) is the employer's recorded headcount (Employer.headcount), which has no
history: a past year's report shows today's headcounts of the employers covered then.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf

from gonghui.core.metrics import Filter, metric, shared
from gonghui.members.metrics import _active_counts
from gonghui.members.metrics import active_on as members_active_on
from gonghui.members.models import Gender
from gonghui.orgs.metrics import _unions_on
from gonghui.orgs.models import Coverage, Org, OrgType, employer_open_on, valid_on

GROUP = "基层工会统计年报"

# The rows of 表一 below the total: key → (label, the 单位性质 values, the 单位类别 codes it holds).
# 单位类别 codes follow the 工会组织信息登记表 (110 国有企业 … 190 其他内资企业, 200 港澳台商投资企业,
# 300 外商投资企业, 400 事业, 500 机关, 600 个体经济组织, 700 民办非企业): a code belongs to the row
# whose prefix it starts with.
UNIT_TYPES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "enterprise": ("企业", ("state", "collective", "private", "hmt", "foreign"), ("1", "2", "3")),
    "domestic": ("内资企业", ("state", "collective", "private"), ("1",)),
    "hmt": ("港澳台商投资企业", ("hmt",), ("2",)),
    "foreign": ("外商投资企业", ("foreign",), ("3",)),
    "institution": ("事业单位", ("institution",), ("4",)),
    "government": ("机关", ("government",), ("5",)),
    "social": ("社会组织", ("social",), ("7", "8")),
    "individual": ("个体经济组织", ("individual",), ("6",)),
    "other": ("其他", (), ()),
}
CODE_FIELD = "unit_category"  # the employer's 单位类别 code; its 单位性质 (ownership) where that is blank


def category_q(unit_type: str) -> Q:
    """Unions annotated by `_typed` (cat_own: the 单位性质 of their largest covered employer;
    cat_code: its 单位类别 code, when the schema has one) inside the row `unit_type`. The code
    decides where it is filled in; the 单位性质 where it is not."""
    if unit_type == "other":
        return Q(cat_own__isnull=True)  # no covered employer open on the cut-off
    _label, ownerships, prefixes = UNIT_TYPES[unit_type]
    q = Q(cat_code__isnull=True) & Q(cat_own__in=ownerships)
    for prefix in prefixes:
        q |= Q(cat_code__startswith=prefix)
    return q


def unit_type_choices(org=None, period=None) -> list[tuple[str, str]]:
    return [(k, v[0]) for k, v in UNIT_TYPES.items()]


def _clean_unit_type(value: str) -> str:
    if value not in UNIT_TYPES:
        raise ValueError(value)
    return value


UNIT_TYPE = Filter("unit_type", "单位类别", clean=_clean_unit_type, choices=unit_type_choices)


def _largest(at, column: str):
    """`column` of a union's largest covered employer open on `at` (by headcount, then id); a
    blank code counts as none."""
    covered = (Coverage.objects.filter(valid_on(at), employer_open_on(at, "employer__"), union=OuterRef("pk"))
               .order_by("-employer__headcount", "employer_id")
               .annotate(_c=NullIf(f"employer__{column}", Value(""))).values("_c")[:1])
    return Subquery(covered)


def _categorised(unions, at):
    return unions.annotate(cat_own=_largest(at, "ownership"), cat_code=_largest(at, CODE_FIELD))


def _typed(unions, at, unit_type: str | None):
    """`unions` (grass-roots unions) limited to the row `unit_type` (None: all of them)."""
    if unit_type is None:
        return unions
    return _categorised(unions, at).filter(category_q(unit_type))


def unions_of(org, period, subs, unit_type=None):
    return _typed(_unions_on(org, period.end, subs), period.end, unit_type)


def _members(org, period, subs, unit_type, **filters):
    at = period.end
    qs = members_active_on(org, at, subs).filter(**filters)
    if unit_type is None:
        return qs
    # The members' unions are those placed under the node on the cut-off (a period's path is its
    # union's path then): only they are classified, so a township's figure reads the township's
    # unions and their employers, not the whole tree's (issue 14, item 1). By id: SQLite would
    # otherwise classify every union before joining its placement.
    grassroots = Org.objects.filter(pk__in=_unions_on(org, at, subs).values("pk"))
    if unit_type == "other":
        # Whoever is in no classified grass-roots union: community unions, 分工会, 组织员 units.
        classified = _categorised(grassroots, at).filter(cat_own__isnull=False).values("pk")
        return qs.exclude(union__in=classified)
    return qs.filter(union__in=_typed(grassroots, at, unit_type).values("pk"))


EMPLOYEE_FIELDS = ("headcount", "women_count", "migrant_count")


def _employee_sums(org, period, subs, unit_type, fields) -> dict[str, int]:
    at = period.end
    unions = unions_of(org, period, subs, unit_type).values("pk")
    sums = (Coverage.objects.filter(valid_on(at), employer_open_on(at, "employer__"), union__in=unions)
            .aggregate(**{f: Coalesce(Sum(f"employer__{f}"), Value(0), output_field=IntegerField()) for f in fields}))
    return {f: int(v) for f, v in sums.items()}


def _employees(org, period, subs, unit_type, field: str) -> int:
    # Computed together (core.metrics.sharing: the dashboard, the summary), 职工, 女职工 and 农民工
    # of the same unions are one pass over their coverage; alone, the one sum.
    together = shared(("annual.employees", org.pk, period.end, subs, unit_type),
                      lambda: _employee_sums(org, period, subs, unit_type, EMPLOYEE_FIELDS))
    return together[field] if together is not None else _employee_sums(org, period, subs, unit_type, (field,))[field]


def _shared_members(org, period, subs, unit_type, key: str) -> int | None:
    """The unfiltered count from members' shared pass (members.total, .women, .migrant_workers
    count the same set), when figures are computed together; None otherwise."""
    if unit_type is not None:
        return None
    counts = _active_counts(org, period.end, subs)
    return None if counts is None else counts[key]


def _annual(code: str, label: str, unit: str, description: str, phrase: str = "", part_of: str = ""):
    # part_of: the work summary writes a part inside its whole ("职工130人（其中女职工40人）").
    return metric(f"annual.{code}", label=label, unit=unit, group=GROUP, description=description,
                  filters=(UNIT_TYPE,), phrase=phrase, part_of=f"annual.{part_of}" if part_of else "")


@_annual("unions", "基层工会数（按单位类别）", "家", "截止日的基层工会，可按所在单位的单位类别筛选（不选为全部，同基层工会总数）",
         phrase="基层工会")
def unions(org, period, subs, unit_type=None):
    return unions_of(org, period, subs, unit_type).count()


@_annual("joint_unions", "联合基层工会数", "家", "截止日的联合基层工会，可按单位类别筛选", phrase="联合基层工会", part_of="unions")
def joint_unions(org, period, subs, unit_type=None):
    return unions_of(org, period, subs, unit_type).filter(org_type=OrgType.JOINT_GRASSROOTS).count()


@_annual("employees", "已建工会单位职工人数", "人",
         "截止日基层工会覆盖的用人单位职工人数（用人单位登记的职工人数），可按单位类别筛选", phrase="已建工会单位职工")
def employees(org, period, subs, unit_type=None):
    return _employees(org, period, subs, unit_type, "headcount")


@_annual("women_employees", "已建工会单位女职工人数", "人", "截止日基层工会覆盖的用人单位女职工人数，可按单位类别筛选",
         phrase="女职工", part_of="employees")
def women_employees(org, period, subs, unit_type=None):
    return _employees(org, period, subs, unit_type, "women_count")


@_annual("migrant_employees", "已建工会单位农民工人数", "人", "截止日基层工会覆盖的用人单位农民工人数，可按单位类别筛选",
         phrase="农民工", part_of="employees")
def migrant_employees(org, period, subs, unit_type=None):
    return _employees(org, period, subs, unit_type, "migrant_count")


@_annual("members", "会员人数（按单位类别）", "人", "截止日在会的会员，可按所在基层工会的单位类别筛选（不选为全部，同会员总数）",
         phrase="会员")
def members(org, period, subs, unit_type=None):
    n = _shared_members(org, period, subs, unit_type, "total")
    return n if n is not None else _members(org, period, subs, unit_type).count()


@_annual("women_members", "女会员人数（按单位类别）", "人", "截止日在会的女会员，可按单位类别筛选", phrase="女会员", part_of="members")
def women_members(org, period, subs, unit_type=None):
    n = _shared_members(org, period, subs, unit_type, "women")
    return n if n is not None else _members(org, period, subs, unit_type, gender=Gender.FEMALE).count()


@_annual("migrant_members", "农民工会员人数（按单位类别）", "人", "截止日在会的农民工会员，可按单位类别筛选",
         phrase="农民工会员", part_of="members")
def migrant_members(org, period, subs, unit_type=None):
    n = _shared_members(org, period, subs, unit_type, "migrant")
    return n if n is not None else _members(org, period, subs, unit_type, migrant=True).count()


@metric("annual.joint_covered_units", label="联合工会涵盖单位数", unit="家", group=GROUP, phrase="联合工会涵盖单位",
        description="截止日联合基层工会覆盖的、仍存续的用人单位数")
def joint_covered_units(org, period, subs):
    at = period.end
    joint = unions_of(org, period, subs).filter(org_type=OrgType.JOINT_GRASSROOTS).values("pk")
    return (Coverage.objects.filter(valid_on(at), employer_open_on(at, "employer__"), union__in=joint)
            .aggregate(n=Count("employer", distinct=True))["n"])


@metric("annual.joint_members", label="联合工会会员人数", unit="人", group=GROUP, phrase="联合工会会员",
        description="截止日在联合基层工会在会的会员")
def joint_members(org, period, subs):
    at = period.end
    joint = Org.objects.filter(org_type=OrgType.JOINT_GRASSROOTS).values("pk")
    return members_active_on(org, at, subs).filter(union__in=joint).count()


@metric("annual.womens_committees", label="建立女职工委员会的基层工会", unit="家", group=GROUP,
        phrase="建立女职工委员会的基层工会", description="截止日已成立女职工委员会的基层工会")
def womens_committees(org, period, subs):
    return unions_of(org, period, subs).filter(womens_committee_on__lte=period.end).count()


@metric("annual.audit_committees", label="建立经费审查组织的基层工会", unit="家", group=GROUP,
        phrase="建立经费审查组织的基层工会", description="截止日已成立经费审查委员会的基层工会")
def audit_committees(org, period, subs):
    return unions_of(org, period, subs).filter(audit_committee_on__lte=period.end).count()
