"""Exporters of the 活动与阵地 line (`gonghui export activities`): the activity ledger in the
import's columns, for the user's scope (and a node's subtree)."""

from gonghui.core import exports, scope

from .models import Activity

EXPORT_HEADERS = ["主办单位编码", "主办单位", "活动类型", "活动名称", "开始日期", "结束日期", "期数/场次", "人数", "人次",
                  "覆盖单位数（家）", "数量（项/条/份）", "金额（元）", "按签到名单统计", "地点", "协办单位", "备注"]


def export_rows(qs):
    for a in qs.select_related("org", "kind").order_by("start_on", "pk").iterator(chunk_size=2000):
        yield [a.org.code, a.org.name, a.kind.name, a.title, a.start_on, a.end_on, a.sessions, a.persons,
               a.person_times, a.units, a.items, a.amount, "是" if a.from_attendance else "否", a.place,
               a.co_organisers, a.note]


@exports.register
class ActivityLedger(exports.Exporter):
    key = "activities"
    title = "活动台账"
    permission = "activities.view"
    headers = tuple(EXPORT_HEADERS)
    text_columns = (0,)

    def rows(self):
        qs = scope.visible(Activity.objects.all(), self.user, self.permission)
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("org__path", self.org.path))
        if self.period is not None:
            qs = qs.filter(start_on__gte=self.period.start, start_on__lte=self.period.end)
        return export_rows(qs)
