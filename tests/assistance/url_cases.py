"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

D = dt.date


def _records(union, helper_org, seq):
    from gonghui.assistance import services
    from tests.members.conftest import make_id

    a = services.archive_create(actor=None, org=union, head_name="帮扶户", id_number=make_id(seq=seq),
                                created_on=D(2025, 3, 1), region_code="430121", main_cause="06", monthly_wage=500,
                                category="deep")
    services.archive_take_over(actor=None, archive=a, entered_on=D(2025, 3, 20))
    app = services.application_submit(actor=None, archive=a, type="living", amount_requested=500, reason="生活困难",
                                      applied_on=D(2025, 4, 1))
    c = services.campaign_create(actor=None, org=helper_org, name="送温暖", type="warmth", start_on=D(2025, 1, 1),
                                 end_on=D(2025, 2, 1), budget=1000)
    h = services.helper_create(actor=None, org=helper_org, name="帮扶单位")
    p = services.pairing_create(actor=None, helper=h, archive=a, pledged_on=D(2025, 4, 1))
    from django.core.files.uploadedfile import SimpleUploadedFile

    doc = services.document_add(actor=None, application=app, name="诊断书",
                                file=SimpleUploadedFile("诊断书.pdf", b"%PDF-1.4 demo"))
    return a, app, c, p, doc


def cases(tree, personas):
    a_in, app_in, c_in, p_in, d_in = _records(tree.union_a1, tree.town_a, 401)
    a_out, app_out, c_out, p_out, d_out = _records(tree.union_b1, tree.town_b, 402)
    archive = ([a_in.pk], [a_out.pk])
    app = ([app_in.pk], [app_out.pk])
    campaign = ([c_in.pk], [c_out.pk])
    pairing = ([p_in.pk], [p_out.pk])
    return {
        "assistance:index": None, "assistance:archives": None, "assistance:archive_create": None,
        "assistance:archive_export": None, "assistance:notice_list": None, "assistance:applications": None,
        "assistance:campaigns": None, "assistance:campaign_create": None, "assistance:pairings": None,
        "assistance:helper_create": None, "assistance:pairing_create": None, "assistance:standards": None,
        "assistance:table": None,
        "assistance:archive_detail": archive, "assistance:archive_family": archive, "assistance:archive_edit": archive,
        "assistance:archive_reveal": archive,
        "assistance:archive_expense": archive, "assistance:application_create": archive,
        "assistance:archive_transition": ([a_in.pk, "review"], [a_out.pk, "review"]),
        "assistance:application_detail": app, "assistance:application_screen": app, "assistance:application_review": app,
        "assistance:application_approve": app, "assistance:payment_create": app,
        "assistance:document_add": app, "assistance:document_open": ([d_in.pk], [d_out.pk]),
        "assistance:campaign_detail": campaign, "assistance:campaign_targets": campaign,
        "assistance:campaign_ledger": campaign,
        "assistance:visit_create": pairing, "assistance:pairing_end": pairing,
    }
