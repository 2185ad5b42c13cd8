"""Demo activities: trainings, lectures, events, visits and surveys with and without attendance
lists, service posts with their visit logs and volunteers, safety inspections with findings
open, closed, on the spot and overdue, and publicity items — last year and this year to date.

Made through the services; deterministic for a seed and a reference date (ctx.rng, ctx.today).
Cheap at every size: a bounded number of townships and unions takes part.
"""

from __future__ import annotations

import datetime as dt

from gonghui.core.demo import DemoContext, builder
from gonghui.members.models import Membership, Person
from gonghui.orgs.models import GRASSROOTS_TYPES, Employer

from . import services
from .models import ActivityKind
from .seeds import seed_kinds

# (townships taking part, unions per township, activities per union and year)
PER_SIZE = {"small": (6, 2, 6), "county": (20, 3, 6), "city": (40, 2, 5)}
TITLES = {"women_training": "女职工素质提升培训班", "women_lecture": "女职工健康知识讲座", "migrant_training": "农民工技能培训",
          "skills_training": "岗位技能培训", "lecture": "工会法专题讲座", "culture_sports": "职工趣味运动会",
          "reading": "职工读书分享会", "enterprise_visit": "走访非公企业", "survey": "职工思想状况问卷调查",
          "safety_training": "安全生产知识培训", "suggestion": "合理化建议征集", "condolence": "节日走访慰问"}
FINDINGS = [("hazard", "消防通道堵塞"), ("hazard", "配电箱未上锁"), ("violation", "高处作业未系安全带"),
            ("violation", "未按规定佩戴安全帽"), ("problem", "劳动防护用品发放不及时")]


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _measures(rng, kind: ActivityKind) -> dict:
    out = {}
    if kind.has_sessions:
        out["sessions"] = rng.randint(1, 4)
    if kind.has_persons:
        out["persons"] = rng.randint(10, 80)
    if kind.has_person_times:
        out["person_times"] = out.get("persons", 10) * rng.randint(1, 3) + rng.randint(0, 20)
    if kind.has_units:
        out["units"] = rng.randint(2, 30)
    if kind.has_items:
        out["items"] = rng.randint(5, 120)
    if kind.has_money:
        out["amount"] = rng.choice([800, 1500, 3000, 5000])
    return out


