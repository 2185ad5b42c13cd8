"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.bargaining import services
from gonghui.bargaining.models import ContractType, Representative


def cases(tree, personas):
    c_in = services.contract_open(actor=None, org=tree.union_a1, contract_type=ContractType.WAGE, title="甲一协议",
                                  opened_on=dt.date(2026, 3, 2), employers=[tree.emp["a1"]])
    c_out = services.contract_open(actor=None, org=tree.union_b1, contract_type=ContractType.WAGE, title="乙一协议",
                                   opened_on=dt.date(2026, 3, 2), employers=[tree.emp["b1"]])
    rep_in = services.representative_add(actor=None, contract=c_in, side="workers", name="甲", is_chief=True)
    rep_out = services.representative_add(actor=None, contract=c_out, side="workers", name="乙", is_chief=True)
    assert Representative.objects.count() == 2
    c_in.signed_on = dt.date(2026, 3, 30)
    services.contract_attach(actor=None, contract=c_in, upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan"))
    contract = ([c_in.pk], [c_out.pk])
    return {
        "bargaining:index": None, "bargaining:create": None, "bargaining:export": None, "bargaining:table": None,
        "bargaining:detail": contract, "bargaining:attachment": contract,
        "bargaining:step": ([c_in.pk, "offer"], [c_out.pk, "offer"]),
        "bargaining:rep_remove": ([rep_in.pk], [rep_out.pk]),
        # The 台账 import page is core's (core:import, tests/core/url_cases.py).
    }
