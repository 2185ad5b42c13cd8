"""工会经费 figures (DOMAIN §6.4, §12.2 G), registered in the metric registry.

Every row counts at the path stored on it, the tree position on its own date of the org it
belongs to (the employer's union, or its federation while it had none): receipts on their
入库(到账)日期, declarations on their month (所属期), refunds on the day they were prepared. So a
union moved between townships counts under its old township for what came before the move.

- 应缴/实缴/欠缴 and 收缴率 read declarations (the 2 % of the month's payroll, and what was paid
  against that month); 欠缴 is the unpaid part of each declaration (an overpaid month does not
  offset another employer's arrears).
- 经费总额 is every receipt in the period, matched or 待匹配; 月均 divides it by the months
  elapsed in the period (up to today): S1's "1317.31万元，月均131.73万元" by October is ÷ 10.
- The money sums (应缴/实缴/欠缴/收缴率/筹备金, 经费总额/月均) read the monthly summary
  `MonthlyTotal` (funds/totals.py), which the services keep equal to the detail rows; 经费总额 adds
  the receipts of a partly covered first or last month of the period from the receipts themselves.
  The record lists read the detail rows.
- 缴交经费单位数: employers with a matched receipt in the period; 已完善返还手续 those among them
  whose union's 返还手续 were complete on the cut-off; 未完善 the rest (S1: 198 = 168 + 30).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Expression, F, OuterRef, Q, Sum
from django.urls import reverse

from gonghui.core import clock
from gonghui.core.metrics import (
    HIGHER_BETTER,
    LOWER_BETTER,
    RecordRow,
    Records,
    Value,
    breakdown_for,
    grouped_aggregates,
    grouped_counts,
    grouped_rates,
    grouped_sums,
    metric,
    percent,
    rate,
    records_for,
    sentences_for,
)
from gonghui.core.money import format_money
from gonghui.orgs.models import Employer
from gonghui.orgs.selectors import path_on, stored_path_under

from .models import (
    Declaration,
    DuesRecord,
    FundKind,
    FundReview,
    MonthlyTotal,
    Receipt,
    Refund,
    RefundStatus,
    ReviewFinding,
    ReviewKind,
)
from .totals import partial_days, whole_months

GROUP = "工会经费"
ZERO = Decimal("0.00")


def _where(org, period, subs: bool) -> Q | Expression:
    """Rows under the node by the path they keep (orgs.selectors.stored_path_under): below the root
    the node's path is read inside each statement, not by a query of its own first (经费总额 and
    月均 of a county were three statements where their twin runs one)."""
    return stored_path_under("org_path", org, period.end, subs)


def receipts(org, period, subs: bool):
    return Receipt.objects.filter(_where(org, period, subs), received_on__gte=period.start,
                                  received_on__lte=period.end)


def payers(org, period, subs: bool):
    return receipts(org, period, subs).filter(employer__isnull=False)


def complete_q(period) -> Q:
    return Q(org__fund_formality__completed_on__lte=period.end)


def declarations(org, period, subs: bool):
    return Declaration.objects.filter(_where(org, period, subs), month__gte=period.start.replace(day=1),
                                      month__lte=period.end)


def monthly(org, period, subs: bool):
    """The summary rows of the period's months (those of the declarations the period counts)."""
    return MonthlyTotal.objects.filter(_where(org, period, subs), month__gte=period.start.replace(day=1),
                                       month__lte=period.end)


def received(org, period, subs: bool) -> tuple:
    """经费总额's two parts: (summary rows of the period's whole months or None, receipts of the
    remaining days or None)."""
    whole, days = whole_months(period.start, period.end), partial_days(period.start, period.end)
    where = _where(org, period, subs)
    rows = None if whole is None else MonthlyTotal.objects.filter(where, month__gte=whole[0], month__lte=whole[1])
    rest = None if days is None else Receipt.objects.filter(where).filter(days)
    return rows, rest


