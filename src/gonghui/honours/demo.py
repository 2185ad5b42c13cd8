"""Demo 劳模与荣誉 records: model workers with titles at every level (some with two), retired and
deceased ones, care services this year and last (a check-up campaign, 七一 慰问 of 劳模党员, 荣誉津贴,
困难劳模帮扶), honours of persons and collectives at every step of the workflow (some due for
re-check, some re-checked: 回头看 kept, under 限期整改 or revoked), 职工之家 ratings, teams (班组)
with a 工人先锋号 of their own, 合理化建议 and 技术创新成果 (some adopted, with their benefit), a
township's labour contest entered by teams, and a few titles re-graded (a dated 待遇级别).

Made through the services, deterministic for a seed and a reference date. Cheap at the small size
(a few hundred calls); larger sizes take a fixed number of unions per township, and the newer
records (teams, 回头看, innovations, the team contest, re-gradings) at most EXTRA_UNIONS unions, so
a city build pays for them no more than a small one.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from gonghui.core.demo import DemoContext, builder
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import id_check_char

from . import services
from .models import (
    CareKind,
    ContestKind,
    HomeLevel,
    HonourLevel,
    HonourStatus,
    HonourType,
    InnovationKind,
    Level,
    RecheckOutcome,
    Recipient,
    TeamKind,
    Title,
    Treatment,
    WorkerStatus,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍红国志春梅海燕"
TITLES = [("全国劳动模范", Level.NATIONAL, "党中央、国务院"), ("省劳动模范", Level.PROVINCIAL, "省人民政府"),
          ("全国五一劳动奖章", Level.NATIONAL, "中华全国总工会"), ("市劳动模范", Level.CITY, "市人民政府"),
          ("省五一劳动奖章", Level.PROVINCIAL, "省总工会"), ("县劳动模范", Level.COUNTY, "县人民政府"),
          ("县劳动模范", Level.COUNTY, "县人民政府")]
PER_TOWNSHIP = {"small": (2, 4), "county": (2, 3), "city": (1, 2)}  # (unions, model workers per union)
MAX_TOWNSHIPS = 60
EXTRA_UNIONS = 12  # the newer records (teams, innovations, the team contest) in at most this many unions
COLLECTIVE = [HonourType.PIONEER, HonourType.MODEL_HOME, HonourType.HARMONY, HonourType.ANKANG, HonourType.CSR,
              HonourType.WOMEN_POST]
PERSONAL = [HonourType.MAY_DAY_MEDAL, HonourType.ADVANCED_WOMAN, HonourType.ADVANCED_WORKER]


def _id(seq: int) -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=seq * 23)
    body = f"430121{birth:%Y%m%d}{(seq % 499) * 2 + 1:03d}"
    return body + id_check_char(body)


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _in_year(rng, today: dt.date, year: int) -> dt.date:
    start = dt.date(year, 1, 1)
    end = min(today, dt.date(year, 12, 31))
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


@builder("劳模与荣誉", after=("orgs", "members"))
def build_honours(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    root = ctx.data.get("root")
    if root is None:
        return
    n_unions, per_union = PER_TOWNSHIP.get(ctx.size.name, (1, 1))
    unions = []
    for town in ctx.data["townships"][:MAX_TOWNSHIPS]:
        inside = [u for u in ctx.data["unions"] if u.path.startswith(town.path) and not u.dissolved_on
                  and (u.founded_on is None or u.founded_on <= today - dt.timedelta(days=730))]
        unions += inside[:n_unions]
    workers, seq = [], 0
    for union in unions:
        for _ in range(per_union):
            seq += 1
            status = rng.choice([WorkerStatus.ACTIVE] * 5 + [WorkerStatus.RETIRED] * 2 + [WorkerStatus.DECEASED])
            died_on = today - dt.timedelta(days=rng.randint(30, 900)) if status == WorkerStatus.DECEASED else None
            w = services.worker_create(
                actor=None, org=union, name=_name(rng), id_number=_id(seq), status=status, died_on=died_on,
                registered_on=today - dt.timedelta(days=rng.randint(800, 4000)), employer_name=union.name[:-2],
                is_civil_servant=rng.random() < 0.15, is_party_member=rng.random() < 0.6,
                is_hardship=rng.random() < 0.15, phone=f"139{seq:08d}")
            for k in range(1 if rng.random() < 0.7 else 2):
                name, level, by = rng.choice(TITLES)
                with contextlib.suppress(ServiceError):  # the same title drawn twice for one person
                    services.title_add(actor=None, worker=w, name=name, level=level, conferred_by=by,
                                       year=today.year - rng.randint(2, 20), certificate_no=f"LM{seq:05d}{k}")
            w.refresh_from_db()
            workers.append(w)
    living = [w for w in workers if w.status != WorkerStatus.DECEASED]
    for year in (today.year - 1, today.year):
        start = dt.date(year, 1, 1)
        end = min(today, dt.date(year, 12, 31))
        checkup = services.campaign_create(actor=None, org=root, name=f"{year}年劳模健康体检", kind=CareKind.CHECKUP,
                                           start_on=start, end_on=end)
        july = services.campaign_create(actor=None, org=root, name=f"{year}年七一慰问劳模党员", kind=CareKind.FESTIVAL,
                                        start_on=start, end_on=end, amount=600, party_members_only=True)
        for w in living:
            if not w.is_civil_servant and rng.random() < 0.8:
                services.care_record(actor=None, worker=w, kind=CareKind.CHECKUP, served_on=_in_year(rng, today, year),
                                     campaign=checkup)
            if w.is_party_member and rng.random() < 0.9:
                services.care_record(actor=None, worker=w, kind=CareKind.FESTIVAL, served_on=_in_year(rng, today, year),
                                     campaign=july)
            if w.highest_level in ("national", "provincial"):
                services.care_record(actor=None, worker=w, kind=CareKind.ALLOWANCE, amount=1000 + 500 * rng.randint(0, 2),
                                     served_on=_in_year(rng, today, year))
            if w.is_hardship:
                services.care_record(actor=None, worker=w, kind=CareKind.HARDSHIP, amount=2000,
                                     served_on=_in_year(rng, today, year))
            if rng.random() < 0.2:
                services.care_record(actor=None, worker=w, kind=rng.choice([CareKind.RECUPERATION, CareKind.FORUM]),
                                     served_on=_in_year(rng, today, year))
    _honours(ctx, unions, workers)
    for i, union in enumerate(unions):
        if i % 3 == 2:
            continue  # not every union is rated: 建家率 below 100 %
        level = rng.choice(HomeLevel.values)
        services.home_rate(actor=None, org=union, level=level, rated_on=today - dt.timedelta(days=rng.randint(30, 1500)),
                           issuer=root.name)
    _surveys(ctx, unions)
    _contests(ctx, unions)
    _teams_and_innovations(ctx, unions[:EXTRA_UNIONS])
    _regrades(ctx, workers)
    ctx.data["honours_workers"] = len(workers)


AWARDS = [("一等奖", "技术能手", 2000), ("二等奖", "优胜选手", 1000), ("三等奖", "优胜选手", 500), ("", "", 0), ("", "", 0)]


def _contests(ctx: DemoContext, unions) -> None:
    """A skills contest of the county each year with two events, entries from the demo unions (some
    people in both events), results with awards, titles and prize money."""
    rng, today = ctx.rng, ctx.today
    root = ctx.data["root"]
    for year in (today.year - 1, today.year):
        start = _in_year(rng, today, year)
        c = services.contest_create(actor=None, org=root, name=f"{year}年全县职工技能竞赛", kind="skill", start_on=start,
                                    end_on=start + dt.timedelta(days=30), events=["电工", "焊工"])
        electric, welding = list(c.events.order_by("id"))
        for i, union in enumerate(unions):
            for k in range(2):
                name = f"{union.name[:2]}选手{k + 1}"
                award, title, prize = AWARDS[(i + k) % len(AWARDS)]
                services.entry_add(actor=None, event=electric, org=union, name=name, rank=(i + k) % 10 + 1,
                                   score=60 + (i * 7 + k * 3) % 40, award=award, title_earned=title, prize=prize)
                if k == 0 and i % 2:
                    services.entry_add(actor=None, event=welding, org=union, name=name, team=f"{union.name[:2]}队")


SURVEY_ITEMS = ["维护职工权益", "开展文体活动", "厂务公开民主管理", "关心困难职工"]
SCALE = ["满意", "满意", "满意", "基本满意", "基本满意", "不满意", ""]


def _surveys(ctx: DemoContext, unions) -> None:
    """会员评家 this year and last in half the unions (paper forms entered in bulk), and the
    规范化建设 indicator system (two levels whose weights add up)."""
    rng, today = ctx.rng, ctx.today
    for year in (today.year - 1, today.year):
        for union in unions[::2]:
            s = services.survey_create(actor=None, org=union, name=f"{year}年会员评家", items=SURVEY_ITEMS,
                                       held_on=_in_year(rng, today, year))
            services.survey_answers_add(actor=None, survey=s, questionnaires=[
                {item: rng.choice(SCALE) or "满意" for item in SURVEY_ITEMS} for _ in range(rng.randint(5, 12))])
    services.indicator_system_create(actor=None, org=ctx.data["root"], name="基层工会规范化建设考核指标", indicators=[
        {"name": "组织建设", "weight": 30, "children": [{"name": "依法选举工会主席", "weight": 15},
                                                        {"name": "组织机构健全", "weight": 15}]},
        {"name": "服务职工", "weight": 40, "children": [{"name": "活动载体", "weight": 20},
                                                        {"name": "会员满意", "weight": 20}]},
        {"name": "制度与经费", "weight": 30, "children": [{"name": "制度机制健全", "weight": 15},
                                                          {"name": "经费自主管理", "weight": 15}]},
    ], honour_type=HonourType.MODEL_HOME)


def _honours(ctx: DemoContext, unions, workers) -> None:
    rng, today = ctx.rng, ctx.today
    steps = [HonourStatus.REVIEW, HonourStatus.NOTICE, HonourStatus.NAMED]
    by_union, due = {}, 0
    for w in workers:
        by_union.setdefault(w.org_id, []).append(w)
    for i, union in enumerate(unions):
        for j in range(3):
            person = j == 0
            worker = rng.choice(by_union.get(union.pk, [None])) if person else None
            year = today.year - rng.randint(0, 4)
            applied = max(dt.date(year, 1, 1), min(today, dt.date(year, 3, 1))) - dt.timedelta(days=10)
            h = services.honour_apply(
                actor=None, org=union, recipient=Recipient.PERSON if person else Recipient.COLLECTIVE,
                recipient_name=worker.name if worker else (_name(rng) if person else f"{union.name[:-2]}班组{j}"),
                worker=worker, honour_type=rng.choice(PERSONAL if person else COLLECTIVE),
                level=rng.choice(HonourLevel.values), issuer=ctx.data["root"].name, year=year, applied_on=applied)
            # How far it got: the oldest are named (a few re-checked), this year's at every step.
            depth = 3 if year < today.year else (i + j) % 4
            on = applied
            for to in steps[:depth]:
                on = min(today, on + dt.timedelta(days=rng.randint(5, 20)))
                services.honour_move(actor=None, honour=h, to=to, on=on)
            if depth == 3 and year <= today.year - 3 and rng.random() < 0.7:
                _recheck(ctx, h, due)
                due += 1
            if depth == 0 and rng.random() < 0.2:
                services.honour_move(actor=None, honour=h, to=HonourStatus.REJECTED, on=min(today, applied + dt.timedelta(days=3)),
                                     note="材料不全")


RECHECKS = [(RecheckOutcome.KEEP, "创建工作持续开展，台账齐全"), (RecheckOutcome.RECTIFY, "会员评家满意率偏低，活动阵地使用不足"),
            (RecheckOutcome.REVOKE, "单位关停，工会组织已不存在"), (None, "")]


def _recheck(ctx: DemoContext, honour, n: int) -> None:
    """A named honour due for 回头看: kept, given time to put things right, revoked, or still
    waiting (复查中), in turn."""
    today = ctx.today
    outcome, findings = RECHECKS[n % len(RECHECKS)]
    if outcome is None:
        services.honour_move(actor=None, honour=honour, to=HonourStatus.RECHECK, on=today - dt.timedelta(days=5))
        return
    on = today - dt.timedelta(days=20 + n % 40)
    services.honour_recheck(actor=None, honour=honour, on=on, inspector=f"{ctx.data['root'].name}检查组",
                            findings=findings, outcome=outcome, score=70 + n % 25,
                            rectify_by=on + dt.timedelta(days=90) if outcome == RecheckOutcome.RECTIFY else None)


SUGGESTIONS = ["优化下料工序减少边角料", "更换节能照明灯具", "改进设备点检表", "仓储货位重新编码", "空压机余热回收"]
INNOVATIONS = ["焊接定位夹具", "数控程序优化", "自动上料装置"]


def _teams_and_innovations(ctx: DemoContext, unions) -> None:
    """Each of a few unions gets a 班组 and a 技改项目组; the 班组 is named 工人先锋号; the unions'
    workers put forward 合理化建议 this year and last (most decided, some adopted with the benefit
    they brought) and the 项目组 a 技术创新成果; the first township runs a labour contest entered by
    the 班组 of its unions."""
    rng, today = ctx.rng, ctx.today
    root = ctx.data["root"]
    squads = []
    for i, union in enumerate(unions):
        short = union.name[:-2]
        squad = services.team_create(actor=None, org=union, name=f"{short}机修班", kind=TeamKind.SQUAD,
                                     leader=_name(rng), member_count=8 + i % 10,
                                     founded_on=today - dt.timedelta(days=1000 + 30 * i))
        project = services.team_create(actor=None, org=union, name=f"{short}技改项目组", kind=TeamKind.PROJECT,
                                       leader=_name(rng), member_count=5 + i % 4)
        squads.append(squad)
        applied = today - dt.timedelta(days=200 + 10 * i)
        h = services.honour_apply(actor=None, org=union, recipient=Recipient.COLLECTIVE, recipient_name=squad.name,
                                  team=squad, honour_type=HonourType.PIONEER, level=HonourLevel.COUNTY,
                                  issuer=root.name, year=applied.year, applied_on=applied)
        on = applied
        for to in (HonourStatus.REVIEW, HonourStatus.NOTICE, HonourStatus.NAMED)[:1 + i % 3]:
            on += dt.timedelta(days=15)
            services.honour_move(actor=None, honour=h, to=to, on=on)
        for year in (today.year - 1, today.year):
            for k in range(2):
                item = services.innovation_add(
                    actor=None, org=union, kind=InnovationKind.SUGGESTION, title=SUGGESTIONS[(i + k) % len(SUGGESTIONS)],
                    proposer=_name(rng), submitted_on=_in_year(rng, today, year))
                if (i + k) % 3 != 2:
                    adopted = (i + k) % 3 == 0
                    services.innovation_decide(actor=None, item=item, adopted=adopted,
                                               on=min(today, item.submitted_on + dt.timedelta(days=20)),
                                               benefit=2000 * (1 + i % 5) if adopted else 0,
                                               reward=200 if adopted else 0)
            item = services.innovation_add(actor=None, org=union, kind=InnovationKind.INNOVATION,
                                           title=INNOVATIONS[i % len(INNOVATIONS)], proposer="", team=project,
                                           submitted_on=_in_year(rng, today, year))
            if i % 2 == 0:
                services.innovation_decide(actor=None, item=item, adopted=True,
                                           on=min(today, item.submitted_on + dt.timedelta(days=30)),
                                           benefit=10000 + 5000 * (i % 4), reward=1000)
    town = next((t for t in ctx.data["townships"] if any(u.path.startswith(t.path) for u in unions)), None)
    if town is None:
        return
    start = today - dt.timedelta(days=60)
    contest = services.contest_create(actor=None, org=town, name=f"{start.year}年{town.name}班组劳动竞赛",
                                      kind=ContestKind.LABOUR, start_on=start, end_on=start + dt.timedelta(days=45),
                                      events=["安全生产", "节能降耗"])
    for n, event in enumerate(contest.events.order_by("id")):
        for i, squad in enumerate(s for s in squads if s.org.path.startswith(town.path)):
            for k in range(2):
                award = ("优胜班组", "", "")[(i + k + n) % 3] if k == 0 else ""
                services.entry_add(actor=None, event=event, org=squad.org, name=f"{squad.name}队员{k + 1}",
                                   team=squad.name, rank=i + 1 if k == 0 else None, score=80 + (i * 3 + n) % 20,
                                   award=award, prize=3000 if award else 0)


def _regrades(ctx: DemoContext, workers) -> None:
    """A few county titles re-graded to 地市级 treatment from a date last year (a dated 待遇级别:
    figures before that date count them at 县级)."""
    ids = [w.pk for w in workers if w.status != WorkerStatus.DECEASED]
    titles = Title.objects.filter(worker_id__in=ids, treatment=Treatment.COUNTY).select_related("worker__org")
    on = dt.date(ctx.today.year - 1, 7, 1)
    for title in titles.order_by("id")[:3]:
        services.title_level_change(actor=None, title=title, treatment=Treatment.CITY, on=on,
                                    note=f"市人民政府文件：{title.name}享受地市级劳模待遇")
