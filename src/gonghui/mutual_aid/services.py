"""Every write of the 互助保障 work line (DOMAIN §11). Each service checks scope and rules,
writes in one transaction and appends its audit entry.

Diagnoses never reach the audit log: claim entries name the claim, its status, decision and
amount only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from gonghui.core import audit, clock, crypto, docx_templates, scope, uploads
from gonghui.core.errors import ServiceError, join_messages
from gonghui.core.identifiers import parse_id_number
from gonghui.core.metrics import percent
from gonghui.core.sql import among_chunks
from gonghui.core.workflow import Workflow
from gonghui.members.models import Employment, Membership, MemberStatus, Person
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import path_on, placement_path

from .models import (
    Batch,
    Benefit,
    Claim,
    ClaimDocument,
    ClaimStatus,
    Decision,
    DocumentKind,
    FormTemplate,
    Item,
    ItemStatus,
    Plan,
    Sex,
    Term,
    Treatment,
)

CENT = Decimal("0.01")
MAX_REFUSALS_SHOWN = 20


CLAIM_FLOW = Workflow.build(ClaimStatus, {
    ClaimStatus.REGISTERED: {ClaimStatus.REVIEWED, ClaimStatus.REJECTED},
    ClaimStatus.REVIEWED: {ClaimStatus.APPROVED, ClaimStatus.REJECTED},
    ClaimStatus.APPROVED: {ClaimStatus.PAID},
})


def _money(value, what: str, field: str, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(f"{what}“{value}”不是有效金额。", field=field) from exc
    if amount < 0 or (not allow_zero and amount == 0):
        raise ServiceError(f"{what}应为{'正数' if not allow_zero else '不小于0的金额'}。", field=field)
    return amount


def _age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


# --- plans and terms ------------------------------------------------------------------------------

PLAN_FIELDS = ("name", "kind", "sex", "max_age_female", "max_age_male", "in_service_only", "unit_premium",
               "term_months", "max_units", "min_coverage", "waiting_days", "condolence_after_days",
               "condolence_amount", "renewal_grace_days", "payout_ends_cover", "active", "note")


def _check_plan(fields: dict, benefits: list[dict]) -> list[dict]:
    if not str(fields.get("name") or "").strip():
        raise ServiceError("请填写项目名称。", field="name")
    fields["unit_premium"] = _money(fields.get("unit_premium"), "每份保费", "unit_premium", allow_zero=False)
    fields["condolence_amount"] = _money(fields.get("condolence_amount", 0), "慰问金", "condolence_amount")
    if int(fields.get("term_months") or 0) < 1:
        raise ServiceError("保障期限至少1个月。", field="term_months")
    if int(fields.get("max_units") or 0) < 1:
        raise ServiceError("每人最多份数至少为1份。", field="max_units")
    coverage = Decimal(str(fields.get("min_coverage", 0) or 0))
    if not 0 <= coverage <= 100:
        raise ServiceError("单位最低参保率应在0至100之间。", field="min_coverage")
    fields["min_coverage"] = coverage
    if int(fields.get("condolence_after_days") or 0) > int(fields.get("waiting_days") or 0):
        raise ServiceError("慰问金起付日不能晚于等待期。", field="condolence_after_days")
    cleaned, codes = [], set()
    for i, b in enumerate(benefits, start=1):
        code, name = str(b.get("code") or "").strip(), str(b.get("name") or "").strip()
        if not code or not name:
            raise ServiceError(f"第{i}个给付类别缺少代码或名称。", field="benefits")
        if code in codes:
            raise ServiceError(f"给付类别代码“{code}”重复。", field="benefits")
        codes.add(code)
        amount = _money(b.get("amount_per_unit"), f"给付类别“{name}”的每份给付金额", "benefits", allow_zero=False)
        cleaned.append({"code": code, "name": name, "amount_per_unit": amount})
    if not cleaned:
        raise ServiceError("请至少设置一个给付类别。", field="benefits")
    return cleaned


@transaction.atomic
def plan_create(*, actor, org: Org, code: str, benefits: list[dict], **fields) -> Plan:
    """设立项目: the plan's rules and its benefit classes."""
    scope.require(actor, "mutual_aid.plan", org.path)
    code = (code or "").strip()
    if not code:
        raise ServiceError("请填写项目代码。", field="code")
    if Plan.objects.filter(code=code).exists():
        raise ServiceError(f"项目代码“{code}”已被使用。", field="code")
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    fields = {f: Plan._meta.get_field(f).get_default() for f in PLAN_FIELDS} | fields
    cleaned = _check_plan(fields, benefits)
    plan = Plan.objects.create(org=org, code=code, **fields)
    Benefit.objects.bulk_create([Benefit(plan=plan, **b) for b in cleaned])
    audit.record(actor=actor, action="mutual_aid.plan.created", obj=plan,
                 changes={"code": code, "unit_premium": plan.unit_premium, "term_months": plan.term_months,
                          "benefits": [f"{b['name']} {b['amount_per_unit']}" for b in cleaned]})
    return plan


@transaction.atomic
def plan_update(*, actor, plan: Plan, benefits: list[dict] | None = None, **fields) -> Plan:
    scope.require(actor, "mutual_aid.plan", plan.org.path)
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    merged = {f: getattr(plan, f) for f in PLAN_FIELDS} | fields
    current = [{"code": b.code, "name": b.name, "amount_per_unit": b.amount_per_unit} for b in plan.benefits.all()]
    cleaned = _check_plan(merged, benefits if benefits is not None else current)
    old = {f: getattr(plan, f) for f in PLAN_FIELDS}
    for f in PLAN_FIELDS:
        setattr(plan, f, merged[f])
    plan.save()
    if benefits is not None:
        plan.benefits.all().delete()
        Benefit.objects.bulk_create([Benefit(plan=plan, **b) for b in cleaned])
    changes = {f: merged[f] for f in PLAN_FIELDS if merged[f] != old[f]}
    if benefits is not None:
        changes["benefits"] = [f"{b['name']} {b['amount_per_unit']}" for b in cleaned]
    audit.record(actor=actor, action="mutual_aid.plan.updated", obj=plan, changes=changes)
    return plan


