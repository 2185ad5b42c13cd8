"""The case ledger (信访台账) as xlsx.

The ledger writes petitioners' names, ID numbers and phones in full only for cases whose
union the user holds `petitions.view_sensitive` on; otherwise masked. Every ledger export
writes one access-log entry saying how many rows carried full data. The standard petition
table (信访统计表) is declared in metrics.py and rendered by the reports app.
"""

from __future__ import annotations

import datetime as dt
import io

from django.db.models import Prefetch

from gonghui.core import audit, clock, crypto, excel, exports, scope

from .models import Petitioner, mask_name

LEDGER_HEADERS = (
    "编号", "承办单位", "渠道", "转办单位", "转办文号", "收到日期", "信访人", "证件号码", "联系电话", "涉及人数",
    "群体性", "所涉单位", "诉求类别", "事由", "诉求金额(元)", "状态", "受理告知期限", "告知日期", "办结期限",
    "答复日期", "处理结果", "追回金额(元)", "办结日期", "满意度", "是否逾期",
)
TEXT_COLUMNS = (0, 4, 7, 8)


class LedgerRows:
    def __init__(self, user, qs, today: dt.date):
        self.user, self.qs, self.today, self.full, self._cache = user, qs, today, 0, {}

    def _may_see(self, path: str) -> bool:
        if path not in self._cache:
            self._cache[path] = scope.has_perm(self.user, "petitions.view_sensitive", path)
        return self._cache[path]

    def __iter__(self):
        qs = self.qs.prefetch_related(Prefetch("petitioners", queryset=Petitioner.objects.order_by("id")))
        for p in qs.iterator(chunk_size=500):
            people = list(p.petitioners.all())
            lead = people[0] if people else None
            full = self._may_see(p.org.path)
            self.full += full
            name = (lead.name if full else mask_name(lead.name)) if lead else ""
            if p.people_count > 1:
                name += f"等{p.people_count}人"
            yield [
                p.number, p.org.name, p.get_channel_display(), p.source_org_name, p.source_ref, p.received_on, name,
                (crypto.decrypt(lead.id_cipher) if full else lead.id_masked) if lead else "",
                (crypto.decrypt(lead.phone_cipher) if full else lead.phone_masked) if lead else "",
                p.people_count, "是" if p.is_group else "否", p.employer_name, p.category_label, p.title,
                float(p.amount_claimed), p.get_status_display(), p.notice_due, p.notice_on, p.close_due,
                p.replied_on, p.get_result_display(), float(p.amount_recovered), p.closed_on,
                p.get_satisfaction_display(), "是" if p.overdue_on(self.today) or p.notice_late or p.close_late else "否",
            ]


def ledger(user, qs, today: dt.date, describe: str = "") -> bytes:
    out = io.BytesIO()
    rows = LedgerRows(user, qs, today)
    n = excel.write_table(out, LEDGER_HEADERS, rows, sheet_name="信访台账", text_columns=TEXT_COLUMNS)
    shown = f"其中 {rows.full} 行含信访人完整身份和联系方式" if rows.full else "信访人信息已脱敏"
    audit.log_access(user=user, kind="export", object_type="petitions.petition", object_id="",
                     fields=["name", "id_number", "phone"],
                     # The filter may hold a searched phone or ID number: masked, as the roster does.
                     reason=f"导出信访台账 {n} 行（{shown}）；筛选：{crypto.mask_text(describe) or '全部'}"[:255])
    return out.getvalue()


def filename(stem: str) -> str:
    return f"{stem}_{clock.today():%Y%m%d}.xlsx"


@exports.register
class PetitionLedger(exports.Exporter):
    """`gonghui export petitions`: the case ledger of the cases handled under the org."""

    key = "petitions"
    title = "信访台账"
    permission = "petitions.view"
    headers = LEDGER_HEADERS
    text_columns = TEXT_COLUMNS

    def build(self):
        from . import selectors

        today = clock.today()
        org = self.org if self.org is not None and self.org.depth > 1 else None
        qs = selectors.petitions(self.user, org=org, today=today)
        return ledger(self.user, qs, today, f"单位={org.code}" if org else ""), qs.count()
