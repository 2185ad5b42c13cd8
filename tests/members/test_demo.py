"""Demo members: plausible figures, valid and unique ID numbers, the very rows the services
write, and the same data for the same seed."""

import datetime as dt
from collections import Counter

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from gonghui.core import crypto, demo
from gonghui.core.identifiers import parse_id_number
from gonghui.core.metrics import compute
from gonghui.core.periods import Period
from gonghui.core.pinyin import search_keys
from gonghui.members import demo_data, services
from gonghui.members.models import (
    Employment,
    Hukou,
    MemberEvent,
    Membership,
    MemberStatus,
    MemberStatusPeriod,
    Person,
)
from gonghui.orgs.models import MEMBER_UNION_TYPES, Coverage, Org

TODAY = timezone.localdate()  # the services refuse dates after the real today
SEED = 7


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _joined_online() -> int:
    """Members other lines' demos join after the roster is built: the portal's accepted online
    applications (the members builder reports only the roster it wrote)."""
    from django.apps import apps as django_apps

    if not django_apps.is_installed("gonghui.portal"):
        return 0
    return django_apps.get_model("portal", "Application").objects.filter(membership__isnull=False).count()


@pytest.fixture
def small(db):
    return demo.build("small", SEED, TODAY, progress=lambda _: None)


def test_every_active_union_has_members_and_the_figures_are_plausible(small):
    unions = Org.objects.filter(org_type__in=MEMBER_UNION_TYPES)
    active_unions = unions.exclude(status="dissolved")
    per_union = dict(Membership.objects.values_list("union").annotate(n=Count("id")))
    assert set(per_union) == set(active_unions.values_list("pk", flat=True))  # none in dissolved unions
    total = sum(per_union.values())
    assert total == Person.objects.count()
    assert small.data["members"] == total - _joined_online()  # the portal's demo joins a few online
    assert 0.6 * 30 * len(per_union) < total < 1.4 * 30 * len(per_union)

    # Stock figures as of today from the registry agree with the rows.
    root, period = small.data["root"], Period.year_to_date(TODAY)
    active = Membership.objects.filter(status=MemberStatus.ACTIVE)
    n_total = compute("members.total", root, period).value
    assert n_total == active.count()
    retirees = Membership.objects.filter(status=MemberStatus.RETAINED).count()
    assert n_total + retirees == total and 0.01 * total <= retirees <= 0.06 * total
    women = compute("members.women", root, period).value
    migrants = compute("members.migrant_workers", root, period).value
    assert women == active.filter(person__gender=2).count() and 0.35 < women / n_total < 0.55
    assert migrants == active.filter(person__is_migrant_worker=True).count() and 0.2 < migrants / n_total < 0.4
    new = compute("members.new", root, period).value
    assert new == Membership.objects.filter(started_on__gte=period.start).count() > 0
    rate = compute("members.membership_rate", root, period)
    assert 0 < rate.numerator <= rate.denominator  # members of covered unions never exceed their staff
    for unit in ("members.transferred_in", "members.transferred_out", "members.left"):
        assert compute(unit, root, period).value == 0

    # Shares and ages.
    people = list(Person.objects.values("gender", "birth_date", "hukou", "is_migrant_worker", "employment",
                                        "phone_masked", "memberships__status"))
    assert all((p["hukou"] == Hukou.RURAL) == p["is_migrant_worker"] for p in people)
    assert 0.8 < sum(1 for p in people if p["phone_masked"]) / total < 0.98
    for p in people:
        age = TODAY.year - p["birth_date"].year - ((TODAY.month, TODAY.day) < (p["birth_date"].month,
                                                                              p["birth_date"].day))
        if p["memberships__status"] == MemberStatus.ACTIVE:
            assert 18 <= age <= 60 and p["employment"] != Employment.RETIRED
        else:
            assert p["employment"] == Employment.RETIRED and age >= 50


