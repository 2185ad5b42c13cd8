"""Demo members for every active demo union (ARCHITECTURE §6, ECOSYSTEM rows 14 and 17).

Sizes: `small` ≈ 30 per union, `county` ≈ 100 per union (≈150,000), `city` ≈ 50 per union
(≈1,000,000). A union that covers employers gets members in proportion to their headcount
(capped by it, so no 入会率 exceeds 100 %), the others the average; the members' shares of
women and 农民工 follow their employer's (≈45 % and ≈30 % overall), and ≈3 % are retirees
whose 会籍 is kept (保留会籍).

The rows are exactly those `services.member_join` writes (and `member_retain` for the
retirees): the person with the encrypted ID number, its HMAC and the derived columns, the
membership, the status period(s) and the dated event with the union's path
(`tests/members/test_demo.py` compares them with the services' rows field by field). They
are built by hand as tuples and loaded 2,000 members at a time, with COPY on PostgreSQL and
`executemany` on SQLite: through the services one member costs a few milliseconds (an hour
for the city), and even `bulk_create` spent 70 % of the county's 42 s preparing field values
(now 11 s). Like the org demo, the events are signed "演示数据" and there is no per-row audit
entry (one entry records the demo load).

Deterministic for a seed: everything is drawn from `ctx.rng`, and Faker (seeded with
`ctx.seed`) only fills the pools of names. Costs per member are kept in microseconds: the
pinyin search keys (~50 µs each) are computed once per distinct name of the pool.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import time
from collections.abc import Callable

from django.core.management.color import no_style
from django.db import connections, router
from django.utils import timezone
from faker import Faker

from gonghui.core import crypto
from gonghui.core.demo import DemoContext
from gonghui.core.identifiers import id_check_char
from gonghui.core.pinyin import search_keys
from gonghui.orgs.models import MEMBER_UNION_TYPES, OrgType

from .models import (
    Education,
    Employment,
    Hukou,
    MemberEvent,
    Membership,
    MemberStatus,
    MemberStatusPeriod,
    Person,
    Political,
)

PER_UNION = {"small": 30, "county": 100, "city": 50}
BATCH = 2000  # members per round of inserts (each member is 4-6 rows)
ACTOR = "演示数据"
RETIRED_REASON = "退休"

WOMEN_SHARE = 0.45  # members of unions without an employer
MIGRANT_SHARE = 0.30
RETIREE_SHARE = 0.03
PHONE_SHARE = 0.92
CARD_SHARE = 0.85
EMPLOYER_LINK_SHARE = 0.9  # of the members of a union that covers employers
DISPATCHED_SHARE = 0.04

PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                  "156", "157", "158", "159", "166", "173", "175", "176", "177", "180", "181", "182", "183", "185",
                  "186", "187", "188", "189", "191", "198", "199")
# Hunan's larger minorities (GB/T 3304 codes): 土家族, 苗族, 侗族, 瑶族, 回族, 壮族, 白族, 满族.
MINORITIES = ("15", "06", "12", "13", "03", "08", "14", "11")
# GB/T 4658 detailed codes (the level's shares as before: 研究生 3, 本科 18, 专科 22, 中职 17 …).
EDUCATION = (("14", 2), ("11", 1), ("21", 17), ("23", 1), ("31", 21), ("33", 1), ("41", 7), ("44", 4),
             ("47", 6), ("61", 14), ("63", 1), ("71", 19), ("73", 1), ("81", 4), (Education.OTHER, 1))
# GB/T 4762: the democratic parties' 1 % shared among the larger ones (民盟, 民建, 民进, 农工党, 九三学社).
POLITICAL = ((Political.CPC, 11), (Political.CPC_PROBATIONARY, 1), (Political.CYL, 9), ("05", 0.3), ("06", 0.2),
             ("07", 0.2), ("08", 0.1), ("10", 0.2), (Political.MASSES, 78))
# Extra characters for two-character given names, so the name pools are not just Faker's 131.
MALE_CHARS = "伟强磊洋勇军杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳亮成建峰晨瑞兵雷东博彬坤岩文利志国海永金春德"
FEMALE_CHARS = "芳娜敏静秀丽艳娟霞燕玲英丹萍红兰梅莉婷珍凤晶颖雪慧倩琴云洁柳春荣莹琳欣香花璐瑶怡佳思雨"

# Optional progress callback (the bench sets it: the city takes minutes).
PROGRESS: Callable[[str], None] | None = None


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _cumulative(pairs) -> tuple[list, list[float]]:
    values, weights = zip(*pairs, strict=True)
    return list(values), list(itertools.accumulate(weights))


class _Names:
    """Pools of names per gender, drawn with Faker's surname weights; search keys cached."""

    def __init__(self, seed: int, size: int):
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.pools = {1: self._pool(fake, size, fake.first_name_male, MALE_CHARS),
                      2: self._pool(fake, size, fake.first_name_female, FEMALE_CHARS)}
        self._keys: dict[str, str] = {}

    @staticmethod
    def _pool(fake: Faker, size: int, given: Callable[[], str], chars: str) -> list[str]:
        names: dict[str, None] = {}
        for _ in range(size * 3):  # common names repeat; stop at `size` distinct ones
            roll = fake.random.random()
            first = given() if roll < 0.45 else fake.random_element(chars) + fake.random_element(chars)
            names[fake.last_name() + first] = None
            if len(names) >= size:
                break
        return list(names)

    def keys(self, name: str) -> str:
        keys = self._keys.get(name)
        if keys is None:
            keys = self._keys[name] = search_keys(name)
        return keys


