"""The read resources of assistance, democracy, bargaining and funds added after the first API pass:
their operations for the permission matrix (tests/api/test_matrix.py) and one object of each kind
under 甲一 and one under 乙一, made through the lines' services after tests/api/line_objects.py
(whose congresses and contracts they reuse or sit beside): {kind: ((id, org path) under 甲, (…) under 乙)}."""

import datetime as dt

D = dt.date

READS = [  # (list path, permission, kind)
    ("/api/v1/campaigns/", "assistance.view", "campaign"),
    ("/api/v1/assistance-payments/", "assistance.view", "assistance_payment"),
    ("/api/v1/helpers/", "assistance.view", "helper"),
    ("/api/v1/pairings/", "assistance.view", "pairing"),
    ("/api/v1/congresses/", "democracy.view", "congress"),
    ("/api/v1/delegates/", "democracy.view", "delegate"),
    ("/api/v1/congress-sessions/", "democracy.view", "congress_session"),
    ("/api/v1/disclosures/", "democracy.view", "disclosure"),
    ("/api/v1/disclosure-systems/", "democracy.view", "disclosure_system"),
    ("/api/v1/contract-meetings/", "bargaining.view", "contract_meeting"),
    ("/api/v1/contract-votes/", "bargaining.view", "contract_vote"),
    ("/api/v1/contract-inspections/", "bargaining.view", "contract_inspection"),
    ("/api/v1/contract-representatives/", "bargaining.view", "contract_representative"),
    ("/api/v1/contract-events/", "bargaining.view", "contract_event"),
    ("/api/v1/declarations/", "funds.view", "declaration"),
    ("/api/v1/dues/", "funds.view", "dues"),
    ("/api/v1/fund-reviews/", "funds.view", "fund_review"),
]
OPERATIONS = [op for path, perm, kind in READS for op in (("GET", path, perm, None),
                                                           ("GET", f"{path}{{id}}/", perm, kind))]
KINDS = {path: kind for path, _perm, kind in READS}
WRITES = [  # writes through the lines' services beside those reads (an empty body is a 400 after the checks)
    ("POST", "/api/v1/campaigns/", "assistance.change", None),
    ("POST", "/api/v1/declarations/", "funds.change", None),
    ("POST", "/api/v1/dues/", "funds.change", None),
    *[("POST", f"/api/v1/contracts/{{id}}/{a}/", "bargaining.change", "contract") for a in (
        "prepare", "meetings", "vote", "object", "inspections")],
]
OPERATIONS += WRITES


def _pair(rows, path=lambda o: o.org.path):
    return tuple((o.pk, path(o)) for o in rows)


def assistance(tree):
    from gonghui.assistance import services
    from gonghui.assistance.models import Archive

    campaigns, payments, helpers, pairings = [], [], [], []
    for union in (tree.union_a1, tree.union_b1):
        archive = Archive.objects.filter(org=union).order_by("pk").first()  # line_objects' archive, in force
        c = services.campaign_create(actor=None, org=union, name=f"{union.name}送温暖", type="warmth",
                                     start_on=D(2025, 7, 1), end_on=D(2025, 9, 30), budget="10000")
        services.campaign_add_targets(actor=None, campaign=c, archives=[archive])
        app = services.application_submit(actor=None, archive=archive, type="warmth", amount_requested="800",
                                          reason="节日慰问", applied_on=D(2025, 7, 10), campaign=c)
        services.application_review(actor=None, application=app, approve=True, on=D(2025, 7, 12))
        services.application_approve(actor=None, application=app, approve=True, on=D(2025, 7, 15))
        payments.append(services.payment_record(actor=None, application=app, paid_on=D(2025, 7, 20), method="bank",
                                                fund_source="own"))
        campaigns.append(c)
        h = services.helper_create(actor=None, org=union, name=f"{union.name}帮扶组")
        p = services.pairing_create(actor=None, helper=h, archive=archive, pledged_on=D(2025, 5, 1))
        services.visit_record(actor=None, pairing=p, visited_on=D(2025, 6, 1), amount="300", visitors="工会主席")
        helpers.append(h)
        pairings.append(p)
    return {"campaign": _pair(campaigns), "assistance_payment": _pair(payments), "helper": _pair(helpers),
            "pairing": _pair(pairings, lambda p: p.helper.org.path)}


