"""Excel out: the congress list, the 建制情况 list (which employers lack a 职代会 or a 厂务公开
system), the 提案 register, the delegate lists (in the import's columns, so a list can be edited
and imported back) and the disclosure register."""

from __future__ import annotations

from django.db.models import Count

from gonghui.core import exports, scope

from . import selectors
from .imports import DelegateImporter
from .models import Congress, Delegate, Disclosure, Proposal

CONGRESS_HEADERS = ("名称", "形式", "范围", "用人单位", "覆盖单位数", "工作机构（工会）", "工会编码", "建立日期", "撤销日期")
ESTABLISHMENT_HEADERS = ("企业", "属地", "职工人数", "职代会", "职代会名称", "厂务公开制度")
CHUNK = 2000

PROPOSAL_HEADERS = ("提案编号", "案由", "类别", "提案人", "附议人", "提出日期", "状态", "审查日期", "不立案理由", "主办部门",
                    "会办部门", "答复期限", "答复日期", "办理结果", "提案人意见", "职代会", "所属工会")
DELEGATE_HEADERS = (*(c.header for c in DelegateImporter.columns), "职代会", "名单状态")
DISCLOSURE_HEADERS = ("类别", "公开形式", "期号", "公开日期", "标题", "公开项目数", "用人单位", "所属工会")


def congress_rows(qs):
    for c in qs.select_related("org", "employer").annotate(n_covered=Count("covered")).order_by(
            "-established_on", "-pk"):
        yield (c.name, c.get_kind_display(), c.get_scope_display(), c.employer.name if c.employer else "",
               c.n_covered or "", c.org.name, c.org.code, c.established_on, c.ended_on)


def establishment_rows(qs, at):
    """The 建制情况 page's rows for every employer of `qs`, a chunk at a time."""
    ids = list(qs.values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        own, regional, systems = selectors.establishment_marks(chunk, at)
        for e in qs.model.objects.filter(pk__in=chunk).select_related("org").order_by("name", "pk"):
            if e.pk in own:
                congress, name = "已建立", own[e.pk][1]
            elif e.pk in regional:
                congress, name = "区域性、行业性职代会覆盖", regional[e.pk][1]
            else:
                congress, name = "未建立", ""
            yield (e.name, e.org.short_name or e.org.name, e.headcount, congress, name,
                   "已建立" if e.pk in systems else "未建立")


def proposal_rows(qs):
    cosigners: dict[int, list[str]] = {}
    for pid, name in Proposal.cosigners.through.objects.filter(proposal__in=qs).values_list(
            "proposal_id", "delegate__name"):
        cosigners.setdefault(pid, []).append(name)
    for p in qs.select_related("org", "congress", "proposer").order_by("-filed_on", "pk"):
        yield (p.number, p.title, p.get_category_display(), p.proposer.name, "、".join(cosigners.get(p.pk, [])),
               p.filed_on, p.get_status_display(), p.decided_on, p.reject_reason, p.lead_dept, p.assist_depts,
               p.due_on, p.answered_on, p.get_result_code_display() if p.result_code else "",
               p.get_feedback_display() if p.feedback else "", p.congress.name, p.org.name)


def delegate_rows(qs):
    for d in qs.select_related("term__congress__org").order_by("term__congress__org__path", "term__number",
                                                                  "constituency", "pk"):
        t = d.term
        yield (t.congress.org.code, t.number, d.name, d.get_gender_display(), d.constituency,
               "是" if d.is_manager else "否", "是" if d.is_frontline else "否", t.congress.name,
               t.get_list_status_display())


def disclosure_rows(qs):
    for d in qs.select_related("org", "employer").order_by("-disclosed_on", "pk"):
        yield (d.get_kind_display(), d.get_form_display(), d.issue_no, d.disclosed_on, d.title, d.item_count,
               d.employer.name if d.employer else "", d.org.name)


class _Under(exports.Exporter):
    path_field = "org__path"
    model = None

    def queryset(self):
        qs = scope.visible(self.model.objects.all(), self.user, self.permission, self.path_field)
        if self.org is not None:
            qs = qs.filter(scope.subtree_q(self.path_field, self.org.path))
        return qs


@exports.register
class CongressList(_Under):
    key = "democracy_congresses"
    title = "职工代表大会"
    permission = "democracy.view"
    headers = CONGRESS_HEADERS
    text_columns = (6,)
    model = Congress

    def rows(self):
        return congress_rows(self.queryset())


@exports.register
class ProposalRegister(_Under):
    key = "democracy_proposals"
    title = "职工代表提案"
    permission = "democracy.view"
    headers = PROPOSAL_HEADERS
    model = Proposal

    def rows(self):
        return proposal_rows(self.queryset())


@exports.register
class DelegateList(_Under):
    key = "democracy_delegates"
    title = "职工代表名单"
    permission = "democracy.view"
    headers = DELEGATE_HEADERS
    text_columns = (0,)
    model = Delegate
    path_field = "term__congress__org__path"

    def rows(self):
        return delegate_rows(self.queryset())


@exports.register
class DisclosureRegister(_Under):
    key = "democracy_disclosures"
    title = "厂务公开和会务公开"
    permission = "democracy.view"
    headers = DISCLOSURE_HEADERS
    model = Disclosure

    def rows(self):
        return disclosure_rows(self.queryset())
