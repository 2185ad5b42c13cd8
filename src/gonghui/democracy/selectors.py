"""Reads of the 民主管理 line that other lines use too: which employers have a workers' congress
on a day (their own, or a regional/sectoral one covering them), and the sessions a collective
contract's congress vote can be recorded at."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q

from .models import Congress, CongressEmployer, Scope, Session


def congress_live_q(at: dt.date, prefix: str = "") -> Q:
    """The congress exists on `at`: established by then and not ended."""
    return (Q(**{f"{prefix}established_on__lte": at})
            & (Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": at})))


def own_congress_on(at: dt.date, field: str = "pk") -> Q:
    """The employer (`field`) has its own 职代会 or 职工大会 on `at`. An uncorrelated `IN (SELECT …)`,
    which both databases run once (PostgreSQL as a hashed subplan, also inside an OR), not per row."""
    own = Congress.objects.filter(congress_live_q(at), scope=Scope.ENTERPRISE, employer__isnull=False)
    return Q(**{f"{field}__in": own.values("employer_id")})


def regional_congress_on(at: dt.date, field: str = "pk") -> Q:
    """The employer (`field`) is covered on `at` by a regional or sectoral 职代会."""
    return Q(**{f"{field}__in": CongressEmployer.objects.filter(congress_live_q(at, "congress__"))
                .values("employer_id")})


def has_congress_on(at: dt.date, field: str = "pk") -> Q:
    """已建职代会: the employer has a 职代会 (its own, or a regional/sectoral one covering it) on `at`."""
    return own_congress_on(at, field) | regional_congress_on(at, field)


def systems_on(at: dt.date):
    """The 厂务公开 systems in force on `at` (their employer ids: `.values("employer_id")`)."""
    from .models import DisclosureSystem

    return DisclosureSystem.objects.filter(congress_live_q(at)).values("employer_id")


def sessions_for_employers(employer_ids) -> Session.objects:
    """The sessions of the congresses of these employers (their own or covering them), newest first:
    where a collective contract's draft can be put to the vote."""
    ids = list(employer_ids)
    return (Session.objects.filter(Q(congress__employer_id__in=ids) | Q(congress__covered__employer_id__in=ids))
            .select_related("congress", "term").distinct().order_by("-held_on", "-pk"))


def quota_prompt(congress, term) -> str:
    """The recalculation prompt (DOMAIN §7.1, 代表名额随职工人数变化重新核定): the employer's headcount
    today puts the delegate quota in another place than the headcount the term was set up with.
    Empty when nothing changed (or the congress covers many employers)."""
    from . import conf

    if term is None or congress.employer is None or congress.ended_on is not None:
        return ""
    now, then = congress.employer.headcount, term.staff
    need_now, need_then = conf.quota(now), conf.quota(then)
    if need_now == need_then:
        return ""
    return (f"用人单位现有职工 {now} 人（{term}按 {then} 人核定），代表名额应不少于 {need_now} 名"
            f"（原为 {need_then} 名），请重新核定代表名额并补选或调整代表。")


def quota_expr(field: str):
    """conf.quota as an SQL expression of the headcount column `field` (integer division in both
    databases), so the reminder finds the terms to recalculate in one query."""
    from django.db.models import Case, F, IntegerField, Value, When

    from . import conf

    bands = sorted(conf.get("QUOTA"), key=lambda b: b["min_staff"])

    def of(b):
        if b.get("step") and b.get("per_step"):
            return Value(int(b["base"])) + Value(int(b["per_step"])) * ((F(field) - Value(int(b["min_staff"])))
                                                                        / Value(int(b["step"])))
        return Value(int(b["base"]))

    return Case(*[When(**{f"{field}__gte": b["min_staff"]}, then=of(b)) for b in reversed(bands[1:])],
                default=of(bands[0]), output_field=IntegerField())


def terms_to_recalculate():
    """The newest term of every employer's own congress still in being whose employer's headcount
    today needs another delegate quota than the headcount the term was set up with (the
    quota_prompt of each congress page, as one query)."""
    from django.db.models import Exists, OuterRef

    from .models import Term

    later = Term.objects.filter(congress=OuterRef("congress"), number__gt=OuterRef("number"))
    return (Term.objects.filter(congress__employer__isnull=False, congress__ended_on__isnull=True)
            .exclude(Exists(later))
            .alias(need_now=quota_expr("congress__employer__headcount"), need_then=quota_expr("staff"))
            .exclude(need_now=F("need_then")))


def reported_proposals(congress, sessions) -> dict:
    """{session pk: [提案]}: the 提案 answered since the congress's previous session, up to this
    one's day, which this session hears the report on (向下次职代会报告落实情况). One query."""
    from .models import Proposal

    order = sorted(sessions, key=lambda s: (s.held_on, s.number, s.pk))
    out = {s.pk: [] for s in order}
    if not order:
        return out
    answered = (Proposal.objects.filter(congress=congress, answered_on__isnull=False,
                                        answered_on__lte=order[-1].held_on)
                .only("pk", "number", "title", "answered_on", "result_code", "feedback", "status")
                .order_by("answered_on", "pk"))
    bounds = [(s, prev.held_on if prev else None) for prev, s in zip([None, *order[:-1]], order, strict=True)]
    for p in answered:
        for s, after in bounds:
            if (after is None or p.answered_on > after) and p.answered_on <= s.held_on:
                out[s.pk].append(p)
                break
    return out


def term_defaults(congress: Congress) -> dict:
    """The next 届's form filled from what is known (DOMAIN §7: a congress's term is aligned with
    its union committee's): the union's current 届 (its number and dates, kept on the org) when no
    congress term uses that number yet, else the next number; and an enterprise congress's staff
    and women from its employer. The clerk may change any of it."""
    from django.db.models import Max

    used = congress.terms.aggregate(n=Max("number"))["n"] or 0
    out: dict = {"number": used + 1}
    union = congress.org
    if union.term_number and union.term_number > used and union.term_started_on and union.term_ends_on:
        out.update(number=union.term_number, started_on=union.term_started_on, ends_on=union.term_ends_on)
    if congress.employer_id:
        out.update(staff=congress.employer.headcount, women_staff=congress.employer.women_count)
    return out


def establishment_marks(employer_ids, at: dt.date) -> tuple[dict, dict, set]:
    """For the 建制情况 list: ({employer: (congress pk, name)} of their own congress,
    {employer: (pk, name)} of a regional/sectoral one covering them, {employers with a 厂务公开
    system}) on `at`. Three queries for any number of employers."""
    ids = list(employer_ids)
    own = {e: (pk, name) for e, pk, name in Congress.objects.filter(
        congress_live_q(at), employer_id__in=ids, scope=Scope.ENTERPRISE).values_list("employer_id", "pk", "name")}
    regional = {e: (pk, name) for e, pk, name in CongressEmployer.objects.filter(
        congress_live_q(at, "congress__"), employer_id__in=ids).values_list(
        "employer_id", "congress_id", "congress__name")}
    systems = set(systems_on(at).filter(employer_id__in=ids).values_list("employer_id", flat=True))
    return own, regional, systems
