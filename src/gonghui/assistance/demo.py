"""Demo hardship records: archives in every state, applications at every step, a 送温暖
campaign and 一对一 pairings across the demo county.

Made through the services (a few hundred calls, a few seconds), so the history rows, stored
paths and audit entries are exactly what users would produce. Deterministic for a seed and a
reference date: every choice comes from ctx.rng and every date from ctx.today.
"""

from __future__ import annotations

import datetime as dt

from gonghui.core.demo import DemoContext, builder
from gonghui.core.identifiers import id_check_char
from gonghui.orgs.models import GRASSROOTS_TYPES

from . import services
from .models import ArchiveStatus

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国建华志强春梅海燕"
# Whom the 送温暖 visits reach (S4: 离退休职工、劳动模范、贫特困职工、伤残职工 …), in turn.
WARMTH_BENEFICIARIES = ("hardship", "hardship", "retired", "model_worker", "disabled")
HELPERS = ["县电视台", "县财政局", "县人社局", "县民政局", "县住建局", "县教育局", "县卫健委", "县农商银行",
           "县供电公司", "县自来水公司"]
CAUSES = ["06", "03", "01", "09", "02", "08", "07", "05"]
PER_TOWNSHIP = {"small": (3, 3), "county": (2, 2), "city": (1, 1)}  # (unions, archives per union)
MAX_TOWNSHIPS = 60


def _id(rng, seq: int, female: bool) -> str:
    # A distinct birth date per household keeps the numbers unique whatever the random draws.
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=seq * 17 + rng.randint(0, 16))
    order = rng.randint(0, 498) * 2 + (0 if female else 1)
    body = f"430121{birth:%Y%m%d}{order:03d}"
    return body + id_check_char(body)


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _pay(application, on: dt.date, source: str):
    services.application_review(actor=None, application=application, approve=True, on=on)
    services.application_approve(actor=None, application=application, approve=True, on=on)
    return services.payment_record(actor=None, application=application, paid_on=on, method="bank",
                                   fund_source=source)


