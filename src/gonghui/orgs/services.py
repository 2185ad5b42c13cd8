"""Every write to orgs, employers and coverage goes through these services.

Each is keyword-only, takes the acting user, runs in one transaction, checks the rules of
DOMAIN §1.3-§1.5, writes a dated history row and appends the audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection

from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Value
from django.db.models.functions import Concat, Substr

from gonghui.core import audit, clock, codes, scope
from gonghui.core.errors import ServiceError, join_messages
from gonghui.core.identifiers import clean_org_code, clean_uscc
from gonghui.core.pinyin import pinyin_keys
from gonghui.core.scope import subtree_q

from .matching import normalise_name
from .models import (
    CHILD_TYPES,
    ELECTED_TYPES,
    GRASSROOTS_TYPES,
    Coverage,
    Employer,
    EmployerAlias,
    Org,
    OrgEvent,
    OrgPlacement,
    OrgStatus,
    OrgTerm,
    OrgType,
    child_type_problem,
)
from .selectors import path_on, placement_path

# 地方总工会、产业工会: five-year terms only (工会法 §16); others three or five.
FIVE_YEAR_ONLY = (OrgType.PROVINCE, OrgType.CITY, OrgType.COUNTY, OrgType.INDUSTRY)

# Checks that refuse a dissolution, as (org) -> message or None. Apps that attach records
# to a union (members, open cases) append theirs, so 注销 is refused while those remain.
# They run with `org.dissolved_on` already set to the date asked for (the row is not saved
# yet), so a check can also refuse records dated after it: a back-dated 注销 must not leave
# members or subordinates counted under a union that no longer existed.
DISSOLUTION_CHECKS: list[Callable[[Org], str | None]] = []

# Re-homers, as (org ids, since) -> None. Flow figures read an org's tree path copied onto
# dated rows (an event, a payment) as it stood on the row's date. When a back-dated move
# changes where those orgs stood from `since` on, every app that keeps such copies must
# recompute them for its rows of those orgs dated on or after `since`, in the move's
# transaction; otherwise a figure would depend on whether the move was entered before or
# after the rows. `selectors.placement_path` gives the expression. Apps append theirs when
# their services module is imported; orgs registers its own events below.
REHOMERS: list[Callable[[Collection[int], dt.date], None]] = []

# Coverage hooks, as (employer, since) -> None: a coverage started or ended (possibly back-dated)
# changes which union an employer's dated rows count under from `since` on; apps that store that
# attribution (funds: receipts and declarations) recompute it in the same transaction.
COVERAGE_HOOKS: list[Callable[[Employer, dt.date], None]] = []

ORG_EDITABLE_FIELDS = (
    "short_name", "approval_no", "region_code", "address", "contact_person", "contact_phone",
    "chair_name", "womens_committee_on", "audit_committee_on", "status", "funding_parent",
)
EMPLOYER_FIELDS = (
    "name", "uscc", "ownership", "industry", "headcount", "women_count", "migrant_count", "is_fortune500",
    "is_above_scale", "required_override", "registered_on", "closed_on", "region_code", "address",
    "contact_person", "contact_phone", "unit_category", "economic_type", "org_code",
)


def _not_future(value: dt.date | None, what: str, field: str) -> None:
    if value and value > clock.today():
        raise ServiceError(f"{what}（{value}）不能晚于今天。", field=field)


def _event(org: Org, kind: str, effective_on: dt.date, actor, data: dict | None = None, note: str = "") -> OrgEvent:
    return OrgEvent.objects.create(
        org=org,
        kind=kind,
        effective_on=effective_on,
        path=path_on(org, effective_on),
        data=audit.redact(data or {}),
        note=note,
        actor_name=actor.get_username() if actor is not None else "系统",
    )


def _check_child_type(parent: Org, org_type: str, field: str = "org_type") -> None:
    """The type rules of DOMAIN §1.1 (models.CHILD_TYPES); `field` names the form field to blame."""
    if parent.is_dissolved:
        raise ServiceError(f"上级工会“{parent.name}”已注销，不能在其下组建或转入组织。", field="parent")
    problem = child_type_problem(parent.org_type, parent.name, org_type)
    if problem:
        raise ServiceError(problem, field=field)


def _check_term_years(org_type: str, years: int | None) -> None:
    if years is None:
        return
    allowed = (5,) if org_type in FIVE_YEAR_ONLY else (3, 5)
    if years not in allowed:
        text = "5年" if allowed == (5,) else "3年或5年"
        raise ServiceError(f"任期应为{text}（工会法第十六条），不能是{years}年。", field="term_years")


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _next_code(parent: Org) -> str:
    n = Org.objects.get_children_count(parent) + 1
    while True:
        code = f"{parent.code}-{n:03d}"
        if not Org.objects.filter(code=code).exists():
            return code
        n += 1


def _set_pinyin(obj) -> None:
    obj.name_pinyin, obj.name_initials = pinyin_keys(obj.name)
    if isinstance(obj, Employer):
        obj.name_norm = normalise_name(obj.name)  # the roster import matches employers by it


def _check_unique_name(parent: Org, name: str, exclude_pk=None) -> None:
    clash = Org.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, name=name).exclude(
        status=OrgStatus.DISSOLVED
    )
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ServiceError(f"“{parent.name}”下已有同名组织“{name}”。", field="name")


def _current_since(org: Org) -> dt.date | None:
    """The day the org took its current tree position: its founding, or the last move of it or
    of one of its ancestors (each move opens new placements for the whole subtree)."""
    return OrgPlacement.objects.filter(org=org, valid_to__isnull=True).aggregate(m=Max("valid_from"))["m"]


def _check_parent_on(parent: Org, on: dt.date, what: str, field: str) -> None:
    """A new child (founded or moved in) stands under `parent` from `on`: the parent must exist then
    and stand where it stands now, or the child's placement would not lie under the parent's."""
    if parent.founded_on and on < parent.founded_on:
        raise ServiceError(f"{what}（{on}）不能早于上级工会“{parent.name}”的成立日期 {parent.founded_on}。",
                           field=field)
    since = _current_since(parent)
    if since and on < since:
        raise ServiceError(f"{what}（{on}）不能早于上级工会“{parent.name}”转到现在位置的日期 {since}；"
                           f"请先录入该日期以前的变动。", field=field)


def _fresh_child_path(parent: Org) -> str:
    """The path for a new child of `parent`: the step after the last one any org ever held there.

    Treebeard would take the step after today's last child, handing out again the path of a
    child that has since moved away; that child's placements and the paths copied onto its
    dated rows would then name two orgs. Here a path names one org for all time.
    """
    end = len(parent.path) + Org.steplen
    top = max(qs.filter(subtree_q("path", parent.path)).aggregate(m=Max("path"))["m"] or ""
              for qs in (Org.objects.all(), OrgPlacement.objects.all()))
    step = Org._str2int(top[len(parent.path):end]) + 1 if len(top) >= end else 1
    if len(Org._int2str(step)) > Org.steplen:
        raise ServiceError(f"“{parent.name}”下的组织编号已用完。", field="parent")
    return Org._get_path(parent.path, parent.depth + 1, step)


def _add_child(parent: Org, org: Org) -> Org:
    Org.objects.select_for_update().filter(pk=parent.pk).first()  # one path allocation at a time per parent
    org.depth, org.numchild, org.path = parent.depth + 1, 0, _fresh_child_path(parent)
    org.save()
    Org.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    parent.numchild += 1
    return org


def _move_subtree_rows(org: Org, new_parent: Org) -> str:
    """Rewrite the current paths of `org` and its subtree to a fresh path under `new_parent`."""
    Org.objects.select_for_update().filter(pk=new_parent.pk).first()
    old, new = org.path, _fresh_child_path(new_parent)
    Org.objects.filter(subtree_q("path", old)).update(
        depth=F("depth") + (new_parent.depth + 1 - org.depth), path=Concat(Value(new), Substr("path", len(old) + 1))
    )
    Org.objects.filter(path=old[: -Org.steplen]).update(numchild=F("numchild") - 1)
    Org.objects.filter(pk=new_parent.pk).update(numchild=F("numchild") + 1)
    return new


def _replace_subtree(old: str, new: str, on: dt.date, event: OrgEvent) -> set[int]:
    """From `on`, whatever stood under `old` stands under `new`; returns the ids of those orgs.

    Placements spanning `on` are split there, those of orgs that left the subtree later
    included; placements starting on or after `on` (unions founded or moved in later but
    entered before this back-dated move) are rewritten in place, and so are later
    placements' `prev_path` that pointed into the subtree.
    """
    def moved(column: str):
        return Concat(Value(new), Substr(column, len(old) + 1))

    under = OrgPlacement.objects.filter(subtree_q("path", old))
    spanning = list(under.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lt=on))
    later = under.filter(valid_from__gte=on)
    touched = {p.org_id for p in spanning} | set(later.values_list("org_id", flat=True))
    later.update(path=moved("path"))
    OrgPlacement.objects.filter(subtree_q("prev_path", old), valid_from__gt=on).update(prev_path=moved("prev_path"))
    OrgPlacement.objects.filter(pk__in=[p.pk for p in spanning]).update(valid_to=on)
    OrgPlacement.objects.bulk_create(
        OrgPlacement(org_id=p.org_id, path=new + p.path[len(old):], prev_path=p.path, valid_from=on,
                     valid_to=p.valid_to, event=event)
        for p in spanning
    )
    return touched


def rehome(org_ids: Collection[int], since: dt.date) -> None:
    """Run every registered re-homer for these orgs' rows dated on or after `since`."""
    ids = sorted(org_ids)
    for start in range(0, len(ids), 500):  # bounded IN lists at city scale
        for rehomer in REHOMERS:
            rehomer(ids[start:start + 500], since)


