"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

D = dt.date


def _records(tree, union, emp_key, ref):
    from gonghui.funds import services
    from gonghui.orgs.models import Employer

    code = {"a1": "91430121MA4L000010", "b1": "91430121MA4L00005C"}[emp_key]
    Employer.objects.filter(pk=tree.emp[emp_key].pk).update(uscc=code)
    r = services.receipt_record(actor=None, org=tree.root, reference=ref, channel="tax", amount="1000",
                                received_on=D(2025, 3, 15), uscc=code, month=D(2025, 2, 1), payroll_base="50000")
    services.formality_save(actor=None, union=union, bank_name="长沙银行", account="6222020012345678",
                            certificate_no="工法证1", agreement_on=D(2025, 1, 5), on=D(2025, 1, 10))
    refund = services.refund_prepare(actor=None, union=union, start=D(2025, 1, 1), end=D(2025, 3, 31),
                                     on=D(2025, 4, 1))
    review = services.review_record(actor=None, org=union, kind="review", period_start=D(2024, 1, 1),
                                    period_end=D(2024, 12, 31), reviewed_on=D(2025, 3, 1), auditor="经审会",
                                    findings=[("支出凭证不全", "100", D(2025, 6, 30))])
    return r, refund, review


def cases(tree, personas):
    r_in, refund_in, review_in = _records(tree, tree.union_a1, "a1", "U-IN")
    r_out, refund_out, review_out = _records(tree, tree.union_b1, "b1", "U-OUT")
    review = ([review_in.pk], [review_out.pk])
    finding = ([review_in.findings.get().pk], [review_out.findings.get().pk])
    receipt = ([r_in.pk], [r_out.pk])
    union = ([tree.union_a1.pk], [tree.union_b1.pk])
    refund = ([refund_in.pk], [refund_out.pk])
    return {
        "funds:index": None, "funds:receipt_new": None, "funds:pending": None, "funds:declarations": None, "funds:declaration_new": None,
        "funds:formalities": None, "funds:refunds": None, "funds:refund_new": None, "funds:shares": None,
        "funds:export_receipts": None, "funds:export_declarations": None, "funds:export_formalities": None,
        "funds:export_refunds": None, "funds:dues": None, "funds:dues_new": None, "funds:export_dues": None,
        "funds:receipt_detail": receipt, "funds:receipt_match": receipt,
        "funds:dunning": ([tree.emp["a1"].pk], [tree.emp["b1"].pk]),
        "funds:formality_edit": union, "funds:formality_reveal": union,
        "funds:refund_detail": refund, "funds:refund_approve": refund, "funds:refund_refuse": refund,
        "funds:refund_pay": refund,
        "funds:reviews": None, "funds:review_new": None, "funds:review_detail": review, "funds:finding_new": review,
        "funds:finding_rectify": finding,
        "funds:letter_template": None, "funds:letter_template_download": None,
    }
