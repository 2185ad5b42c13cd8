"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""


def cases(tree, personas):
    from gonghui.petitions import services
    from tests.petitions.conftest import make_mediation, make_petition

    p_in = make_petition(tree.union_a1)
    p_out = make_petition(tree.union_b1)
    e_in = services.extension_request(actor=None, petition=services.petition_accept(
        actor=None, petition=p_in, notice_on=p_in.received_on), requested_on=p_in.received_on, reason="复杂")
    e_out = services.extension_request(actor=None, petition=services.petition_accept(
        actor=None, petition=p_out, notice_on=p_out.received_on), requested_on=p_out.received_on, reason="复杂")
    m_in, m_out = make_mediation(tree.union_a1), make_mediation(tree.union_b1)
    a_in = services.attachment_add(actor=None, petition=p_in, name="来信.pdf", content=b"%PDF-1.4")
    a_out = services.attachment_add(actor=None, petition=p_out, name="来信.pdf", content=b"%PDF-1.4")
    petition = ([p_in.pk], [p_out.pk])
    mediation = ([m_in.pk], [m_out.pk])
    return {
        "petitions:index": None, "petitions:register": None, "petitions:extensions": None,
        "petitions:absences": None, "petitions:export": None, "petitions:table": None,
        "petitions:mediation_list": None, "petitions:mediation_new": None,
        "petitions:detail": petition, "petitions:reveal": petition, "petitions:attachment_upload": petition,
        "petitions:attachment_download": ([a_in.pk], [a_out.pk]),
        "petitions:act": ([p_in.pk, "progress"], [p_out.pk, "progress"]),
        "petitions:extension_decide": ([e_in.pk], [e_out.pk]),
        "petitions:mediation_detail": mediation, "petitions:mediation_reveal": mediation,
        "petitions:mediation_act": ([m_in.pk, "session"], [m_out.pk, "session"]),
    }