def democracy(tree):
    from gonghui.democracy import services
    from gonghui.democracy.models import Congress, Delegate

    congresses, delegates, sessions, disclosures, systems = [], [], [], [], []
    for union, key in ((tree.union_a1, "a1"), (tree.union_b1, "b1")):
        c = Congress.objects.filter(org=union).order_by("pk").first()  # line_objects' congress
        s = services.session_record(actor=None, congress=c, held_on=D(2026, 3, 1), delegates_present=3)
        services.motion_vote(actor=None, session=s, title="工资调整方案", votes_for=3)
        services.evaluation_record(actor=None, session=s, name="被评议人", position="副总经理", level="leader",
                                   excellent=2, competent=1)
        congresses.append(c)
        delegates.append(Delegate.objects.filter(term__congress=c).order_by("pk").first())
        sessions.append(s)
        disclosures.append(services.disclosure_record(
            actor=None, org=union, kind="workplace", form="board", issue_no=1, disclosed_on=D(2026, 3, 5),
            title="2026年第一季度厂务公开", items=[("operations", "生产经营情况")], employer=tree.emp[key]))
        systems.append(services.disclosure_system_set(actor=None, employer=tree.emp[key], org=union,
                                                      established_on=D(2024, 1, 1)))
    return {"congress": _pair(congresses), "delegate": _pair(delegates, lambda d: d.term.congress.org.path),
            "congress_session": _pair(sessions), "disclosure": _pair(disclosures),
            "disclosure_system": _pair(systems)}


def bargaining(tree):
    from gonghui.bargaining import services
    from gonghui.bargaining.models import ContractType, Meeting, Side
    from tests.bargaining.conftest import add_reps

    meetings, votes, inspections, reps, events = [], [], [], [], []
    for union, key in ((tree.union_a1, "a1"), (tree.union_b1, "b1")):
        c = services.contract_open(actor=None, org=union, contract_type=ContractType.GENERAL, title="综合性集体合同",
                                   opened_on=D(2026, 3, 2), employers=[tree.emp[key]])
        add_reps(c)
        reps.append(c.representatives.order_by("pk").first())
        events.append(c.events.order_by("pk").first())
        c = services.contract_offer(actor=None, contract=c, side=Side.WORKERS, offered_on=D(2026, 3, 2), topics="综合")
        c = services.contract_reply(actor=None, contract=c, replied_on=D(2026, 3, 10), accepted=True)
        c = services.contract_prepare(actor=None, contract=c, prepared_on=D(2026, 3, 12), recorder="记录员",
                                      topics="工资、工时")
        meetings.append(services.meeting_add(actor=None, contract=c, held_on=D(2026, 3, 16), chair_side=Side.WORKERS,
                                             attendees="双方代表6人", minutes="达成一致。",
                                             outcome=Meeting.Outcome.AGREED))
        c.refresh_from_db()
        votes.append(services.vote_record(actor=None, contract=c, held_on=D(2026, 3, 27), total=50, present=40,
                                          votes_for=30))
        c.refresh_from_db()
        c = services.contract_sign(actor=None, contract=c, signed_on=D(2026, 3, 30), start_on=D(2026, 4, 1),
                                   end_on=D(2029, 3, 31))
        c = services.contract_file(actor=None, contract=c, filed_on=D(2026, 4, 3), department="人社局")
        c = services.contract_approve(actor=None, contract=c, approved_on=D(2026, 4, 10))
        inspections.append(services.inspection_record(actor=None, contract=c, checked_on=D(2026, 6, 1),
                                                      items_checked=10, items_fulfilled=9))
    path = lambda o: o.contract.org.path  # noqa: E731
    return {"contract_meeting": _pair(meetings, path), "contract_vote": _pair(votes, path),
            "contract_inspection": _pair(inspections, path), "contract_representative": _pair(reps, path),
            "contract_event": _pair(events, path)}


def funds(tree):
    from gonghui.funds import services

    declarations, dues, reviews = [], [], []
    for union, key in ((tree.union_a1, "a1"), (tree.union_b1, "b1")):
        declarations.append(services.declaration_record(actor=None, employer=tree.emp[key], month=D(2025, 5, 1),
                                                        payroll_total="100000"))
        dues.append(services.dues_record(actor=None, union=union, month=D(2025, 5, 1), members=20, wage_base="100000",
                                         paid="400"))
        reviews.append(services.review_record(actor=None, org=union, kind="review", period_start=D(2025, 1, 1),
                                              period_end=D(2025, 6, 30), reviewed_on=D(2025, 7, 15), auditor="经审会",
                                              findings=[("票据不全", "120.50", D(2025, 9, 30))]))
    path = lambda o: o.org_path  # noqa: E731
    return {"declaration": _pair(declarations, path), "dues": _pair(dues, path), "fund_review": _pair(reviews, path)}


def make(tree, personas) -> dict:
    """After line_objects.make (it needs that module's archives and congresses)."""
    return {**assistance(tree), **democracy(tree), **bargaining(tree), **funds(tree)}
