"""The read resources of the rows honours and activities showed only inside a parent's page (an
honour's steps, rechecks and scores, 职工之家回头看, indicator systems, 会员评家 and its forms,
contest entries, a title's levels; activity kinds, attendance lists, attachments, a post's days and
volunteer shifts, visits to persons): their operations for the permission matrix
(tests/api/test_matrix.py) and one object of each kind under 甲 and one under 乙, made through the
lines' services on their own (after line_reads.make in the matrix: that module finds its union's
one model worker before these add theirs, and these take its 职工之家 rating): {kind: ((id, org path) under 甲, (…) under 乙)}. A SHARED
kind's rows are seen by every holder of the permission (activity kinds: the system's list)."""

import datetime as dt

D = dt.date

READS = [  # (list path, permission, kind)
    ("/api/v1/honour-steps/", "honours.view", "honour_step"),
    ("/api/v1/honour-rechecks/", "honours.view", "honour_recheck"),
    ("/api/v1/home-rechecks/", "honours.view", "home_recheck"),
    ("/api/v1/indicator-systems/", "honours.view", "indicator_system"),
    ("/api/v1/honour-scores/", "honours.view", "honour_score"),
    ("/api/v1/surveys/", "honours.view", "survey"),
    ("/api/v1/survey-responses/", "honours.view", "survey_response"),
    ("/api/v1/contest-entries/", "honours.view", "contest_entry"),
    ("/api/v1/title-levels/", "honours.view", "title_level"),
    ("/api/v1/activity-kinds/", "activities.view", "activity_kind"),
    ("/api/v1/attendance/", "activities.view", "attendance"),
    ("/api/v1/activity-attachments/", "activities.view", "activity_attachment"),
    ("/api/v1/post-visit-days/", "activities.view", "post_visit_day"),
    ("/api/v1/volunteer-shifts/", "activities.view", "volunteer_shift"),
    ("/api/v1/person-visits/", "activities.view", "person_visit"),
]
OPERATIONS = [op for path, perm, kind in READS for op in (("GET", path, perm, None),
                                                           ("GET", f"{path}{{id}}/", perm, kind))]