@builder("困难帮扶", after=("orgs", "members"))  # heads are linked to the roster by ID number
def build_assistance(ctx: DemoContext) -> None:
    rng, today = ctx.rng, ctx.today
    root = ctx.data.get("root")
    if root is None:
        return
    for year in range(today.year - 4, today.year + 1):
        services.standard_set(actor=None, region_code="430100", region_name="长沙市", year=year,
                              monthly=700 + 30 * (year - today.year + 4))
    old_enough = today - dt.timedelta(days=3 * 365)
    n_unions, per_union = PER_TOWNSHIP.get(ctx.size.name, (1, 1))
    unions = []
    for town in ctx.data["townships"][:MAX_TOWNSHIPS]:
        inside = [u for u in ctx.data["unions"] if u.path.startswith(town.path) and not u.dissolved_on
                  and u.org_type in GRASSROOTS_TYPES and u.founded_on and u.founded_on < old_enough]
        unions += inside[:n_unions]

    archives, seq = [], 0
    for union in unions:
        for _ in range(per_union):
            seq += 1
            female = rng.random() < 0.45
            created = today - dt.timedelta(days=rng.randint(40, 900))
            family = []
            if rng.random() < 0.8:
                family.append({"name": _name(rng), "relation": "spouse", "gender": 2 if not female else 1,
                               "birth_date": created - dt.timedelta(days=365 * rng.randint(30, 50)),
                               "monthly_income": rng.choice([0, 0, 500, 900, 1500])})
            if rng.random() < 0.7:
                family.append({"name": _name(rng), "relation": "child", "gender": rng.choice([1, 2]),
                               "birth_date": today - dt.timedelta(days=365 * rng.randint(15, 20)),
                               "schooling": rng.choice(["high", "university", "college"]), "school": "长沙市某校"})
            expenses = ([{"kind": "medical", "annual_amount": rng.choice([6000, 12000, 24000]), "note": "住院自付"}]
                        if rng.random() < 0.5 else [])
            cause = rng.choice(CAUSES)
            secondary = [c for c in rng.sample(["09", "04", "10"], rng.randint(0, 2)) if c != cause]
            a = services.archive_create(
                actor=None, org=union, head_name=_name(rng), id_number=_id(rng, seq, female), created_on=created,
                region_code="430121", main_cause=cause, secondary_causes=secondary,
                # Incomes low enough that the system always proposes 深度 or 相对.
                monthly_wage=rng.choice([0, 600, 900, 1200]), other_income=rng.choice([0, 1200]),
                family=family, expenses=expenses, work_unit=union.name,
                # The archive form's other items, from the sequence (no draw: the figures stay as they were).
                ethnicity="01", political="13", hukou_type=("1", "2")[seq % 2], marital=("20", "40", "30")[seq % 3],
                medical_insurance=("1", "2")[seq % 2], housing_type=("05", "03", "01")[seq % 3],
                unit_nature=("2", "4")[seq % 2], filed_by_name="工会经办")
            archives.append(a)

    active = []
    for i, a in enumerate(archives):
        state = i % 8
        if state == 0:
            continue  # 建档, not yet noticed
        services.archive_start_notice(actor=None, archive=a, on=a.created_on)
        if state == 1:
            continue  # 公示中 (its notice ended long ago: the to-do list shows it)
        services.archive_enter(actor=None, archive=a, on=a.notice_until)
        if state == 6 and a.next_review_on <= today:
            services.archive_start_review(actor=None, archive=a, on=a.next_review_on)
        elif state == 7:
            exit_on = min(today, a.entered_on + dt.timedelta(days=rng.randint(30, 300)))
            status = rng.choice([ArchiveStatus.RECOVERED, ArchiveStatus.RELIEVED, ArchiveStatus.EXITED])
            reason = {ArchiveStatus.RECOVERED: "家庭人均收入连续6个月高于低保标准", ArchiveStatus.RELIEVED:
                      "纳入政府兜底保障和工会常态化帮扶", ArchiveStatus.EXITED: "经复核不再符合条件"}[status]
            services.archive_exit(actor=None, archive=a, on=exit_on, status=status, reason=reason)
            continue
        active.append(a)

    # Applications at every step, and paid living and schooling aid.
    for i, a in enumerate(active):
        on = max(a.entered_on, today - dt.timedelta(days=rng.randint(5, 200)))
        app = services.application_submit(actor=None, archive=a, type="living", amount_requested=rng.choice([600, 1000]),
                                          reason="生活困难", applied_on=on, documents="收入证明")
        if i % 4 == 3 and i % 8 == 7:
            # Some wait after the union's 初审 (初步符合) for the federation's 审核: the funnel's middle.
            services.application_screen(actor=None, application=app, eligible=True, on=on)
        if i % 4 != 3:
            _pay(app, on, rng.choice(["own", "upper"]))
        child = next((m for m in a.family.all() if m.relation == "child"), None)
        if child is not None and i % 2 == 0:
            app = services.application_submit(actor=None, archive=a, type="golden_autumn", amount_requested=3000,
                                              reason="子女上学", applied_on=on, student=child, documents="录取通知书")
            _pay(app, on, "donation")
        if i % 5 == 1:
            app = services.application_submit(actor=None, archive=a, type="medical", amount_requested=5000,
                                              reason="住院自付费用", applied_on=on, documents="诊断书、结算单")
            if i % 10 == 1:
                services.application_review(actor=None, application=app, approve=True, on=on)
        if i % 6 == 4:
            # 工伤/病患探望 (S1: 15 injured workers, 4500 元), 300 元 each.
            app = services.application_submit(actor=None, archive=a, type="injury_visit", amount_requested=300,
                                              reason="工伤住院探望", applied_on=on)
            _pay(app, on, "own")

    # A 送温暖 campaign ending in a fortnight, with most targets reached.
    start = today - dt.timedelta(days=45)
    campaign = services.campaign_create(actor=None, org=root, name=f"{today.year}年“两节”送温暖", type="warmth",
                                        start_on=start, end_on=today + dt.timedelta(days=14),
                                        budget=600 * len(active) + 5000)
    services.campaign_add_targets(actor=None, campaign=campaign, archives=active)
    for i, a in enumerate(active):
        if i % 3 != 2:
            on = max(start, a.entered_on)
            app = services.application_submit(actor=None, archive=a, type="warmth", amount_requested=600,
                                              reason="两节慰问", applied_on=on, campaign=campaign,
                                              beneficiary=WARMTH_BENEFICIARIES[i % len(WARMTH_BENEFICIARIES)])
            _pay(app, on, "upper")

    # 一对一帮扶: county units pledge two or three households each; about half have visited.
    helpers = [services.helper_create(actor=None, org=root, name=n) for n in HELPERS]
    rng.shuffle(active)
    for k, a in enumerate(active):
        helper = helpers[k % len(helpers)]
        pledged = max(a.entered_on, today - dt.timedelta(days=rng.randint(30, 300)))
        p = services.pairing_create(actor=None, helper=helper, archive=a, pledged_on=pledged,
                                    commitment="每季度走访一次，协助就业")
        if k % 2 == 0:
            services.visit_record(actor=None, pairing=p, visited_on=min(today, pledged + dt.timedelta(days=20)),
                                  visitors=f"{helper.name}干部", amount=rng.choice([600, 1000, 2000]), goods="米、油",
                                  note="了解家庭情况")
    ctx.data["assistance_archives"] = len(archives)
