"""Excel out: the enrolled people (参保人员名单) in the import's first columns, and the claims
ledger (理赔台账, without diagnoses)."""

from __future__ import annotations

from gonghui.core import exports, scope

from .models import Claim, Item


def item_rows(qs):
    for i in qs.select_related("union", "plan", "batch").order_by("path", "batch_id", "row_no", "pk"):
        yield (i.row_no, i.name, i.id_masked, i.units, i.union.code, i.plan.code, i.enrolled_on, i.batch.no,
               i.premium, i.sum_insured, i.start_on, i.cover_end, i.waiting_until, "是" if i.is_renewal else "否",
               i.get_status_display(), i.union.name)


ITEM_HEADERS = ("序号", "姓名", "公民身份号码", "份数", "参保单位编码", "项目代码", "参保日期", "参保单号", "保费(元)",
                "保障金额(元)", "保障起始日", "保障终止日", "等待期截止日", "续保", "状态", "参保单位")


@exports.register
class EnrolledPeople(exports.Exporter):
    """`gonghui export mutual_aid_items`: every item under the org (ID numbers masked)."""

    key = "mutual_aid_items"
    title = "互助保障参保人员名单"
    permission = "mutual_aid.view"
    headers = ITEM_HEADERS
    text_columns = (2, 4, 5, 7)

    def rows(self):
        qs = scope.visible(Item.objects.all(), self.user, self.permission, "union__path")
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("path", self.org.path))
        return item_rows(qs)


CLAIM_HEADERS = ("理赔编号", "参保人", "参保单位", "登记日期", "确诊日期", "就诊医院", "治疗方式", "给付结论",
                 "核定金额(元)", "状态", "给付日期", "实付金额(元)")


def claim_rows(qs):
    for c in qs.select_related("union", "item").order_by("registered_on", "pk"):
        yield (c.no, c.item.name, c.union.name, c.registered_on, c.diagnosed_on, c.hospital,
               c.get_treatment_display(), c.get_decision_display(), c.amount, c.get_status_display(), c.paid_on,
               c.paid_amount)


@exports.register
class ClaimLedger(exports.Exporter):
    """`gonghui export mutual_aid_claims`: the claims under the org, never the diagnosis."""

    key = "mutual_aid_claims"
    title = "互助保障理赔台账"
    permission = "mutual_aid.view"
    headers = CLAIM_HEADERS
    text_columns = (0,)

    def rows(self):
        qs = scope.visible(Claim.objects.all(), self.user, self.permission, "union__path")
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("path", self.org.path))
        return claim_rows(qs)
