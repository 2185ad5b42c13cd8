"""互助保障 figures (DOMAIN §11.2, §12.2 E), registered in the metric registry.

Stock figures (参保人数, 保障金额总额 on the cut-off) count the items in force then, under their
union's tree position on the cut-off. Flow figures count dated rows inside the period under
the path the row keeps from its own date (an item's enrolment, a claim's registration), so a
union moved between townships leaves its earlier premiums and claims where they happened.
参保人次 is cumulative: every enrolment from 1 January of the configured start year
(GONGHUI_MUTUAL_AID["SINCE_YEAR"]) to the cut-off. Rates keep their numerator and denominator:
参保率 = persons enrolled ÷ eligible persons of the batches enrolled in the period; 出险率 =
出险人数 ÷ 参保人数; 赔付率 = 理赔金额 ÷ 保费总额 (both in 元).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.urls import reverse

from gonghui.core import compiled
from gonghui.core.metrics import (
    HIGHER_BETTER,
    RecordRow,
    Records,
    Value,
    breakdown_for,
    grouped_aggregates,
    grouped_counts,
    grouped_sums,
    metric,
    percent,
    rate,
    rates_from,
    records_for,
)
from gonghui.core.scope import subtree_q
from gonghui.core.tables import register_table
from gonghui.orgs.selectors import path_on, paths_remembered, placed_in, placed_under, stored_path_under

from . import conf
from .models import Batch, Claim, Item, in_force_q

GROUP = "互助保障"
LIST = "mutual_aid:index"
CLAIMS = "mutual_aid:claims"
PLACED_PATH = "union__placements__path"
ZERO = Decimal("0.00")


def _since(period) -> dt.date:
    return dt.date(int(conf.get("SINCE_YEAR")), 1, 1)


def _stored(org, period, subs, model=Item):
    """Rows under the node by the path they keep from their own date. Below the root the node's
    path is read inside the same statement (orgs.selectors.stored_path_under): one round trip a
    figure, an index range over the subtree. For the whole tree it is read first and written in:
    PostgreSQL cannot estimate a range on a subquery's value, so it walked the path index over
    every one of the city's 300,000 items (0.64 s) where the twin reads the table (0.26-0.35 s)."""
    if subs and org.depth == 1:
        return model.objects.filter(subtree_q("path", path_on(org, period.end)))
    return model.objects.filter(stored_path_under("path", org, period.end, subs))


def in_force(org, period, subs, grouped=False):
    """Items covering the cut-off, under the node by their union's placement then."""
    at = period.end
    under = placed_under(org, at, subs, prefix="union__") if grouped else placed_in(org, at, subs, "union_id")
    return Item.objects.filter(under, in_force_q(at))


def enrolled(org, period, subs):
    return _stored(org, period, subs).filter(enrolled_on__gte=period.start, enrolled_on__lte=period.end)


def person_times(org, period, subs):
    return _stored(org, period, subs).filter(enrolled_on__gte=_since(period), enrolled_on__lte=period.end)


def batches(org, period, subs):
    return _stored(org, period, subs, Batch).filter(enrolled_on__gte=period.start, enrolled_on__lte=period.end)


def _not_rejected(at) -> Q:
    return Q(rejected_on__isnull=True) | Q(rejected_on__gt=at)


def claims_registered(org, period, subs):
    """出险: claims registered in the period and not refused by the cut-off."""
    return (_stored(org, period, subs, Claim).filter(registered_on__gte=period.start, registered_on__lte=period.end)
            .filter(_not_rejected(period.end)))


def claims_paid(org, period, subs):
    return _stored(org, period, subs, Claim).filter(paid_on__gte=period.start, paid_on__lte=period.end)


# The figures below go through core.compiled: on a county's few hundred claims building and compiling
# the query cost the application more than running it (claimants 5.3x, claims paid 3.8x their hand
# SQL on the city, both plans 0.3 ms). A shape that reads something first (the root's path) is
# built as usual each time.

def _count(code, qs_for, org, period, subs, distinct: str | None = None) -> int:
    if distinct:
        return compiled.value((code,), qs_for, Count(distinct, distinct=True), org, period, subs)
    return compiled.count((code,), qs_for, org, period, subs)


def _sum(code, qs_for, org, period, subs, field) -> Decimal:
    total = compiled.value((code,), qs_for, Sum(field), org, period, subs)
    return (total or ZERO).quantize(Decimal("0.01"))


@metric("mutual_aid.insured", label="参保人数", unit="人", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        phrase="在保职工",
        description="截止日处于保障期内的参保人员，同一人参加多个项目只计一次")
def insured(org, period, subs):
    # COUNT(DISTINCT …), not a count over SELECT DISTINCT: PostgreSQL hashed the city's 300,000
    # items for the latter and spilled to disk (1.7 s at the root against the twin's 0.8 s).
    return _count("mutual_aid.insured", in_force, org, period, subs, distinct="person_id")


