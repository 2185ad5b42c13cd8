"""One object of each work line's API kinds under 甲一 (or 甲镇) and one under 乙 for the permission
matrix (tests/api/test_matrix.py), made through the lines' services: {kind: ((id, org path) under 甲,
(id, org path) under 乙)}."""

import datetime as dt

D = dt.date


def _pair(rows, path=lambda o: o.org.path):
    return tuple((o.pk, path(o)) for o in rows)


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


KINDS = {  # list path in the description -> kind
    "/api/v1/contracts/": "contract",
    "/api/v1/archives/": "archive",
    "/api/v1/applications/": "application",
}


def make(tree, personas) -> dict:
    out = {}
    for maker in (bargaining, assistance):
        out.update(maker(tree, personas))
    return out
