"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""


def cases(tree, personas):
    from gonghui.mutual_aid import services
    from tests.mutual_aid.build import batch_with_claim
    from tests.mutual_aid.conftest import BENEFITS

    b_in, c_in = batch_with_claim(tree, tree.union_a1)
    b_out, c_out = batch_with_claim(tree, tree.union_b1)
    p_in = services.plan_create(actor=None, org=tree.town_a, code="PA", name="甲镇职工住院互助", unit_premium="20",
                                sex=0, min_coverage="0", benefits=BENEFITS)
    p_out = services.plan_create(actor=None, org=tree.town_b, code="PB", name="乙街道职工住院互助", unit_premium="20",
                                 sex=0, min_coverage="0", benefits=BENEFITS)
    from django.core.files.uploadedfile import SimpleUploadedFile

    d_in, d_out = (services.claim_document_add(actor=None, claim=c, kind="diagnosis",
                                               file=SimpleUploadedFile("诊断证明.pdf", b"%PDF-1.4 x"))
                   for c in (c_in, c_out))
    batch, claim = ([b_in.pk], [b_out.pk]), ([c_in.pk], [c_out.pk])
    return {
        "mutual_aid:index": None, "mutual_aid:claims": None, "mutual_aid:plans": None, "mutual_aid:enrol": None,
        "mutual_aid:plan_new": None, "mutual_aid:export_items": None, "mutual_aid:export_claims": None,
        "mutual_aid:batch_detail": batch, "mutual_aid:batch_docx": batch, "mutual_aid:batch_add": batch,
        "mutual_aid:batch_join": batch, "mutual_aid:batch_rehome": batch, "mutual_aid:plan_edit": ([p_in.pk], [p_out.pk]),
        "mutual_aid:claim_detail": claim, "mutual_aid:claim_act": ([c_in.pk, "reviewed"], [c_out.pk, "reviewed"]),
        "mutual_aid:claim_new": ([b_in.items.get().pk], [b_out.items.get().pk]),
        "mutual_aid:term_new": ([p_in.pk], [p_out.pk]),
        "mutual_aid:claim_payee": claim, "mutual_aid:claim_account": claim, "mutual_aid:claim_document_add": claim,
        "mutual_aid:claim_document": ([d_in.pk], [d_out.pk]),
        "mutual_aid:form_template": None, "mutual_aid:form_template_download": None,
    }