def test_join_dates_follow_the_union_and_retirement(small):
    for m in Membership.objects.select_related("union", "person"):
        assert m.union.founded_on <= m.started_on <= TODAY
        assert m.started_on >= _add_years(m.person.birth_date, 18)
        assert m.person.first_joined_on == m.started_on and m.ended_on is None
        periods = list(m.periods.order_by("valid_from").values_list("status", "valid_from", "valid_to", "reason"))
        events = list(m.events.order_by("effective_on", "id").values_list("kind", "effective_on", "path"))
        assert periods[0][:2] == (MemberStatus.ACTIVE, m.started_on)
        assert events[0] == (MemberEvent.Kind.JOINED, m.started_on, m.union.path)
        if m.status == MemberStatus.RETAINED:
            retired = periods[1][1]
            assert periods == [(MemberStatus.ACTIVE, m.started_on, retired, ""),
                               (MemberStatus.RETAINED, retired, None, "退休")]
            assert events[1] == (MemberEvent.Kind.RETAINED, retired, m.union.path)
            assert m.started_on <= retired <= TODAY
        else:
            assert periods == [(MemberStatus.ACTIVE, m.started_on, None, "")] and len(events) == 1


def test_every_id_number_is_valid_unique_and_matches_its_derived_columns(small):
    region = {pk: code for pk, code in Org.objects.values_list("pk", "region_code")}
    people = Person.objects.values_list("id_cipher", "id_hash", "id_masked", "id_last4", "gender", "birth_date",
                                        "phone_cipher", "phone_masked", "name", "pinyin_keys",
                                        "memberships__union_id")
    numbers = set()
    for cipher, id_hash, masked, last4, gender, birth, phone_cipher, phone_masked, name, keys, union_id in people:
        number = crypto.decrypt(cipher)
        info = parse_id_number(number)
        assert not [w for w in info.warnings if "年龄" in w]
        assert info.number == number and (info.gender, info.birth_date) == (gender, birth)
        assert number[:6] == region[union_id]
        assert id_hash == crypto.lookup_hash(number) and masked == crypto.mask_id(number) and last4 == number[-4:]
        phone = crypto.decrypt(phone_cipher)
        assert phone_masked == crypto.mask_phone(phone)
        assert not phone or (len(phone) == 11 and phone.isdigit() and phone[:2] in {"13", "15", "16", "17", "18",
                                                                                   "19"})
        assert keys == search_keys(name)
        numbers.add(number)
    assert len(numbers) == len(people) == Person.objects.values("id_hash").distinct().count()
    cards = list(Membership.objects.exclude(card_no="").values_list("card_no", flat=True))
    assert len(cards) == len(set(cards)) > 0.7 * len(people)


def test_employer_links_follow_coverage(small):
    linked = Person.objects.filter(employer__isnull=False)
    assert linked.count() > 0.5 * Person.objects.count()
    covered = set(Coverage.objects.values_list("union_id", "employer_id"))
    for union_id, employer_id in linked.values_list("memberships__union_id", "employer_id"):
        assert (union_id, employer_id) in covered
    # Unions that cover no employer have no linked members, and none has more members than staff.
    staff = Counter()
    for union_id, headcount in Coverage.objects.values_list("union_id", "employer__headcount"):
        staff[union_id] += headcount
    for union_id, n in Membership.objects.values_list("union_id").annotate(n=Count("id")):
        if staff[union_id]:
            assert n <= staff[union_id]
        else:
            assert not Person.objects.filter(memberships__union_id=union_id, employer__isnull=False).exists()


PERSON_FIELDS = [f.attname for f in Person._meta.concrete_fields
                 if f.attname not in {"id", "id_cipher", "phone_cipher", "created_at", "updated_at"}]


def _rows(membership: Membership) -> dict:
    """Every row one member has, without ids, timestamps and random nonces."""
    person = Person.objects.get(pk=membership.person_id)
    m = Membership.objects.get(pk=membership.pk)
    return {
        "person": {f: getattr(person, f) for f in PERSON_FIELDS} | {"id_number": person.id_number,
                                                                    "phone": person.phone},
        "membership": (m.union_id, m.started_on, m.ended_on, m.status, m.card_no),
        "periods": list(m.periods.order_by("valid_from", "id").values_list("union_id", "status", "valid_from",
                                                                          "valid_to", "reason")),
        "events": list(m.events.order_by("effective_on", "id").values_list("union_id", "kind", "effective_on",
                                                                          "path", "data", "reason")),
        "event_person": all(e.person_id == person.pk for e in m.events.all()),
    }


