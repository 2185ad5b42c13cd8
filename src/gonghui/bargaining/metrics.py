"""Collective-bargaining figures (DOMAIN §3.6), registered in the metric registry.

Contracts count under their union's tree position at the cut-off; employer figures count
each employer once, under the node where it is registered (its 属地), so an employer bound
by a regional contract and by its own wage agreement is still one employer, and every
figure adds up over the tree.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import Substr
from django.urls import reverse

from gonghui.core.metrics import (
    HIGHER_BETTER,
    RecordRow,
    Records,
    Value,
    breakdown_for,
    grouped_aggregates,
    grouped_counts,
    grouped_rates,
    metric,
    rate,
    rates_from,
    records_for,
    shared,
)
from gonghui.core.tables import register_table
from gonghui.democracy.selectors import has_congress_on
from gonghui.orgs.metrics import employers_under_q
from gonghui.orgs.models import Coverage, Employer, Org, Ownership, active_on, employer_open_on, valid_on
from gonghui.orgs.selectors import path_on, placed_in, placed_under

from .models import Contract, ContractEmployer, ContractType, Inspection, in_force_q
from .selectors import expiring_q

GROUP = "集体协商"
LIST = "bargaining:index"  # the registry, filtered with ?org=CODE
# 非公有制企业: what the 建制率 of the seeds is measured on.
NON_PUBLIC = (Ownership.PRIVATE, Ownership.HMT, Ownership.FOREIGN, Ownership.INDIVIDUAL)


def _contracts(org, at, subs, grouped=False):
    """The contracts of the unions under the node. `grouped`: through the placement join, whose
    path the breakdowns group on; otherwise the semi-join on the placements the single figures
    plan in proportion to the subtree (orgs.selectors.placed_in)."""
    under = placed_under(org, at, subs, prefix="org__") if grouped else placed_in(org, at, subs)
    return Contract.objects.filter(under)


def _signed(org, period, subs, *types, grouped=False):
    qs = _contracts(org, period.end, subs, grouped).filter(signed_on__gte=period.start, signed_on__lte=period.end)
    return qs.filter(contract_type__in=types) if types else qs


def _employers(org, at, subs, grouped=False):
    """The employers open on `at` under the node. `grouped`: through the placement join, whose
    path the breakdowns group on; otherwise the semi-join the single figures plan better
    (orgs.metrics.employers_under_q)."""
    under = placed_under(org, at, subs, prefix="org__") if grouped else employers_under_q(org, at, subs)
    return Employer.objects.filter(under, employer_open_on(at))


def _bound_on(at, *types, scope=None):
    """The employer is bound on `at` by a contract (of these types; of this scope) in force."""
    parties = ContractEmployer.objects.filter(in_force_q(at, "contract__"), employer=OuterRef("pk"))
    if types:
        parties = parties.filter(contract__contract_type__in=types)
    if scope:
        parties = parties.filter(contract__scope=scope)
    return Exists(parties)


def _unionised_non_public(org, at, subs, grouped=False):
    """已建会非公企业: non-public employers covered on `at` by a union that existed then."""
    covered = Exists(Coverage.objects.filter(valid_on(at), active_on(at, "union__"), employer=OuterRef("pk")))
    return _employers(org, at, subs, grouped).filter(covered, ownership__in=NON_PUBLIC)


def _with_congress(org, at, subs, grouped=False):
    """已建职代会的非公企业 (DOMAIN §3.6, the 集体合同签订率's base): non-public employers open on `at`
    with a workers' congress then, their own or a regional/sectoral one covering them (民主管理)."""
    return _employers(org, at, subs, grouped).filter(has_congress_on(at), ownership__in=NON_PUBLIC)


# The employers each rate is taken over: the 集体合同签订率 over those with a 职代会, which approves the
# draft; the others over the unionised ones.
RATE_BASE = {ContractType.WAGE: _unionised_non_public, ContractType.GENERAL: _with_congress,
             ContractType.WOMEN: _unionised_non_public}
BASE_WORD = {ContractType.WAGE: "已建会非公企业", ContractType.GENERAL: "已建职代会非公企业",
             ContractType.WOMEN: "已建会非公企业"}


@metric("bargaining.contracts_signed", label="签订集体合同", unit="份", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="期间内签字的各类集体合同、专项集体协议")
def contracts_signed(org, period, subs):
    return _signed(org, period, subs).count()


@metric("bargaining.wage_agreements_signed", label="签订工资专项集体协议", unit="份", group=GROUP, direction=HIGHER_BETTER, phrase="工资专项集体协议", part_of="bargaining.contracts_signed")
def wage_agreements_signed(org, period, subs):
    return _signed(org, period, subs, ContractType.WAGE).count()


@metric("bargaining.womens_contracts_signed", label="签订女职工权益保护专项集体合同", unit="份", group=GROUP, direction=HIGHER_BETTER, phrase="女职工权益保护专项集体合同", part_of="bargaining.contracts_signed")
def womens_contracts_signed(org, period, subs):
    return _signed(org, period, subs, ContractType.WOMEN).count()


@metric("bargaining.employers_signed", label="完成签订企业", unit="家", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="期间内签订了工资专项集体协议或综合性集体合同的企业（区域性、行业性合同覆盖的企业各计一次）")
def employers_signed(org, period, subs):
    return _employers_signed(org, period, subs).count()


def _employers_signed(org, period, subs, grouped=False):
    signed = ContractEmployer.objects.filter(
        employer=OuterRef("pk"), contract__signed_on__gte=period.start, contract__signed_on__lte=period.end,
        contract__contract_type__in=(ContractType.WAGE, ContractType.GENERAL))
    return _employers(org, period.end, subs, grouped).filter(Exists(signed))


@metric("bargaining.employers_covered", label="集体合同覆盖企业", unit="家", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="截止日受有效集体合同约束的企业，每家只计一次")
def employers_covered(org, period, subs):
    return _employers(org, period.end, subs).filter(_bound_on(period.end)).count()


@metric("bargaining.employees_covered", label="集体合同覆盖职工", unit="人", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="截止日受有效集体合同约束的企业的职工人数（签订时），每家企业只计一次")
def employees_covered(org, period, subs):
    return _largest_parties(org, period.end, subs).aggregate(n=Sum("_largest"))["n"] or 0


def _largest_parties(org, at, subs, grouped=False, scope=None):
    """Each employer bound on `at` with the headcount of its largest contract in force: one
    grouped join of the contract parties (not a subquery per employer), from the employers under
    the node, so the plan starts from the subtree's placements. `grouped`: through the placement
    join, whose path the breakdown groups on."""
    under = (placed_under(org, at, subs, prefix="employer__org__") if grouped
             else employers_under_q(org, at, subs, prefix="employer__"))
    parties = ContractEmployer.objects.filter(under, employer_open_on(at, "employer__"), in_force_q(at, "contract__"))
    if scope:
        parties = parties.filter(contract__scope=scope)
    return parties.order_by().values("employer").annotate(_largest=Max("employees"))


@metric("bargaining.contracts_in_force", label="有效集体合同", unit="份", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="截止日已生效、在期限内且未终止的合同")
def contracts_in_force(org, period, subs):
    return _contracts(org, period.end, subs).filter(in_force_q(period.end)).count()


@metric("bargaining.contracts_expiring", label="三个月内到期的合同", unit="份", group=GROUP, list_url=LIST,
        description="截止日有效、期限止在其后三个月内的合同：应启动续订协商")
def contracts_expiring(org, period, subs):
    at = period.end
    return _contracts(org, at, subs).filter(expiring_q(at)).count()


def _coverage_rate(org, period, subs, contract_type) -> Value:
    at = period.end
    # Two counts, not one with FILTER (EXISTS ...): PostgreSQL runs an EXISTS inside an aggregate's
    # FILTER once per row (2.5 s at county size) but plans one in WHERE as a semi-join (docs/benchmarks.md).
    base_of = RATE_BASE[contract_type]
    base = base_of(org, at, subs)
    # Inside sharing() (a dashboard, the summary) the rates over one base are counted in one pass:
    # the base and each rate's bound employers, as FILTER on an uncorrelated IN (SELECT …), which
    # PostgreSQL hashes once (not the EXISTS above, run per row inside a FILTER). Alone, a rate
    # keeps its two counts, planned as semi-joins.
    types = [t for t, b in RATE_BASE.items() if b is base_of]
    together = shared(("bargaining.rate_base", base_of.__name__, org.pk, at, subs), lambda: base.aggregate(
        _n=Count("pk"), **{f"_{t}": Count("pk", filter=Q(pk__in=_bound_ids(at, t))) for t in types}))
    if together is not None:
        return rate(together[f"_{contract_type}"], together["_n"])
    return rate(base.filter(_bound_on(at, contract_type)).count(), base.count())


def _bound_ids(at, contract_type):
    """The employers bound on `at` by a contract of this type in force (uncorrelated)."""
    return ContractEmployer.objects.filter(in_force_q(at, "contract__"), contract__contract_type=contract_type).values(
        "employer_id")


@metric("bargaining.wage_agreement_rate", label="工资集体协商建制率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="已建会非公企业中有有效工资专项集体协议的 ÷ 已建会非公企业")
def wage_agreement_rate(org, period, subs):
    return _coverage_rate(org, period, subs, ContractType.WAGE)


@metric("bargaining.collective_contract_rate", label="集体合同签订率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="已建职代会（含区域性、行业性职代会覆盖）的非公企业中有有效综合性集体合同的 ÷ 已建职代会的非公企业")
def collective_contract_rate(org, period, subs):
    return _coverage_rate(org, period, subs, ContractType.GENERAL)


@metric("bargaining.womens_contract_rate", label="女职工专项合同签订率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="已建会非公企业中有有效女职工权益保护专项集体合同的 ÷ 已建会非公企业")
def womens_contract_rate(org, period, subs):
    return _coverage_rate(org, period, subs, ContractType.WOMEN)


@metric("bargaining.avg_wage_increase_pct", label="平均工资增长幅度", unit="%", group=GROUP, list_url=LIST,
        description="期间内签订的工资专项集体协议约定的工资增长幅度的平均数")
def avg_wage_increase_pct(org, period, subs):
    return _average(_wage_increases(org, period, subs).aggregate(avg=Avg("wage_increase_pct"), n=Count("pk")))


def _wage_increases(org, period, subs, grouped=False):
    return _signed(org, period, subs, ContractType.WAGE, grouped=grouped).filter(wage_increase_pct__isnull=False)


def _average(agg: dict) -> Value:
    if not agg["n"]:
        return Value(None)
    return Value(Decimal(agg["avg"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@metric("bargaining.increase_ge_10pct_share", label="工资增幅在10%以上的协议占比", unit="%", group=GROUP, list_url=LIST,
        description="期间内签订、约定增幅不低于 10% 的工资专项集体协议 ÷ 约定了增幅的工资专项集体协议")
def increase_ge_10pct_share(org, period, subs):
    agg = _wage_increases(org, period, subs).aggregate(n=Count("pk"), ge=Count("pk", filter=TEN_PCT))
    return rate(agg["ge"], agg["n"])


TEN_PCT = Q(wage_increase_pct__gte=10)


@metric("bargaining.fulfilment_rate", label="履约兑现率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="期间内履约检查中已兑现的条款 ÷ 检查的条款")
def fulfilment_rate(org, period, subs):
    return _fulfilment(_inspections(org, period, subs).aggregate(**FULFILMENT))


def _inspections(org, period, subs, grouped=False):
    under = (placed_under(org, period.end, subs, prefix="contract__org__") if grouped
             else placed_in(org, period.end, subs, "contract__org_id"))
    return Inspection.objects.filter(under, checked_on__gte=period.start, checked_on__lte=period.end)


FULFILMENT = {"checked": Sum("items_checked"), "fulfilled": Sum("items_fulfilled")}


def _fulfilment(agg: dict) -> Value:
    return rate(agg["fulfilled"] or 0, agg["checked"] or 0)


# --- the records behind the counts (the statistics pages' drill-down) --------------------------------

def _contract_row(c) -> RecordRow:
    return RecordRow(label=f"{c.title}（{c.get_status_display()}）", date=c.signed_on or c.opened_on,
                     org_name=c.org.name, url=reverse("bargaining:detail", args=[c.pk]))


def _employer_row(e) -> RecordRow:
    return RecordRow(label=f"{e.name}（{e.headcount} 人）", org_name=e.org.name,
                     url=reverse("orgs:employer_detail", args=[e.pk]))


def _contracts_records(qs_for):
    def records(org, period, subs):
        return Records(qs_for(org, period, subs).select_related("org").order_by("-signed_on", "pk"), _contract_row)

    return records


def _employer_records(qs_for):
    def records(org, period, subs):
        return Records(qs_for(org, period, subs).select_related("org").order_by("name", "pk"), _employer_row)

    return records


records_for("bargaining.contracts_signed")(_contracts_records(_signed))
records_for("bargaining.wage_agreements_signed")(
    _contracts_records(lambda o, p, s: _signed(o, p, s, ContractType.WAGE)))
records_for("bargaining.womens_contracts_signed")(
    _contracts_records(lambda o, p, s: _signed(o, p, s, ContractType.WOMEN)))
records_for("bargaining.contracts_in_force")(
    _contracts_records(lambda o, p, s: _contracts(o, p.end, s).filter(in_force_q(p.end))))
records_for("bargaining.contracts_expiring")(_contracts_records(
    lambda o, p, s: _contracts(o, p.end, s).filter(expiring_q(p.end))))
records_for("bargaining.employers_covered")(
    _employer_records(lambda o, p, s: _employers(o, p.end, s).filter(_bound_on(p.end))))
records_for("bargaining.employees_covered")(
    _employer_records(lambda o, p, s: _employers(o, p.end, s).filter(_bound_on(p.end))))


# --- set-based breakdowns by direct subordinate (the statistics pages and standard tables) -----------

def _by_child(qs_for, path_field):
    def breakdown(org, period):
        return grouped_counts(qs_for(org, period), path_field, path_on(org, period.end))

    return breakdown


# Both contracts and employers stand where their org (union, or 属地) stood on the cut-off.
CONTRACT_PATH = EMPLOYER_PATH = "org__placements__path"
breakdown_for("bargaining.contracts_signed", adds_up=True)(_by_child(
    lambda o, p: _signed(o, p, True, grouped=True), CONTRACT_PATH))
breakdown_for("bargaining.wage_agreements_signed", adds_up=True)(
    _by_child(lambda o, p: _signed(o, p, True, ContractType.WAGE, grouped=True), CONTRACT_PATH))
breakdown_for("bargaining.womens_contracts_signed", adds_up=True)(
    _by_child(lambda o, p: _signed(o, p, True, ContractType.WOMEN, grouped=True), CONTRACT_PATH))
breakdown_for("bargaining.contracts_in_force", adds_up=True)(
    _by_child(lambda o, p: _contracts(o, p.end, True, grouped=True).filter(in_force_q(p.end)), CONTRACT_PATH))
breakdown_for("bargaining.contracts_expiring", adds_up=True)(_by_child(
    lambda o, p: _contracts(o, p.end, True, grouped=True).filter(expiring_q(p.end)), CONTRACT_PATH))
breakdown_for("bargaining.employers_covered", adds_up=True)(
    _by_child(lambda o, p: _employers(o, p.end, True, grouped=True).filter(_bound_on(p.end)), EMPLOYER_PATH))


@breakdown_for("bargaining.employees_covered", adds_up=True)
def employees_covered_by_child(org, period, scope=None):
    """Covered employees summed by subordinate (each employer once, at the size its largest
    contract in force records): the employers' grouped join, summed by path prefix around it.
    The ORM cannot group the result of a GROUP BY, hence the one statement written around the
    compiled inner query."""
    at, p = period.end, path_on(org, period.end)
    # An employer's org has one placement on `at`, so every party row of an employer carries the
    # same prefix and MAX picks it.
    inner = _largest_parties(org, at, True, grouped=True, scope=scope).annotate(
        _prefix=Max(Substr("employer__org__placements__path", 1, len(p) + Org.steplen)))
    sql, params = inner.values("_prefix", "_largest").query.sql_with_params()
    with connections[inner.db].cursor() as cursor:
        cursor.execute(f"SELECT t._prefix, SUM(t._largest) FROM ({sql}) t GROUP BY t._prefix",  # noqa: S608
                       params)  # the inner text is the ORM's, its values are parameters
        return {prefix: int(n or 0) for prefix, n in cursor.fetchall()}


breakdown_for("bargaining.employers_signed", adds_up=True)(_by_child(lambda o, p: _employers_signed(o, p, True, grouped=True), EMPLOYER_PATH))


@breakdown_for("bargaining.avg_wage_increase_pct", empty=Value(None))
def avg_wage_increase_by_child(org, period):
    rows = grouped_aggregates(_wage_increases(org, period, True, grouped=True), CONTRACT_PATH, path_on(org, period.end),
                              avg=Avg("wage_increase_pct"), n=Count("pk"))
    return {k: _average(agg) for k, agg in rows.items()}


@breakdown_for("bargaining.increase_ge_10pct_share", adds_up=True)
def increase_ge_10pct_by_child(org, period):
    return grouped_rates(_wage_increases(org, period, True, grouped=True), CONTRACT_PATH, path_on(org, period.end), TEN_PCT)


@breakdown_for("bargaining.fulfilment_rate", adds_up=True)
def fulfilment_by_child(org, period):
    rows = grouped_aggregates(_inspections(org, period, True, grouped=True), "contract__org__placements__path",
                              path_on(org, period.end), **FULFILMENT)
    return {k: _fulfilment(agg) for k, agg in rows.items()}


def _rate_by_child(contract_type):
    def breakdown(org, period):
        at, p = period.end, path_on(org, period.end)
        base = RATE_BASE[contract_type](org, at, True, grouped=True)
        return rates_from(grouped_counts(base.filter(_bound_on(at, contract_type)), EMPLOYER_PATH, p),
                          grouped_counts(base, EMPLOYER_PATH, p))

    return breakdown


breakdown_for("bargaining.wage_agreement_rate", adds_up=True)(_rate_by_child(ContractType.WAGE))
breakdown_for("bargaining.collective_contract_rate", adds_up=True)(_rate_by_child(ContractType.GENERAL))
breakdown_for("bargaining.womens_contract_rate", adds_up=True)(_rate_by_child(ContractType.WOMEN))


# --- the standard bargaining table (集体协商统计表), rendered by the reports app -------------------------

register_table("bargaining", title="集体协商统计表", permission="bargaining.view", columns=[
    ("bargaining.wage_agreement_rate", "已建会非公企业（家）", "denominator"),
    ("bargaining.wage_agreement_rate", "有效工资专项集体协议企业（家）", "numerator"),
    ("bargaining.wage_agreement_rate", "工资集体协商建制率（%）"),
    ("bargaining.collective_contract_rate", "已建职代会非公企业（家）", "denominator"),
    ("bargaining.collective_contract_rate", "有效综合性集体合同企业（家）", "numerator"),
    ("bargaining.collective_contract_rate", "集体合同签订率（%）"),
    ("bargaining.womens_contract_rate", "有效女职工专项合同企业（家）", "numerator"),
    ("bargaining.womens_contract_rate", "女职工专项合同签订率（%）"),
    ("bargaining.employers_covered", "集体合同覆盖企业（家）"),
    ("bargaining.employees_covered", "集体合同覆盖职工（人）"),
    ("bargaining.contracts_signed", "期间签订合同（份）"),
    ("bargaining.contracts_in_force", "有效合同（份）"),
], note="有效合同、建制率按截止日计算，签订合同按期间计算；集体合同签订率以已建职代会（含区域性、行业性职代会覆盖）的非公企业为基数；区域性、行业性合同覆盖的企业各计一次，计入企业属地。")


# --- a rate's records: the denominator's, the numerator's picked by `met` (shown apart) ---------------

def _rate_records(contract_type, kind: str):
    def records(org, period, subs):
        at = period.end
        qs = RATE_BASE[contract_type](org, at, subs).select_related("org").order_by("name", "pk")
        return Records(qs, _employer_row, met=_bound_on(at, contract_type), met_label=f"已签订{kind}的企业",
                       gap_label=f"未签订{kind}的{BASE_WORD[contract_type]}")

    return records


records_for("bargaining.wage_agreement_rate")(_rate_records(ContractType.WAGE, "工资专项集体协议"))
records_for("bargaining.collective_contract_rate")(_rate_records(ContractType.GENERAL, "综合性集体合同"))
records_for("bargaining.womens_contract_rate")(_rate_records(ContractType.WOMEN, "女职工专项集体合同"))


@records_for("bargaining.increase_ge_10pct_share")
def increase_ge_10pct_records(org, period, subs):
    qs = _wage_increases(org, period, subs).select_related("org").order_by("-signed_on", "pk")
    return Records(qs, _contract_row, met=TEN_PCT, met_label="增幅在10%以上", gap_label="增幅低于10%")


# --- 区域性 and 行业性 contracts: the 全总 report asks for them with the employers and employees they cover.
# Contracts count under the union that negotiated them; the employers they bind count once each at
# their 属地 (an employer bound by two regional contracts is one employer), like the figures above.

def _register_scope_figures(scope: str, word: str) -> None:
    def contracts(org, period, subs, grouped=False):
        return _contracts(org, period.end, subs, grouped).filter(in_force_q(period.end), scope=scope)

    def employers(org, period, subs, grouped=False):
        return _employers(org, period.end, subs, grouped).filter(_bound_on(period.end, scope=scope))

    code = f"bargaining.{scope}"
    metric(f"{code}_contracts_in_force", label=f"有效{word}集体合同", unit="份", group=GROUP,
           direction=HIGHER_BETTER, list_url=LIST, description=f"截止日已生效、在期限内且未终止的{word}集体合同（含专项协议）",
           )(lambda org, period, subs: contracts(org, period, subs).count())
    metric(f"{code}_employers_covered", label=f"{word}集体合同覆盖企业", unit="家", group=GROUP,
           direction=HIGHER_BETTER, list_url=LIST, description=f"截止日受有效{word}集体合同约束的企业，每家只计一次",
           )(lambda org, period, subs: employers(org, period, subs).count())
    metric(f"{code}_employees_covered", label=f"{word}集体合同覆盖职工", unit="人", group=GROUP,
           direction=HIGHER_BETTER, list_url=LIST,
           description=f"截止日受有效{word}集体合同约束的企业的职工人数（签订时），每家企业只计一次",
           )(lambda org, period, subs: _largest_parties(org, period.end, subs, scope=scope)
             .aggregate(n=Sum("_largest"))["n"] or 0)
    records_for(f"{code}_contracts_in_force")(_contracts_records(contracts))
    records_for(f"{code}_employers_covered")(_employer_records(employers))
    records_for(f"{code}_employees_covered")(_employer_records(employers))
    breakdown_for(f"{code}_contracts_in_force", adds_up=True)(
        _by_child(lambda o, p: contracts(o, p, True, grouped=True), CONTRACT_PATH))
    breakdown_for(f"{code}_employers_covered", adds_up=True)(
        _by_child(lambda o, p: employers(o, p, True, grouped=True), EMPLOYER_PATH))
    breakdown_for(f"{code}_employees_covered", adds_up=True)(
        lambda org, period: employees_covered_by_child(org, period, scope=scope))


_register_scope_figures("regional", "区域性")
_register_scope_figures("industry", "行业性")
