"""Demo data of the appraisal line: each county's scheme for its townships (indicators bound to
the registry's rates, evidence-counted deductions, manual scores, a veto), issued, with most
townships self-scored and some reviewed; and a monthly progress round to the grass-roots unions of
the first townships, in every submission state."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from gonghui.core import clock
from gonghui.core.demo import DemoContext, builder
from gonghui.core.metrics import REGISTRY

COUNTIES = 2  # schemes for the first counties only: cheap at every size
ROUND_TOWNSHIPS = 3

# (code, name, score, rule, params, metric or "", parent)
PLAN = [
    ("1", "组织建设", 40, "manual", {}, "", ""),
    ("1.1", "组建率", 10, "step", {"steps": [[95, 10], [90, 8], [80, 6], [70, 3]]}, "orgs.coverage_rate", "1"),
    ("1.2", "入会率", 10, "step", {"steps": [[95, 10], [90, 8], [80, 5]]}, "members.membership_rate", "1"),
    ("1.3", "法人资格登记率", 10, "step", {"steps": [[80, 10], [70, 5]]}, "orgs.legal_person_rate", "1"),
    ("1.4", "女职工组织组建率", 10, "threshold_full", {"min": 98}, "orgs.womens_committee_rate", "1"),
    ("2", "维权机制建设", 30, "manual", {}, "", ""),
    ("2.1", "集体合同签订率", 16, "step", {"steps": [[80, 16], [75, 12], [70, 8], [65, 4]]},
     "bargaining.collective_contract_rate", "2"),
    ("2.2", "工资专项、女职工专项合同", 4, "deduct_per_item", {"per": 2}, "", "2"),
    ("2.3", "信访按期办结率", 10, "ratio", {"target": 100}, "petitions.on_time_close_rate", "2"),
    ("3", "工会财务组审工作", 10, "ratio", {"target": 100}, "funds.collection_rate", ""),
    ("4", "创新工作有成效", 20, "manual", {}, "", ""),
    ("5", "创新工作加分", 5, "bonus", {"per": 1}, "", ""),
    ("6", "重大安全事故", 0, "veto", {"limit": 0}, "", ""),
]


@builder("考核与填报", after=("orgs",))
def build_appraisal(ctx: DemoContext) -> None:
    from gonghui.orgs.models import GRASSROOTS_TYPES, Org

    from . import services
    from .models import Appraisal, Submission

    rng, today = ctx.rng, ctx.today
    counties = ctx.data.get("counties") or [ctx.data["root"]]
    with clock.as_of(today), transaction.atomic():
        for county in counties[:COUNTIES]:
            s = services.scheme_create(actor=None, org=county, year=today.year, title=f"{today.year}年度乡镇(街道)工会目标管理考核",
                                       target_type="township", total_score=100,
                                       grades=[["优秀", 90], ["良好", 80], ["合格", 60], ["不合格", 0]], tie_break="1")
            made = {}
            for code, name, score, rule, params, metric, parent in PLAN:
                if metric and metric not in REGISTRY:
                    rule, params, metric = "manual", {}, ""  # a line not installed: scored by hand
                made[code] = services.indicator_save(actor=None, scheme=s, code=code, name=name, max_score=score,
                                                     rule_type=rule, params=params, metric_code=metric,
                                                     parent=made.get(parent))
            if not services.targets_of(s, today).exists():
                continue  # a county without townships
            services.scheme_issue(actor=None, scheme=s)
            appraisals = list(Appraisal.objects.filter(scheme=s).order_by("org_path"))
            for i, a in enumerate(appraisals):
                if i % 4 == 3 or i == len(appraisals) - 1:
                    continue  # still self-scoring
                for e in a.entries.select_related("indicator", "appraisal__scheme", "appraisal__org"):
                    ind = e.indicator
                    if ind.metric_code:
                        continue
                    if ind.rule_type == "manual":
                        services.entry_self_score(actor=None, entry=e, self_score=rng.choice([12, 15, 18, 20]),
                                                  evidence="工作总结、活动照片、会议纪要")
                    elif ind.rule_type == "deduct_per_item":
                        services.entry_self_score(actor=None, entry=e, value=rng.choice([0, 0, 1, 2]),
                                                  evidence="专项集体合同文本")
                    elif ind.rule_type == "bonus":
                        services.entry_self_score(actor=None, entry=e, value=rng.choice([0, 1, 2, 3, 6]),
                                                  evidence="创新项目材料")
                    elif ind.rule_type == "veto":
                        services.entry_self_score(actor=None, entry=e, value=1 if i == 1 else 0, evidence="")
                services.appraisal_submit(actor=None, appraisal=a)
                if i % 2 == 0:
                    e = a.entries.select_related("indicator", "appraisal__scheme__org", "appraisal__org").get(
                        indicator__code="4")
                    services.entry_review(actor=None, entry=e, review_score=max(0, e.self_score - 3),
                                          reason="佐证材料不完整")
        townships = ctx.data.get("townships", [])[:ROUND_TOWNSHIPS]
        if not townships:
            return
        parent = next((c for c in counties if townships[0].path.startswith(c.path)), counties[0])
        under = Q()
        for t in townships:
            if t.path.startswith(parent.path):
                under |= Q(path__startswith=t.path)
        unions = list(Org.objects.filter(under, org_type__in=GRASSROOTS_TYPES, dissolved_on__isnull=True)
                      .order_by("path")[:300])
        if not unions:
            return
        start = today.replace(day=1)
        r = services.round_send(
            actor=None, org=parent, title=f"{start:%Y年%-m月}建会入会进展月报", period_start=start, period_end=today,
            deadline=today + dt.timedelta(days=3), orgs=unions, instructions="每月上报本单位建会入会进展。",
            fields=[{"label": "本月新发展会员", "kind": "number", "required": True, "min": 0, "max": 100000},
                    {"label": "本月工作进展", "kind": "text", "required": True},
                    {"label": "是否召开职代会", "kind": "choice", "choices": ["是", "否"]}])
        subs = list(Submission.objects.filter(round=r).select_related("round", "org").order_by("org_path"))
        for i, sub in enumerate(subs):
            kind = i % 5
            data = {"f1": str(rng.randint(0, 40)), "f2": "开展会员发展集中行动。", "f3": rng.choice(["是", "否"])}
            if kind == 0:
                continue
            if kind == 1:
                services.submission_save(actor=None, submission=sub, data={"f2": "正在统计"})
                continue
            services.submission_submit(actor=None, submission=sub, data=data)
            if kind == 3:
                services.submission_return(actor=None, submission=sub, reason="新发展会员数与台账不符，请核实。")
            elif kind == 4:
                services.submission_accept(actor=None, submission=sub)