@transaction.atomic
def term_create(*, actor, plan: Plan, name: str, opens_on: dt.date, closes_on: dt.date) -> Term:
    """设立期次: an enrolment round of the plan."""
    scope.require(actor, "mutual_aid.plan", plan.org.path)
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写期次名称，如“2025年度”。", field="name")
    if closes_on < opens_on:
        raise ServiceError("参保截止日期不能早于开始日期。", field="closes_on")
    if Term.objects.filter(plan=plan, name=name).exists():
        raise ServiceError(f"该项目已有期次“{name}”。", field="name")
    term = Term.objects.create(plan=plan, name=name, opens_on=opens_on, closes_on=closes_on)
    audit.record(actor=actor, action="mutual_aid.term.created", obj=term,
                 changes={"name": name, "opens_on": opens_on, "closes_on": closes_on})
    return term


# --- eligibility ---------------------------------------------------------------------------------

def eligibility_problem(plan: Plan, person: Person, on: dt.date) -> str:
    """Why the person may not enrol in the plan on `on` ('' when she may): sex, age below the
    statutory retirement age, in service."""
    if plan.sex and person.gender != plan.sex:
        return f"该项目仅限{Sex(plan.sex).label}性参保，{person.name}为{Sex(person.gender).label}性"
    limit = plan.max_age_female if person.gender == Sex.FEMALE else plan.max_age_male
    age = _age_on(person.birth_date, on)
    if age >= limit:
        return f"{person.name}参保时{age}岁，已达法定退休年龄（{limit}岁）"
    if plan.in_service_only and person.employment != Employment.EMPLOYED:
        return f"{person.name}不是在岗职工（就业状态：{person.get_employment_display()}）"
    return ""


def roster_people(union: Org) -> Iterable[Person]:
    """The union's current members (在会)."""
    return Person.objects.filter(memberships__union=union, memberships__ended_on__isnull=True,
                                 memberships__status=MemberStatus.ACTIVE)


def eligible_people(plan: Plan, union: Org, on: dt.date) -> list[RosterPerson]:
    """The union's current members the plan's rules admit on `on` (the coverage rate's base)."""
    people = roster_people(union)
    if plan.sex:
        people = people.filter(gender=plan.sex)
    if plan.in_service_only:
        people = people.filter(employment=Employment.EMPLOYED)
    rows = (RosterPerson(*row) for row in people.order_by("id").values_list(*ROSTER_FIELDS))
    return [p for p in rows if not eligibility_problem(plan, p, on)]


@dataclass
class Entry:
    """One row of an enrolment: a person of the roster (or an ID number to find one), 份数."""

    units: object
    person: Person | None = None
    id_number: str = ""
    name: str = ""
    row: int = 0
    id_checked: bool = False  # the number was validated already (an import's cell), 18 characters


@dataclass
class RosterPerson:
    """The few columns of a roster person the enrolment needs (an import of 20,000 rows does not
    build 20,000 Person instances)."""

    pk: int
    name: str
    gender: int
    birth_date: dt.date
    employment: str
    id_hash: str
    id_masked: str

    def get_employment_display(self) -> str:
        return Person(employment=self.employment).get_employment_display()


ROSTER_FIELDS = ("pk", "name", "gender", "birth_date", "employment", "id_hash", "id_masked")


@dataclass
class _Planned:
    person: Person
    units: int
    row: int
    start_on: dt.date
    end_on: dt.date
    waiting_until: dt.date | None
    is_renewal: bool


class Refused(ServiceError):
    """Rows of an enrolment that may not enrol: `rows` = [(row number, reason)]; nothing is saved."""

    def __init__(self, rows: list[tuple[int, str]]):
        shown = [f"第{r}行：{m}" for r, m in rows[:MAX_REFUSALS_SHOWN]]
        more = f"（另有{len(rows) - len(shown)}行有误，未列出）" if len(rows) > len(shown) else ""
        super().__init__(f"共{len(rows)}行不能参保，全部未保存：" + join_messages(shown) + more, field="people")
        self.rows = rows


def _numbers(entries: list[Entry]) -> dict[int, str | ServiceError]:
    """Each entry's ID number checked once (GB 11643, 15 digits upgraded): {entry index: number or error}."""
    today, out = clock.today(), {}
    for i, e in enumerate(entries):
        if e.person is None and e.id_checked:
            out[i] = e.id_number
        elif e.person is None:
            try:
                out[i] = parse_id_number(e.id_number, today).number
            except ServiceError as exc:
                out[i] = exc
    return out


def _people_by_id(numbers: dict[int, str | ServiceError],
                  rosters: dict[int, list[RosterPerson]] | None = None) -> dict[str, Person]:
    """The people of the entries' ID numbers, found by their lookup hashes: first among the units'
    `rosters` (already read), then in the database for the rest only. On the city the 40,000 hashes
    of a 20,000-row sheet made PostgreSQL scan the whole person table (2.2 s), though nearly every
    one of them is on a roster of the file."""
    wanted: dict[str, str] = {}
    ring = crypto.keyring()
    for number in numbers.values():
        if isinstance(number, str):
            for h in crypto.lookup_hashes(number, ring):
                wanted[h] = number
    found: dict[str, RosterPerson] = {}
    on_rosters = {p.id_hash: p for people in (rosters or {}).values() for p in people}
    for h, number in wanted.items():
        if h in on_rosters:
            found[number] = on_rosters[h]
    missing = [h for h, number in wanted.items() if number not in found]
    for where in among_chunks(Person, "id_hash", missing, "text"):
        for row in Person.objects.filter(where).values_list(*ROSTER_FIELDS):
            person = RosterPerson(*row)
            found[wanted[person.id_hash]] = person
    return found


def _resolve(entry: Entry, number, union: Org, members: set[int], by_id: dict[str, Person]) -> Person:
    """The roster person an entry names: picked, or found by the ID number and checked by name."""
    person = entry.person
    if person is None:
        if isinstance(number, ServiceError):
            raise number
        person = by_id.get(number)
        if person is None:
            raise ServiceError(f"{entry.name or '此人'}（{crypto.mask_id(number)}）不在会员名册中，"
                               "请先办理入会后再参保")
        if entry.name and entry.name.strip() != person.name:
            raise ServiceError(f"姓名“{entry.name}”与名册中该身份证号的会员“{person.name}”不一致")
    if person.pk not in members:
        raise ServiceError(f"{person.name}不是{union.name}的在会会员，不能由本单位参保")
    return person


