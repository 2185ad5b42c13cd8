"""The activities line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

import datetime as dt

from gonghui.activities import services
from gonghui.activities.models import ActivityKind

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
    return {
        "activities:index": None, "activities:export": None, "activities:create": None, "activities:copy_year": None,
        "activities:detail": ([a_in.pk], [a_out.pk]), "activities:edit": ([a_in.pk], [a_out.pk]),
        "activities:kinds": None, "activities:kind_create": None,
        "activities:kind_edit": ([kind.pk], [10**9]),  # kinds are shared: only a missing one is out of reach
        "activities:posts": None, "activities:post_create": None,
        "activities:post_detail": ([p_in.pk], [p_out.pk]), "activities:post_visits": ([p_in.pk], [p_out.pk]),
        "activities:post_volunteer": ([p_in.pk], [p_out.pk]),
        "activities:inspections": None, "activities:inspection_create": None,
        "activities:inspection_detail": ([i_in.pk], [i_out.pk]), "activities:finding_add": ([i_in.pk], [i_out.pk]),
        "activities:finding_close": ([i_in.findings.get().pk], [i_out.findings.get().pk]),
        "activities:publicity": None, "activities:publicity_create": None,
    }
