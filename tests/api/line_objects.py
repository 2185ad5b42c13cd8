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


KINDS = {  # list path in the description -> kind
    "/api/v1/contracts/": "contract",
}


def make(tree, personas) -> dict:
    out = {}
    for maker in (bargaining,):
        out.update(maker(tree, personas))
    return out