def _check_unit(term: Term, enrolled_on: dt.date, entries: list[Entry]) -> None:
    """The rules over a whole batch before its rows: the plan open, the date in the term, rows."""
    plan = term.plan
    if not plan.active:
        raise ServiceError(f"项目“{plan.name}”已停止接受参保。")
    if not term.opens_on <= enrolled_on <= term.closes_on:
        raise ServiceError(f"参保日期 {enrolled_on} 不在{term.name}的参保期（{term.opens_on}至{term.closes_on}）内。",
                           field="enrolled_on")
    if not entries:
        raise ServiceError("请至少选择一名参保人员。", field="people")


def _plan_items(term: Term, union: Org, enrolled_on: dt.date, entries: list[Entry]) -> list[_Planned]:
    """Check every entry; raise Refused listing the refused rows (nothing is saved)."""
    _check_unit(term, enrolled_on, entries)
    members = set(roster_people(union).values_list("pk", flat=True))
    numbers = _numbers(entries)
    planned, refusals = _check_entries(term, union, enrolled_on, entries, members, numbers, _people_by_id(numbers))
    if planned:
        _check_history(term, enrolled_on, planned, refusals)
    if refusals:
        raise Refused(sorted(refusals))
    return planned


def _check_entries(term: Term, union: Org, enrolled_on: dt.date, entries: list[Entry], members: set[int],
                   numbers: dict, by_id: dict) -> tuple[list[_Planned], list[tuple[int, str]]]:
    """Each entry's person (on the unit's roster), 份数 and the plan's eligibility: (the rows to
    enrol, the refused rows with their reasons)."""
    plan = term.plan
    refusals: list[tuple[int, str]] = []
    planned, seen = [], {}
    for i, entry in enumerate(entries, start=1):
        row = entry.row or i
        try:
            person = _resolve(entry, numbers.get(i - 1), union, members, by_id)
            try:
                units = int(str(entry.units).strip())
            except (TypeError, ValueError) as exc:
                raise ServiceError(f"份数“{entry.units}”应为整数") from exc
            if not 1 <= units <= plan.max_units:
                raise ServiceError(f"份数应为1至{plan.max_units}份，填写的是{units}份")
            problem = eligibility_problem(plan, person, enrolled_on)
            if problem:
                raise ServiceError(problem)
            if person.pk in seen:
                raise ServiceError(f"{person.name}与第{seen[person.pk]}行重复")
            seen[person.pk] = row
            planned.append(_Planned(person, units, row, enrolled_on, enrolled_on, None, False))
        except ServiceError as exc:
            refusals.append((row, exc.message))
    return planned, refusals


class _Held(NamedTuple):
    """The columns of an earlier item the history check reads: a tuple, not an Item, since
    building 20,000 model instances (their related-field defaults) took a third of an import."""

    term_id: int
    status: str
    end_on: dt.date
    diagnosed: bool = False  # a claim on it tells a diagnosis (diagnosed_q)


def diagnosed_q() -> Q:
    """Claims that tell the person has been diagnosed: every claim not refused. A refused one does
    not count, so that a claim registered by mistake (a wrong date or person) can be refused and
    registered again."""
    return ~Q(status=ClaimStatus.REJECTED)


def _earlier_items(plan: Plan, person_ids) -> dict[int, list[_Held]]:
    """{person id: her items of the plan, by end date}: one query (per core.sql.CHUNK people on SQLite)."""
    earlier: dict[int, list[_Held]] = {}
    diagnosed = Exists(Claim.objects.filter(diagnosed_q(), item=OuterRef("pk")))
    for where in among_chunks(Item, "person_id", list(person_ids), "bigint"):
        rows = (Item.objects.filter(where, plan=plan).order_by("end_on")
                .values_list("person_id", "term_id", "status", "end_on", diagnosed))
        for person_id, *held in rows:
            earlier.setdefault(person_id, []).append(_Held(*held))
    return earlier


def _check_history(term: Term, enrolled_on: dt.date, planned: list[_Planned], refusals: list,
                   earlier: dict[int, list[_Held]] | None = None) -> None:
    """Twice in one term, a payout that ended the plan's cover, renewal and continuity: one query
    over the people's earlier items of the plan (or `earlier`, read for many batches at once)."""
    plan = term.plan
    if earlier is None:
        earlier = _earlier_items(plan, [p.person.pk for p in planned])
    keep = []
    for p in planned:
        items = earlier.get(p.person.pk, [])
        # One person is one roster row (Person.id_hash is unique), so the person decides "twice".
        if any(i.term_id == term.pk for i in items):
            refusals.append((p.row, f"{p.person.name}已参加{term}，同一期次不能重复参保"))
            continue
        if plan.payout_ends_cover and any(i.status == ItemStatus.ENDED_PAID for i in items):
            refusals.append((p.row, f"{p.person.name}已获本项目给付，保障责任已终止，不能再次参保"))
            continue
        # 未确诊: a plan whose payout ends the cover insures a first diagnosis only, so a person
        # with a claim of the plan (open, or 慰问金 paid) may not enrol again for the same disease.
        if plan.payout_ends_cover and any(i.diagnosed for i in items):
            refusals.append((p.row, f"{p.person.name}已在本项目登记过理赔（已确诊），不符合“未确诊”的参保条件"))
            continue
        start = enrolled_on + dt.timedelta(days=1)
        previous = items[-1] if items else None
        renewal = previous is not None and previous.end_on + dt.timedelta(days=plan.renewal_grace_days) >= enrolled_on
        if renewal and previous.end_on >= start:
            start = previous.end_on + dt.timedelta(days=1)  # continuity: the new cover follows the old
        p.start_on = start
        p.end_on = clock.add_months(start, plan.term_months) - dt.timedelta(days=1)
        p.is_renewal = renewal
        p.waiting_until = None if renewal or not plan.waiting_days else start + dt.timedelta(days=plan.waiting_days - 1)
        keep.append(p)
    planned[:] = keep


def _new_items(batch: Batch, planned: list[_Planned], enrolled_on: dt.date, path: str) -> int:
    rows = _item_rows(batch, planned, enrolled_on, path)
    _insert(rows)
    return len(rows)


