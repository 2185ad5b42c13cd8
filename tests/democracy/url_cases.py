"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

from gonghui.democracy import services as s

from .conftest import make_congress


def cases(tree, personas):
    c_in, t_in, ds_in = make_congress(tree, delegates=3)
    c_out, t_out, ds_out = make_congress(tree, key="b1", delegates=3)

    def proposal(c, ds):
        return s.proposal_file(actor=None, congress=c, title="提案", content="内容", category="pay", proposer=ds[0],
                               filed_on=dt.date(2026, 3, 2))

    def disclosure(org, emp):
        return s.disclosure_record(actor=None, org=org, employer=emp, kind="workplace", form="board", issue_no=1,
                                   disclosed_on=dt.date(2026, 3, 1), title="公开", items=[("operations", "经营")])

    p_in, p_out = proposal(c_in, ds_in), proposal(c_out, ds_out)
    d_in, d_out = disclosure(tree.union_a1, tree.emp["a1"]), disclosure(tree.union_b1, tree.emp["b1"])
    return {
        "democracy:index": None, "democracy:congress_create": None, "democracy:proposals": None,
        "democracy:proposals_export": None, "democracy:disclosures": None, "democracy:disclosure_create": None,
        "democracy:disclosures_export": None, "democracy:establishment": None,
        "democracy:congresses_export": None, "democracy:establishment_export": None,
        "democracy:disclosure_system_create": None,
        "democracy:congress_detail": ([c_in.pk], [c_out.pk]),
        "democracy:delegates_export": ([c_in.pk], [c_out.pk]),
        "democracy:congress_step": ([c_in.pk, "session"], [c_out.pk, "session"]),
        "democracy:delegate_remove": ([ds_in[1].pk], [ds_out[1].pk]),
        "democracy:proposal_detail": ([p_in.pk], [p_out.pk]),
        "democracy:proposal_step": ([p_in.pk, "accept"], [p_out.pk, "accept"]),
        "democracy:disclosure_detail": ([d_in.pk], [d_out.pk]),
        "democracy:disclosure_step": ([d_in.pk, "opinion"], [d_out.pk, "opinion"]),
    }
