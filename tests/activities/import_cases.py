"""Rows the town clerk (业务经办 on 甲镇) may import, for the import pages' tests
(tests/core/test_import_pages.py)."""

import datetime as dt

from gonghui.activities import services
from gonghui.activities.models import ActivityKind
from gonghui.members import services as member_services
from tests.members.conftest import make_id


def samples(tree, personas):
    kind = ActivityKind.objects.get(code="women_training")
    activity = services.activity_create(actor=None, org=tree.union_a1, kind=kind, title="女职工培训",
                                        start_on=dt.date(2026, 3, 8), sessions=2)
    people = [member_services.member_join(actor=None, union=tree.union_a1, name=name, id_number=make_id(seq=300 + i),
                                          joined_on=dt.date(2024, 1, 2)).person
              for i, name in enumerate(("赵一", "钱二"))]
    return {
        "activities": [
            {"主办单位编码": "A1", "活动类型": "女职工培训", "活动名称": "女职工技能培训", "开始日期": "2026-03-01",
             "期数/场次": "2", "人数": "40", "人次": "75"},
            {"主办单位编码": "A", "活动类型": "走访企业", "活动名称": "走访非公企业", "开始日期": "2026-03-02",
             "结束日期": "2026-03-05", "期数/场次": "3", "覆盖单位数（家）": "12"},
        ],
        "activities_attendance": [
            {"活动编号": str(activity.pk), "姓名": p.name, "身份证号码": p.id_number, "参加次数": "2"}
            for p in people
        ],
    }
