"""Demo tree: a county (or a city of counties) with townships, unions and employers.

Bulk-inserted with hand-computed materialized paths: services would take minutes at city
size (ECOSYSTEM §3.3), and demo data need no per-row audit entries.
"""

from __future__ import annotations

import datetime as dt

from faker import Faker
from stdnum.cn import uscc

from gonghui.core.demo import DemoContext, builder
from gonghui.core.pinyin import pinyin_keys

from .matching import normalise_name
from .models import Coverage, Employer, Org, OrgEvent, OrgPlacement, OrgStatus, OrgTerm, OrgType, Ownership

PLACE_CHARS = "安宝北长城大东丰福高格广河和红华黄江金锦九开兰乐利莲龙路罗梅明南宁平浦青清泉仁三沙山石双水顺松泰天田桐万文西霞仙湘新兴阳杨永玉园月云枫樟"
INDUSTRIES = ["制造业", "建筑业", "批发和零售业", "交通运输业", "住宿和餐饮业", "信息技术服务业", "教育", "卫生",
              "农业", "金融业", "房地产业", "居民服务业"]
OWNERSHIPS = [(Ownership.PRIVATE, 70), (Ownership.STATE, 6), (Ownership.COLLECTIVE, 4), (Ownership.HMT, 3),
              (Ownership.FOREIGN, 3), (Ownership.INSTITUTION, 6), (Ownership.GOVERNMENT, 3), (Ownership.SOCIAL, 3),
              (Ownership.INDIVIDUAL, 2)]
BATCH = 2000


def _uscc(prefix2: str, region: str, rng) -> str:
    body = prefix2 + region + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _date_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


class _Tree:
    """Collects nodes with their paths, then bulk-inserts them in path order."""

    def __init__(self):
        self.nodes: list[Org] = []

    def add(self, parent: Org | None, index: int, **fields) -> Org:
        depth = 1 if parent is None else parent.depth + 1
        path = Org._get_path(parent.path if parent else None, depth, index)
        org = Org(path=path, depth=depth, numchild=0, **fields)
        org.name_pinyin, org.name_initials = pinyin_keys(org.name)
        if parent is not None:
            parent.numchild += 1
        self.nodes.append(org)
        return org


