"""Exports of the 劳模 list and the honours list (`gonghui export honours_workers`); the ID number
appears masked, in full only on rows where the user holds honours.view_sensitive, and such an
export is written to the access log."""

from __future__ import annotations

from gonghui.core import audit, exports, scope

from .models import Entry, HomeRating, Honour, Innovation, InnovationKind, ModelWorker

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


def _under(qs, user, org, path_field: str = "org__path"):
    """The rows the user may see (by `path_field`, as the list page scopes them), under `org` if given."""
    qs = scope.visible(qs, user, "honours.view", path_field)
    return qs.filter(scope.subtree_q(path_field, org.path)) if org is not None else qs


@exports.register
class HomeList(exports.Exporter):
    """职工之家评定名录: every rating in scope (or under `org`), the revoked and replaced ones with the
    date they ended, so the list a county keeps of its 职工之家 comes out of the system as it is."""

    key = "honours_homes"
    title = "职工之家评定名录"
    permission = "honours.view"
    headers = ("基层工会", "级别", "命名日期", "命名单位", "状态", "撤销/被替代日期", "下次回头看", "整改期限")

    def rows(self):
        qs = _under(HomeRating.objects.select_related("org"), self.user, self.org)
        for r in qs.order_by("org__path", "-rated_on", "id").iterator(chunk_size=2000):
            yield [r.org.name, r.get_level_display(), r.rated_on, r.issuer, "已撤销/被替代" if r.revoked_on else "有效",
                   r.revoked_on, None if r.revoked_on else r.recheck_on, None if r.revoked_on else r.rectify_by]


@exports.register
class ContestResults(exports.Exporter):
    """竞赛成绩: every entry of the contests in scope (or organised under `org`), one row an entry with
    its result; no ID numbers (the page shows none either)."""

    key = "honours_contest_results"
    title = "竞赛成绩"
    permission = "honours.view"
    headers = ("竞赛名称", "类别", "组织单位", "开始日期", "结束日期", "项目", "参赛者", "所在工会", "队伍", "名次", "成绩",
               "奖项", "获得称号", "奖金(元)")

    def rows(self):
        qs = _under(Entry.objects.select_related("event__contest__org", "org", "team_ref"), self.user, self.org,
                    "event__contest__org__path")
        for e in qs.order_by("-event__contest__start_on", "event__contest_id", "event__name", "rank", "id").iterator(
                chunk_size=2000):
            c = e.event.contest
            yield [c.name, c.get_kind_display(), c.org.name, c.start_on, c.end_on, e.event.name, e.name, e.org.name,
                   e.team_ref.name if e.team_ref else e.team, e.rank, e.score, e.award, e.title_earned, e.prize]


@exports.register
class InnovationList(exports.Exporter):
    """合理化建议与技术创新台账: the items in scope (or under `org`), of one kind when `kind` is given,
    with their status, decision date, benefit and reward."""

    key = "honours_innovations"
    title = "合理化建议与技术创新台账"
    permission = "honours.view"
    params_help = {"kind": "类别：suggestion（合理化建议）或 innovation（技术创新成果），不填为全部"}
    headers = ("类别", "名称", "提出人", "班组/集体", "工会", "提出日期", "状态", "采纳日期", "创造经济效益(元)", "奖励(元)")

    def rows(self):
        qs = _under(Innovation.objects.select_related("org", "team"), self.user, self.org)
        if self.params.get("kind") in InnovationKind.values:
            qs = qs.filter(kind=self.params["kind"])
        for i in qs.order_by("-submitted_on", "-id").iterator(chunk_size=2000):
            yield [i.get_kind_display(), i.title, i.proposer, i.team.name if i.team else "", i.org.name, i.submitted_on,
                   i.get_status_display(), i.decided_on, i.benefit, i.reward]