class _Union:
    """What every member of one union shares: its employers and their shares."""

    def __init__(self, org):
        self.org = org
        self.path = org.path
        self.area = org.region_code or "430121"
        covered = [emp for emp, _ in getattr(org, "_covered", [])]
        self.employers = covered
        self.weights = list(itertools.accumulate(max(1, e.headcount) for e in covered))
        self.community = org.org_type == OrgType.COMMUNITY


def _counts(unions: list, per_union: int, rng) -> list[int]:
    """Members per union: about `per_union` on average; proportional to the covered
    headcount (and never above it) where the union covers employers."""
    heads = [sum(e.headcount for e, _ in getattr(u, "_covered", [])) for u in unions]
    with_staff = sum(1 for h in heads if h)
    total_staff = sum(heads)
    factor = per_union * with_staff / total_staff if total_staff else 0
    out = []
    for h in heads:
        if h:
            out.append(max(1, min(h, round(h * factor * rng.uniform(0.75, 1.25)))))
        else:
            out.append(max(1, round(per_union * rng.uniform(0.3, 1.7))))
    return out


class _Generator:
    def __init__(self, ctx: DemoContext):
        self.rng = ctx.rng
        self.today = ctx.today
        self.used_ids: set[str] = set()
        self.card_seq = 0
        self.education = _cumulative(EDUCATION)
        self.political = _cumulative(POLITICAL)
        # Active members: men 18-60, women 18-55 (the usual retirement ages).
        self.oldest = {1: _add_years(self.today, -61) + dt.timedelta(days=1),
                       2: _add_years(self.today, -56) + dt.timedelta(days=1)}
        self.youngest = _add_years(self.today, -18)

    def _pick(self, table: tuple[list, list[float]]):
        values, cum = table
        return values[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def _date(self, lo: dt.date, hi: dt.date) -> dt.date:
        return lo + dt.timedelta(days=self.rng.randint(0, max(0, (hi - lo).days)))

    def id_number(self, area: str, birth: dt.date, gender: int) -> str:
        """A valid, unused 公民身份号码: area, birth date, a sequence whose last digit is odd
        for men and even for women, and the MOD 11-2 check character."""
        rng, prefix = self.rng, area + birth.strftime("%Y%m%d")
        while True:
            seq = rng.randrange(1, 500) * 2 + (1 if gender == 1 else 0)
            body = f"{prefix}{seq:03d}"
            if body not in self.used_ids:
                self.used_ids.add(body)
                return body + id_check_char(body)

    def member(self, u: _Union, names: _Names) -> dict:
        """One member as the arguments `member_join` takes (plus `retired_on`)."""
        rng, today = self.rng, self.today
        emp = None
        if u.employers and rng.random() < EMPLOYER_LINK_SHARE:
            emp = u.employers[bisect.bisect(u.weights, rng.random() * u.weights[-1])]
        if emp is not None and emp.headcount:
            # The employer's shares, pulled towards the national ones (its figures are rough).
            women = (emp.women_count / emp.headcount + WOMEN_SHARE) / 2
            migrant = emp.migrant_count / emp.headcount
        else:
            women, migrant = WOMEN_SHARE, MIGRANT_SHARE
        gender = 2 if rng.random() < women else 1
        is_migrant = rng.random() < migrant
        founded = u.org.founded_on or dt.date(1990, 1, 1)
        retired_on = None
        if rng.random() < RETIREE_SHARE:
            # Retired in the last six years at 60 (men) or 50/55 (women), kept as a member.
            retired_on = self._date(max(_add_years(today, -6), founded), today)
            age = 60 if gender == 1 else rng.choice((50, 55))
            birth = _add_years(retired_on, -age) - dt.timedelta(days=rng.randint(0, 30))
            retired_on = max(retired_on, _add_years(birth, age))
            if retired_on > today:
                retired_on = None
        if retired_on is None:
            # Ages 18 to 60 (women 55), most of them 25-45.
            span = (self.youngest - self.oldest[gender]).days
            birth = self.oldest[gender] + dt.timedelta(days=int(rng.triangular(0, span, span * 0.6)))
        lo = max(founded, _add_years(birth, 18))
        hi = retired_on or today
        if lo > hi:  # a union founded after this person retired: make them a working member
            retired_on, hi = None, today
        # A third joined within three months of the union's founding (or of their 18th birthday).
        joined = self._date(lo, min(hi, lo + dt.timedelta(days=90))) if rng.random() < 0.33 else self._date(lo, hi)
        fields = {
            "gender": gender,
            "birth_date": birth,
            "ethnicity": "01" if rng.random() < 0.94 else rng.choice(MINORITIES),
            "education": self._pick(self.education),
            "political": self._pick(self.political) if _add_years(birth, 28) < today or rng.random() < 0.5
            else Political.CYL,
            "phone": (rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}") if rng.random() < PHONE_SHARE else "",
            "hukou": Hukou.RURAL if is_migrant else Hukou.URBAN,
            "is_migrant_worker": is_migrant,
            "employment": Employment.RETIRED if retired_on else (
                Employment.FLEXIBLE if u.community and rng.random() < 0.3 else Employment.EMPLOYED),
            "is_dispatched": not u.community and rng.random() < DISPATCHED_SHARE,
            "employer": emp,
        }
        card_no = ""
        if rng.random() < CARD_SHARE:
            self.card_seq += 1
            card_no = f"{u.area}{self.card_seq:09d}"
        return {
            "name": rng.choice(names.pools[gender]),
            "id_number": self.id_number(u.area, birth, gender),
            "joined_on": joined,
            "card_no": card_no,
            "retired_on": retired_on,
            **fields,
        }


class _Table:
    """Fast inserts of hand-built rows into one model's table.

    The caller gives the values of `names` (attnames, the primary key included); every other
    concrete column gets what `Model.save()` would put there: the field's default, or the
    load's timestamp for `auto_now`/`auto_now_add`. So a field added to the model later
    gets its default here too, as it would through the services. PostgreSQL loads with COPY,
    SQLite with `executemany`.
    """

    def __init__(self, model, names: tuple[str, ...], now: dt.datetime):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(names) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no field(s) {sorted(unknown)}")
        self.model = model
        self.conn = connections[router.db_for_write(model)]
        # Every column but the given ones and an automatic primary key.
        rest = [f for a, f in fields.items() if a not in names and not (f.primary_key and f.db_returning)]
        self.consts = tuple(
            f.get_db_prep_save(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                               else f.get_default(), self.conn)
            for f in rest
        )
        qn = self.conn.ops.quote_name
        columns = ", ".join(qn(c) for c in [fields[n].column for n in names] + [f.column for f in rest])
        table = qn(model._meta.db_table)
        if self.conn.vendor == "postgresql":
            self.sql = f"COPY {table} ({columns}) FROM STDIN"
        else:
            marks = ", ".join(["%s"] * (len(names) + len(rest)))
            self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
        with self.conn.cursor() as cursor:
            cursor.execute(f"SELECT MAX({qn(model._meta.pk.column)}) FROM {table}")  # noqa: S608 - from the model
            self.next_id = (cursor.fetchone()[0] or 0) + 1

    def ids(self, n: int) -> range:
        start, self.next_id = self.next_id, self.next_id + n
        return range(start, start + n)

    def insert(self, rows: list[tuple]) -> None:
        consts = self.consts
        with self.conn.cursor() as cursor:
            if self.conn.vendor == "postgresql":
                with cursor.copy(self.sql) as copy:
                    for row in rows:
                        copy.write_row(row + consts)
            else:
                cursor.executemany(self.sql, [row + consts for row in rows])

    def reset_sequence(self) -> None:
        """After explicit ids, point the id sequence past them (PostgreSQL; SQLite's
        AUTOINCREMENT follows by itself)."""
        statements = self.conn.ops.sequence_reset_sql(no_style(), [self.model])
        with self.conn.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


PERSON = ("id", "name", "id_cipher", "id_hash", "id_masked", "id_last4", "gender", "birth_date", "ethnicity",
          "education", "political", "phone_cipher", "phone_masked", "hukou", "is_migrant_worker", "employment",
          "is_dispatched", "employer_id", "first_joined_on", "pinyin_keys")
MEMBERSHIP = ("id", "person_id", "union_id", "started_on", "card_no", "status")
PERIOD = ("membership_id", "union_id", "status", "valid_from", "valid_to", "reason", "path", "gender", "migrant")
EVENT = ("person_id", "membership_id", "union_id", "kind", "effective_on", "month", "path", "reason", "actor_name")


class _Writer:
    """Writes batches of members: the rows `member_join` (and `member_retain`) would write."""

    def __init__(self, names: _Names):
        now = timezone.now()
        self.names = names
        self.people = _Table(Person, PERSON, now)
        self.memberships = _Table(Membership, MEMBERSHIP, now)
        self.periods = _Table(MemberStatusPeriod, PERIOD, now)
        self.events = _Table(MemberEvent, EVENT, now)

    def write(self, batch: list[tuple[_Union, dict]]) -> None:
        encrypt, lookup_hash, mask_id, mask_phone = crypto.encrypt, crypto.lookup_hash, crypto.mask_id, crypto.mask_phone
        keys = self.names.keys
        active, retained = str(MemberStatus.ACTIVE), str(MemberStatus.RETAINED)
        joined_kind, retained_kind = str(MemberEvent.Kind.JOINED), str(MemberEvent.Kind.RETAINED)
        people, memberships, periods, events = [], [], [], []
        for person_id, membership_id, (u, m) in zip(self.people.ids(len(batch)), self.memberships.ids(len(batch)),
                                                    batch, strict=True):
            number, phone, joined, retired = m["id_number"], m["phone"], m["joined_on"], m["retired_on"]
            emp = m["employer"]
            people.append((
                person_id, m["name"], encrypt(number), lookup_hash(number), mask_id(number), number[-4:],
                m["gender"], m["birth_date"], m["ethnicity"], str(m["education"]), str(m["political"]),
                encrypt(phone), mask_phone(phone), str(m["hukou"]), m["is_migrant_worker"], str(m["employment"]),
                m["is_dispatched"], emp.pk if emp is not None else None, joined, keys(m["name"]),
            ))
            union_id = u.org.pk
            memberships.append((membership_id, person_id, union_id, joined, m["card_no"],
                                retained if retired else active))
            gender, migrant = m["gender"], m["is_migrant_worker"]
            periods.append((membership_id, union_id, active, joined, retired, "", u.path, gender, migrant))
            events.append((person_id, membership_id, union_id, joined_kind, joined, joined.replace(day=1), u.path, "",
                           ACTOR))
            if retired:
                periods.append((membership_id, union_id, retained, retired, None, RETIRED_REASON, u.path, gender,
                                migrant))
                events.append((person_id, membership_id, union_id, retained_kind, retired, retired.replace(day=1), u.path,
                               RETIRED_REASON, ACTOR))
        self.people.insert(people)
        self.memberships.insert(memberships)
        self.periods.insert(periods)
        self.events.insert(events)

    def finish(self) -> None:
        for table in (self.people, self.memberships, self.periods, self.events):
            table.reset_sequence()


def build(ctx: DemoContext) -> None:
    """Members for every active union the org demo left in `ctx.data["unions"]`.

    A union's path never changed in the demo (each has one placement, from its founding),
    so the path on any join date is its current path, as `path_on` would find, and no status
    period needs splitting (MemberStatusPeriod.path).
    """
    started = time.perf_counter()
    rng = ctx.rng
    orgs = [u for u in ctx.data.get("unions", []) if u.org_type in MEMBER_UNION_TYPES and not u.is_dissolved]
    if not orgs:
        return
    per_union = PER_UNION.get(ctx.size.name, 50)
    counts = _counts(orgs, per_union, rng)
    total = sum(counts)
    # Enough distinct names that duplicates are common but not absurd (张伟, 王芳 …).
    names = _Names(ctx.seed, max(500, min(40_000, total // 12)))
    gen = _Generator(ctx)
    writer = _Writer(names)
    batch: list[tuple[_Union, dict]] = []
    done = 0
    for org, count in zip(orgs, counts, strict=True):
        u = _Union(org)
        for _ in range(count):
            batch.append((u, gen.member(u, names)))
            if len(batch) >= BATCH:
                writer.write(batch)
                done += len(batch)
                batch = []
                if PROGRESS is not None and done % 100_000 < BATCH:
                    PROGRESS(f"    会员 {done:,} / {total:,}（{time.perf_counter() - started:.0f} 秒）")
    if batch:
        writer.write(batch)
    writer.finish()
    ctx.data["members"] = total
    if PROGRESS is not None:
        PROGRESS(f"    会员 {total:,} 人，用时 {time.perf_counter() - started:.1f} 秒")