def _item_rows(batch: Batch, planned: list[_Planned], enrolled_on: dt.date, path: str) -> list[dict]:
    plan = batch.term.plan
    per_unit = plan.sum_insured_per_unit
    return [{"batch_id": batch.pk, "term_id": batch.term_id, "plan_id": plan.pk, "union_id": batch.union_id,
             "person_id": p.person.pk, "path": path, "row_no": p.row,
             "name": p.person.name, "id_masked": p.person.id_masked, "units": p.units,
             "premium": plan.unit_premium * p.units, "sum_insured": per_unit * p.units, "enrolled_on": enrolled_on,
             "start_on": p.start_on, "end_on": p.end_on, "waiting_until": p.waiting_until,
             "is_renewal": p.is_renewal, "status": ItemStatus.ACTIVE.value, "ended_on": None} for p in planned]


def _insert(items: list[dict]) -> None:
    """Many items in one COPY (PostgreSQL) or executemany (SQLite): bulk_create spends most of an
    import of 20,000 rows preparing values field by field and, on SQLite, in statements of 49 rows."""
    fields = [f for f in Item._meta.concrete_fields if not f.primary_key]
    # Names from the model, values bound as parameters.
    table = connection.ops.quote_name(Item._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    attnames = [f.attname for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: an executemany of 20,000 rows spends most of its time adapting parameters.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for item in items:
                    copy.write_row([item[a] for a in attnames])
            return
        for i in range(0, len(items), 2000):
            cursor.executemany(sql, [[item[a] for a in attnames] for item in items[i:i + 2000]])


def _total(batch: Batch) -> None:
    from django.db.models import Count, Sum

    t = batch.items.aggregate(n=Count("id"), u=Sum("units"), p=Sum("premium"), s=Sum("sum_insured"))
    batch.enrolled_count, batch.units_total = t["n"] or 0, t["u"] or 0
    batch.premium_total = Decimal(t["p"] or 0).quantize(CENT)
    batch.sum_insured_total = Decimal(t["s"] or 0).quantize(CENT)
    batch.save(update_fields=["enrolled_count", "units_total", "premium_total", "sum_insured_total"])


def _check_coverage(plan: Plan, enrolled: int, eligible_count: int) -> None:
    if eligible_count < enrolled:
        raise ServiceError(f"符合条件人数（{eligible_count}人）少于参保人数（{enrolled}人），请核对。",
                           field="eligible_count")
    if plan.min_coverage and eligible_count:
        rate = percent(enrolled, eligible_count, 2)
        if rate < plan.min_coverage:
            raise ServiceError(
                f"参保率{rate}%（{enrolled}人÷符合条件{eligible_count}人）低于项目要求的{plan.min_coverage}%，"
                "请动员更多符合条件的职工参保。", field="people")


@transaction.atomic
def batch_enrol(*, actor, term: Term, union: Org, enrolled_on: dt.date, entries: list[Entry],
                eligible_count: int | None = None) -> Batch:
    """单位集体参保: every entry checked (refusals by row, nothing saved on any), the unit's
    coverage against the plan's minimum, the premium 份数 × 每份保费 exactly."""
    scope.require(actor, "mutual_aid.change", union.path)
    if not union.is_grassroots:
        raise ServiceError(f"“{union.name}”不是基层工会，集体参保应由基层工会办理。", field="union")
    planned = _plan_items(term, union, enrolled_on, entries)
    plan = term.plan
    if eligible_count is None:
        eligible_count = len(eligible_people(plan, union, enrolled_on))
    _check_coverage(plan, len(planned), eligible_count)
    batch = Batch.objects.create(term=term, union=union, path=path_on(union, enrolled_on), no="",
                                 enrolled_on=enrolled_on, eligible_count=eligible_count,
                                 created_by=actor if getattr(actor, "pk", None) else None)
    batch.no = f"HZ{enrolled_on.year}-{batch.pk:06d}"
    batch.save(update_fields=["no"])
    _new_items(batch, planned, enrolled_on, batch.path)
    _total(batch)
    audit.record(actor=actor, action="mutual_aid.batch.created", obj=batch,
                 changes={"no": batch.no, "items": batch.enrolled_count, "units_total": batch.units_total,
                          "premium_total": batch.premium_total, "eligible_count": eligible_count})
    return batch


@dataclass
class Group:
    """One unit's batch in a 参保名册 import: its term, union, enrolment date and rows."""

    term: Term
    union: Org
    enrolled_on: dt.date
    entries: list[Entry]


class GroupsRefused(ServiceError):
    """An import that may not be saved: `rows` = [(group index, row number or None for the whole
    unit, field, reason)]."""

    def __init__(self, rows: list[tuple[int, int | None, str, str]]):
        super().__init__(f"共{len(rows)}处不能参保，全部未保存。")
        self.rows = rows


def _rosters(union_ids) -> dict[int, list[RosterPerson]]:
    """{union id: its current members (在会)}, like roster_people, for many unions at once: the
    memberships, then their people by id. (One join of the two made PostgreSQL hash the whole
    person table of the city for the 49,000 members of 984 unions: 3.6 s, where looking the
    people up by id takes 0.3 s.)"""
    ids = sorted(set(union_ids))
    members: dict[int, set[int]] = {}
    for where in among_chunks(Membership, "union_id", ids, "bigint"):
        for union_id, person_id in Membership.objects.filter(where, ended_on__isnull=True,
                                                             status=MemberStatus.ACTIVE).values_list("union_id",
                                                                                                     "person_id"):
            members.setdefault(union_id, set()).add(person_id)
    people: dict[int, RosterPerson] = {}
    for where in among_chunks(Person, "pk", sorted({p for ps in members.values() for p in ps}), "bigint"):
        people.update((row[0], RosterPerson(*row)) for row in Person.objects.filter(where).values_list(*ROSTER_FIELDS))
    return {u: [people[p] for p in sorted(ps)] for u, ps in members.items()}


def _paths_on(groups: list[Group]) -> dict[tuple[int, dt.date], str]:
    """{(union id, date): path_on(union, date)} for every group, one query per date."""
    from gonghui.orgs.models import OrgPlacement, valid_on

    out: dict[tuple[int, dt.date], str] = {}
    by_day: dict[dt.date, set[int]] = {}
    for g in groups:
        by_day.setdefault(g.enrolled_on, set()).add(g.union.pk)
    for day, ids in by_day.items():
        for where in among_chunks(OrgPlacement, "org_id", sorted(ids), "bigint"):
            rows = (OrgPlacement.objects.filter(where, valid_on(day)).order_by("org_id", "-valid_from")
                    .values_list("org_id", "path"))
            for org_id, path in rows:
                out.setdefault((org_id, day), path)
    for g in groups:
        out.setdefault((g.union.pk, g.enrolled_on), g.union.path)
    return out


def _renumber(batches: list[Batch]) -> None:
    """Write each new batch's number. On PostgreSQL one UPDATE from two arrays: bulk_update's
    CASE of 1,000 branches per statement cost seconds in psycopg composing it."""
    if connection.vendor != "postgresql":
        Batch.objects.bulk_update(batches, ["no"], batch_size=500)
        return
    table = connection.ops.quote_name(Batch._meta.db_table)
    with connection.cursor() as cursor:
        no = connection.ops.quote_name("no")
        cursor.execute(f"UPDATE {table} SET {no} = v.{no} FROM unnest(%s::bigint[], %s::text[]) AS v(id, {no}) "  # noqa: S608
                       f"WHERE {table}.id = v.id", [[b.pk for b in batches], [b.no for b in batches]])


def _common_path(paths) -> str:
    """The deepest tree node over all the paths (steps of 4 characters)."""
    import os

    prefix = os.path.commonprefix(list(paths)) if paths else ""
    return prefix[:len(prefix) - len(prefix) % 4]


@transaction.atomic
def enrol_groups(*, actor, groups: list[Group]) -> list[Batch]:
    """参保名册导入: many units' batches (参保单) checked and saved at once, by the rules of
    batch_enrol (every row and unit checked, refusals by row, the coverage of each unit, nothing
    saved on any refusal: GroupsRefused), in a few statements whatever the number of units: the
    rosters, the people by ID number, their earlier items and the units' paths each read once, the
    batches and items inserted in bulk, and ONE audit entry for the import (as members' bulk join
    does) instead of one per batch. A person twice in one term across the file's units is refused."""
    from django.db.models import prefetch_related_objects

    problems: list[tuple[int, int | None, str, str]] = []
    for g in groups:
        scope.require(actor, "mutual_aid.change", g.union.path)
    # Each plan's benefit classes read once (sum_insured_per_unit), not once per batch.
    prefetch_related_objects(list({id(g.term.plan): g.term.plan for g in groups}.values()), "benefits")
    rosters = _rosters(g.union.pk for g in groups)
    numbers = [_numbers(g.entries) for g in groups]
    by_id = _people_by_id({i: n for i, n in enumerate(n for ns in numbers for n in ns.values())}, rosters)
    checked: list[tuple[int, list[_Planned], bool]] = []
    for gi, g in enumerate(groups):
        try:
            if not g.union.is_grassroots:
                raise ServiceError(f"“{g.union.name}”不是基层工会，集体参保应由基层工会办理。", field="union")
            _check_unit(g.term, g.enrolled_on, g.entries)
        except ServiceError as exc:
            problems.append((gi, None, exc.field or "", exc.message))
            continue
        members = {p.pk for p in rosters.get(g.union.pk, ())}
        planned, refusals = _check_entries(g.term, g.union, g.enrolled_on, g.entries, members, numbers[gi], by_id)
        problems += [(gi, row, "", reason) for row, reason in refusals]
        checked.append((gi, planned, bool(refusals)))
    # Earlier items of each plan, for every person planned anywhere in the file (one read per plan);
    # each unit's new items join them, so that the file's later units see its earlier ones.
    plans = {g.term.plan_id: g.term.plan for g in groups}
    earlier = {pid: _earlier_items(plan, {p.person.pk for gi, planned, _ in checked for p in planned
                                          if groups[gi].term.plan_id == pid}) for pid, plan in plans.items()}
    eligible: dict[tuple, int] = {}
    batches: list[tuple[Batch, list[_Planned]]] = []
    paths = _paths_on(groups)
    for gi, planned, refused in checked:
        g = groups[gi]
        plan, history = g.term.plan, earlier[g.term.plan_id]
        refusals: list[tuple[int, str]] = []
        if planned:
            _check_history(g.term, g.enrolled_on, planned, refusals, history)
        problems += [(gi, row, "", reason) for row, reason in refusals]
        for p in planned:
            history.setdefault(p.person.pk, []).append(_Held(g.term.pk, ItemStatus.ACTIVE.value, p.end_on))
        if refused or refusals:
            continue  # as batch_enrol: the unit's coverage is tested once its rows pass
        key = (g.union.pk, plan.pk, g.enrolled_on)
        if key not in eligible:
            eligible[key] = sum(1 for p in rosters.get(g.union.pk, ()) if not eligibility_problem(plan, p, g.enrolled_on))
        try:
            _check_coverage(plan, len(planned), eligible[key])
        except ServiceError as exc:
            problems.append((gi, None, exc.field or "", exc.message))
            continue
        units = sum(p.units for p in planned)
        batches.append((Batch(term=g.term, union=g.union, path=paths[g.union.pk, g.enrolled_on], no="",
                              enrolled_on=g.enrolled_on, eligible_count=eligible[key], enrolled_count=len(planned),
                              units_total=units, premium_total=(plan.unit_premium * units).quantize(CENT),
                              sum_insured_total=(plan.sum_insured_per_unit * units).quantize(CENT),
                              created_by=actor if getattr(actor, "pk", None) else None), planned))
    if problems:
        raise GroupsRefused(sorted(problems, key=lambda p: (p[0], p[1] or 0)))
    import uuid

    token = uuid.uuid4().hex[:12]
    for i, (b, _) in enumerate(batches):
        b.no = f"TMP-{token}-{i}"  # unique until the number made of the id replaces it
    Batch.objects.bulk_create([b for b, _ in batches], batch_size=2000)
    for b, _ in batches:
        b.no = f"HZ{b.enrolled_on.year}-{b.pk:06d}"
    _renumber([b for b, _ in batches])
    _insert([row for b, planned in batches for row in _item_rows(b, planned, b.enrolled_on, b.path)])
    items = sum(b.enrolled_count for b, _ in batches)
    audit.record(actor=actor, action="mutual_aid.batch.imported",
                 target=audit.Target(object_type="mutual_aid.batch", label=f"参保名册导入 {len(batches)} 张参保单，{items} 人",
                                     org_path=_common_path([b.path for b, _ in batches])),
                 changes={"batches": len(batches), "items": items,
                          "units_total": sum(b.units_total for b, _ in batches),
                          "premium_total": sum((b.premium_total for b, _ in batches), Decimal("0.00")),
                          "first_no": batches[0][0].no if batches else "", "last_no": batches[-1][0].no if batches else ""})
    return [b for b, _ in batches]


@transaction.atomic
def batch_add(*, actor, batch: Batch, enrolled_on: dt.date, entries: list[Entry]) -> list[Item]:
    """增补: new hires added to the unit's batch during the term (no coverage test)."""
    scope.require(actor, "mutual_aid.change", batch.union.path)
    if enrolled_on < batch.enrolled_on:
        raise ServiceError("增补日期不能早于批次的参保日期。", field="enrolled_on")
    planned = _plan_items(batch.term, batch.union, enrolled_on, entries)
    first = (batch.items.order_by("-row_no").values_list("row_no", flat=True).first() or 0)
    for i, p in enumerate(planned, start=1):
        p.row = first + i
    added = _new_items(batch, planned, enrolled_on, path_on(batch.union, enrolled_on))
    batch.eligible_count = max(batch.eligible_count, batch.enrolled_count + added)
    batch.save(update_fields=["eligible_count"])
    _total(batch)
    audit.record(actor=actor, action="mutual_aid.batch.added", obj=batch,
                 changes={"items": added, "premium_total": batch.premium_total})
    return list(batch.items.filter(row_no__gt=first).order_by("row_no"))


def addable_people(batch: Batch, on: dt.date) -> list[RosterPerson]:
    """The union's eligible members not yet in the batch's term (增补's roster to pick from)."""
    taken = set(Item.objects.filter(term_id=batch.term_id, union_id=batch.union_id).values_list("person_id", flat=True))
    return [p for p in eligible_people(batch.term.plan, batch.union, on) if p.pk not in taken]


@transaction.atomic
def join_and_add(*, actor, batch: Batch, enrolled_on: dt.date, units, name: str, id_number: str,
                 joined_on: dt.date, employment: str = Employment.EMPLOYED) -> Item:
    """入会并增补: a new hire not yet on the roster joins the batch's union (members.member_join,
    its own checks and audit entry) and is added to the batch, both or neither."""
    from gonghui.members import services as member_services

    scope.require(actor, "mutual_aid.change", batch.union.path)
    if joined_on > enrolled_on:
        raise ServiceError("入会日期不能晚于增补参保日期。", field="joined_on")
    membership = member_services.member_join(actor=actor, union=batch.union, name=name, id_number=id_number,
                                             joined_on=joined_on, employment=employment)
    try:
        items = batch_add(actor=actor, batch=batch, enrolled_on=enrolled_on,
                          entries=[Entry(units=units, person=membership.person)])
    except Refused as exc:
        # One person: her one reason, without the row number of a list.
        raise ServiceError(f"{exc.rows[0][1]}；未办理入会，也未参保。", field="units") from exc
    return items[0]


def batch_stale_rows(batch: Batch) -> int:
    """The batch's rows (itself, its items, their claims) whose stored tree path is not their
    union's placement on their own date: non-zero only when a move reached them outside the
    re-homers (a placement corrected by hand, rows loaded by SQL)."""
    from django.db.models import F

    want = {"want": placement_path(OuterRef("union_id"), "enrolled_on")}
    n = Batch.objects.filter(pk=batch.pk).annotate(**want).exclude(path=F("want")).count()
    n += Item.objects.filter(batch=batch).annotate(**want).exclude(path=F("want")).count()
    n += Claim.objects.filter(item__batch=batch).annotate(
        want=placement_path(OuterRef("union_id"), "registered_on")).exclude(path=F("want")).count()
    return n


@transaction.atomic
def batch_rehome(*, actor, batch: Batch) -> int:
    """重新归属: the batch, its items and their claims put back under their union's placement on
    their own dates (after a back-dated move of the union or of a federation above it), so the
    premiums and claims count where the union stood then. Returns how many rows moved."""
    scope.require(actor, "mutual_aid.change", batch.union.path)
    before = batch.path
    stale = batch_stale_rows(batch)
    if not stale:
        return 0
    Batch.objects.filter(pk=batch.pk).update(path=placement_path(OuterRef("union_id"), "enrolled_on"))
    Item.objects.filter(batch=batch).update(path=placement_path(OuterRef("union_id"), "enrolled_on"))
    Claim.objects.filter(item__batch=batch).update(path=placement_path(OuterRef("union_id"), "registered_on"))
    batch.refresh_from_db(fields=["path"])
    audit.record(actor=actor, action="mutual_aid.batch.rehomed", obj=batch,
                 changes={"home_path": [before, batch.path], "rehomed_rows": stale})
    return stale


# --- claims --------------------------------------------------------------------------------------

def assess(item: Item, benefit: Benefit, diagnosed_on: dt.date) -> tuple[str, Decimal, str]:
    """The decision the plan's rules give: full benefit × 份数 after the waiting period; inside
    it, the 慰问金 from the configured day on, nothing before."""
    plan = item.plan
    if item.in_waiting(diagnosed_on):
        day = (diagnosed_on - item.start_on).days + 1
        if day > plan.condolence_after_days and plan.condolence_amount > 0:
            return (Decision.CONDOLENCE, plan.condolence_amount,
                    f"确诊于等待期内（参保后第{day}天），仅给付慰问金")
        return Decision.NONE, Decimal("0.00"), f"确诊于等待期内（参保后第{day}天），不予给付"
    return Decision.FULL, (benefit.amount_per_unit * item.units).quantize(CENT), ""


@transaction.atomic
def claim_register(*, actor, item: Item, registered_on: dt.date, diagnosis: str, benefit_code: str,
                   diagnosed_on: dt.date, hospital: str, treatment: str) -> Claim:
    """登记理赔: checked against the cover dates and the waiting period; the amount the rules give."""
    scope.require(actor, "mutual_aid.change", item.union.path)
    diagnosis, hospital = (diagnosis or "").strip(), (hospital or "").strip()
    if not diagnosis:
        raise ServiceError("请填写诊断结论。", field="diagnosis")
    if not hospital:
        raise ServiceError("请填写就诊医院。", field="hospital")
    if treatment not in Treatment.values:
        raise ServiceError("请选择治疗方式。", field="treatment")
    benefit = item.plan.benefits.filter(code=benefit_code).first()
    if benefit is None:
        raise ServiceError("请选择给付类别。", field="benefit_code")
    if diagnosed_on > registered_on:
        raise ServiceError("确诊日期不能晚于登记日期。", field="diagnosed_on")
    if not item.start_on <= diagnosed_on <= item.cover_end:
        raise ServiceError(f"确诊日期 {diagnosed_on} 不在保障期（{item.start_on}至{item.cover_end}）内，不能理赔。",
                           field="diagnosed_on")
    if item.claims.exclude(status=ClaimStatus.REJECTED).filter(
            status__in=(ClaimStatus.REGISTERED, ClaimStatus.REVIEWED, ClaimStatus.APPROVED)).exists():
        raise ServiceError("该参保记录已有理赔正在办理，请办结后再登记。", field="item")
    if item.plan.payout_ends_cover and Claim.objects.filter(diagnosed_q(), person=item.person,
                                                            item__plan=item.plan).exists():
        # e.g. 慰问金 paid inside the waiting period: the plan pays a first diagnosis once.
        raise ServiceError("该参保人已在本项目登记过理赔（已确诊），本项目只保障首次确诊，不能再次登记。", field="item")
    decision, amount, reason = assess(item, benefit, diagnosed_on)
    claim = Claim.objects.create(
        item=item, union=item.union, person=item.person, path=path_on(item.union, registered_on), no="",
        registered_on=registered_on, diagnosis_cipher=crypto.encrypt(diagnosis),
        benefit_cipher=crypto.encrypt(benefit.name), diagnosed_on=diagnosed_on, hospital=hospital,
        treatment=treatment, decision=decision, amount=amount, reason=reason,
        registered_by=actor if getattr(actor, "pk", None) else None)
    claim.no = f"LP{registered_on.year}-{claim.pk:06d}"
    claim.save(update_fields=["no"])
    audit.record(actor=actor, action="mutual_aid.claim.registered", obj=claim,
                 changes={"no": claim.no, "decision": decision, "amount": amount})
    return claim


def _move(claim: Claim, target: str, action: str) -> None:
    CLAIM_FLOW.check(claim.status, target, action)


@transaction.atomic
def claim_review(*, actor, claim: Claim, on: dt.date) -> Claim:
    scope.require(actor, "mutual_aid.review", claim.union.path)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _move(claim, ClaimStatus.REVIEWED, "审核")
    if claim.decision == Decision.NONE:
        raise ServiceError("按项目规则本件不予给付，请作拒付处理。", field="status")
    claim.status, claim.reviewed_by, claim.reviewed_on = ClaimStatus.REVIEWED, actor, on
    claim.save(update_fields=["status", "reviewed_by", "reviewed_on"])
    audit.record(actor=actor, action="mutual_aid.claim.reviewed", obj=claim, changes={"status": claim.status})
    return claim


@transaction.atomic
def claim_approve(*, actor, claim: Claim, on: dt.date) -> Claim:
    """审批: by another person than the reviewer (四眼原则)."""
    scope.require(actor, "mutual_aid.approve", claim.union.path)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _move(claim, ClaimStatus.APPROVED, "审批")
    if actor is not None and claim.reviewed_by_id == actor.pk:
        raise ServiceError("审核人不能审批同一件理赔，请由另一位审批人办理。", field="status")
    if on < claim.reviewed_on:
        raise ServiceError("审批日期不能早于审核日期。", field="on")
    claim.status, claim.approved_by, claim.approved_on = ClaimStatus.APPROVED, actor, on
    claim.save(update_fields=["status", "approved_by", "approved_on"])
    audit.record(actor=actor, action="mutual_aid.claim.approved", obj=claim,
                 changes={"status": claim.status, "amount": claim.amount})
    return claim


@transaction.atomic
def claim_pay(*, actor, claim: Claim, on: dt.date) -> Claim:
    """给付: the approved amount paid; a full benefit ends the cover when the plan says so."""
    scope.require(actor, "mutual_aid.approve", claim.union.path)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _move(claim, ClaimStatus.PAID, "登记给付")
    if on < claim.approved_on:
        raise ServiceError("给付日期不能早于审批日期。", field="on")
    claim.status, claim.paid_on, claim.paid_amount = ClaimStatus.PAID, on, claim.amount
    claim.save(update_fields=["status", "paid_on", "paid_amount"])
    changes = {"status": claim.status, "paid_amount": claim.paid_amount}
    item = claim.item
    if claim.decision == Decision.FULL and item.plan.payout_ends_cover:
        item.status, item.ended_on = ItemStatus.ENDED_PAID, on
        item.save(update_fields=["status", "ended_on"])
        changes["item_ended_on"] = on
    audit.record(actor=actor, action="mutual_aid.claim.paid", obj=claim, changes=changes)
    return claim


@transaction.atomic
def claim_reject(*, actor, claim: Claim, on: dt.date, reason: str) -> Claim:
    perm = "mutual_aid.review" if claim.status == ClaimStatus.REGISTERED else "mutual_aid.approve"
    scope.require(actor, perm, claim.union.path)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    _move(claim, ClaimStatus.REJECTED, "拒付")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请填写拒付理由。", field="reason")
    claim.status, claim.rejected_on, claim.reason = ClaimStatus.REJECTED, on, reason[:200]
    claim.save(update_fields=["status", "rejected_on", "reason"])
    audit.record(actor=actor, action="mutual_aid.claim.rejected", obj=claim, changes={"status": claim.status})
    return claim


def claim_reveal(*, user, claim: Claim, reason: str = "") -> dict:
    """The claim's health data in clear, for a holder of mutual_aid.view_sensitive; logged."""
    if not scope.has_perm(user, "mutual_aid.view_sensitive", claim.union.path):
        raise PermissionDenied("您无权查看理赔的健康信息。")
    audit.log_access(user=user, kind="view", object_type="mutual_aid.claim", object_id=str(claim.pk),
                     fields=["diagnosis", "benefit"], reason=reason, org_path=claim.union.path)
    return {"diagnosis": claim.diagnosis, "benefit": claim.benefit_name}


# --- the payee's bank account and the claim's papers ------------------------------------------------

_ACCOUNT_RE = re.compile(r"^\d{8,30}$")
FINISHED = (ClaimStatus.PAID, ClaimStatus.REJECTED)


@transaction.atomic
def claim_payee_set(*, actor, claim: Claim, payee_name: str, bank_name: str, account: str | None) -> Claim:
    """收款账户: who is paid and into which account. `account` None keeps the stored number. The
    number is encrypted, shown as ****1234 and never written to the audit log."""
    scope.require(actor, "mutual_aid.change", claim.union.path)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status in FINISHED:
        raise ServiceError(f"理赔已{claim.get_status_display()}，不能再修改收款账户。")
    payee_name, bank_name = (payee_name or "").strip(), (bank_name or "").strip()
    if not payee_name:
        raise ServiceError("请填写收款人姓名。", field="payee_name")
    if not bank_name:
        raise ServiceError("请填写开户银行。", field="bank_name")
    changed = []
    if account is not None:
        account = re.sub(r"[\s-]", "", account)
        if not _ACCOUNT_RE.match(account):
            raise ServiceError("银行账号应为8至30位数字。", field="account")
        claim.account_cipher, claim.account_last4 = crypto.encrypt(account), account[-4:]
        changed.append("account")
    elif not claim.account_cipher:
        raise ServiceError("请填写银行账号。", field="account")
    for field, value in (("payee_name", payee_name), ("bank_name", bank_name)):
        if getattr(claim, field) != value:
            setattr(claim, field, value)
            changed.append(field)
    claim.save(update_fields=["payee_name", "bank_name", "account_cipher", "account_last4"])
    audit.record(actor=actor, action="mutual_aid.claim.payee_set", obj=claim,
                 changes={f: ("****" + claim.account_last4 if f == "account" else getattr(claim, f)) for f in changed})
    return claim


def claim_account_reveal(*, user, claim: Claim, reason: str) -> str:
    """The payee's full account number, for a holder of mutual_aid.view_sensitive; logged."""
    if not scope.has_perm(user, "mutual_aid.view_sensitive", claim.union.path):
        raise PermissionDenied("您无权查看完整的银行账号。")
    audit.log_access(user=user, kind="view_full", object_type="mutual_aid.claim", object_id=str(claim.pk),
                     fields=["account"], reason=reason, org_path=claim.union.path)
    return claim.account_number


DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")  # each checked by its content too
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_WORDING = uploads.Wording(
    wrong_type="“{name}”不是可接受的文件类型：请上传 PDF、JPG、PNG、Word(.docx) 或 Excel(.xlsx) 文件。",
    empty="“{name}”是空文件。", too_big="“{name}”有 {size_mb:.1f} MB，超过 {max_mb} MB 的上限。",
    wrong_content="“{name}”的内容与扩展名 {suffix} 不符，请上传原始文件。")
DOCUMENTS_PER_CLAIM = 30


@transaction.atomic
def claim_document_add(*, actor, claim: Claim, file, kind: str) -> ClaimDocument:
    """Attach a paper to a claim (until it is paid or refused): PDF, JPG, PNG, Word or Excel, at most
    10 MB, the content checked against its suffix; kept in the data dir under a name of our own."""
    scope.require(actor, "mutual_aid.change", claim.union.path)
    if claim.status in FINISHED:
        raise ServiceError(f"理赔已{claim.get_status_display()}，不能再上传材料。")
    if kind not in DocumentKind.values:
        raise ServiceError("请选择材料类别。", field="kind")
    filename = uploads.plain_name(getattr(file, "name", ""))
    uploads.check(filename, file.size, uploads.head(file), types=DOCUMENT_TYPES, max_bytes=DOCUMENT_MAX_BYTES,
                  wording=DOCUMENT_WORDING)
    if claim.documents.count() >= DOCUMENTS_PER_CLAIM:
        raise ServiceError(f"每件理赔最多上传 {DOCUMENTS_PER_CLAIM} 份材料。", field="file")
    doc = ClaimDocument(claim=claim, kind=kind, name=filename[:100], size=file.size,
                        uploaded_by=actor if getattr(actor, "pk", None) else None)
    doc.file.save(filename, file, save=False)
    doc.save()
    audit.record(actor=actor, action="mutual_aid.claim.document_added", obj=claim,
                 changes={"document": doc.get_kind_display(), "size": doc.size})
    return doc


def claim_document_open(*, user, document: ClaimDocument):
    """The file of a claim's paper, for a holder of mutual_aid.view_sensitive; the access is logged."""
    path = document.claim.union.path
    if not scope.has_perm(user, "mutual_aid.view_sensitive", path):
        raise PermissionDenied("您无权查看理赔材料。")
    audit.log_access(user=user, kind="view_full", object_type="mutual_aid.claim_document", object_id=str(document.pk),
                     fields=["file"], reason=f"查看理赔材料：{document.get_kind_display()}", org_path=path)
    return document.file.open("rb")


# --- a federation's own 参保单 template ------------------------------------------------------------

@transaction.atomic
def form_template_upload(*, actor, org: Org, name: str, content: bytes) -> FormTemplate:
    """A federation's own 参保单 template, used for its subtree's batches. It must render with the
    documented variables, so a broken one is refused here rather than when a union prints."""
    from . import documents

    scope.require(actor, "mutual_aid.plan", org.path)
    return docx_templates.keep(FormTemplate, actor=actor, org=org, name=name, content=content,
                               check_content=documents.check_template, action="mutual_aid.template.uploaded")


@transaction.atomic
def form_template_remove(*, actor, org: Org) -> None:
    scope.require(actor, "mutual_aid.plan", org.path)
    t = FormTemplate.objects.filter(org=org).first()
    if t is None:
        return
    target = audit.Target("mutual_aid.formtemplate", str(t.pk), str(t), org.path)
    t.delete()
    audit.record(actor=actor, action="mutual_aid.template.removed", target=target, changes={"name": t.name})


# --- re-homing ------------------------------------------------------------------------------------

def rehome_mutual_aid_rows(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): batches, items and claims keep their union's path on
    their own date, also when a move is entered after them."""
    Batch.objects.filter(union_id__in=org_ids, enrolled_on__gte=since).update(
        path=placement_path(OuterRef("union_id"), "enrolled_on"))
    Item.objects.filter(union_id__in=org_ids, enrolled_on__gte=since).update(
        path=placement_path(OuterRef("union_id"), "enrolled_on"))
    Claim.objects.filter(union_id__in=org_ids, registered_on__gte=since).update(
        path=placement_path(OuterRef("union_id"), "registered_on"))