def _rehome_org_events(org_ids: Collection[int], since: dt.date) -> None:
    OrgEvent.objects.filter(org_id__in=org_ids, effective_on__gte=since).update(
        path=placement_path(OuterRef("org_id"), "effective_on"))


REHOMERS.append(_rehome_org_events)


@transaction.atomic
def org_create_root(*, actor, name: str, org_type: str, code: str, founded_on: dt.date | None = None,
                    **fields) -> Org:
    """The top of the tree (the county federation). Only one root is expected, but not enforced."""
    org = Org(name=name.strip(), org_type=org_type, code=code.strip(), founded_on=founded_on, **fields)
    _set_pinyin(org)
    org = Org.objects.add_root(instance=org)
    OrgPlacement.objects.create(org=org, path=org.path, valid_from=founded_on or dt.date(1949, 10, 1))
    _event(org, OrgEvent.Kind.FOUNDED, founded_on or clock.today(), actor, {"name": org.name})
    audit.record(actor=actor, action="orgs.org.founded", obj=org,
                 changes={"name": org.name, "type": OrgType(org_type).label})
    return org


@transaction.atomic
def org_found(*, actor, parent: Org, name: str, org_type: str, founded_on: dt.date, code: str = "",
              elected_on: dt.date | None = None, term_years: int | None = None, note: str = "", **fields) -> Org:
    """组建: a new union under `parent`, approved on `founded_on` (DOMAIN §1.3)."""
    scope.require(actor, "orgs.change", parent.path)
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写工会名称。", field="name")
    if org_type not in OrgType.values:
        raise ServiceError(f"组织类型“{org_type}”不存在。", field="org_type")
    if not founded_on:
        raise ServiceError("请填写成立(批准)日期。", field="founded_on")
    _not_future(founded_on, "成立日期", "founded_on")
    _check_child_type(parent, org_type)
    _check_parent_on(parent, founded_on, "成立日期", "founded_on")
    _check_unique_name(parent, name)
    _check_term_years(org_type, term_years)
    if elected_on and elected_on < founded_on:
        raise ServiceError("选举日期不能早于成立日期。", field="elected_on")
    code = (code or "").strip() or _next_code(parent)
    if Org.objects.filter(code=code).exists():
        raise ServiceError(f"组织编码“{code}”已被使用。", field="code")
    unknown = set(fields) - set(ORG_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    _check_codes({k: v for k, v in fields.items() if k == "region_code"})
    org = Org(name=name, org_type=org_type, code=code, founded_on=founded_on, **fields)
    _set_pinyin(org)
    org = _add_child(parent, org)
    OrgPlacement.objects.create(org=org, path=org.path, valid_from=founded_on)
    _event(org, OrgEvent.Kind.FOUNDED, founded_on, actor, {"name": name, "parent": parent.name}, note)
    if elected_on and term_years:
        _start_term(org, elected_on, term_years, fields.get("chair_name", ""))
    audit.record(actor=actor, action="orgs.org.founded", obj=org,
                 changes={"name": name, "type": OrgType(org_type).label, "parent": parent.name,
                          "founded_on": founded_on})
    return org


def _start_term(org: Org, elected_on: dt.date, years: int, chair_name: str) -> OrgTerm:
    number = (org.term_number or 0) + 1
    term = OrgTerm.objects.create(
        org=org, number=number, elected_on=elected_on, years=years, ends_on=_add_years(elected_on, years),
        chair_name=chair_name,
    )
    org.term_number, org.term_started_on, org.term_years, org.term_ends_on = number, elected_on, years, term.ends_on
    if chair_name:
        org.chair_name = chair_name
    org.save(update_fields=["term_number", "term_started_on", "term_years", "term_ends_on", "chair_name"])
    return term


@transaction.atomic
def org_update(*, actor, org: Org, **fields) -> Org:
    """Change the plain attributes of an org (address, contacts, committees...)."""
    scope.require(actor, "orgs.change", org.path)
    unknown = set(fields) - set(ORG_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    _check_codes({k: v for k, v in fields.items() if k == "region_code"})
    if fields.get("status") == OrgStatus.DISSOLVED:
        raise ServiceError("注销请使用“注销”操作，系统会检查会员和未结案件。", field="status")
    for f in ("womens_committee_on", "audit_committee_on"):
        _not_future(fields.get(f), Org._meta.get_field(f).verbose_name, f)
    old = {f: getattr(org, f) for f in fields}
    for f, v in fields.items():
        setattr(org, f, v)
    changes = audit.diff(org, old, fields)
    if not changes:
        return org
    org.save(update_fields=[*fields, "updated_at"])
    _event(org, OrgEvent.Kind.UPDATED, clock.today(), actor, {k: [str(a), str(b)] for k, (a, b) in changes.items()})
    audit.record(actor=actor, action="orgs.org.updated", obj=org, changes=changes)
    return org


@transaction.atomic
def org_register_legal_person(*, actor, org: Org, uscc: str, cert_no: str, issued_on: dt.date,
                              valid_until: dt.date | None = None) -> Org:
    """法人资格登记 (DOMAIN §1.5): the union's USCC and certificate."""
    scope.require(actor, "orgs.change", org.path)
    code = clean_uscc(uscc)
    if not code:
        raise ServiceError("请填写统一社会信用代码。", field="uscc")
    if Org.objects.filter(uscc=code).exclude(pk=org.pk).exists():
        raise ServiceError(f"统一社会信用代码“{code}”已登记在其他工会名下。", field="uscc")
    if not issued_on:
        raise ServiceError("请填写发证日期。", field="issued_on")
    _not_future(issued_on, "发证日期", "issued_on")
    if valid_until and valid_until <= issued_on:
        raise ServiceError("有效期应晚于发证日期。", field="valid_until")
    old = {f: getattr(org, f) for f in ("uscc", "legal_cert_no", "legal_cert_issued_on", "legal_cert_valid_until")}
    org.uscc, org.legal_cert_no, org.legal_cert_issued_on, org.legal_cert_valid_until = (
        code, cert_no.strip(), issued_on, valid_until
    )
    org.save(update_fields=[*old, "updated_at"])
    _event(org, OrgEvent.Kind.LEGAL_REGISTERED, issued_on, actor, {"uscc": code, "cert_no": cert_no})
    audit.record(actor=actor, action="orgs.org.legal_registered", obj=org, changes=audit.diff(org, old, old))
    return org


@transaction.atomic
def org_rename(*, actor, org: Org, new_name: str, effective_on: dt.date, new_short_name: str | None = None) -> Org:
    """更名: the old name is kept in the history (DOMAIN §1.4)."""
    scope.require(actor, "orgs.change", org.path)
    new_name = (new_name or "").strip()
    if not new_name:
        raise ServiceError("请填写新名称。", field="new_name")
    if new_name == org.name:
        raise ServiceError("新名称与原名称相同。", field="new_name")
    if org.is_dissolved:
        raise ServiceError("已注销的组织不能更名。", field="new_name")
    _not_future(effective_on, "更名日期", "effective_on")
    parent = Org.objects.get_parent(org)
    if parent is not None:
        _check_unique_name(parent, new_name, exclude_pk=org.pk)
    old_name = org.name
    org.name = new_name
    if new_short_name is not None:
        org.short_name = new_short_name
    _set_pinyin(org)
    org.save(update_fields=["name", "short_name", "name_pinyin", "name_initials", "updated_at"])
    _event(org, OrgEvent.Kind.RENAMED, effective_on, actor, {"old": old_name, "new": new_name})
    audit.record(actor=actor, action="orgs.org.renamed", obj=org, changes={"name": [old_name, new_name],
                                                                        "effective_on": effective_on})
    return org


@transaction.atomic
def org_move(*, actor, org: Org, new_parent: Org, effective_on: dt.date) -> Org:
    """转移: move the org and its whole subtree under another parent (paths rewritten here only).

    From `effective_on` the sending federation loses the unions and the receiving one gains
    them. The move may be entered after records dated later (a roster imported first): every
    placement and every path copied onto dated rows (REHOMERS) from that date on is rewritten
    in this transaction, so the figures are those the move would have given entered first.
    """
    scope.require(actor, "orgs.change", org.path)
    scope.require(actor, "orgs.change", new_parent.path)
    if org.is_root():
        raise ServiceError("顶级组织不能转移。", field="new_parent")
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise ServiceError("不能转移到本组织或其下级组织之下。", field="new_parent")
    old_parent = Org.objects.get_parent(org)
    if old_parent.pk == new_parent.pk:
        raise ServiceError(f"“{org.name}”已在“{new_parent.name}”之下。", field="new_parent")
    if org.is_dissolved:
        raise ServiceError("已注销的组织不能转移。", field="new_parent")
    _check_child_type(new_parent, org.org_type, field="new_parent")
    _check_unique_name(new_parent, org.name)
    if not effective_on:
        raise ServiceError("请填写转移日期。", field="effective_on")
    _not_future(effective_on, "转移日期", "effective_on")
    # A move is relative to where the org stands now, so it cannot go back past the day it
    # got there (its founding, or a move of it or of an ancestor).
    since = _current_since(org)
    if since and effective_on < since:
        raise ServiceError(f"转移日期不能早于该组织上一次变动（成立或转移）的日期 {since}。", field="effective_on")
    _check_parent_on(new_parent, effective_on, "转移日期", "effective_on")
    old_path = org.path
    event = _event(org, OrgEvent.Kind.MOVED, effective_on, actor, {"from": old_parent.name, "to": new_parent.name})
    new_path = _move_subtree_rows(org, new_parent)
    touched = _replace_subtree(old_path, new_path, effective_on, event)
    rehome(touched, effective_on)
    org.refresh_from_db()
    audit.record(actor=actor, action="orgs.org.moved", obj=org,
                 changes={"parent": [old_parent.name, new_parent.name], "effective_on": effective_on,
                          "subtree_size": len(touched)})
    return org


@transaction.atomic
def org_reelect(*, actor, org: Org, elected_on: dt.date, term_years: int, chair_name: str = "") -> OrgTerm:
    """换届: a new term starts; the previous one is kept (DOMAIN §1.4)."""
    scope.require(actor, "orgs.change", org.path)
    if org.org_type not in ELECTED_TYPES:
        raise ServiceError(f"{org.get_org_type_display()}不进行换届选举。", field="elected_on")
    if org.is_dissolved:
        raise ServiceError("已注销的组织不能换届。", field="elected_on")
    if not elected_on:
        raise ServiceError("请填写选举日期。", field="elected_on")
    _not_future(elected_on, "选举日期", "elected_on")
    _check_term_years(org.org_type, term_years)
    if org.founded_on and elected_on < org.founded_on:
        raise ServiceError("选举日期不能早于成立日期。", field="elected_on")
    if org.term_started_on and elected_on <= org.term_started_on:
        raise ServiceError(f"选举日期应晚于本届选举日期 {org.term_started_on}。", field="elected_on")
    previous_end = org.term_ends_on
    term = _start_term(org, elected_on, term_years, chair_name.strip())
    _event(org, OrgEvent.Kind.REELECTED, elected_on, actor,
           {"number": term.number, "years": term_years, "ends_on": str(term.ends_on),
            "on_time": previous_end is None or elected_on <= previous_end, "chair": chair_name})
    audit.record(actor=actor, action="orgs.org.reelected", obj=org,
                 changes={"term_number": term.number, "elected_on": elected_on, "term_years": term_years})
    return term


@transaction.atomic
def org_change_type(*, actor, org: Org, new_type: str, effective_on: dt.date) -> Org:
    """升格 or another type change (e.g. 社区工会联合会 → 社区总工会)."""
    scope.require(actor, "orgs.change", org.path)
    if new_type not in OrgType.values:
        raise ServiceError(f"组织类型“{new_type}”不存在。", field="new_type")
    if new_type == org.org_type:
        raise ServiceError("新类型与原类型相同。", field="new_type")
    if org.is_dissolved:
        raise ServiceError("已注销的组织不能变更类型。", field="new_type")
    if not effective_on:
        raise ServiceError("请填写变更日期。", field="effective_on")
    _not_future(effective_on, "变更日期", "effective_on")
    if org.founded_on and effective_on < org.founded_on:
        raise ServiceError(f"变更日期不能早于成立日期 {org.founded_on}。", field="effective_on")
    # The type is kept as today's value: a change dated before an earlier-entered later one
    # would make the type depend on the order of entry.
    last = org.events.filter(kind=OrgEvent.Kind.TYPE_CHANGED).aggregate(m=Max("effective_on"))["m"]
    if last and effective_on < last:
        raise ServiceError(f"变更日期不能早于上一次类型变更的日期 {last}。", field="effective_on")
    parent = Org.objects.get_parent(org)
    if parent is not None:
        _check_child_type(parent, new_type, field="new_type")
    allowed = CHILD_TYPES.get(new_type, ())
    misfits = Org.objects.get_children(org).exclude(status=OrgStatus.DISSOLVED).exclude(org_type__in=allowed)
    if misfits.exists():
        kinds = "、".join(sorted({OrgType(t).label for t in misfits.values_list("org_type", flat=True)}))
        raise ServiceError(
            f"“{org.name}”下还有{misfits.count()}个下级组织（{kinds}）不能设在{OrgType(new_type).label}之下，"
            f"变更前须先转出。", field="new_type",
        )
    old = org.org_type
    org.org_type = new_type
    org.save(update_fields=["org_type", "updated_at"])
    _event(org, OrgEvent.Kind.TYPE_CHANGED, effective_on, actor,
           {"old": OrgType(old).label, "new": OrgType(new_type).label})
    audit.record(actor=actor, action="orgs.org.type_changed", obj=org,
                 changes={"org_type": [OrgType(old).label, OrgType(new_type).label], "effective_on": effective_on})
    return org


def _active_children_message(org: Org) -> str | None:
    n = Org.objects.get_children(org).exclude(status=OrgStatus.DISSOLVED).count()
    if n:
        return f"“{org.name}”下还有{n}个未注销的下级组织，须先转出或注销。"
    on = org.dissolved_on  # the date asked for (see DISSOLUTION_CHECKS)
    if on is None:
        return None
    # Subordinates that left or were dissolved after that date stood under it after it.
    later = (
        OrgPlacement.objects.filter(subtree_q("path", org.path), Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .exclude(org=org).exclude(org__dissolved_on__lte=on).values("org").distinct().count()
    )
    if later:
        return f"“{org.name}”有{later}个下级组织在{on}以后才转出或注销，注销日期不能早于它们转出或注销的日期。"
    if Coverage.objects.filter(union=org, valid_from__gt=on).exists():
        return f"“{org.name}”覆盖用人单位的起始日期晚于{on}，注销日期不能早于该日期。"
    return None


DISSOLUTION_CHECKS.append(_active_children_message)


@transaction.atomic
def org_dissolve(*, actor, org: Org, dissolved_on: dt.date, reason: str) -> Org:
    """注销: refused while members, open cases or subordinates remain (DOMAIN §1.4)."""
    scope.require(actor, "orgs.change", org.path)
    if org.is_root():
        raise ServiceError("顶级组织不能注销。", field="dissolved_on")
    if org.is_dissolved:
        raise ServiceError("该组织已注销。", field="dissolved_on")
    if not (reason or "").strip():
        raise ServiceError("请填写注销原因。", field="reason")
    if not dissolved_on:
        raise ServiceError("请填写注销日期。", field="dissolved_on")
    _not_future(dissolved_on, "注销日期", "dissolved_on")
    if org.founded_on and dissolved_on < org.founded_on:
        raise ServiceError("注销日期不能早于成立日期。", field="dissolved_on")
    org.dissolved_on = dissolved_on  # what the checks compare their records' dates with
    problems = [m for check in DISSOLUTION_CHECKS if (m := check(org))]
    if problems:
        org.dissolved_on = None
        raise ServiceError("不能注销：" + join_messages(problems), field="dissolved_on")
    ended = Coverage.objects.filter(union=org, valid_to__isnull=True).update(valid_to=dissolved_on)
    org.status, org.dissolved_on = OrgStatus.DISSOLVED, dissolved_on
    org.save(update_fields=["status", "dissolved_on", "updated_at"])
    _event(org, OrgEvent.Kind.DISSOLVED, dissolved_on, actor, {"reason": reason, "coverages_ended": ended})
    audit.record(actor=actor, action="orgs.org.dissolved", obj=org,
                 changes={"dissolved_on": dissolved_on, "reason": reason, "coverages_ended": ended})
    return org


# --- employers and coverage -------------------------------------------------------------

def _check_codes(fields: dict) -> None:
    """Code-table fields hold a code of their table (core.codes); '' is "not given"."""
    for name, table in (("unit_category", "unit_category"), ("economic_type", "economic_type"),
                        ("industry", "industry"), ("region_code", "region")):
        value = fields.get(name)
        if value:
            found = codes.get(table)
            if value not in found.by_code:
                raise ServiceError(f"“{value}”不是{found.name}的代码（{found.standard}）。", field=name)
    if "org_code" in fields:
        fields["org_code"] = clean_org_code(fields["org_code"])


def _clean_employer(fields: dict, exclude_pk=None, actor=None) -> dict:
    _check_codes(fields)
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ServiceError("请填写单位名称。", field="name")
    if "uscc" in fields:
        fields["uscc"] = clean_uscc(fields["uscc"])
        if fields["uscc"]:
            clash = Employer.objects.filter(uscc=fields["uscc"]).exclude(pk=exclude_pk).first()
            if clash:
                # Named only to a user who may see it: the registry of another area is not shown.
                if scope.has_perm(actor, "employers.view", clash.org.path):
                    raise ServiceError(f"统一社会信用代码“{fields['uscc']}”已登记为“{clash.name}”。", field="uscc")
                raise ServiceError(f"统一社会信用代码“{fields['uscc']}”不能重复登记。如该单位已迁入本地，"
                                   "请联系上级工会办理迁移。", field="uscc")
    total = fields.get("headcount")
    for f, label in (("women_count", "女职工人数"), ("migrant_count", "农民工人数")):
        if total is not None and fields.get(f) is not None and fields[f] > total:
            raise ServiceError(f"{label}（{fields[f]}）不能大于职工人数（{total}）。", field=f)
    if fields.get("closed_on") and fields.get("registered_on") and fields["closed_on"] < fields["registered_on"]:
        raise ServiceError("关闭日期不能早于成立日期。", field="closed_on")
    return fields


@transaction.atomic
def employer_create(*, actor, org: Org, **fields) -> Employer:
    scope.require(actor, "employers.change", org.path)
    unknown = set(fields) - set(EMPLOYER_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    fields = _clean_employer(dict(fields), actor=actor)
    employer = Employer(org=org, **fields)
    _set_pinyin(employer)
    employer.save()
    audit.record(actor=actor, action="orgs.employer.created", obj=employer,
                 changes={f: v for f, v in fields.items() if v not in (None, "")})
    return employer


@transaction.atomic
def employer_update(*, actor, employer: Employer, **fields) -> Employer:
    scope.require(actor, "employers.change", employer.org.path)
    unknown = set(fields) - set(EMPLOYER_FIELDS) - {"org"}
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    if "org" in fields:
        scope.require(actor, "employers.change", fields["org"].path)
    merged = {f: getattr(employer, f) for f in ("headcount", "women_count", "migrant_count", "registered_on",
                                                "closed_on")}
    merged.update(fields)
    _clean_employer(merged, exclude_pk=employer.pk, actor=actor)
    fields = {f: merged[f] for f in fields}
    old = {f: getattr(employer, f) for f in fields}
    for f, v in fields.items():
        setattr(employer, f, v)
    changes = audit.diff(employer, old, fields)
    if not changes:
        return employer
    _set_pinyin(employer)
    employer.save()
    audit.record(actor=actor, action="orgs.employer.updated", obj=employer, changes=changes)
    return employer


@transaction.atomic
def coverage_start(*, actor, union: Org, employer: Employer, valid_from: dt.date) -> Coverage:
    """A union starts covering an employer (组建 of its union, or joining a 联合基层工会)."""
    scope.require(actor, "employers.change", union.path)
    if union.org_type not in GRASSROOTS_TYPES:
        raise ServiceError(f"“{union.name}”是{union.get_org_type_display()}，只有基层工会才能覆盖用人单位。",
                           field="union")
    if union.is_dissolved:
        raise ServiceError(f"“{union.name}”已注销。", field="union")
    if not valid_from:
        raise ServiceError("请填写覆盖起始日期。", field="valid_from")
    _not_future(valid_from, "覆盖起始日期", "valid_from")
    if union.founded_on and valid_from < union.founded_on:
        raise ServiceError(f"覆盖起始日期不能早于工会成立日期 {union.founded_on}。", field="valid_from")
    current = Coverage.objects.filter(employer=employer).filter(valid_to__isnull=True).select_related("union").first()
    if current:
        raise ServiceError(f"“{employer.name}”已由“{current.union.name}”覆盖，须先终止原覆盖关系。",
                           field="employer")
    later = Coverage.objects.filter(employer=employer, valid_to__gt=valid_from).exists()
    if later:
        raise ServiceError("覆盖起始日期与该单位以前的覆盖期间重叠。", field="valid_from")
    coverage = Coverage.objects.create(union=union, employer=employer, valid_from=valid_from)
    audit.record(actor=actor, action="orgs.coverage.started", obj=coverage,
                 changes={"union": union.name, "employer": employer.name, "valid_from": valid_from})
    for hook in COVERAGE_HOOKS:
        hook(employer, valid_from)
    return coverage


@transaction.atomic
def coverage_end(*, actor, coverage: Coverage, valid_to: dt.date) -> Coverage:
    scope.require(actor, "employers.change", coverage.union.path)
    if coverage.valid_to:
        raise ServiceError("该覆盖关系已终止。", field="valid_to")
    if not valid_to or valid_to <= coverage.valid_from:
        raise ServiceError(f"终止日期应晚于起始日期 {coverage.valid_from}。", field="valid_to")
    _not_future(valid_to, "终止日期", "valid_to")
    coverage.valid_to = valid_to
    coverage.save(update_fields=["valid_to"])
    audit.record(actor=actor, action="orgs.coverage.ended", obj=coverage,
                 changes={"union": coverage.union.name, "employer": coverage.employer.name, "valid_to": valid_to})
    for hook in COVERAGE_HOOKS:
        hook(coverage.employer, valid_to)
    return coverage


@transaction.atomic
def employer_alias_add(*, actor, employer: Employer, name: str) -> EmployerAlias:
    """Link a name from clerks' sheets to this employer, so a roster import matches it (issue 17)."""
    scope.require(actor, "employers.change", employer.org.path)
    name = (name or "").strip()
    key = normalise_name(name)
    if not key:
        raise ServiceError("请填写名称。", field="name")
    if len(name) > 200:
        raise ServiceError("名称不能超过 200 个字。", field="name")
    if key == normalise_name(employer.name):
        raise ServiceError("该名称就是本单位的登记名称，导入时已能匹配，无需关联。", field="name")
    if employer.aliases.filter(name_norm=key).exists():
        raise ServiceError(f"“{name}”已关联到本单位。", field="name")
    # Another employer of the area under this name would make the name ambiguous in an import.
    clash = (Employer.objects.filter(org=employer.org, name_norm=key).exclude(pk=employer.pk).first()
             or Employer.objects.filter(org=employer.org, aliases__name_norm=key).exclude(pk=employer.pk).first())
    if clash is not None:
        raise ServiceError(f"同一属地已有单位“{clash.name}”以此名称登记或关联，不能再关联到本单位。", field="name")
    alias = EmployerAlias.objects.create(employer=employer, name=name, name_norm=key)
    audit.record(actor=actor, action="orgs.employer.alias_added", obj=employer,
                 changes={"alias": name, "employer": employer.name})
    return alias


@transaction.atomic
def employer_alias_remove(*, actor, alias: EmployerAlias) -> None:
    employer = alias.employer
    scope.require(actor, "employers.change", employer.org.path)
    name = alias.name
    alias.delete()
    audit.record(actor=actor, action="orgs.employer.alias_removed", obj=employer,
                 changes={"alias": name, "employer": employer.name})