@builder("活动与阵地", after=("orgs", "members"))  # attendance lists name roster persons
def build_activities(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    root = ctx.data.get("root")
    if root is None:
        return
    n_towns, n_unions, per_year = PER_SIZE.get(ctx.size.name, (2, 1, 2))
    # The built-in kinds come with migration 0002; a database emptied since (flush) gets them back.
    seed_kinds(ActivityKind)
    kinds = {k.code: k for k in ActivityKind.objects.filter(code__in=TITLES)}
    codes = sorted(kinds)
    years = [(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)), (dt.date(today.year, 1, 1), today)]
    towns = ctx.data["townships"][:n_towns]
    for t_i, town in enumerate(towns):
        unions = [u for u in ctx.data["unions"] if u.path.startswith(town.path) and not u.dissolved_on
                  and u.org_type in GRASSROOTS_TYPES and u.founded_on and u.founded_on < years[0][0]][:n_unions]
        for union in unions:
            member_ids = list(Membership.objects.filter(union=union).order_by("id").values_list("person_id", flat=True)[:40])
            for start, end in years:
                for i in range(per_year):
                    kind = kinds[codes[(i + t_i) % len(codes)]]
                    on = _day(rng, start, end)
                    listed = member_ids and (kind.has_persons or kind.has_person_times) and i % 2 == 0
                    measures = _measures(rng, kind)
                    if listed:
                        measures.pop("persons", None), measures.pop("person_times", None)
                    a = services.activity_create(actor=None, org=union, kind=kind, title=TITLES[kind.code],
                                                 start_on=on, place=f"{union.name}会议室", **measures)
                    if listed:
                        chosen = rng.sample(member_ids, min(len(member_ids), rng.randint(8, 25)))
                        people = Person.objects.in_bulk(chosen)
                        services.attendance_set(actor=None, activity=a, source="演示",
                                                people=[(people[pk], rng.choice([1, 1, 2])) for pk in chosen])
            # Visits to one person (送温暖 at the Spring Festival, a sick member) and the union's
            # employer in the 安康杯 of each year.
            for year_start, year_end in years:
                for j, pk in enumerate(member_ids[:3]):
                    services.person_visit_create(
                        actor=None, org=town if j == 0 else union, person=Person.objects.get(pk=pk),
                        kind=("warmth", "festival", "illness")[j], visited_on=_day(rng, year_start, year_end),
                        amount=rng.choice(["0", "300", "500", "1000"]), goods="米、油各一份" if j else "")
            employer = Employer.objects.filter(coverages__union=union).order_by("id").first()
            if employer is not None:
                for year_start, _end in years:
                    services.ankang_enter(actor=None, org=town, employer=employer, year=year_start.year,
                                          participants=rng.randint(20, 300), teams=rng.randint(1, 12),
                                          result=("part", "winner", "group", "organiser")[rng.randint(0, 3)])
        # The township's own work: a service post, inspections, a lecture.
        opened = years[0][0] - dt.timedelta(days=rng.randint(30, 400))
        post = services.post_create(actor=None, org=town, type=("centre", "station", "library", "outdoor")[t_i % 4],
                                    name=f"{town.name}职工服务站", opened_on=opened, rooms=rng.randint(3, 10),
                                    functions="职工书屋、法律援助室、心理咨询室", opening_hours="周一至周五 9:00-17:00",
                                    address=f"{town.name}政府大院")
        for back in range(0, 60, 3):
            day = today - dt.timedelta(days=back)
            services.post_visits_record(actor=None, post=post, on=day, visits=rng.randint(5, 60))
            if back % 9 == 0:
                services.volunteer_record(actor=None, post=post, on=day, volunteer=f"志愿者{rng.randint(1, 20)}",
                                          hours=rng.choice(["2", "3.5", "4"]))
        for start, end in years:
            on = _day(rng, start, end - dt.timedelta(days=5) if end - start > dt.timedelta(days=10) else end)
            findings = []
            for j in range(rng.randint(2, 4)):
                kind, text = FINDINGS[(j + t_i) % len(FINDINGS)]
                if j == 0:
                    findings.append({"kind": kind, "description": text, "on_spot": True})
                else:
                    findings.append({"kind": kind, "description": text, "severity": ("general", "major")[j % 2],
                                     "due_on": on + dt.timedelta(days=rng.choice([7, 15, 30]))})
            insp = services.inspection_create(actor=None, org=town, kind=("supervision", "patrol")[t_i % 2],
                                              inspected_on=on, employer_name=f"{town.name}辖区企业", inspectors=rng.randint(3, 12),
                                              suggestions=rng.randint(0, 6), findings=findings)
            for f in insp.findings.filter(closed_on__isnull=True).order_by("id")[: 1 + t_i % 2]:
                close = min(today, f.found_on + dt.timedelta(days=rng.randint(1, 40)))
                services.finding_close(actor=None, finding=f, closed_on=close)
    # The federation's publicity.
    for start, end in years:
        for n in range(1, 4):
            services.publicity_create(actor=None, org=root, kind="bulletin", title=f"工运信息第{n}期",
                                      published_on=_day(rng, start, end), issue_no=str(n), entries=rng.randint(15, 30))
        for kind, title in (("report", "关于非公企业工会建设的调研报告"), ("paper", "新时代工会工作研究"),
                            ("news", "县总工会开展送温暖活动")):
            services.publicity_create(actor=None, org=towns[0] if towns else root, kind=kind, title=title,
                                      published_on=_day(rng, start, end), outlet="工人日报")
