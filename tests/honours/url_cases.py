"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

D = dt.date


def _records(union, seq):
    from gonghui.honours import services
    from tests.members.conftest import make_id

    w = services.worker_create(actor=None, org=union, name="劳模", id_number=make_id(seq=seq), registered_on=D(2024, 1, 1))
    t = services.title_add(actor=None, worker=w, name="县劳动模范", level="county", year=2020)
    c = services.campaign_create(actor=None, org=union, name="体检", kind="checkup", start_on=D(2025, 1, 1),
                                 end_on=D(2025, 12, 31))
    h = services.honour_apply(actor=None, org=union, recipient="collective", recipient_name="班组", honour_type="pioneer",
                              level="county", issuer="县总工会", year=2025, applied_on=D(2025, 3, 1))
    s = services.survey_create(actor=None, org=union, name="会员评家", held_on=D(2025, 5, 1), items=["维权"])
    k = services.contest_create(actor=None, org=union, name="技能竞赛", kind="skill", start_on=D(2025, 5, 1),
                                end_on=D(2025, 5, 2), events=["电工"])
    r = services.home_rate(actor=None, org=union, level="qualified", rated_on=D(2025, 1, 1))
    return w, t, c, h, (s, k, r)


def cases(tree, personas):
    w_in, t_in, c_in, h_in, (s_in, k_in, r_in) = _records(tree.union_a1, 451)
    w_out, t_out, c_out, h_out, (s_out, k_out, r_out) = _records(tree.union_b1, 452)
    worker = ([w_in.pk], [w_out.pk])
    return {
        "honours:index": None, "honours:worker_export": None, "honours:worker_create": None,
        "honours:campaigns": None, "honours:campaign_create": None, "honours:honours": None,
        "honours:honour_export": None, "honours:honour_apply": None, "honours:homes": None, "honours:home_rate": None,
        "honours:home_export": None, "honours:contest_export": None, "honours:innovation_export": None,
        "honours:home_detail": ([r_in.pk], [r_out.pk]),
        "honours:worker_detail": worker, "honours:worker_reveal": worker, "honours:title_add": worker,
        "honours:title_regrade": worker, "honours:innovations": None, "honours:pick_teams": None,
        "honours:care_add": worker, "honours:title_remove": ([t_in.pk], [t_out.pk]),
        "honours:campaign_detail": ([c_in.pk], [c_out.pk]),
        "honours:campaign_serve": ([c_in.pk, w_in.pk], [c_out.pk, w_out.pk]),
        "honours:honour_detail": ([h_in.pk], [h_out.pk]),
        "honours:surveys": None, "honours:survey_create": None, "honours:indicator_systems": None,
        "honours:indicator_system_create": None, "honours:survey_detail": ([s_in.pk], [s_out.pk]),
        "honours:contests": None, "honours:contest_create": None, "honours:contest_detail": ([k_in.pk], [k_out.pk]),
    }
