"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py).

The member realm's pages (permission "member") send anyone without a portal session, staff
included, to /m/login/; that another member's identifiers give 404 is tested in
tests/portal/test_views.py."""


def cases(tree, personas):
    from gonghui.core import clock
    from gonghui.democracy import services as democracy_services
    from gonghui.honours.services import survey_create
    from gonghui.portal import services, services_member
    from tests.members.conftest import make_id
    from tests.portal.authenticator import SoftAuthenticator, register_passkey
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
    d_in, d_out = (_delegate(tree, key) for key in ("a1", "b1"))
    services_member.delegate_link(actor=None, delegate=d_in, id_number=make_id(seq=201))
    services_member.delegate_link(actor=None, delegate=d_out, id_number=make_id(seq=202))
    p_in, p_out = (democracy_services.proposal_file(actor=None, congress=d.term.congress, title="增加夜班餐",
                                                    content="理由", category="life", proposer=d,
                                                    filed_on=clock.today()) for d in (d_in, d_out))
    k_in, k_out = (register_passkey(a, SoftAuthenticator()) for a in (account, other))
    return {
        "portal:index": None, "portal:privacy": None, "portal:join": None, "portal:pick_employer": None,
        "portal:pick_area": None, "portal:status": None,
        "portal:verify": ([token], ["1.k1.0.forged"]),  # public: a forged token reads as missing
        "portal:sign_in": None, "portal:activate": None, "portal:sign_out": None,
        "portal:passkey_sign_in_options": None, "portal:passkey_sign_in": None,
        "portal:passkeys": None, "portal:passkey_options": None, "portal:passkey_add": None,
        "portal:passkey_remove": ([k_in.pk], [k_out.pk]),  # another member's: 404 (tests/portal/test_passkeys.py)
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
        "portal:transfer": None, "portal:pick_union": None, "portal:motions": None, "portal:motion_new": None,
        "portal:motion_detail": ([p_in.pk], [p_out.pk]),
        "portal:delegate_links": None, "portal:delegate_link": ([d_in.pk], [d_out.pk]),
        "portal:delegate_unlink": ([d_in.pk], [d_out.pk]),
    }


def _delegate(tree, key):
    """One delegate of a congress of the employer `key` (a1: 甲, b1: 乙), term running today."""
    import datetime as dt

    from gonghui.core import clock
    from gonghui.democracy import services as s
    from gonghui.democracy.models import Congress

    union = {"a1": tree.union_a1, "b1": tree.union_b1}[key]
    today = clock.today()
    # The democracy line's cases may have made the employer's congress already (one per employer).
    c = Congress.objects.filter(employer=tree.emp[key], ended_on__isnull=True).first() or s.congress_create(
        actor=None, org=union, name=f"{tree.emp[key].name}职工代表大会", established_on=dt.date(2024, 1, 10),
        employer=tree.emp[key])
    t = c.terms.filter(started_on__lte=today, ends_on__gte=today).first() or s.term_open(
        actor=None, congress=c, number=c.terms.count() + 1, started_on=max(c.established_on, dt.date(2024, 1, 10)),
        ends_on=max(today, dt.date(2028, 1, 9)), staff=tree.emp[key].headcount)
    return s.delegate_add(actor=None, term=t, name="代表甲" if key == "a1" else "代表乙", gender="M", constituency="一车间")
