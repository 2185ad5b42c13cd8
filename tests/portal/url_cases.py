"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py).

The member realm's pages (permission "member") send anyone without a portal session, staff
included, to /m/login/; that another member's identifiers give 404 is tested in
tests/portal/test_views.py."""


def cases(tree, personas):
    from gonghui.core import clock
    from gonghui.honours.services import survey_create
    from gonghui.portal import services
    from tests.portal.conftest import apply, make_member

    account, m_in = make_member(tree, seq=201)
    other, m_out = make_member(tree, seq=202, union_employer=tree.emp["b1"], name="王五")
    app_in, app_out = apply(tree, seq=203), apply(tree, seq=204, employer=tree.emp["b1"])
    r_in = services.rights_request(account=account, kind="correct", detail="手机号码有误")
    r_out = services.rights_request(account=other, kind="correct", detail="手机号码有误")
    token = services.card_token(account=account)
    h_in, h_out = (services.help_request(account=a, kind="hardship", reason="家中老人住院", attachment_name="证明.pdf",
                                         attachment=b"%PDF-1.4 test") for a in (account, other))
    survey = survey_create(actor=None, org=tree.union_a1, name="会员评家", held_on=clock.today(), items=["服务会员"])
    return {
        "portal:index": None, "portal:privacy": None, "portal:join": None, "portal:pick_employer": None,
        "portal:pick_area": None, "portal:status": None,
        "portal:verify": ([token], ["1.k1.0.forged"]),  # public: a forged token reads as missing
        "portal:sign_in": None, "portal:activate": None, "portal:sign_out": None,
        "portal:home": None, "portal:card": None, "portal:card_qr": None, "portal:records": None,
        "portal:rights": None, "portal:rights_detail": ([r_in.pk], [r_out.pk]),
        "portal:help": None, "portal:surveys": None, "portal:survey_answer": ([survey.pk], [survey.pk + 1]),
        "portal:help_list": None, "portal:help_detail": ([h_in.pk], [h_out.pk]),
        "portal:help_file": ([h_in.pk], [h_out.pk]),
        "portal:applications": None, "portal:rights_list": None,
        "portal:application_detail": ([app_in.pk], [app_out.pk]),
        "portal:application_accept": ([app_in.pk], [app_out.pk]),
        "portal:application_refuse": ([app_in.pk], [app_out.pk]),
        "portal:code_reissue": ([m_in.pk], [m_out.pk]),
        "portal:rights_staff_detail": ([r_in.pk], [r_out.pk]),
    }
