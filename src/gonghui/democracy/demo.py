"""Demo 民主管理 records: a 职代会 (or 职工大会) for most unionised employers with a term, its
delegates, one or two sessions a year with their votes and 提案 in every status (some answers
late), 厂务公开 systems and issues, one regional 职代会 per township and each township's
会务公开, written in bulk; then one congress's year driven through the services (history and
audit), with an opinion on a disclosure left unanswered past its 30 days."""

from __future__ import annotations

import datetime as dt

from gonghui.core import clock
from gonghui.core.demo import DemoContext, builder

BATCH = 2000


@builder("民主管理", after=("orgs",))
def build_democracy(ctx: DemoContext) -> None:  # noqa: C901 - one pass over the unions, step by step
    from gonghui.orgs.models import Coverage, Employer

    from . import conf
    from .models import (
        Category,
        Congress,
        CongressEmployer,
        Delegate,
        Disclosure,
        DisclosureItem,
        DisclosureSystem,
        Feedback,
        Form,
        ItemCategory,
        Kind,
        ListStatus,
        Motion,
        Proposal,
        ResultCode,
        Scope,
        Session,
        Status,
        Term,
    )

    rng = ctx.rng
    today = min(ctx.today, clock.today())
    covers: dict[int, tuple] = {}
    for cov in Coverage.objects.filter(union__in=ctx.data["unions"], valid_to__isnull=True).select_related(
            "employer", "union").order_by("pk"):
        covers.setdefault(cov.union_id, (cov.union, cov.employer, cov.valid_from))

    congresses, terms, systems = [], [], []
    for union, employer, since in covers.values():
        start = max(since, dt.date(today.year - 6, 1, 1)) + dt.timedelta(days=rng.randint(30, 400))
        if rng.random() < 0.6:
            systems.append(DisclosureSystem(employer=employer, org=union, established_on=min(start, today)))
        if rng.random() >= 0.72 or start > today - dt.timedelta(days=60):
            continue
        kind = Kind.ASSEMBLY if employer.headcount < 100 and rng.random() < 0.4 else Kind.CONGRESS
        congresses.append(Congress(org=union, kind=kind, scope=Scope.ENTERPRISE, employer=employer,
                                   name=f"{employer.name}{Kind(kind).label}", established_on=start))
        begun = max(start, today - dt.timedelta(days=rng.randint(200, 4 * 365)))
        terms.append((employer, begun))
    # One regional congress per township for its small employers (most without a union).
    regional = []
    smalls: dict[int, list] = {}
    for e in Employer.objects.filter(org__in=ctx.data["townships"], headcount__lt=100).order_by("pk"):
        smalls.setdefault(e.org_id, []).append(e)
    for town in ctx.data["townships"]:
        members = smalls.get(town.pk, [])[:12]
        if members:
            start = dt.date(today.year - rng.randint(1, 3), rng.randint(1, 12), 1)
            congresses.append(Congress(org=town, kind=Kind.CONGRESS, scope=Scope.REGIONAL,
                                       name=f"{town.name}区域性职工代表大会", established_on=start))
            terms.append((None, start))
            regional.append(members)
    Congress.objects.bulk_create(congresses, batch_size=BATCH)
    DisclosureSystem.objects.bulk_create(systems, batch_size=BATCH)
    CongressEmployer.objects.bulk_create(
        [CongressEmployer(congress=c, employer=e)
         for c, members in zip([c for c in congresses if c.scope == Scope.REGIONAL], regional, strict=True)
         for e in members], batch_size=BATCH)

    term_rows = []
    for c, (employer, begun) in zip(congresses, terms, strict=True):
        staff = employer.headcount if employer else 600
        women = employer.women_count if employer else 250
        term_rows.append(Term(congress=c, number=rng.randint(1, 4), started_on=begun,
                              ends_on=clock.add_months(begun, 60) - dt.timedelta(days=1), staff=max(staff, 1),
                              women_staff=min(women, max(staff, 1)), list_status=ListStatus.CONFIRMED))
    Term.objects.bulk_create(term_rows, batch_size=BATCH)

    delegates: dict[int, list] = {}
    rows = []
    for no, t in enumerate(term_rows, 1):
        n = min(conf.quota(t.staff), 30) if t.congress.kind == Kind.CONGRESS else min(t.staff, 30)
        women = -(-n * t.women_staff // t.staff)
        for i in range(n):
            d = Delegate(term=t, name=f"代表{no}-{i + 1}", gender="F" if i < women else "M",
                         constituency=f"第{i % 4 + 1}车间", is_manager=i % 10 == 9, is_frontline=i % 10 < 6)
            rows.append(d)
            delegates.setdefault(t.pk, []).append(d)
    Delegate.objects.bulk_create(rows, batch_size=BATCH)

    sessions, motions, proposals, disclosures = [], [], [], []
    results = list(ResultCode.values)
    feedbacks = [Feedback.SATISFIED, Feedback.SATISFIED, Feedback.FAIRLY, Feedback.UNSATISFIED]
    for t in term_rows:
        c, ds = t.congress, delegates[t.pk]
        number = 0
        for year in (today.year - 1, today.year):
            for half in range(rng.choice([1, 1, 2])):
                held = dt.date(year, 3 + half * 6, rng.randint(1, 28))
                if held < t.started_on or held > today:
                    continue
                number += 1
                present = len(ds) - rng.choice([0, 1, 2, 3, len(ds) // 2])
                s = Session(congress=c, org=c.org, term=t, number=number, held_on=held, delegates_total=len(ds),
                            delegates_present=present)
                sessions.append(s)
                if present * 3 >= len(ds) * 2:
                    for k in range(rng.randint(0, 3)):
                        votes = rng.randint(len(ds) // 3, present)
                        motions.append(Motion(session=s, org=c.org, held_on=held, title=f"议案{k + 1}",
                                              votes_for=votes, votes_against=present - votes,
                                              passed=votes * 2 > len(ds), secret_ballot=k == 0))
                for k in range(rng.randint(0, 6)):
                    proposals.append(_proposal(rng, s, ds, k, today, results, feedbacks, Status, Category))
                if c.employer_id:
                    disclosures.append(Disclosure(org=c.org, employer=c.employer, kind="workplace",
                                                  form=Form.CONGRESS_REPORT, issue_no=number, disclosed_on=held,
                                                  title=f"向{year}年职代会报告厂务公开情况", item_count=rng.randint(2, 8)))
        if c.employer_id:
            for n in range(rng.randint(0, 4)):
                day = today - dt.timedelta(days=rng.randint(1, 500))
                disclosures.append(Disclosure(org=c.org, employer=c.employer, kind="workplace",
                                              form=rng.choice([Form.BOARD, Form.BOARD, Form.INTRANET, Form.MEETING]),
                                              issue_no=n + 1, disclosed_on=day, title=f"厂务公开第{n + 1}期",
                                              item_count=rng.randint(1, 4)))
    for town in ctx.data["townships"]:
        for n in range(rng.randint(1, 4)):
            disclosures.append(Disclosure(org=town, kind="union", form=Form.BOARD, issue_no=n + 1,
                                          disclosed_on=today - dt.timedelta(days=rng.randint(1, 400)),
                                          title=f"会务公开第{n + 1}期", item_count=rng.randint(2, 9)))
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    Motion.objects.bulk_create(motions, batch_size=BATCH)
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)
    Disclosure.objects.bulk_create(disclosures, batch_size=BATCH)
    cats = list(ItemCategory.values)
    DisclosureItem.objects.bulk_create(
        [DisclosureItem(disclosure=d, category=rng.choice(cats), title=f"公开事项{i + 1}")
         for d in disclosures for i in range(d.item_count)], batch_size=BATCH)
    _through_services(ctx, today)


def _proposal(rng, s, ds, k, today, results, feedbacks, Status, Category):  # noqa: N803 - the enums
    from gonghui.core import clock

    filed = s.held_on
    p = dict(congress=s.congress, org=s.org, session=s, number=f"{filed.year}-{s.number}-{k + 1:02d}",
             title=f"关于改进{rng.choice(['食堂', '班车', '夜班津贴', '劳动防护', '培训'])}的提案", content="理由和建议",
             category=rng.choice(Category.values), proposer=rng.choice(ds), filed_on=filed, status=Status.FILED)
    age = (today - filed).days
    if age > 10:
        decided = filed + dt.timedelta(days=rng.randint(3, 10))
        if rng.random() < 0.15:
            p.update(status=Status.REJECTED, decided_on=decided, reject_reason="属个人诉求，转为意见建议")
        else:
            assigned = decided + dt.timedelta(days=3)
            due = clock.add_months(assigned, 3)
            p.update(status=Status.ASSIGNED, decided_on=decided, assigned_on=assigned, due_on=due,
                     lead_dept=rng.choice(["人力资源部", "后勤保障部", "安全环保部", "财务部"]))
            answered = assigned + dt.timedelta(days=rng.randint(20, 110))
            if answered <= today and rng.random() < 0.9:
                p.update(status=Status.ANSWERED, answered_on=answered, answer="已研究办理", result_code=rng.choice(results))
                fed = answered + dt.timedelta(days=rng.randint(2, 20))
                if fed <= today and rng.random() < 0.85:
                    p.update(status=Status.CLOSED, feedback=rng.choice(feedbacks), feedback_on=fed)
    from .models import Proposal

    return Proposal(**p)


def _through_services(ctx: DemoContext, today: dt.date) -> None:
    """One employer's congress year through the services, in the first township."""
    from gonghui.orgs.models import Coverage

    from . import services as s
    from .models import Congress

    town = ctx.data["townships"][0]
    taken = set(Congress.objects.values_list("employer_id", flat=True))
    cov = (Coverage.objects.filter(union__path__startswith=town.path, valid_to__isnull=True,
                                   valid_from__lte=today - dt.timedelta(days=400), employer__headcount__gte=100)
           .exclude(employer_id__in=taken).select_related("union", "employer").order_by("pk").first())
    if cov is None:
        return
    e, u = cov.employer, cov.union
    start = today - dt.timedelta(days=300)
    c = s.congress_create(actor=None, org=u, name=f"{e.name}职工代表大会", established_on=start, employer=e)
    t = s.term_open(actor=None, congress=c, number=1, started_on=start, ends_on=clock.add_months(start, 60),
                    staff=e.headcount, women_staff=e.women_count)
    n = _quota_or_30(e.headcount)
    women = -(-n * e.women_count // max(e.headcount, 1))
    ds = [s.delegate_add(actor=None, term=t, name=f"职工代表{i + 1}", gender="F" if i < women else "M",
                         constituency=f"第{i % 5 + 1}车间", is_manager=i % 10 == 9, is_frontline=i % 10 < 6)
          for i in range(n)]
    s.delegates_confirm(actor=None, term=t)
    session = s.session_record(actor=None, congress=c, held_on=start + dt.timedelta(days=10), delegates_present=n - 2)
    s.motion_vote(actor=None, session=session, title="年度工资调整方案", votes_for=n - 4, votes_against=2,
                  secret_ballot=True)
    s.resolution_adopt(actor=None, congress=c, session=session, title="关于通过年度工资调整方案的决议",
                       adopted_on=session.held_on)
    s.board_member_elect(actor=None, congress=c, seat="director", name=ds[0].name, elected_on=session.held_on,
                         session=session)
    s.board_member_elect(actor=None, congress=c, seat="supervisor", name=ds[1].name, elected_on=session.held_on,
                         session=session)
    for k, (position, level) in enumerate([("总经理", "leader"), ("副总经理", "leader"), ("财务部部长", "cadre"),
                                           ("人力资源部部长", "cadre")]):
        good = n - 6 - k
        s.evaluation_record(actor=None, session=session, name=f"管理人员{k + 1}", position=position, level=level,
                            excellent=good // 2, competent=good - good // 2, basic=3, incompetent=1)
    filed = session.held_on
    for i, target in enumerate(["filed", "rejected", "accepted", "assigned", "late", "answered", "closed"]):
        p = s.proposal_file(actor=None, congress=c, title=f"关于改进职工福利的提案（{i + 1}）", content="建议增加夜班补贴",
                            category="pay", proposer=ds[i], cosigners=ds[i + 1:i + 3], filed_on=filed, session=session)
        if target == "filed":
            continue
        if target == "rejected":
            s.proposal_reject(actor=None, proposal=p, decided_on=filed + dt.timedelta(days=5), reason="转为意见建议")
            continue
        s.proposal_accept(actor=None, proposal=p, decided_on=filed + dt.timedelta(days=5))
        if target == "accepted":
            continue
        # "late": assigned long ago and not answered; "assigned": still within its three months.
        assigned = filed + dt.timedelta(days=7) if target != "assigned" else today - dt.timedelta(days=20)
        s.proposal_assign(actor=None, proposal=p, assigned_on=assigned, lead_dept="人力资源部", assist_depts="财务部")
        if target in ("assigned", "late"):
            continue
        s.proposal_answer(actor=None, proposal=p, answered_on=assigned + dt.timedelta(days=40), answer="已列入明年预算",
                          result_code="B")
        if target == "closed":
            s.proposal_feedback(actor=None, proposal=p, delegate=ds[i], feedback="satisfied",
                                feedback_on=assigned + dt.timedelta(days=45))
    d = s.disclosure_record(actor=None, org=u, employer=e, kind="workplace", form="board", issue_no=99,
                            disclosed_on=today - dt.timedelta(days=60), title="上半年业务招待费公开",
                            items=[("hospitality", "业务招待费使用情况"), ("decisions", "夜班津贴调整方案")])
    s.opinion_raise(actor=None, disclosure=d, raised_on=today - dt.timedelta(days=50), raised_by="职工代表1",
                    content="招待费明细不够具体")


def _quota_or_30(staff: int) -> int:
    from . import conf

    return min(conf.quota(staff), 60)
