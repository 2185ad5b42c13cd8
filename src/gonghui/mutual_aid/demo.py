"""Demo 互助保障: the county's 女职工安康互助保障 plan with last year's and this year's terms, the
grass-roots unions' group enrolments of their in-service women (most renewing), written in bulk,
and a few claims driven through the services to every step (paid in full, 慰问金, rejected,
awaiting review and approval). Cheap at the small size: a handful of queries per union batch."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gonghui.core import clock
from gonghui.core.demo import DemoContext, builder
from gonghui.core.metrics import percent

# Claims driven through the services, per size.
CLAIMS = {"small": 12, "county": 200, "city": 5000}
WOMEN_PLAN = {
    "name": "女职工安康互助保障", "kind": "women", "sex": 2, "max_age_female": 50, "unit_premium": "15",
    "term_months": 12, "max_units": 3, "min_coverage": "80", "waiting_days": 90, "condolence_after_days": 30,
    "condolence_amount": "1000", "renewal_grace_days": 30, "payout_ends_cover": True,
}
BENEFITS = [{"code": "A", "name": "原发性乳腺癌、女性生殖器官癌", "amount_per_unit": "10000"},
            {"code": "B", "name": "原位癌", "amount_per_unit": "5000"}]
DIAGNOSES = {"A": ["乳腺浸润性导管癌", "宫颈鳞状细胞癌", "卵巢浆液性癌"], "B": ["乳腺导管原位癌", "宫颈原位癌"]}


@builder("互助保障", after=("orgs", "members"))  # insured people are members of the roster
def build_mutual_aid(ctx: DemoContext) -> None:
    from gonghui.members.models import Employment, Membership, MemberStatus
    from gonghui.orgs.models import GRASSROOTS_TYPES

    from . import services
    from .models import Batch, Item

    root = ctx.data.get("root")
    if root is None:
        return
    rng, today = ctx.rng, min(ctx.today, clock.today())
    plan = services.plan_create(actor=None, org=root, code="0001", benefits=BENEFITS, **WOMEN_PLAN)
    terms = [services.term_create(actor=None, plan=plan, name=f"{y}年度", opens_on=dt.date(y, 1, 1),
                                  closes_on=dt.date(y, 12, 31)) for y in (today.year - 1, today.year)]
    unions = {u.pk: u for u in ctx.data["unions"] if u.org_type in GRASSROOTS_TYPES and not u.dissolved_on}
    women: dict[int, list[tuple]] = {}
    rows = (Membership.objects.filter(union_id__in=list(unions), ended_on__isnull=True, status=MemberStatus.ACTIVE,
                                      person__gender=2, person__employment=Employment.EMPLOYED)
            .order_by("union_id", "person_id")
            .values_list("union_id", "person_id", "person__birth_date", "person__id_hash", "person__name",
                         "person__id_masked"))
    for union_id, *person in rows.iterator(chunk_size=5000):
        women.setdefault(union_id, []).append(tuple(person))

    per_unit = Decimal("10000")
    previous: dict[int, Item] = {}
    for term in terms:
        batches, items = [], []
        for union_id, people in women.items():
            union = unions[union_id]
            if union.founded_on and union.founded_on > term.opens_on:
                continue
            start_month = rng.randint(1, 4)
            enrolled_on = dt.date(term.opens_on.year, start_month, rng.randint(1, 28))
            if enrolled_on > today or rng.random() < 0.25:
                continue  # not every union joins every year
            eligible = [p for p in people if services._age_on(p[1], enrolled_on) < plan.max_age_female]
            if not eligible:
                continue
            chosen = [p for p in eligible if rng.random() < 0.92]
            if eligible and percent(len(chosen), len(eligible), 4) < plan.min_coverage:
                chosen = eligible
            batch = Batch(term=term, union=union, path=union.path, no=f"AK{term.opens_on.year}-{union.code}",
                          enrolled_on=enrolled_on, eligible_count=len(eligible))
            batches.append((batch, chosen))
        Batch.objects.bulk_create([b for b, _ in batches], batch_size=2000)
        for batch, chosen in batches:
            start = batch.enrolled_on + dt.timedelta(days=1)
            for row, (person_id, _birth, _id_hash, name, masked) in enumerate(chosen, start=1):
                units = rng.choice((1, 1, 1, 2, 3))
                prev = previous.get(person_id)
                renewal = prev is not None and prev.end_on + dt.timedelta(days=plan.renewal_grace_days) >= \
                    batch.enrolled_on
                begin = max(start, prev.end_on + dt.timedelta(days=1)) if renewal else start
                item = Item(batch=batch, term=batch.term, plan=plan, union_id=batch.union_id, person_id=person_id,
                            path=batch.path, row_no=row, name=name, id_masked=masked,
                            units=units, premium=plan.unit_premium * units, sum_insured=per_unit * units,
                            enrolled_on=batch.enrolled_on, start_on=begin,
                            end_on=clock.add_months(begin, plan.term_months) - dt.timedelta(days=1),
                            waiting_until=None if renewal else begin + dt.timedelta(days=plan.waiting_days - 1),
                            is_renewal=renewal)
                items.append(item)
                previous[person_id] = item
            batch.enrolled_count = len(chosen)
            batch.units_total = sum(i.units for i in items[-len(chosen):])
            batch.premium_total = plan.unit_premium * batch.units_total
            batch.sum_insured_total = per_unit * batch.units_total
        for i in range(0, len(items), 5000):
            Item.objects.bulk_create(items[i:i + 5000])
        Batch.objects.bulk_update([b for b, _ in batches],
                                  ["enrolled_count", "units_total", "premium_total", "sum_insured_total"],
                                  batch_size=2000)
        ctx.data.setdefault("mutual_aid_terms", []).append(term)

    # Claims through the services: on items in force, most after the waiting period.
    candidates = list(Item.objects.filter(start_on__lte=today - dt.timedelta(days=40))
                      .select_related("plan", "union").order_by("-id")[: CLAIMS.get(ctx.size.name, 12) * 3])
    rng.shuffle(candidates)
    claimed: set[int] = set()
    for n, item in enumerate(candidates[: CLAIMS.get(ctx.size.name, 12)]):
        latest = min(today, item.end_on)
        # One claim a person: the plan pays a first diagnosis once (her last year's and this year's
        # items may both be candidates).
        if latest <= item.start_on or item.person_id in claimed:
            continue
        claimed.add(item.person_id)
        diagnosed = item.start_on + dt.timedelta(days=rng.randint(35, max(36, (latest - item.start_on).days)))
        diagnosed = min(diagnosed, latest)
        code = "A" if rng.random() < 0.75 else "B"
        registered = min(today, diagnosed + dt.timedelta(days=rng.randint(3, 20)))
        claim = services.claim_register(actor=None, item=item, registered_on=registered,
                                        diagnosis=rng.choice(DIAGNOSES[code]), benefit_code=code,
                                        diagnosed_on=diagnosed, hospital=rng.choice(["县人民医院", "市妇幼保健院"]),
                                        treatment=rng.choice(["surgery", "inpatient"]))
        step = n % 6
        if claim.amount == 0 or step == 5:
            services.claim_reject(actor=None, claim=claim, on=registered, reason="经核查不符合给付条件")
            continue
        if step == 4:
            continue  # awaiting review
        reviewed = min(today, registered + dt.timedelta(days=3))
        services.claim_review(actor=None, claim=claim, on=reviewed)
        if step == 3:
            continue  # awaiting approval
        services.claim_approve(actor=None, claim=claim, on=reviewed)
        if step == 2:
            continue  # approved, awaiting payment
        services.claim_pay(actor=None, claim=claim, on=min(today, reviewed + dt.timedelta(days=7)))