@pytest.mark.parametrize("status", [MemberStatus.ACTIVE, MemberStatus.RETAINED])
def test_rows_equal_what_the_services_write(small, status):
    """Take one demo member, delete their rows, record the same person through
    `member_join` (and `member_retain`), and compare every row."""
    candidates = Membership.objects.filter(status=status, person__employer__isnull=False, person__phone_masked__gt="")
    # A person other lines' demo records hold on to (an attendance list, a mutual-aid enrolment)
    # cannot be deleted: take one they leave alone.
    for model in apps.get_models():
        if model._meta.app_label == "members":
            continue
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is Person and f.remote_field.on_delete is models.PROTECT:
                held = model._default_manager.filter(**{f"{f.attname}__isnull": False}).values(f.attname)
                candidates = candidates.exclude(person__in=held)  # (no NULL in NOT IN: it would match nothing)
    m = candidates.exclude(card_no="").select_related("person", "union").order_by("pk").first()
    demo_rows = _rows(m)
    assert set(m.events.values_list("actor_name", flat=True)) == {demo_data.ACTOR}
    person = m.person
    args = {
        "union": m.union, "name": person.name, "id_number": person.id_number, "joined_on": m.started_on,
        "card_no": m.card_no, "gender": person.gender, "birth_date": person.birth_date,
        "ethnicity": person.ethnicity, "education": person.education, "political": person.political,
        "phone": person.phone, "hukou": person.hukou, "is_migrant_worker": person.is_migrant_worker,
        "employment": person.employment, "is_dispatched": person.is_dispatched, "employer": person.employer,
    }
    retired = m.periods.filter(status=MemberStatus.RETAINED).values_list("valid_from", flat=True).first()
    MemberEvent.objects.filter(membership=m).delete()
    MemberStatusPeriod.objects.filter(membership=m).delete()
    m.delete()
    person.delete()

    new = services.member_join(actor=None, **args)
    if retired:
        services.member_retain(actor=None, membership=new, effective_on=retired, reason=demo_data.RETIRED_REASON)
    service_rows = _rows(new)
    assert service_rows == demo_rows
    assert set(new.events.values_list("actor_name", flat=True)) == {"系统"}  # the one difference: who signed


def _snapshot(seed: int) -> list[tuple]:
    """Build the small demo in a savepoint, read the members, and roll it all back."""

    class Rollback(Exception):
        pass

    rows = []
    try:
        with transaction.atomic():
            demo.build("small", seed, TODAY, progress=lambda _: None)
            for m in (Membership.objects.select_related("person", "union", "person__employer").order_by("pk")):
                p = m.person
                rows.append((m.union.path, p.name, p.id_number, p.phone, p.gender, p.birth_date, p.hukou,
                             p.employer.uscc if p.employer else None, m.started_on, m.card_no, m.status,
                             tuple(m.periods.order_by("valid_from").values_list("status", "valid_from"))))
            raise Rollback
    except Rollback:
        pass
    assert not Person.objects.exists()
    return rows


def test_the_same_seed_gives_the_same_members(db):
    first = _snapshot(SEED)
    assert first and _snapshot(SEED) == first
    other = _snapshot(SEED + 1)
    assert other and other != first


def test_progress_is_reported_when_asked(db, monkeypatch):
    said = []
    monkeypatch.setattr(demo_data, "PROGRESS", said.append)
    demo.build("small", SEED, TODAY, progress=lambda _: None)
    assert said and f"{Person.objects.count() - _joined_online():,} 人" in said[-1]
    assert not Person.objects.filter(~Q(id_masked__regex=r"^\d{6}\*{8}\d{3}[\dX]$")).exists()
