"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt


def make_scheme(org, issue=True):
    from gonghui.appraisal import scoring, services
    from gonghui.core import clock

    s = services.scheme_create(actor=None, org=org, year=clock.today().year, title=f"{org.name}基层工会考核",
                               target_type="grassroots", total_score=10, grades=[["合格", 6], ["不合格", 0]])
    services.indicator_save(actor=None, scheme=s, code="1", name="组建率", max_score=6, rule_type=scoring.STEP,
                            params={"steps": [[90, 6], [50, 3]]}, metric_code="orgs.coverage_rate")
    services.indicator_save(actor=None, scheme=s, code="2", name="创新工作", max_score=4, rule_type=scoring.MANUAL)
    if issue:
        services.scheme_issue(actor=None, scheme=s)
    return s


def make_round(org, orgs):
    from gonghui.appraisal import services
    from gonghui.core import clock

    today = clock.today()
    return services.round_send(actor=None, org=org, title=f"{org.name}月报", period_start=today.replace(day=1),
                               period_end=today, deadline=today + dt.timedelta(days=5), orgs=orgs,
                               fields=[{"label": "新建工会数", "kind": "number", "required": True}])


def publish(s):
    from gonghui.appraisal import services

    for a in s.appraisals.select_related("org", "scheme"):
        for e in a.entries.select_related("indicator__parent", "appraisal__scheme", "appraisal__org").filter(
                indicator__rule_type="manual"):
            services.entry_self_score(actor=None, entry=e, self_score=1)
        services.appraisal_submit(actor=None, appraisal=a)
    services.scheme_publish(actor=None, scheme=s)
    return s


def cases(tree, personas):
    s_in, s_out = make_scheme(tree.town_a), make_scheme(tree.town_b)
    a_in = s_in.appraisals.get(org=tree.union_a1)
    a_out = s_out.appraisals.get(org=tree.union_b1)
    e_in, e_out = a_in.entries.first(), a_out.entries.first()
    i_in, i_out = s_in.indicators.first(), s_out.indicators.first()
    r_in, r_out = make_round(tree.town_a, [tree.union_a1, tree.union_a2]), make_round(tree.town_b, [tree.union_b1])
    sub_in, sub_out = r_in.submissions.first(), r_out.submissions.first()
    from gonghui.appraisal import uploads
    from gonghui.appraisal.models import Upload

    up_in, up_out = (Upload.objects.create(entry=e, org_path=e.appraisal.org_path, name="佐证.pdf",
                                           stored_name=uploads.write("佐证.pdf", b"%PDF"), size=4)
                     for e in (e_in, e_out))
    draft = ([make_scheme(tree.town_a, issue=False).pk], [make_scheme(tree.town_b, issue=False).pk])
    published = ([publish(make_scheme(tree.town_a)).pk], [s_out.pk])
    scheme, rnd = ([s_in.pk], [s_out.pk]), ([r_in.pk], [r_out.pk])
    return {
        "appraisal:index": None, "appraisal:scheme_new": None, "appraisal:round_new": None,
        "appraisal:scheme": scheme, "appraisal:indicator_add": scheme, "appraisal:scheme_issue": scheme,
        "appraisal:scheme_publish": scheme, "appraisal:scheme_export": scheme,
        "appraisal:indicator_remove": ([i_in.pk], [i_out.pk]),
        "appraisal:appraisal": ([a_in.pk], [a_out.pk]), "appraisal:appraisal_submit": ([a_in.pk], [a_out.pk]),
        "appraisal:charter": ([a_in.pk], [a_out.pk]),
        "appraisal:scheme_edit": draft, "appraisal:scheme_version": scheme, "appraisal:scheme_notice": published,
        "appraisal:entry_upload": ([e_in.pk], [e_out.pk]),
        "appraisal:upload": ([up_in.pk], [up_out.pk]), "appraisal:upload_remove": ([up_in.pk], [up_out.pk]),
        "appraisal:round_recurrence": rnd,
        "appraisal:entry_self": ([e_in.pk], [e_out.pk]), "appraisal:entry_review": ([e_in.pk], [e_out.pk]),
        "appraisal:round": rnd, "appraisal:round_close": rnd, "appraisal:round_remind": rnd,
        "appraisal:round_copy": rnd, "appraisal:round_export": rnd,
        "appraisal:submission": ([sub_in.pk], [sub_out.pk]),
        "appraisal:submission_judge": ([sub_in.pk, "accept"], [sub_out.pk, "accept"]),
    }
