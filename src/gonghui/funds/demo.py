"""Demo 工会经费: 15 months of payroll declarations and receipts (税务代收 and 直接拨缴) for some
employers of the first townships, some months unpaid or underpaid, a few receipts 待匹配, 返还手续
complete for most unions, and refunds in every status.

Played through the services, dated before the reference date. A fixed number of townships and
employers keeps the small and county demos to a few seconds; the city demo gets the same per
township (the 2.4-million-row benchmark needs a bulk loader, not these services).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from gonghui.core import clock
from gonghui.core.demo import DemoContext, builder

TOWNSHIPS = 3
EMPLOYERS = 10  # per township
MONTHS = 15


def _month(ref: dt.date, back: int) -> dt.date:
    return clock.add_months(ref.replace(day=1), -back)


def _month_end(first: dt.date) -> dt.date:
    return clock.add_months(first, 1) - dt.timedelta(days=1)


@builder("工会经费", after=("orgs",))
def build_funds(ctx: DemoContext) -> None:
    from stdnum.cn import uscc

    from gonghui.orgs.models import Coverage, Employer

    from . import services
    from .models import Channel, RefundFormality, ReviewKind

    rng, ref = ctx.rng, ctx.today
    towns = ctx.data["townships"][:TOWNSHIPS]
    seq = 0
    with clock.as_of(ref), transaction.atomic():
        for t_index, town in enumerate(towns):
            employers = list(Employer.objects.filter(org=town, uscc__isnull=False, closed_on__isnull=True)
                             .select_related("org").order_by("pk")[:EMPLOYERS])
            for e_index, employer in enumerate(employers):
                payroll = Decimal(rng.randrange(80, 2000) * 500)
                for back in range(MONTHS, 0, -1):
                    month = _month(ref, back)
                    received = month + dt.timedelta(days=rng.randrange(40, 50))
                    if received > ref or (e_index % 5 == 4 and back % 3 == 0):
                        continue  # 欠缴: some months not paid at all
                    seq += 1
                    amount = (payroll * services.RATE).quantize(Decimal("0.01"))
                    if e_index % 7 == 3:
                        amount = (amount * Decimal("0.6")).quantize(Decimal("0.01"))  # underpaid
                    channel = Channel.DIRECT if e_index % 4 == 0 else Channel.TAX
                    services.receipt_record(actor=None, org=town, reference=f"DEMO{t_index:02d}{seq:07d}",
                                            channel=channel, amount=amount, received_on=received,
                                            uscc=employer.uscc, month=month, payroll_base=payroll)
            # A few receipts whose credit code is not registered: 待匹配.
            for k in range(2):
                seq += 1
                body = f"91{rng.randrange(10**15):015d}"
                services.receipt_record(actor=None, org=town, reference=f"DEMO{t_index:02d}{seq:07d}",
                                        channel=Channel.TAX, amount=Decimal(rng.randrange(200, 5000)),
                                        received_on=ref - dt.timedelta(days=10 + 20 * k),
                                        uscc=body + uscc.calc_check_digit(body), name=f"未登记单位{t_index}{k}",
                                        month=_month(ref, 2 + k))
        # 返还手续: most paying unions complete, every third missing its agreement.
        unions = {c.union for c in Coverage.objects.filter(
            employer__org__in=towns, employer__fund_receipts__isnull=False).select_related("union").distinct()}
        unions = sorted(unions, key=lambda u: u.path)
        for u_index, union in enumerate(unions):
            complete = u_index % 3 != 2
            services.formality_save(actor=None, union=union, bank_name="中国工商银行", account_name=f"{union.name}委员会",
                                    account=f"6222{rng.randrange(10**12):012d}",
                                    certificate_no=f"工法证字第{union.pk:05d}号" if u_index % 9 != 8 else "",
                                    agreement_on=_month(ref, MONTHS) if complete else None,
                                    on=_month(ref, MONTHS) + dt.timedelta(days=3))
        # 会费: each paying union, month by month, a few collected short.
        for u_index, union in enumerate(unions):
            members = rng.randrange(20, 300)
            for back in range(MONTHS, 0, -1):
                base = Decimal(members * rng.randrange(3000, 8000))
                due = (base * services.DUES_RATE).quantize(Decimal("0.01"))
                paid = due if (u_index + back) % 5 else (due * Decimal("0.8")).quantize(Decimal("0.01"))
                services.dues_record(actor=None, union=union, month=_month(ref, back), members=members,
                                     wage_base=base, paid=paid)
        # Refunds: last year's paid; this year's in every status.
        complete = [f.union for f in RefundFormality.objects.filter(completed_on__isnull=False,
                                                                    union__in=unions).select_related("union")]
        for r_index, union in enumerate(complete[:12]):
            start, end = _month(ref, 14), _month_end(_month(ref, 13))
            prepared = _month(ref, 12) + dt.timedelta(days=4)
            if services.refundable(union, start, end):
                old = services.refund_prepare(actor=None, union=union, start=start, end=end, on=prepared)
                services.refund_approve(actor=None, refund=old, on=prepared + dt.timedelta(days=3))
                services.refund_pay(actor=None, refund=old, paid_on=prepared + dt.timedelta(days=7))
            start, end = _month(ref, 11), _month_end(_month(ref, 3))
            prepared = _month(ref, 2) + dt.timedelta(days=4)
            if prepared > ref or not services.refundable(union, start, end):
                continue
            new = services.refund_prepare(actor=None, union=union, start=start, end=end, on=prepared)
            stage = r_index % 4
            if stage >= 1:
                services.refund_approve(actor=None, refund=new, on=min(prepared + dt.timedelta(days=3), ref))
            if stage >= 2:
                services.refund_pay(actor=None, refund=new, paid_on=min(prepared + dt.timedelta(days=6), ref))
            if stage == 0 and r_index % 8 == 4:
                services.refund_refuse(actor=None, refund=new, reason="金额待核对")
        # 经审: each paying union's annual review, every fourth with a term-end audit; findings
        # rectified on time, late, or still open (some overdue).
        problems = ("活动经费支出未经集体研究", "部分支出凭证不全", "固定资产未登记入账", "会费收缴台账不完整")
        for u_index, union in enumerate(unions[:24]):
            reviewed = _month(ref, 10) + dt.timedelta(days=u_index % 20)
            year = reviewed.year - 1
            findings = [(problems[(u_index + k) % len(problems)], Decimal(rng.randrange(0, 5000)) or None,
                         reviewed + dt.timedelta(days=60 + 30 * k)) for k in range(u_index % 3)]
            review = services.review_record(
                actor=None, org=union, kind=ReviewKind.TERM_AUDIT if u_index % 4 == 3 else ReviewKind.REVIEW,
                period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), reviewed_on=reviewed,
                auditor="本会经费审查委员会" if u_index % 4 != 3 else "上级工会经费审查委员会",
                chair_name=rng.choice(["张伟", "李娜", "王强", "刘洋"]) if u_index % 4 == 3 else "",
                conclusion="经费收支基本规范，账实相符。", findings=findings)
            for k, finding in enumerate(review.findings.order_by("due_on")):
                late = (u_index + k) % 3
                done = finding.due_on - dt.timedelta(days=10) if late == 0 else finding.due_on + dt.timedelta(days=20)
                if late == 2 or done > ref:
                    continue  # still open
                services.finding_rectify(actor=None, finding=finding, rectified_on=done, rectification="已按要求整改")
    ctx.data["funds_receipts"] = seq
