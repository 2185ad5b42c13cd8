"""The read resources of mutual aid, honours, activities and appraisal added after the first API
pass: their operations for the permission matrix (tests/api/test_matrix.py) and one object of each
kind under 甲一 (or 甲镇) and one under 乙一 (or 乙镇), made through the lines' services after
tests/api/line_objects.py (whose batches, model workers and appraisal schemes they reuse):
{kind: ((id, org path) under 甲, (…) under 乙)}. A SHARED kind's rows are seen by every holder of
the permission, whatever his scope, as the line's page shows them (its path is "")."""

import datetime as dt

D = dt.date

READS = [  # (list path, permission, kind)
    ("/api/v1/mutual-aid-plans/", "mutual_aid.view", "plan"),
    ("/api/v1/enrolment-batches/", "mutual_aid.view", "batch"),
    ("/api/v1/insured/", "mutual_aid.view", "insured"),
    ("/api/v1/titles/", "honours.view", "title"),
    ("/api/v1/care-campaigns/", "honours.view", "care_campaign"),
    ("/api/v1/care-records/", "honours.view", "care_record"),
    ("/api/v1/home-ratings/", "honours.view", "home_rating"),
    ("/api/v1/teams/", "honours.view", "team"),
    ("/api/v1/innovations/", "honours.view", "innovation"),
    ("/api/v1/contests/", "honours.view", "contest"),
    ("/api/v1/service-posts/", "activities.view", "service_post"),
    ("/api/v1/inspections/", "activities.view", "inspection"),
    ("/api/v1/publicity/", "activities.view", "publicity"),
    ("/api/v1/ankang-entries/", "activities.view", "ankang"),
    ("/api/v1/appraisal-schemes/", "appraisal.view", "scheme"),
    ("/api/v1/rounds/", "appraisal.view", "round"),
]
OPERATIONS = [op for path, perm, kind in READS for op in (("GET", path, perm, None),
                                                           ("GET", f"{path}{{id}}/", perm, kind))]
KINDS = {path: kind for path, _perm, kind in READS}
SHARED = {"plan"}


def _pair(rows, path=lambda o: o.org.path):
    return tuple((o.pk, path(o)) for o in rows)


def mutual_aid(tree):
    from gonghui.mutual_aid.models import Batch, Item, Plan

    batches = [Batch.objects.get(union=u) for u in (tree.union_a1, tree.union_b1)]
    items = [Item.objects.filter(batch=b).first() for b in batches]
    plan = Plan.objects.get(code="AK")
    return {"plan": ((plan.pk, ""), (plan.pk, "")), "batch": _pair(batches, lambda b: b.union.path),
            "insured": _pair(items, lambda i: i.union.path)}


def honours(tree):
    from gonghui.honours import services
    from gonghui.honours.models import ModelWorker

    out: dict[str, list] = {k: [] for k in ("title", "care_campaign", "care_record", "home_rating", "team", "innovation",
                                            "contest")}
    for union, town in ((tree.union_a1, tree.town_a), (tree.union_b1, tree.town_b)):
        worker = ModelWorker.objects.get(org=union)
        out["title"].append(services.title_add(actor=None, worker=worker, name="全国劳动模范", level="national",
                                               year=2020))
        campaign = services.campaign_create(actor=None, org=town, name="劳模体检", kind="checkup",
                                            start_on=D(2025, 5, 1), end_on=D(2025, 6, 30), amount="300")
        out["care_campaign"].append(campaign)
        out["care_record"].append(services.care_record(actor=None, worker=worker, kind="checkup",
                                                       served_on=D(2025, 5, 10), campaign=campaign))
        out["home_rating"].append(services.home_rate(actor=None, org=union, level="county", rated_on=D(2024, 6, 1)))
        team = services.team_create(actor=None, org=union, name="一号班组")
        out["team"].append(team)
        out["innovation"].append(services.innovation_add(actor=None, org=union, kind="suggestion", title="节能建议",
                                                         proposer="张三", submitted_on=D(2025, 4, 1), team=team))
        out["contest"].append(services.contest_create(actor=None, org=town, name="技能竞赛", kind="skill",
                                                      start_on=D(2025, 5, 1), end_on=D(2025, 5, 31), events=["焊工"]))
    title_path = lambda t: t.worker.org.path  # noqa: E731
    return {k: _pair(v, title_path if k == "title" else lambda o: o.org.path) for k, v in out.items()}


def activities(tree):
    from gonghui.activities import services

    posts, inspections, publicity, ankang = [], [], [], []
    for union, key in ((tree.union_a1, "a1"), (tree.union_b1, "b1")):
        posts.append(services.post_create(actor=None, org=union, type="library", name="职工书屋",
                                          opened_on=D(2025, 1, 1)))
        inspections.append(services.inspection_create(
            actor=None, org=union, kind="supervision", inspected_on=D(2025, 5, 10), employer_name="甲公司",
            findings=[{"kind": "hazard", "severity": "general", "description": "消防通道堵塞",
                       "due_on": D(2025, 6, 10), "on_spot": False}]))
        publicity.append(services.publicity_create(actor=None, org=union, kind="news", title="通讯报道",
                                                   published_on=D(2025, 3, 1)))
        ankang.append(services.ankang_enter(actor=None, org=union, employer=tree.emp[key], year=2025, participants=30))
    return {"service_post": _pair(posts), "inspection": _pair(inspections), "publicity": _pair(publicity),
            "ankang": _pair(ankang)}


def appraisal(tree):
    from gonghui.appraisal.models import Round, Scheme

    schemes = [Scheme.objects.filter(org=t).first() for t in (tree.town_a, tree.town_b)]
    rounds = [Round.objects.filter(org=t).first() for t in (tree.town_a, tree.town_b)]
    return {"scheme": _pair(schemes, lambda o: o.org_path), "round": _pair(rounds, lambda o: o.org_path)}


def make(tree, personas) -> dict:
    return {**mutual_aid(tree), **honours(tree), **activities(tree), **appraisal(tree)}
