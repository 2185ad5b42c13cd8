"""Demo petitions and mediation cases: every state, some late, across the demo county.

Played through the services (as clerks would have done, dated before the reference date),
so the stored due dates, history and audit entries are the real ones. Each township gets a
few cases with one chosen to be late; the county forwards some down. A fixed number of
townships keeps the county demo (run at every `make run`) to a couple of seconds.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gonghui.core import clock
from gonghui.core.demo import DemoContext, builder

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = ["桂兰", "建国", "秀英", "志强", "丽华", "小军", "海燕", "伟", "芳", "明", "红梅", "国庆", "春花", "磊"]
TITLES = {
    "wages": ["拖欠工资", "拖欠加班费", "年底工资未结清"], "contract": ["未签订劳动合同", "违法解除劳动合同"],
    "insurance": ["未缴纳社会保险", "社保断缴"], "injury": ["工伤待遇未落实"], "women": ["孕期被调岗降薪", "产假工资未发"],
    "bargaining": ["要求开展工资集体协商"], "other": ["食堂伙食问题", "宿舍条件差"],
}
# What happens to each case of a township, in order: (days before the reference date it was
# received, channel, the furthest step it reaches). The notice and handling steps take a few days.
PLAN = [
    (200, "forwarded", "final"), (150, "visit", "closed"), (120, "forwarded", "review"), (170, "letter", "recheck"), (90, "letter", "replied"),
    (75, "forwarded", "late_handling"), (40, "phone", "handling"), (30, "online", "rejected"),
    (25, "forwarded", "extension"), (20, "visit", "late_notice"), (3, "forwarded", "registered"),
]


TOWNSHIPS = 10  # the first ten townships get cases: about 80 petitions and 40 mediations, ~3 s


def _person(rng):
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    return {"name": name, "gender": rng.choice([1, 2, 2]), "phone": "1" + rng.choice("3589") + "".join(
        rng.choice("0123456789") for _ in range(9))}


@builder("信访与调解案件", after=("orgs",))
def build_petitions(ctx: DemoContext) -> None:
    from . import conf, services
    from .models import Channel

    rng, ref = ctx.rng, ctx.today
    categories = [c for c, _ in conf.categories()]
    root, townships, unions = ctx.data["root"], ctx.data["townships"], ctx.data["unions"]
    open_unions = [u for u in unions if not u.dissolved_on]
    day = dt.timedelta(days=1)
    # One transaction: a commit per service call would cost more than the work itself.
    with clock.as_of(ref), transaction.atomic():
        for t_index, town in enumerate(townships[:TOWNSHIPS]):
            mine = [u for u in open_unions if u.path.startswith(town.path)]
            for c_index, (ago, channel, goal) in enumerate(PLAN):
                if (c_index + t_index) % 3 == 2 and goal not in ("final", "recheck", "late_notice", "registered"):
                    continue  # not every township has every kind; keeps the demo small and varied
                received = ref - ago * day
                category = rng.choice(categories)
                org = town if c_index % 2 == 0 or not mine else rng.choice(mine)
                people = rng.choice([1, 1, 1, 2, 6, 12]) if channel != Channel.PHONE else 1
                petitioners = [_person(rng) for _ in range(min(people, 3))]
                extra = {"source_org_name": "市总工会",
                         "source_ref": f"市工信转〔{received.year}〕{t_index * 10 + c_index + 1}号"} \
                    if channel == Channel.FORWARDED else {}
                p = services.petition_register(
                    actor=None, org=org, channel=channel, received_on=received, title=rng.choice(TITLES[category]),
                    category=category, petitioners=petitioners, people_count=people,
                    employer_name=f"{town.name[:2]}{rng.choice('鑫宏达华兴盛')}{rng.choice('电子机械服装食品建材')}有限公司",
                    amount_claimed=rng.choice([0, 3000, 8600, 25000, 120000]) if category == "wages" else 0,
                    content="信访人反映：" + rng.choice(TITLES[category]) + "，请求工会协调解决。", **extra)
                _advance(services, p, goal, received, rng)
            if t_index < 5:  # the county receives a case and forwards it down to this township
                received = ref - (10 + t_index) * day
                p = services.petition_register(
                    actor=None, org=root, channel=Channel.FORWARDED, received_on=received, title="拖欠工资",
                    category="wages", petitioners=[_person(rng)], people_count=1, source_org_name="市总工会",
                    source_ref=f"市工信转〔{received.year}〕{900 + t_index}号")
                services.petition_forward(actor=None, petition=p, to_org=town, on=received + day)
            _mediations(services, ctx, town, mine, ref, t_index)


def _advance(services, p, goal, received, rng):
    day = dt.timedelta(days=1)
    if goal in ("registered", "late_notice"):
        return
    if goal == "rejected":
        services.petition_reject(actor=None, petition=p, notice_on=received + 4 * day, reason="不属于工会受理范围，已告知向人社部门反映")
        return
    notice_on = received + rng.randint(1, 10) * day
    p = services.petition_accept(actor=None, petition=p, notice_on=notice_on)
    if goal == "late_handling":
        return  # accepted 60+ days ago and never replied: overdue
    services.petition_progress(actor=None, petition=p, on=notice_on + 2 * day, note="约谈用人单位负责人，核实情况")
    if goal == "handling":
        return
    if goal == "extension":
        services.extension_request(actor=None, petition=p, requested_on=notice_on + 5 * day,
                                   reason="涉及多名职工，需劳动监察部门共同核查")
        return
    replied = notice_on + rng.randint(15, 45) * day
    services.petition_reply(actor=None, petition=p, replied_on=replied, result=rng.choice(["support", "support", "explain"]),
                            summary="经协调，用人单位同意整改并补发款项。", amount_recovered=p.amount_claimed)
    if goal == "replied":
        return
    services.petition_close(actor=None, petition=p, closed_on=replied + 2 * day,
                            satisfaction=rng.choice(["satisfied", "satisfied", "basic"]))
    if goal == "closed":
        return
    services.petition_review_request(actor=None, petition=p, requested_on=replied + 10 * day)
    if goal == "review":
        return
    p = services.petition_review_reply(actor=None, petition=p, replied_on=replied + 25 * day, summary="维持原处理意见。")
    services.petition_review_request(actor=None, petition=p, requested_on=replied + 35 * day)
    if goal == "recheck":
        return
    services.petition_review_reply(actor=None, petition=p, replied_on=replied + 50 * day, summary="维持，信访终结。")


def _mediations(services, ctx, town, unions, ref, t_index):
    rng, day = ctx.rng, dt.timedelta(days=1)
    plan = [(60, "succeeded"), (45, "failed"), (30, "withdrawn"), (20, "open"), (5, "open")]
    for i, (ago, result) in enumerate(plan):
        if (i + t_index) % 4 == 3:
            continue
        org = rng.choice(unions) if unions and i % 2 else town
        applied = ref - ago * day
        person = _person(rng)
        m = services.mediation_register(
            actor=None, org=org, body="township" if org == town else "enterprise", applied_on=applied,
            applicant_name=person["name"], applicant_gender=person["gender"], applicant_phone=person["phone"],
            worker_count=rng.choice([1, 1, 3, 12]), employer_name=f"{town.name[:2]}{rng.choice('鑫宏达')}实业有限公司",
            dispute_type=rng.choice(["pay", "contract", "dismissal", "conditions"]), matter="要求支付拖欠的劳动报酬",
            amount_claimed=rng.choice([5000, 12000, 30000]), mediator="调解员" + rng.choice(SURNAMES))
        services.mediation_session_add(actor=None, mediation=m, held_on=applied + 3 * day, notes="召集双方调解，听取陈述。")
        if result != "open":
            services.mediation_close(actor=None, mediation=m, state=result, closed_on=applied + 10 * day,
                                     agreement_terms="用人单位于30日内一次性支付" if result == "succeeded" else "",
                                     agreed_amount=m.amount_claimed if result == "succeeded" else 0)
