"""Exports of the 劳模 list and the honours list (`gonghui export honours_workers`); the ID number
appears masked, in full only on rows where the user holds honours.view_sensitive, and such an
export is written to the access log."""

from __future__ import annotations

from gonghui.core import audit, exports, scope

from .models import Honour, ModelWorker

WORKER_HEADERS = ("姓名", "性别", "公民身份号码", "管理单位", "所在单位", "行业", "现状", "最高待遇级别", "称号",
                  "国家工作人员", "中共党员", "困难劳模", "联系电话", "登记日期")


def _yes(v: bool) -> str:
    return "是" if v else "否"


@exports.register
class WorkerList(exports.Exporter):
    key = "honours_workers"
    title = "劳模名册"
    permission = "honours.view"
    headers = WORKER_HEADERS
    text_columns = (2, 12)

    def queryset(self):
        qs = scope.visible(ModelWorker.objects.select_related("org"), self.user, self.permission)
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("org__path", self.org.path))
        return qs.prefetch_related("titles").order_by("org__path", "name", "id")

    def rows(self):
        self.full = 0
        sensitive = scope.paths_with(self.user, "honours.view_sensitive")
        for w in self.queryset().iterator(chunk_size=2000):
            full = any(w.org.path.startswith(p) for p in sensitive)
            self.full += full
            titles = "；".join(f"{t.year}年{t.name}（{t.get_level_display()}）" for t in w.titles.all())
            yield [w.name, w.get_gender_display(), w.id_number if full else w.id_masked, w.org.name, w.employer_name,
                   w.industry, w.get_status_display(), w.get_highest_level_display(), titles,
                   _yes(w.is_civil_servant), _yes(w.is_party_member), _yes(w.is_hardship),
                   w.phone if full else w.phone_masked, w.registered_on]

    def log(self, n: int) -> None:
        audit.log_access(user=self.user, kind="export", object_type="honours.modelworker",
                         fields=["id_number", "phone"] if getattr(self, "full", 0) else ["id_masked"],
                         reason=f"导出劳模名册{n}人", org_path=self.org.path if self.org else "")


@exports.register
class HonourList(exports.Exporter):
    key = "honours_honours"
    title = "荣誉名录"
    permission = "honours.view"
    headers = ("获得者", "对象", "荣誉类别", "级别", "授予单位", "年度", "申报单位", "状态", "申报日期", "命名日期",
               "复查日期")

    def rows(self):
        qs = scope.visible(Honour.objects.select_related("org"), self.user, self.permission)
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("org__path", self.org.path))
        for h in qs.order_by("-year", "org__path", "id").iterator(chunk_size=2000):
            yield [h.recipient_name, h.get_recipient_display(), h.get_honour_type_display(), h.get_level_display(),
                   h.issuer, h.year, h.org.name, h.get_status_display(), h.applied_on, h.named_on, h.recheck_on]