def months_elapsed(period) -> int:
    """Calendar months from the period's first month to its last, or to this month if earlier."""
    end = min(period.end, clock.today())
    if end < period.start:
        return 0
    return (end.year - period.start.year) * 12 + end.month - period.start.month + 1


def cents(amount) -> Decimal:
    """A sum to the cent (SQLite sums decimals as floats)."""
    return Decimal(str(amount or 0)).quantize(Decimal("0.01"))


def _sum(qs, field: str) -> Decimal:
    return cents(qs.aggregate(s=Sum(field))["s"])


def _money_rate(num: Decimal, den: Decimal) -> Value:
    return Value(percent(num, den), num, den)


@metric("funds.payers", label="缴交经费单位数", unit="家", group=GROUP, phrase="缴交经费单位", list_url="funds:index",
        description="期间内有已匹配经费收入（拨缴经费或筹备金）的用人单位数，一家多笔只计一家")
def payer_count(org, period, subs):
    return payers(org, period, subs).values("employer").distinct().count()


@metric("funds.due", label="应缴经费", unit="元", group=GROUP, phrase="应缴经费", list_url="funds:declarations",
        description="所属期在期间内的工资总额申报的2%合计（拨缴经费与筹备金）")
def due(org, period, subs):
    return _sum(monthly(org, period, subs), "due")


@metric("funds.paid", label="实缴经费", unit="元", group=GROUP, phrase="实缴经费", list_url="funds:declarations",
        description="所属期在期间内的申报已缴金额合计")
def paid(org, period, subs):
    return _sum(monthly(org, period, subs), "paid")


@metric("funds.arrears", label="欠缴经费", unit="元", group=GROUP, direction=LOWER_BETTER, phrase="欠缴经费",
        list_url="funds:declarations", description="所属期在期间内各申报未缴足部分之和")
def arrears(org, period, subs):
    return _sum(monthly(org, period, subs), "arrears")


