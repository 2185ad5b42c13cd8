"""Demo contracts: the 台账 of a county (wage agreements, collective and women's contracts
in force, some expiring, one regional agreement per township) written in bulk, plus a dozen
negotiations driven through the services to every status of the six steps, some late."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gonghui.core import clock
from gonghui.core.demo import DemoContext, builder

BATCH = 2000


@builder("集体协商与集体合同", after=("orgs",))
def build_bargaining(ctx: DemoContext) -> None:
    from gonghui.orgs.models import Coverage, Employer

    from .metrics import NON_PUBLIC
    from .models import Contract, ContractEmployer, ContractEvent, ContractType, Inspection, Scope, Status

    rng = ctx.rng
    today = min(ctx.today, clock.today())
    unions = ctx.data["unions"]
    covers: dict[int, list[Employer]] = {}
    since: dict[int, dt.date] = {}  # employer -> covered from
    for cov in Coverage.objects.filter(union__in=unions, valid_to__isnull=True).select_related("employer"):
        covers.setdefault(cov.union_id, []).append(cov.employer)
        since[cov.employer_id] = cov.valid_from

    contracts, parties = [], []
    clauses = ["四期保护", "定期健康检查和妇科病普查", "男女同工同酬"]

    def add(org, kind, employers, signed_on, years, title, scope=Scope.ENTERPRISE, pct=None):
        start = signed_on + dt.timedelta(days=rng.randint(20, 40))
        end = clock.add_months(start, 12 * years) - dt.timedelta(days=1)
        c = Contract(org=org, contract_type=kind, scope=scope, title=title, year=start.year, opened_on=signed_on,
                     employer_party="、".join(e.name for e in employers[:3]), worker_party=org.name,
                     signed_on=signed_on, filed_on=signed_on + dt.timedelta(days=5),
                     effective_on=signed_on + dt.timedelta(days=20), start_on=start, end_on=end,
                     published_on=signed_on + dt.timedelta(days=25), status=Status.PUBLISHED,
                     employees_covered=sum(e.headcount for e in employers),
                     women_covered=sum(e.women_count for e in employers),
                     migrants_covered=sum(e.migrant_count for e in employers),
                     wage_increase_pct=pct, lowest_wage=Decimal(rng.choice([1930, 2000, 2100, 2200])),
                     women_clauses=clauses if kind == ContractType.WOMEN else [])
        contracts.append(c)
        parties.append([ContractEmployer(employer=e, employees=e.headcount, women=e.women_count,
                                         migrants=e.migrant_count) for e in employers])

    for union in unions:
        employers = [e for e in covers.get(union.pk, []) if e.ownership in NON_PUBLIC]
        if not employers:
            continue
        name = employers[0].name
        if rng.random() < 0.62:  # wage agreements: one year, most recent ones signed in spring
            year = today.year if rng.random() < 0.8 else today.year - 1
            signed = dt.date(year, rng.randint(1, 5), rng.randint(1, 28))
            if signed < today:
                pct = Decimal(rng.choice([6, 8, 9, 10, 10, 11, 12, 12, 15])) + Decimal(rng.randint(0, 9)) / 10
                add(union, ContractType.WAGE, employers, signed, 1, f"{name}{signed.year}年工资专项集体协议", pct=pct)
        if rng.random() < 0.45:
            signed = dt.date(today.year - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
            if signed < today:
                add(union, ContractType.GENERAL, employers, signed, 3, f"{name}集体合同")
        if rng.random() < 0.3:
            signed = dt.date(today.year - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
            if signed < today:
                add(union, ContractType.WOMEN, employers, signed, 3, f"{name}女职工权益保护专项集体合同")

    # One regional wage agreement per township for its small employers without a union.
    covered = {e.pk for es in covers.values() for e in es}
    small: dict[int, list[Employer]] = {}
    for e in Employer.objects.filter(org__in=ctx.data["townships"], headcount__lt=100).order_by("pk"):
        if e.pk not in covered:
            small.setdefault(e.org_id, []).append(e)
    for town in ctx.data["townships"]:
        members = small.get(town.pk, [])[:12]
        if members:
            signed = dt.date(today.year, 3, rng.randint(1, 28))
            add(town, ContractType.WAGE, members, signed, 1, f"{town.name}{signed.year}年区域性工资专项集体协议",
                scope=Scope.REGIONAL, pct=Decimal(rng.choice([8, 9, 10])))

    Contract.objects.bulk_create(contracts, batch_size=BATCH)
    rows, events, checks = [], [], []
    for c, ps in zip(contracts, parties, strict=True):
        for p in ps:
            p.contract = c
            rows.append(p)
        events.append(ContractEvent(contract=c, action="registered", on=c.signed_on, from_status="",
                                    to_status=c.status, note="按台账登记", actor_name="系统"))
        first_check = c.effective_on + dt.timedelta(days=180)
        if first_check < today and first_check <= c.end_on and rng.random() < 0.5:
            n = rng.randint(8, 20)
            checks.append(Inspection(contract=c, checked_on=first_check, items_checked=n,
                                     items_fulfilled=n - rng.choice([0, 0, 0, 1, 1, 2])))
    ContractEmployer.objects.bulk_create(rows, batch_size=BATCH)
    ContractEvent.objects.bulk_create(events, batch_size=BATCH)
    Inspection.objects.bulk_create(checks, batch_size=BATCH)

    _negotiations(ctx, covers, since, today)


def _negotiations(ctx: DemoContext, covers, since, today: dt.date) -> None:
    """Negotiations in every status, through the services (so with history and audit), in the
    first township; their dates are set back from today so some steps are late."""
    from . import services as s
    from .models import ContractType, Meeting, Side, Status

    town = ctx.data["townships"][0]
    # Unions covering their employer since before the earliest negotiation below.
    earliest = today - dt.timedelta(days=121)
    unions = [u for u in ctx.data["unions"] if u.path.startswith(town.path) and covers.get(u.pk)
              and since[covers[u.pk][0].pk] <= earliest][:13]
    targets = [Status.REPRESENTATIVES, Status.OFFERED, Status.OFFERED, Status.REFUSED, Status.PREPARING,
               Status.NEGOTIATING, Status.SUSPENDED, Status.VOTING, Status.PASSED, Status.SIGNED, Status.FILED,
               Status.EFFECTIVE, Status.PUBLISHED]
    for i, (union, target) in enumerate(zip(unions, targets, strict=False)):
        employer = covers[union.pk][0]
        start = today - dt.timedelta(days=120 - i * 3 if i != 2 else 10)  # the second OFFERED one is on time
        c = s.contract_open(actor=None, org=union, contract_type=ContractType.WAGE, opened_on=start,
                            title=f"{employer.name}{start.year}年工资专项集体协议（协商中）", employers=[employer])
        for side, prefix in ((Side.WORKERS, "职工代表"), (Side.EMPLOYER, "企业代表")):
            for k in range(3):
                s.representative_add(actor=None, contract=c, side=side, name=f"{prefix}{i + 1}-{k + 1}",
                                     is_chief=k == 0)
        day = start

        def nxt(days=3):
            nonlocal day
            day = day + dt.timedelta(days=days)
            return day

        if target == Status.REPRESENTATIVES:
            continue
        c = s.contract_offer(actor=None, contract=c, side=Side.WORKERS, offered_on=nxt(1), topics="年度工资调整、最低工资标准")
        if target == Status.OFFERED:
            continue
        if target == Status.REFUSED:
            s.contract_reply(actor=None, contract=c, replied_on=nxt(), accepted=False, note="企业今年订单下降，暂不协商")
            continue
        c = s.contract_reply(actor=None, contract=c, replied_on=nxt(), accepted=True)
        c = s.contract_prepare(actor=None, contract=c, prepared_on=nxt(), recorder=f"记录员{i + 1}", topics="工资增幅",
                               prev_avg_wage=Decimal(5200))
        if target == Status.PREPARING:
            continue
        outcome = {Status.NEGOTIATING: Meeting.Outcome.CONTINUE, Status.SUSPENDED: Meeting.Outcome.SUSPENDED}.get(
            target, Meeting.Outcome.AGREED)
        s.meeting_add(actor=None, contract=c, held_on=nxt(), chair_side=Side.WORKERS, attendees="双方代表6人",
                      minutes="双方就工资增幅交换意见。", outcome=outcome,
                      next_on=day + dt.timedelta(days=14) if outcome != Meeting.Outcome.AGREED else None)
        if target in (Status.NEGOTIATING, Status.SUSPENDED, Status.VOTING):
            continue
        s.vote_record(actor=None, contract=c, held_on=nxt(5), body="congress", total=45, present=40, votes_for=36)
        if target == Status.PASSED:
            continue
        signed = nxt(2)
        begins = signed + dt.timedelta(days=10)
        c = s.contract_sign(actor=None, contract=c, signed_on=signed, start_on=begins,
                            end_on=clock.add_months(begins, 12) - dt.timedelta(days=1))
        if target == Status.SIGNED:
            continue
        c = s.contract_file(actor=None, contract=c, filed_on=nxt(4), department="县人力资源和社会保障局")
        if target == Status.FILED:
            continue
        c = s.contract_approve(actor=None, contract=c, approved_on=nxt(10))
        if target == Status.EFFECTIVE:
            continue
        c = s.contract_publish(actor=None, contract=c, published_on=nxt(3), method="厂务公开栏")
        s.contract_update_terms(actor=None, contract=c, wage_increase_pct=Decimal("10.5"))