@builder("工会组织和用人单位")
def build_orgs(ctx: DemoContext) -> None:
    rng, size, today = ctx.rng, ctx.size, ctx.today
    fake = Faker("zh_CN")
    fake.seed_instance(ctx.seed)
    companies = list(dict.fromkeys(fake.company_prefix() for _ in range(3000)))
    suffixes = ["有限公司", "股份有限公司", "科技有限公司", "实业有限公司", "制造有限公司", "商贸有限公司"]
    people = [fake.name() for _ in range(2000)]
    used_names: set[str] = set()

    def place() -> str:
        while True:
            name = rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS)
            if name not in used_names:
                used_names.add(name)
                return name

    tree = _Tree()
    start = dt.date(1995, 1, 1)
    if size.counties:
        root = tree.add(None, 1, name="湘江市总工会", short_name="市总工会", code="430100", org_type=OrgType.CITY,
                        founded_on=dt.date(1951, 5, 1), region_code="430100")
        counties = [
            tree.add(root, i + 1, name=f"{(p := place())}县总工会", short_name=f"{p}县总", code=f"4301{i + 21:02d}",
                     org_type=OrgType.COUNTY, founded_on=dt.date(1952, 5, 1), region_code=f"4301{i + 21:02d}")
            for i in range(size.counties)
        ]
    else:
        root = tree.add(None, 1, name="长沙县总工会", short_name="县总工会", code="430121", org_type=OrgType.COUNTY,
                        founded_on=dt.date(1952, 5, 1), region_code="430121")
        counties = [root]

    townships, unions, employers, coverages = [], [], [], []
    for county in counties:
        for t in range(size.townships):
            kind = OrgType.TOWNSHIP_FED if t % 3 else OrgType.TOWNSHIP_GEN
            p = place()
            suffix = ("镇" if t % 4 else "街道") + ("总工会" if kind == OrgType.TOWNSHIP_GEN else "工会联合会")
            town = tree.add(county, t + 1, name=f"{p}{suffix}", short_name=f"{p}{suffix[:2].rstrip('工')}",
                            code=f"{county.code}{t + 1:03d}", org_type=kind,
                            founded_on=_date_between(rng, dt.date(1985, 1, 1), dt.date(1999, 12, 31)),
                            region_code=county.region_code)
            town.chair_name = rng.choice(people)
            townships.append(town)
            town_employers = []
            for _ in range(size.employers):
                headcount = int(rng.lognormvariate(3.2, 1.3))
                women = int(headcount * rng.uniform(0.2, 0.65))
                emp = Employer(
                    name=f"{p}{rng.choice(companies)}{rng.choice(suffixes)}",
                    uscc=_uscc("91", county.region_code, rng),
                    ownership=rng.choices([o for o, _ in OWNERSHIPS], [w for _, w in OWNERSHIPS])[0],
                    industry=rng.choice(INDUSTRIES), headcount=headcount, women_count=women,
                    migrant_count=int(headcount * rng.uniform(0, 0.6)), is_fortune500=rng.random() < 0.002,
                    is_above_scale=headcount >= 100 and rng.random() < 0.6,
                    registered_on=_date_between(rng, dt.date(1990, 1, 1), today - dt.timedelta(days=30)),
                    closed_on=None, region_code=county.region_code, contact_person=rng.choice(people),
                )
                emp.name_pinyin, emp.name_initials = pinyin_keys(emp.name)
                emp.name_norm = normalise_name(emp.name)
                emp._town = town
                town_employers.append(emp)
            employers.extend(town_employers)
            # The larger employers are more likely to have a union already.
            candidates = sorted(town_employers, key=lambda x: -x.headcount)
            cursor = 0
            for u in range(size.unions):
                roll = rng.random()
                org_type = OrgType.GRASSROOTS if roll < 0.8 else (
                    OrgType.JOINT_GRASSROOTS if roll < 0.9 else OrgType.COMMUNITY)
                covered = candidates[cursor:cursor + (rng.randint(3, 8) if org_type == OrgType.JOINT_GRASSROOTS
                                                      else 1 if org_type == OrgType.GRASSROOTS else 0)]
                cursor += len(covered)
                if org_type == OrgType.COMMUNITY:
                    name = f"{p}{rng.choice(['村', '社区'])}{place()}工会"
                elif org_type == OrgType.JOINT_GRASSROOTS:
                    name = f"{p}{place()}片区联合工会委员会"
                else:
                    name = f"{covered[0].name}工会委员会" if covered else f"{p}{place()}工会委员会"
                # Most unions are old; a share founded this year, so the year's figures are not zero.
                founded = (_date_between(rng, dt.date(today.year, 1, 1), today) if rng.random() < 0.08
                           else _date_between(rng, start, dt.date(today.year - 1, 12, 31)))
                union = tree.add(town, u + 1, name=name, code=f"{town.code}{u + 1:04d}", org_type=org_type,
                                 founded_on=founded, region_code=county.region_code, chair_name=rng.choice(people))
                union.womens_committee_on = founded if rng.random() < 0.88 else None
                union.audit_committee_on = founded if rng.random() < 0.9 else None
                if rng.random() < 0.6:
                    union.uscc = _uscc("81", county.region_code, rng)
                    union.legal_cert_no = f"工法证字第{rng.randint(10000, 99999)}号"
                    union.legal_cert_issued_on = _date_between(rng, founded, today)
                years = rng.choice([3, 5])
                elected = founded
                while _add_years(elected, years) < today and rng.random() < 0.96:
                    elected = _add_years(elected, years) + dt.timedelta(days=rng.randint(-40, 40))
                union._elections = [founded] + ([elected] if elected != founded else [])
                union.term_years, union.term_started_on = years, elected
                union.term_ends_on = _add_years(elected, years)
                union.term_number = len(union._elections)
                union._covered = [(emp, max(founded, emp.registered_on)) for emp in covered]
                unions.append(union)

    # A few dissolved unions, so the dissolution figures are not empty.
    for union in rng.sample(unions, max(1, len(unions) // 150)):
        lower = union.founded_on + dt.timedelta(days=30)
        if lower < today:
            union.status, union.dissolved_on = OrgStatus.DISSOLVED, _date_between(rng, lower, today)
            union._covered = []

    tree.nodes.sort(key=lambda o: o.path)
    Org.objects.bulk_create(tree.nodes, batch_size=BATCH)
    by_path = dict(Org.objects.values_list("path", "pk"))
    for org in tree.nodes:
        org.pk = by_path[org.path]
    for emp in employers:
        emp.org_id = emp._town.pk
    Employer.objects.bulk_create(employers, batch_size=BATCH)

    placements, events, terms = [], [], []
    for org in tree.nodes:
        founded = org.founded_on or dt.date(1950, 1, 1)
        placements.append(OrgPlacement(org_id=org.pk, path=org.path, valid_from=founded))
        events.append(OrgEvent(org_id=org.pk, kind=OrgEvent.Kind.FOUNDED, effective_on=founded, path=org.path,
                               data={"name": org.name}, actor_name="演示数据"))
        for number, elected in enumerate(getattr(org, "_elections", []), start=1):
            terms.append(OrgTerm(org_id=org.pk, number=number, elected_on=elected, years=org.term_years,
                                 ends_on=_add_years(elected, org.term_years), chair_name=org.chair_name))
            if number > 1:
                events.append(OrgEvent(org_id=org.pk, kind=OrgEvent.Kind.REELECTED, effective_on=elected,
                                       path=org.path, data={"number": number, "years": org.term_years},
                                       actor_name="演示数据"))
        if org.dissolved_on:
            events.append(OrgEvent(org_id=org.pk, kind=OrgEvent.Kind.DISSOLVED, effective_on=org.dissolved_on,
                                   path=org.path, data={"reason": "企业关闭"}, actor_name="演示数据"))
        for emp, since in getattr(org, "_covered", []):
            coverages.append(Coverage(union_id=org.pk, employer_id=emp.pk, valid_from=since))
    OrgPlacement.objects.bulk_create(placements, batch_size=BATCH)
    OrgEvent.objects.bulk_create(events, batch_size=BATCH)
    OrgTerm.objects.bulk_create(terms, batch_size=BATCH)
    Coverage.objects.bulk_create(coverages, batch_size=BATCH)
    ctx.data.update(root=root, counties=counties, townships=townships, unions=unions)