@metric("funds.collection_rate", label="经费收缴率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        list_url="funds:declarations", description="实缴 ÷ 应缴（所属期在期间内的申报）")
def collection_rate(org, period, subs):
    row = monthly(org, period, subs).aggregate(d=Sum("due"), p=Sum("paid"))
    return _money_rate(cents(row["p"]), cents(row["d"]))


@metric("funds.preparation_due", label="应缴工会筹备金", unit="元", group=GROUP, phrase="应缴筹备金",
        part_of="funds.due", list_url="funds:declarations",
        description="所属期在期间内、当月无工会覆盖的单位申报的2%合计")
def preparation_due(org, period, subs):
    return _sum(monthly(org, period, subs), "preparation_due")


@metric("funds.preparation_paid", label="实缴工会筹备金", unit="元", group=GROUP, phrase="实缴筹备金",
        part_of="funds.paid", list_url="funds:declarations", description="上述申报的已缴金额合计")
def preparation_paid(org, period, subs):
    return _sum(monthly(org, period, subs), "preparation_paid")


@metric("funds.total", label="经费总额", unit="元", group=GROUP, phrase="收到经费", list_url="funds:index",
        description="入库(到账)日期在期间内的全部经费收入（含待匹配）")
def total(org, period, subs):
    rows, rest = received(org, period, subs)
    return (ZERO if rows is None else _sum(rows, "received")) + (ZERO if rest is None else _sum(rest, "amount"))


@metric("funds.monthly_avg", label="月均经费", unit="元", group=GROUP, phrase="月均", list_url="funds:index",
        description="经费总额 ÷ 期间内已过月数（截至本月）")
def monthly_avg(org, period, subs):
    months = months_elapsed(period)
    if not months:
        return Value(None)
    return (total(org, period, subs) / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@metric("funds.formality_complete", label="已完善返还手续单位数", unit="家", group=GROUP, phrase="已完善返还手续",
        part_of="funds.payers", list_url="funds:formalities",
        description="缴交经费单位中，其工会截止日已完善返还手续（独立账户、法人证书、返还协议）的")
def formality_complete(org, period, subs):
    return payers(org, period, subs).filter(complete_q(period)).values("employer").distinct().count()


@metric("funds.formality_incomplete", label="未完善返还手续单位数", unit="家", group=GROUP, direction=LOWER_BETTER,
        phrase="未完善", part_of="funds.payers", list_url="funds:formalities",
        description="缴交经费单位数减已完善返还手续单位数")
def formality_incomplete(org, period, subs):
    return payer_count(org, period, subs) - formality_complete(org, period, subs)


@metric("funds.formality_rate", label="返还手续完善率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        list_url="funds:formalities", description="已完善返还手续单位数 ÷ 缴交经费单位数")
def formality_rate(org, period, subs):
    return rate(formality_complete(org, period, subs), payer_count(org, period, subs))


def _refunds(org, period, subs, field: str):
    return Refund.objects.filter(_where(org, period, subs), **{f"{field}__gte": period.start,
                                                               f"{field}__lte": period.end})


@metric("funds.refund_approved", label="批准返还金额", unit="元", group=GROUP, phrase="批准返还经费",
        list_url="funds:refunds", description="审批日期在期间内的返还（含已支付）金额")
def refund_approved(org, period, subs):
    return _sum(_refunds(org, period, subs, "approved_on").filter(
        status__in=(RefundStatus.APPROVED, RefundStatus.PAID)), "amount")


@metric("funds.refund_paid", label="已支付返还金额", unit="元", group=GROUP, phrase="返还经费",
        list_url="funds:refunds", description="支付日期在期间内的返还金额")
def refund_paid(org, period, subs):
    return _sum(_refunds(org, period, subs, "paid_on").filter(status=RefundStatus.PAID), "amount")


def dues(org, period, subs: bool):
    return DuesRecord.objects.filter(_where(org, period, subs), month__gte=period.start.replace(day=1),
                                     month__lte=period.end)


@metric("funds.dues_due", label="应缴会费", unit="元", group=GROUP, list_url="funds:dues",
        description="所属期在期间内的缴费会员工资基数合计 × 0.5%（保留会籍会员不缴）")
def dues_due(org, period, subs):
    return _sum(dues(org, period, subs), "due")


@metric("funds.dues_paid", label="实缴会费", unit="元", group=GROUP, phrase="收缴会费", list_url="funds:dues")
def dues_paid(org, period, subs):
    return _sum(dues(org, period, subs), "paid")


@metric("funds.dues_rate", label="会费收缴率", unit="%", group=GROUP, direction=HIGHER_BETTER, list_url="funds:dues",
        description="实缴会费 ÷ 应缴会费")
def dues_rate(org, period, subs):
    row = dues(org, period, subs).aggregate(d=Sum("due"), p=Sum("paid"))
    return _money_rate(cents(row["p"]), cents(row["d"]))


# --- breakdowns: one grouped query over the subtree ---------------------------------------------------

def _p(org, period) -> str:
    return path_on(org, period.end)


breakdown_for("funds.payers")(lambda org, period: grouped_counts(
    payers(org, period, True), "org_path", _p(org, period), "employer", distinct=True))
breakdown_for("funds.formality_complete")(lambda org, period: grouped_counts(
    payers(org, period, True).filter(complete_q(period)), "org_path", _p(org, period), "employer", distinct=True))
breakdown_for("funds.due", adds_up=True)(lambda org, period: grouped_sums(
    monthly(org, period, True), "org_path", _p(org, period), "due"))
breakdown_for("funds.paid", adds_up=True)(lambda org, period: grouped_sums(
    monthly(org, period, True), "org_path", _p(org, period), "paid"))
breakdown_for("funds.preparation_due", adds_up=True)(lambda org, period: grouped_sums(
    monthly(org, period, True), "org_path", _p(org, period), "preparation_due"))
breakdown_for("funds.preparation_paid", adds_up=True)(lambda org, period: grouped_sums(
    monthly(org, period, True), "org_path", _p(org, period), "preparation_paid"))


def _received_by_child(org, period) -> dict:
    rows, rest = received(org, period, True)
    out = {} if rows is None else grouped_sums(rows, "org_path", _p(org, period), "received")
    for k, v in ({} if rest is None else grouped_sums(rest, "org_path", _p(org, period), "amount")).items():
        out[k] = out.get(k, ZERO) + v
    return {k: cents(v) for k, v in out.items()}


breakdown_for("funds.total", adds_up=True)(_received_by_child)
breakdown_for("funds.refund_approved", adds_up=True)(lambda org, period: grouped_sums(
    _refunds(org, period, True, "approved_on").filter(status__in=(RefundStatus.APPROVED, RefundStatus.PAID)),
    "org_path", _p(org, period), "amount"))
breakdown_for("funds.refund_paid", adds_up=True)(lambda org, period: grouped_sums(
    _refunds(org, period, True, "paid_on").filter(status=RefundStatus.PAID), "org_path", _p(org, period), "amount"))


breakdown_for("funds.dues_due", adds_up=True)(lambda org, period: grouped_sums(
    dues(org, period, True), "org_path", _p(org, period), "due"))
breakdown_for("funds.dues_paid", adds_up=True)(lambda org, period: grouped_sums(
    dues(org, period, True), "org_path", _p(org, period), "paid"))


@breakdown_for("funds.dues_rate", empty=Value(None, ZERO, ZERO), adds_up=True)
def dues_rate_by_child(org, period):
    rows = grouped_aggregates(dues(org, period, True), "org_path", _p(org, period), d=Sum("due"), p=Sum("paid"))
    return {k: _money_rate(cents(r["p"]), cents(r["d"])) for k, r in rows.items()}


@breakdown_for("funds.arrears", adds_up=True)
def arrears_by_child(org, period):
    return {k: cents(v) for k, v in grouped_sums(monthly(org, period, True), "org_path", _p(org, period),
                                                 "arrears").items()}


@breakdown_for("funds.collection_rate", empty=Value(None, ZERO, ZERO), adds_up=True)
def collection_rate_by_child(org, period):
    rows = grouped_aggregates(monthly(org, period, True), "org_path", _p(org, period), d=Sum("due"), p=Sum("paid"))
    return {k: _money_rate(cents(r["p"]), cents(r["d"])) for k, r in rows.items()}


# A subordinate without receipts averages 0.00 a month, as the metric computes it (a period not yet
# begun has no month elapsed: then every row is empty, and the metric says so with None).
@breakdown_for("funds.monthly_avg", empty=Value(Decimal("0.00")))
def monthly_avg_by_child(org, period):
    months = months_elapsed(period)
    sums = _received_by_child(org, period)
    return {k: (v / months).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if months else None
            for k, v in sums.items()}


@breakdown_for("funds.formality_incomplete")
def incomplete_by_child(org, period):
    p = _p(org, period)
    rows = grouped_aggregates(payers(org, period, True), "org_path", p,
                              n=Count("employer", distinct=True),
                              c=Count("employer", distinct=True, filter=complete_q(period)))
    return {k: r["n"] - r["c"] for k, r in rows.items()}


@breakdown_for("funds.formality_rate", empty=Value(None, 0, 0))
def formality_rate_by_child(org, period):
    rows = grouped_aggregates(payers(org, period, True), "org_path", _p(org, period),
                              n=Count("employer", distinct=True),
                              c=Count("employer", distinct=True, filter=complete_q(period)))
    return {k: rate(r["c"], r["n"]) for k, r in rows.items()}


# --- record lists --------------------------------------------------------------------------------------

def _receipt_row(r: Receipt) -> RecordRow:
    who = r.employer.name if r.employer_id else f"{r.raw_name or r.raw_uscc}（待匹配）"
    return RecordRow(label=f"{who} {format_money(r.amount)}（{r.get_channel_display()}，凭证号{r.reference}）",
                     date=r.received_on, org_name=r.org.name, url=reverse("funds:receipt_detail", args=[r.pk]))


def _declaration_row(d: Declaration) -> RecordRow:
    return RecordRow(label=f"{d.employer.name} {d.month:%Y年%-m月} 应缴{format_money(d.due)}，已缴{format_money(d.paid)}",
                     date=d.month, org_name=d.org.name)


def _refund_row(r: Refund) -> RecordRow:
    return RecordRow(label=f"{r.union.name} 返还{format_money(r.amount)}（{r.get_status_display()}）",
                     date=r.paid_on or r.approved_on or r.prepared_on, org_name=r.union.name,
                     url=reverse("funds:refund_detail", args=[r.pk]))


def _receipt_records(org, period, subs):
    return Records(receipts(org, period, subs).select_related("employer", "org").order_by("-received_on", "-pk"),
                   _receipt_row)


def _employer_row(e) -> RecordRow:
    return RecordRow(label=f"{e.name}（{e.uscc or '无统一社会信用代码'}）", org_name=e.org.name)


def _paying_employers(org, period, subs, extra: Q | None = None):
    paying = payers(org, period, subs).filter(employer=OuterRef("pk"))
    if extra is not None:
        paying = paying.filter(extra)
    return Employer.objects.filter(Exists(paying)).select_related("org").order_by("name", "pk")


def _payer_records(org, period, subs):
    return Records(_paying_employers(org, period, subs), _employer_row)


records_for("funds.total")(_receipt_records)
records_for("funds.monthly_avg")(_receipt_records)
records_for("funds.payers")(_payer_records)


@records_for("funds.formality_rate")
def formality_records(org, period, subs):
    complete = payers(org, period, subs).filter(complete_q(period), employer=OuterRef("pk"))
    return Records(_paying_employers(org, period, subs), _employer_row, met=Exists(complete),
                   met_label="已完善返还手续", gap_label="未完善返还手续")


records_for("funds.formality_complete")(lambda org, period, subs: Records(
    _paying_employers(org, period, subs, complete_q(period)), _employer_row))


@records_for("funds.formality_incomplete")
def incomplete_records(org, period, subs):
    complete = payers(org, period, subs).filter(complete_q(period), employer=OuterRef("pk"))
    return Records(_paying_employers(org, period, subs).exclude(Exists(complete)), _employer_row)


def _declaration_records(org, period, subs):
    return Records(declarations(org, period, subs).select_related("employer", "org").order_by("-month", "employer__name"),
                   _declaration_row)


records_for("funds.due")(_declaration_records)
records_for("funds.preparation_due")(lambda org, period, subs: Records(
    _declaration_records(org, period, subs).queryset.filter(kind=FundKind.PREPARATION), _declaration_row))
records_for("funds.preparation_paid")(lambda org, period, subs: Records(
    _declaration_records(org, period, subs).queryset.filter(kind=FundKind.PREPARATION), _declaration_row))
records_for("funds.paid")(_declaration_records)
records_for("funds.arrears")(lambda org, period, subs: Records(
    _declaration_records(org, period, subs).queryset.filter(due__gt=F("paid")), _declaration_row))


@records_for("funds.collection_rate")
def collection_records(org, period, subs):
    return Records(_declaration_records(org, period, subs).queryset, _declaration_row, met=Q(paid__gte=F("due")),
                   met_label="已缴足", gap_label="欠缴")


records_for("funds.refund_approved")(lambda org, period, subs: Records(
    _refunds(org, period, subs, "approved_on").filter(status__in=(RefundStatus.APPROVED, RefundStatus.PAID))
    .select_related("union"), _refund_row))
records_for("funds.refund_paid")(lambda org, period, subs: Records(
    _refunds(org, period, subs, "paid_on").filter(status=RefundStatus.PAID).select_related("union"), _refund_row))


def _dues_row(d: DuesRecord) -> RecordRow:
    return RecordRow(label=f"{d.union.name} {d.month:%Y年%-m月} {d.members}人 应缴{format_money(d.due)}，"
                           f"实缴{format_money(d.paid)}", date=d.month, org_name=d.union.name)


def _dues_records(org, period, subs):
    return Records(dues(org, period, subs).select_related("union").order_by("-month", "union__name"), _dues_row)


records_for("funds.dues_due")(_dues_records)
records_for("funds.dues_paid")(_dues_records)


@records_for("funds.dues_rate")
def dues_rate_records(org, period, subs):
    return Records(_dues_records(org, period, subs).queryset, _dues_row, met=Q(paid__gte=F("due")),
                   met_label="足额收缴", gap_label="未足额收缴")


# --- 经审: reviews and the rectification of what they found --------------------------------------------

def reviews(org, period, subs: bool):
    return FundReview.objects.filter(_where(org, period, subs), reviewed_on__gte=period.start,
                                     reviewed_on__lte=period.end)


def findings(org, period, subs: bool):
    return ReviewFinding.objects.filter(_where(org, period, subs), reviewed_on__gte=period.start,
                                        reviewed_on__lte=period.end)


def findings_due(org, period, subs: bool):
    """Findings whose rectification was due in the period, up to today (one due later is not late yet)."""
    return ReviewFinding.objects.filter(_where(org, period, subs), due_on__gte=period.start,
                                        due_on__lte=min(period.end, clock.today()))


ON_TIME = Q(rectified_on__isnull=False, rectified_on__lte=F("due_on"))


@metric("funds.reviews", label="经费审查次数", unit="次", group=GROUP, phrase="开展经费审查", list_url="funds:reviews",
        description="审查日期在期间内的经费收支审查、专项审计和任期经济责任审计")
def review_count(org, period, subs):
    return reviews(org, period, subs).count()


@metric("funds.term_audits", label="任期经济责任审计次数", unit="次", group=GROUP, phrase="任期经济责任审计",
        part_of="funds.reviews", list_url="funds:reviews", description="审查日期在期间内的工会主席任期经济责任审计")
def term_audit_count(org, period, subs):
    return reviews(org, period, subs).filter(kind=ReviewKind.TERM_AUDIT).count()


@metric("funds.findings", label="审查发现问题数", unit="项", group=GROUP, direction=LOWER_BETTER, phrase="发现问题",
        list_url="funds:reviews", description="审查日期在期间内的经费审查发现的问题")
def finding_count(org, period, subs):
    return findings(org, period, subs).count()


@metric("funds.findings_on_time", label="按期整改问题数", unit="项", group=GROUP, phrase="按期整改",
        list_url="funds:reviews", description="整改期限在期间内（截至今天）且在期限内整改完成的问题")
def findings_on_time(org, period, subs):
    return findings_due(org, period, subs).filter(ON_TIME).count()


@metric("funds.rectify_rate", label="问题按期整改率", unit="%", group=GROUP, direction=HIGHER_BETTER,
        list_url="funds:reviews", description="按期整改问题数 ÷ 整改期限在期间内（截至今天）的问题数")
def rectify_rate(org, period, subs):
    qs = findings_due(org, period, subs)
    row = qs.aggregate(n=Count("pk"), k=Count("pk", filter=ON_TIME))
    return rate(row["k"], row["n"])


breakdown_for("funds.reviews", adds_up=True)(lambda org, period: grouped_counts(
    reviews(org, period, True), "org_path", _p(org, period)))
breakdown_for("funds.term_audits", adds_up=True)(lambda org, period: grouped_counts(
    reviews(org, period, True).filter(kind=ReviewKind.TERM_AUDIT), "org_path", _p(org, period)))
breakdown_for("funds.findings", adds_up=True)(lambda org, period: grouped_counts(
    findings(org, period, True), "org_path", _p(org, period)))
breakdown_for("funds.findings_on_time", adds_up=True)(lambda org, period: grouped_counts(
    findings_due(org, period, True).filter(ON_TIME), "org_path", _p(org, period)))
breakdown_for("funds.rectify_rate", empty=Value(None, 0, 0), adds_up=True)(lambda org, period: grouped_rates(
    findings_due(org, period, True), "org_path", _p(org, period), ON_TIME))


def _review_row(r: FundReview) -> RecordRow:
    who = f"，离任主席{r.chair_name}" if r.chair_name else ""
    return RecordRow(label=f"{r.org.name} {r.get_kind_display()}（{r.auditor}{who}）", date=r.reviewed_on,
                     org_name=r.org.name, url=reverse("funds:review_detail", args=[r.pk]))


def _finding_row(f: ReviewFinding) -> RecordRow:
    return RecordRow(label=f"{f.review.org.name}：{f.description}（整改期限{f.due_on}，{f.state}）", date=f.due_on,
                     org_name=f.review.org.name, url=reverse("funds:review_detail", args=[f.review_id]))


records_for("funds.reviews")(lambda org, period, subs: Records(
    reviews(org, period, subs).select_related("org").order_by("-reviewed_on", "-pk"), _review_row))
records_for("funds.term_audits")(lambda org, period, subs: Records(
    reviews(org, period, subs).filter(kind=ReviewKind.TERM_AUDIT).select_related("org")
    .order_by("-reviewed_on", "-pk"), _review_row))
records_for("funds.findings")(lambda org, period, subs: Records(
    findings(org, period, subs).select_related("review__org").order_by("-reviewed_on", "-pk"), _finding_row))
records_for("funds.findings_on_time")(lambda org, period, subs: Records(
    findings_due(org, period, subs).filter(ON_TIME).select_related("review__org").order_by("-due_on", "-pk"),
    _finding_row))
records_for("funds.rectify_rate")(lambda org, period, subs: Records(
    findings_due(org, period, subs).select_related("review__org").order_by("-due_on", "-pk"), _finding_row,
    met=ON_TIME, met_label="按期整改", gap_label="未按期整改"))


# --- the work summary's sentences ------------------------------------------------------------------------

@sentences_for(GROUP)
def summary_sentences(org, period) -> list[str]:
    """S1's sentence from the records: "缴交企业198家，已完善返还手续168家，未完善30家，经费1317.31万元，
    月均131.73万元", then the collection rate, 筹备金 and 经审 where there are any."""
    from gonghui.core.metrics import compute

    def v(code):
        return compute(code, org, period).value

    out = []
    payers_n, total_amount = v("funds.payers"), v("funds.total")
    if payers_n or total_amount:
        parts = [f"缴交企业{payers_n}家"]
        if payers_n:
            parts.append(f"已完善返还手续{v('funds.formality_complete')}家，未完善{v('funds.formality_incomplete')}家")
        parts.append(f"经费{format_money(total_amount, 'auto')}")
        avg = v("funds.monthly_avg")
        if avg:
            parts.append(f"月均{format_money(avg, 'auto')}")
        out.append("工会经费方面，" + "，".join(parts) + "。")
    rate_value = compute("funds.collection_rate", org, period)
    if rate_value.value is not None:
        bits = [f"经费收缴率{rate_value.value}%"]
        owed = v("funds.arrears")
        if owed:
            bits.append(f"欠缴{format_money(owed, 'auto')}")
        prep = v("funds.preparation_due")
        if prep:
            bits.append(f"应缴工会筹备金{format_money(prep, 'auto')}，实缴{format_money(v('funds.preparation_paid'), 'auto')}")
        out.append("，".join(bits) + "。")
    reviews_n = v("funds.reviews")
    if reviews_n:
        bits = [f"开展经费审查{reviews_n}次"]
        audits = v("funds.term_audits")
        if audits:
            bits[0] += f"（其中任期经济责任审计{audits}次）"
        found = v("funds.findings")
        if found:
            bits.append(f"发现问题{found}项")
        fixed = compute("funds.rectify_rate", org, period)
        if fixed.denominator:
            bits.append(f"到期应整改{fixed.denominator}项，按期整改{fixed.numerator}项")
        out.append("，".join(bits) + "。")
    return out