KINDS = {path: kind for path, _perm, kind in READS}
SHARED = {"activity_kind"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _pair(rows, path=lambda o: o.org.path):
    return tuple((o.pk, path(o)) for o in rows)


def honours(tree):
    from gonghui.honours import services
    from gonghui.honours.models import HomeRating, HonourStatus
    from tests.members.conftest import make_id

    out: dict[str, list] = {k: [] for k in ("honour_step", "honour_recheck", "home_recheck", "indicator_system",
                                            "honour_score", "survey", "survey_response", "contest_entry",
                                            "title_level")}
    for union, town, seq in ((tree.union_a1, tree.town_a, 620), (tree.union_b1, tree.town_b, 621)):
        system = services.indicator_system_create(
            actor=None, org=town, name=f"{town.name}模范职工之家考核", honour_type="model_home",
            indicators=[{"name": "组织建设", "weight": 40, "children": [{"name": "依法选举", "weight": 20},
                                                                    {"name": "机构健全", "weight": 20}]},
                        {"name": "服务职工", "weight": 60}])
        h = services.honour_apply(actor=None, org=union, recipient="collective", recipient_name=union.name,
                                  honour_type="model_home", level="county", issuer="县总工会", year=2025,
                                  applied_on=D(2025, 3, 1))
        leaves = {i.name: i.pk for i in services.leaves(system)}
        services.honour_score(actor=None, honour=h, stage="self", system=system, on=D(2025, 3, 5),
                              scores={leaves["依法选举"]: 18, leaves["机构健全"]: "19.5", leaves["服务职工"]: 55})
        for to, day in ((HonourStatus.REVIEW, 10), (HonourStatus.NOTICE, 20), (HonourStatus.NAMED, 30)):
            services.honour_move(actor=None, honour=h, to=to, on=D(2025, 3, day))
        out["honour_step"].append(h.steps.order_by("pk").first())
        out["honour_recheck"].append(services.honour_recheck(actor=None, honour=h, on=D(2026, 3, 1), inspector="县总工会",
                                                             findings="制度健全", outcome="keep"))
        out["honour_score"].append(h.scores.order_by("pk").first())
        out["indicator_system"].append(system)
        # the matrix's line_reads rated the union already (a second rating in force is refused)
        rating = (HomeRating.objects.filter(org=union, revoked_on__isnull=True).first()
                  or services.home_rate(actor=None, org=union, level="county", rated_on=D(2024, 6, 1)))
        out["home_recheck"].append(services.home_recheck(actor=None, rating=rating, on=D(2025, 6, 1), inspector="县总工会",
                                                         findings="活动正常", outcome="keep"))
        survey = services.survey_create(actor=None, org=union, name="2025年会员评家", held_on=D(2025, 3, 5),
                                        items=["维护权益", "服务职工"], threshold=80)
        services.survey_answers_add(actor=None, survey=survey, questionnaires=[
            {"维护权益": "满意", "服务职工": "基本满意"}, {"维护权益": "不满意", "服务职工": "满意"}])
        out["survey"].append(survey)
        out["survey_response"].append(survey.responses.order_by("pk").first())
        contest = services.contest_create(actor=None, org=town, name="电工比武", kind="skill",
                                          start_on=D(2025, 5, 1), end_on=D(2025, 5, 31), events=["电工"])
        out["contest_entry"].append(services.entry_add(actor=None, event=contest.events.get(), org=union, name="选手",
                                                       rank=1, score="95.5", award="一等奖", prize=1000))
        worker = services.worker_create(actor=None, org=union, name="称号劳模", id_number=make_id(seq=seq),
                                        registered_on=D(2024, 1, 1))
        title = services.title_add(actor=None, worker=worker, name="省劳动模范", level="provincial", year=2021)
        out["title_level"].append(title.levels.get())
    paths = {"honour_step": lambda o: o.honour.org.path, "honour_recheck": lambda o: o.honour.org.path,
             "honour_score": lambda o: o.honour.org.path, "home_recheck": lambda o: o.rating.org.path,
             "survey_response": lambda o: o.survey.org.path, "contest_entry": lambda o: o.event.contest.org.path,
             "title_level": lambda o: o.title.worker.org.path}
    return {k: _pair(v, paths.get(k, lambda o: o.org.path)) for k, v in out.items()}


def activities(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gonghui.activities import services
    from gonghui.activities.models import ActivityKind
    from gonghui.members import services as member_services
    from tests.members.conftest import make_id

    kind = ActivityKind.objects.get(code="women_training")
    out: dict[str, list] = {k: [] for k in ("attendance", "activity_attachment", "post_visit_day", "volunteer_shift",
                                            "person_visit")}
    for union, seq in ((tree.union_a1, 630), (tree.union_b1, 631)):
        person = member_services.member_join(actor=None, union=union, name="参训会员", id_number=make_id(seq=seq),
                                             joined_on=D(2024, 1, 2), phone="13800138000").person
        a = services.activity_create(actor=None, org=union, kind=kind, title="女职工培训", start_on=D(2025, 3, 1))
        services.attendance_add(actor=None, activity=a, person=person, times=2)
        out["attendance"].append(a.attendance.get())
        out["activity_attachment"].append(services.attachment_add(
            actor=None, activity=a, file=SimpleUploadedFile("照片.png", PNG), name="培训照片"))
        post = services.post_create(actor=None, org=union, type="care", name="爱心驿站", opened_on=D(2025, 1, 1))
        out["post_visit_day"].append(services.post_visits_record(actor=None, post=post, on=D(2025, 3, 2), visits=12))
        out["volunteer_shift"].append(services.volunteer_record(actor=None, post=post, on=D(2025, 3, 2), volunteer="志愿者",
                                                                hours="2.5"))
        out["person_visit"].append(services.person_visit_create(actor=None, org=union, person=person, kind="warmth",
                                                                visited_on=D(2025, 1, 20), amount="500"))
    lecture = ActivityKind.objects.get(code="lecture")
    paths = {"attendance": lambda o: o.activity.org.path, "activity_attachment": lambda o: o.activity.org.path,
             "post_visit_day": lambda o: o.post.org.path, "volunteer_shift": lambda o: o.post.org.path}
    return {"activity_kind": ((lecture.pk, ""), (lecture.pk, "")),
            **{k: _pair(v, paths.get(k, lambda o: o.org.path)) for k, v in out.items()}}


def make(tree, personas) -> dict:
    return {**honours(tree), **activities(tree)}
