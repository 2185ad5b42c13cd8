"""The activities line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.activities import services
from gonghui.activities.models import ActivityKind
from gonghui.members import services as member_services
from tests.members.conftest import make_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

D = dt.date


def cases(tree, personas):
    kind = ActivityKind.objects.get(code="lecture")
    a_in = services.activity_create(actor=None, org=tree.union_a1, kind=kind, title="讲座甲", start_on=D(2025, 3, 1))
    a_out = services.activity_create(actor=None, org=tree.union_b1, kind=kind, title="讲座乙", start_on=D(2025, 3, 1))
    p_in = services.post_create(actor=None, org=tree.town_a, type="centre", name="甲镇服务中心", opened_on=D(2024, 1, 1))
    p_out = services.post_create(actor=None, org=tree.town_b, type="centre", name="乙街道服务中心",
                                 opened_on=D(2024, 1, 1))
    finding = {"kind": "hazard", "description": "隐患", "due_on": D(2025, 3, 20)}
    i_in = services.inspection_create(actor=None, org=tree.town_a, kind="supervision", inspected_on=D(2025, 3, 1),
                                      findings=[finding])
    i_out = services.inspection_create(actor=None, org=tree.town_b, kind="supervision", inspected_on=D(2025, 3, 1),
                                       findings=[finding])
    listed = ActivityKind.objects.get(code="women_training")
    t_in = services.activity_create(actor=None, org=tree.union_a1, kind=listed, title="培训甲", start_on=D(2025, 3, 1))
    t_out = services.activity_create(actor=None, org=tree.union_b1, kind=listed, title="培训乙", start_on=D(2025, 3, 1))
    f_in, f_out = (services.attachment_add(actor=None, activity=a, file=SimpleUploadedFile("照片.png", PNG))
                   for a in (a_in, a_out))
    people = [member_services.member_join(actor=None, union=u, name=f"走访{i}", id_number=make_id(seq=380 + i),
                                          joined_on=D(2024, 1, 2)).person
              for i, u in enumerate((tree.union_a1, tree.union_b1))]
    v_in = services.person_visit_create(actor=None, org=tree.union_a1, person=people[0], kind="warmth",
                                        visited_on=D(2025, 1, 20))
    v_out = services.person_visit_create(actor=None, org=tree.union_b1, person=people[1], kind="warmth",
                                         visited_on=D(2025, 1, 20))
    return {
        "activities:attendees": ([t_in.pk], [t_out.pk]), "activities:attendee_remove": ([t_in.pk], [t_out.pk]),
        "activities:attachment_add": ([a_in.pk], [a_out.pk]),
        "activities:attachment_open": ([f_in.pk], [f_out.pk]), "activities:attachment_delete": ([f_in.pk], [f_out.pk]),
        "activities:ankang": None, "activities:ankang_create": None,
        "activities:visits": None, "activities:visit_create": None,
        "activities:visit_detail": ([v_in.pk], [v_out.pk]),
        "activities:index": None, "activities:export": None, "activities:create": None, "activities:copy_year": None,
        "activities:detail": ([a_in.pk], [a_out.pk]), "activities:edit": ([a_in.pk], [a_out.pk]),
        "activities:delete": ([t_in.pk], [t_out.pk]),
        "activities:kinds": None, "activities:kind_create": None,
        "activities:kind_edit": ([kind.pk], [10**9]),  # kinds are shared: only a missing one is out of reach
        "activities:posts": None, "activities:posts_export": None, "activities:post_create": None,
        "activities:post_detail": ([p_in.pk], [p_out.pk]), "activities:post_visits": ([p_in.pk], [p_out.pk]),
        "activities:post_volunteer": ([p_in.pk], [p_out.pk]), "activities:post_visitor": ([p_in.pk], [p_out.pk]),
        "activities:inspections": None, "activities:inspections_export": None, "activities:inspection_create": None,
        "activities:inspection_detail": ([i_in.pk], [i_out.pk]), "activities:finding_add": ([i_in.pk], [i_out.pk]),
        "activities:finding_close": ([i_in.findings.get().pk], [i_out.findings.get().pk]),
        "activities:publicity": None, "activities:publicity_export": None, "activities:publicity_create": None,
    }