@metric("mutual_aid.person_times", label="累计参保人次", unit="人次", group=GROUP, direction=HIGHER_BETTER,
        list_url=LIST, description="自设定的起始年度（默认2010年，可在系统配置中修改）1月1日至截止日的参保记录数，续保另计一次")
def person_times_total(org, period, subs):
    return _count("mutual_aid.person_times", person_times, org, period, subs)


@metric("mutual_aid.coverage_rate", label="参保率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url=LIST,
        description="期间内各单位参保批次的参保人数 ÷ 符合条件人数（在岗、未到退休年龄、符合性别条件的在会会员）。"
                    "没有逐条记录清单：符合条件人数是参保时按名册核定的人数，未参保的人没有逐人记录，"
                    "请在参保批次列表查看各单位的参保人数和符合条件人数")
def coverage_rate(org, period, subs):
    t = compiled.aggregate(("mutual_aid.coverage_rate",), _coverage_sums, org, period, subs)
    return rate(t["n"] or 0, t["d"] or 0)


def _coverage_sums(org, period, subs):
    return batches(org, period, subs), {"n": Sum("enrolled_count"), "d": Sum("eligible_count")}


@metric("mutual_aid.premium", label="保费总额", unit="元", group=GROUP, list_url=LIST,
        description="期间内参保（含增补）的保费，每份保费 × 份数")
def premium(org, period, subs):
    return _sum("mutual_aid.premium", enrolled, org, period, subs, "premium")


@metric("mutual_aid.sum_insured", label="保障金额总额", unit="元", group=GROUP, list_url=LIST, phrase="保障金额合计",
        description="截止日处于保障期内的参保记录的保障金额（每份最高给付金额 × 份数）")
def sum_insured(org, period, subs):
    return _sum("mutual_aid.sum_insured", in_force, org, period, subs, "sum_insured")


@metric("mutual_aid.claimants", label="出险人数", unit="人", group=GROUP, list_url=CLAIMS,
        description="期间内登记理赔、截止日未被拒付的人数，同一人多次出险只计一次")
def claimants(org, period, subs):
    return _count("mutual_aid.claimants", claims_registered, org, period, subs, distinct="person_id")


@metric("mutual_aid.claims_paid", label="理赔件数", unit="件", group=GROUP, list_url=CLAIMS, phrase="给付理赔",
        description="期间内给付的理赔（含等待期内的慰问金）")
def claims_paid_count(org, period, subs):
    return _count("mutual_aid.claims_paid", claims_paid, org, period, subs)


@metric("mutual_aid.claim_amount", label="理赔金额", unit="元", group=GROUP, list_url=CLAIMS, phrase="给付金额",
        description="期间内实际给付的金额")
def claim_amount(org, period, subs):
    return _sum("mutual_aid.claim_amount", claims_paid, org, period, subs, "paid_amount")


@metric("mutual_aid.incidence_rate", label="出险率", unit="%", group=GROUP, list_url=CLAIMS,
        description="出险人数 ÷ 截止日参保人数。没有逐条记录清单：出险的人不全在截止日的参保人之中"
                    "（给付后保障终止的人截止日已不在保），不能把同一组记录分成两部分，请分别查看出险人数和参保人数的记录")
def incidence_rate(org, period, subs):
    with _path_read_once(org):
        return rate(claimants(org, period, subs), insured(org, period, subs))


@metric("mutual_aid.loss_ratio", label="赔付率", unit="%", group=GROUP, list_url=CLAIMS,
        description="期间内理赔金额 ÷ 期间内保费总额（元 ÷ 元）。没有逐条记录清单：分子和分母都是金额，"
                    "不是记录的条数，请分别查看理赔金额和保费总额的记录")
def loss_ratio(org, period, subs):
    with _path_read_once(org):
        return _money_rate(claim_amount(org, period, subs), premium(org, period, subs))


def _path_read_once(org):
    """At the root each figure reads the node's path first (_stored): read it once for both parts.
    Below it each part is one compiled statement that reads the path itself; remembering the path
    there would make both parts build and compile as usual (a shape that reads first)."""
    return paths_remembered() if org.depth == 1 else contextlib.nullcontext()


def _money_rate(paid: Decimal, premium_total: Decimal) -> Value:
    return Value(percent(paid, premium_total), paid, premium_total)


# --- the records behind the figures (never a diagnosis) ----------------------------------------------

def _item_row(i) -> RecordRow:
    return RecordRow(label=f"{i.name} {i.id_masked}（{i.units}份，保费{i.premium}元）", date=i.enrolled_on,
                     org_name=i.union.name, url=reverse("mutual_aid:batch_detail", args=[i.batch_id]))


def _claim_row(c) -> RecordRow:
    return RecordRow(label=f"{c.no} {c.item.name}（{c.get_status_display()}，{c.amount}元）", date=c.registered_on,
                     org_name=c.union.name, url=reverse("mutual_aid:claim_detail", args=[c.pk]))


def _items(qs):
    return qs.select_related("union").order_by("enrolled_on", "id")


def _claims(qs):
    return qs.select_related("union", "item").order_by("registered_on", "id")


