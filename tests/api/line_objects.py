"""One object of each work line's API kinds under 甲一 (or 甲镇) and one under 乙 for the permission
matrix (tests/api/test_matrix.py), made through the lines' services: {kind: ((id, org path) under 甲,
(id, org path) under 乙)}."""

import datetime as dt

D = dt.date


def _pair(rows, path=lambda o: o.org.path):
    return tuple((o.pk, path(o)) for o in rows)


def _org_path(o):
    return o.org_path


def bargaining(tree, personas):
    from gonghui.bargaining import services
    from gonghui.bargaining.models import ContractType

    contracts = [services.contract_open(actor=None, org=u, contract_type=ContractType.WAGE, title=f"{u.name}工资协议",
                                        opened_on=D(2026, 3, 2), employers=[tree.emp[k]])
                 for u, k in ((tree.union_a1, "a1"), (tree.union_b1, "b1"))]
    return {"contract": _pair(contracts)}


def assistance(tree, personas):
    from gonghui.assistance import services
    from tests.members.conftest import make_id

    archives, applications = [], []
    for union, seq in ((tree.union_a1, 501), (tree.union_b1, 502)):
        a = services.archive_create(actor=None, org=union, head_name="帮扶户", id_number=make_id(seq=seq),
                                    created_on=D(2025, 3, 1), region_code="430121", main_cause="06",
                                    monthly_wage=500, category="deep")
        services.archive_take_over(actor=None, archive=a, entered_on=D(2025, 3, 20))
        archives.append(a)
        applications.append(services.application_submit(actor=None, archive=a, type="living", amount_requested=500,
                                                         reason="生活困难", applied_on=D(2025, 4, 1)))
    return {"archive": _pair(archives), "application": _pair(applications)}


def funds(tree, personas):
    from gonghui.funds import services
    from gonghui.orgs.models import Employer

    receipts, refunds = [], []
    for union, key, code, ref in ((tree.union_a1, "a1", "91430121MA4L000010", "API-A"),
                                  (tree.union_b1, "b1", "91430121MA4L00005C", "API-B")):
        Employer.objects.filter(pk=tree.emp[key].pk).update(uscc=code)
        receipts.append(services.receipt_record(actor=None, org=tree.root, reference=ref, channel="tax", amount="1000",
                                                received_on=D(2025, 3, 15), uscc=code, month=D(2025, 2, 1),
                                                payroll_base="50000"))
        services.formality_save(actor=None, union=union, bank_name="长沙银行", account="6222020012345678",
                                certificate_no="工法证1", agreement_on=D(2025, 1, 5), on=D(2025, 1, 10))
        refunds.append(services.refund_prepare(actor=None, union=union, start=D(2025, 1, 1), end=D(2025, 3, 31),
                                               on=D(2025, 4, 1)))
    return {"receipt": _pair(receipts, _org_path), "refund": _pair(refunds, _org_path)}


def mutual_aid(tree, personas):
    from tests.mutual_aid.build import batch_with_claim

    claims = [batch_with_claim(tree, u)[1] for u in (tree.union_a1, tree.union_b1)]
    return {"claim": _pair(claims, lambda c: c.union.path)}


def democracy(tree, personas):
    from gonghui.democracy import services
    from tests.democracy.conftest import make_congress

    proposals = []
    for key in ("a1", "b1"):
        congress, _term, delegates = make_congress(tree, key=key, delegates=3)
        proposals.append(services.proposal_file(actor=None, congress=congress, title="提案", content="内容",
                                                category="pay", proposer=delegates[0], filed_on=D(2026, 3, 2)))
    return {"proposal": _pair(proposals)}


def honours(tree, personas):
    from gonghui.honours import services
    from tests.members.conftest import make_id

    workers, honours_ = [], []
    for union, seq in ((tree.union_a1, 551), (tree.union_b1, 552)):
        workers.append(services.worker_create(actor=None, org=union, name="劳模", id_number=make_id(seq=seq),
                                              registered_on=D(2024, 1, 1)))
        honours_.append(services.honour_apply(actor=None, org=union, recipient="collective", recipient_name="班组",
                                              honour_type="pioneer", level="county", issuer="县总工会", year=2025,
                                              applied_on=D(2025, 3, 1)))
    return {"model_worker": _pair(workers), "honour": _pair(honours_)}


def activities(tree, personas):
    from gonghui.activities import services
    from gonghui.activities.models import ActivityKind

    kind = ActivityKind.objects.get(code="lecture")
    rows = [services.activity_create(actor=None, org=u, kind=kind, title="讲座", start_on=D(2025, 3, 1))
            for u in (tree.union_a1, tree.union_b1)]
    return {"activity": _pair(rows)}


def appraisal(tree, personas):
    from tests.appraisal.url_cases import make_round, make_scheme

    appraisals, submissions = [], []
    for town, union in ((tree.town_a, tree.union_a1), (tree.town_b, tree.union_b1)):
        appraisals.append(make_scheme(town).appraisals.get(org=union))
        submissions.append(make_round(town, [union]).submissions.get(org=union))
    return {"appraisal": _pair(appraisals, _org_path), "submission": _pair(submissions, _org_path)}


KINDS = {  # list path in the description -> kind
    "/api/v1/contracts/": "contract",
    "/api/v1/archives/": "archive",
    "/api/v1/applications/": "application",
    "/api/v1/receipts/": "receipt",
    "/api/v1/refunds/": "refund",
    "/api/v1/claims/": "claim",
    "/api/v1/proposals/": "proposal",
    "/api/v1/model-workers/": "model_worker",
    "/api/v1/honours/": "honour",
    "/api/v1/activities/": "activity",
    "/api/v1/appraisals/": "appraisal",
    "/api/v1/submissions/": "submission",
}


def make(tree, personas) -> dict:
    out = {}
    for maker in (bargaining, assistance, funds, mutual_aid, democracy, honours, activities, appraisal):
        out.update(maker(tree, personas))
    return out