# The three rates (参保率, 出险率, 赔付率) have no records hook: a rate's record list splits one set of
# records into its numerator and the rest (core.metrics.Records.met), and none of them is one set:
# 参保率's denominator is the eligible head count fixed on each batch (the eligible who did not enrol
# are no rows), 出险率's claimants are not a subset of the people insured on the cut-off (a payout
# ends the cover), and 赔付率 is money over money. Each description says so; their figure pages
# link to the batch and claim lists (list_url), and the numerator's and denominator's own figures
# (出险人数, 参保人数, 理赔金额, 保费总额) have record lists.
records_for("mutual_aid.insured")(lambda o, p, s: Records(_items(in_force(o, p, s)), _item_row))
records_for("mutual_aid.sum_insured")(lambda o, p, s: Records(_items(in_force(o, p, s)), _item_row))
records_for("mutual_aid.person_times")(lambda o, p, s: Records(_items(person_times(o, p, s)), _item_row))
records_for("mutual_aid.premium")(lambda o, p, s: Records(_items(enrolled(o, p, s)), _item_row))
records_for("mutual_aid.claimants")(lambda o, p, s: Records(_claims(claims_registered(o, p, s)), _claim_row))
records_for("mutual_aid.claims_paid")(lambda o, p, s: Records(_claims(claims_paid(o, p, s)), _claim_row))
records_for("mutual_aid.claim_amount")(lambda o, p, s: Records(_claims(claims_paid(o, p, s)), _claim_row))


# --- breakdowns by direct subordinate: one grouped query each -----------------------------------------

def _base(org, period) -> str:
    return path_on(org, period.end)


@breakdown_for("mutual_aid.insured")
def insured_by_child(org, period):
    return grouped_counts(in_force(org, period, True, grouped=True), PLACED_PATH, _base(org, period),
                          count="person_id", distinct=True)


@breakdown_for("mutual_aid.sum_insured", adds_up=True)
def sum_insured_by_child(org, period):
    return grouped_sums(in_force(org, period, True, grouped=True), PLACED_PATH, _base(org, period), "sum_insured")


@breakdown_for("mutual_aid.person_times", adds_up=True)
def person_times_by_child(org, period):
    return grouped_counts(person_times(org, period, True), "path", _base(org, period))


@breakdown_for("mutual_aid.premium", adds_up=True)
def premium_by_child(org, period):
    return grouped_sums(enrolled(org, period, True), "path", _base(org, period), "premium")


@breakdown_for("mutual_aid.coverage_rate", adds_up=True)
def coverage_by_child(org, period):
    rows = grouped_aggregates(batches(org, period, True), "path", _base(org, period), n=Sum("enrolled_count"),
                              d=Sum("eligible_count"))
    return {k: rate(r["n"] or 0, r["d"] or 0) for k, r in rows.items()}


@breakdown_for("mutual_aid.claimants")
def claimants_by_child(org, period):
    return grouped_counts(claims_registered(org, period, True), "path", _base(org, period), count="person_id",
                          distinct=True)


@breakdown_for("mutual_aid.claims_paid", adds_up=True)
def claims_paid_by_child(org, period):
    return grouped_counts(claims_paid(org, period, True), "path", _base(org, period))


@breakdown_for("mutual_aid.claim_amount", adds_up=True)
def claim_amount_by_child(org, period):
    return grouped_sums(claims_paid(org, period, True), "path", _base(org, period), "paid_amount")


@breakdown_for("mutual_aid.incidence_rate")
def incidence_by_child(org, period):
    return rates_from(claimants_by_child(org, period), insured_by_child(org, period))


@breakdown_for("mutual_aid.loss_ratio")
def loss_ratio_by_child(org, period):
    paid, prem = claim_amount_by_child(org, period), premium_by_child(org, period)
    return {k: _money_rate(paid.get(k, ZERO), prem.get(k, ZERO)) for k in {*paid, *prem}}



# --- the line's standard table (core.tables; rendered by the reports app from the breakdowns) ---------

register_table("mutual_aid", title="互助保障统计表", permission="mutual_aid.view", columns=[
    ("mutual_aid.insured", "参保人数(人)"), ("mutual_aid.person_times", "累计参保人次"),
    ("mutual_aid.coverage_rate", "批次参保人数(人)", "numerator"),
    ("mutual_aid.coverage_rate", "符合条件人数(人)", "denominator"), ("mutual_aid.coverage_rate", "参保率(%)"),
    ("mutual_aid.premium", "保费总额(元)"), ("mutual_aid.sum_insured", "保障金额总额(元)"),
    ("mutual_aid.claimants", "出险人数(人)"), ("mutual_aid.claims_paid", "理赔件数(件)"),
    ("mutual_aid.claim_amount", "理赔金额(元)"), ("mutual_aid.incidence_rate", "出险率(%)"),
    ("mutual_aid.loss_ratio", "赔付率(%)"),
], note="参保人数、保障金额总额为截止日在保数，累计参保人次自设定的起始年度起累计，其余为期间内发生数；"
        "保费、人次和理赔计入参保、登记时所在的上级。")
