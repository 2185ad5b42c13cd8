"""Excel exports: the archive list and a campaign's payment ledger (台账); the standard assistance
table is declared in metrics.py and rendered by the reports app. Each export of personal data is
written to the access log; household finances appear in full only on rows where the user holds
assistance.view_sensitive."""

from __future__ import annotations

import io

from django.db.models import QuerySet

from gonghui.core import audit, excel, exports, scope

from .models import Campaign, Payment

ARCHIVE_HEADERS = ["档案编号", "户主姓名", "性别", "身份证号", "建档单位", "困难类别", "主要致困原因", "状态",
                   "建档日期", "入档日期", "下次复核日期", "出档日期", "出档原因", "家庭人口", "家庭月人均收入",
                   "低保标准",
                   # The rest of the 困难职工档案表 (DOMAIN §4.2); labels, as the form is filled.
                   "民族", "政治面貌", "健康状况", "残疾类别", "工作状态", "劳模类型", "住房类型", "住房面积", "婚姻状况",
                   "户口类型", "家庭住址", "工作单位", "单位性质", "企业状况", "是否单亲", "是否为零就业家庭",
                   "家庭年度总收入", "医保状况", "是否有一定自救能力", "开户银行", "开户网点", "银行卡号",
                   "建档人", "审核人", "录入人"]
HIDDEN = "***"


def _yes_no(value) -> str:
    return {True: "是", False: "否"}.get(value, "")


def _form_cells(a, full: bool) -> list:
    """The form's columns of one archive; health, address, housing, insurance, income and the card
    number only where the user holds assistance.view_sensitive (the card then in full)."""
    def secret(value):
        return value if full else HIDDEN

    return [a.get_ethnicity_display(), a.get_political_display(), secret(a.get_health_display()),
            secret(a.get_disability_display()), a.get_work_status_display(), a.get_model_worker_type_display(),
            secret(a.get_housing_type_display()), secret(a.get_housing_area_display()), a.get_marital_display(),
            a.get_hukou_type_display(), secret(a.address), a.work_unit, a.get_unit_nature_display(),
            a.get_enterprise_status_display(), _yes_no(a.is_single_parent), _yes_no(a.is_zero_employment),
            secret(float(a.declared_annual_income if a.declared_annual_income is not None else a.annual_income)),
            secret(a.get_medical_insurance_display()), secret(_yes_no(a.self_help)), a.bank_name, a.bank_branch,
            (a.bank_account if full else f"****{a.bank_last4}") if a.bank_last4 else "",
            a.filed_by_name, a.checked_by_name, a.entered_by_name]


def archive_list(user, qs: QuerySet) -> tuple[bytes, int]:
    sensitive: dict[str, bool] = {}

    def rows():
        for a in qs.select_related("org").iterator(chunk_size=1000):
            p = a.org.path
            if p not in sensitive:
                sensitive[p] = scope.has_perm(user, "assistance.view_sensitive", p)
            full = sensitive[p]
            yield [a.no, a.head_name, a.get_gender_display(), a.id_number if full else a.id_masked, a.org.name,
                   a.get_category_display(), a.get_main_cause_display(), a.get_status_display(), a.created_on,
                   a.entered_on, a.next_review_on, a.exited_on, a.exit_reason,
                   a.household_size if full else "***", float(a.per_capita) if full else "***",
                   float(a.standard) if full and a.standard is not None else ("" if full else "***"),
                   *_form_cells(a, full)]

    out = io.BytesIO()
    n = excel.write_table(out, ARCHIVE_HEADERS, rows(), sheet_name="困难职工档案",
                          text_columns=[0, 3, ARCHIVE_HEADERS.index("银行卡号")])
    full = sum(1 for v in sensitive.values() if v)
    audit.log_access(user=user, kind="export", object_type="assistance.archive", fields=ARCHIVE_HEADERS,
                     reason=f"导出困难职工档案 {n} 户（{'含完整收支' if full else '收支已隐藏'}）")
    return out.getvalue(), n


LEDGER_HEADERS = ["序号", "档案编号", "户主姓名", "单位", "困难类别", "帮扶类型", "金额(元)", "发放日期", "发放方式",
                  "资金来源", "经办人", "审核人", "审批人", "签收/备注"]


def campaign_ledger(user, campaign: Campaign) -> tuple[bytes, int]:
    qs = (Payment.objects.filter(campaign=campaign).select_related("archive", "org", "application")
          .order_by("org__path", "paid_on", "id"))
    qs = scope.visible(qs, user, "assistance.view")
    total = 0

    def rows():
        nonlocal total
        for i, p in enumerate(qs.iterator(chunk_size=1000), start=1):
            total += p.amount
            yield [i, p.archive.no, p.archive.head_name, p.org.name, p.archive.get_category_display(),
                   p.get_type_display(), float(p.amount), p.paid_on, p.get_method_display(), p.fund_source_label,
                   p.application.applied_by_name, p.application.reviewed_by_name, p.application.approved_by_name,
                   p.note]
        yield ["合计", "", "", "", "", "", float(total), "", "", "", "", "", "", ""]

    out = io.BytesIO()
    n = excel.write_table(out, LEDGER_HEADERS, rows(), sheet_name="发放台账", text_columns=[1])
    audit.log_access(user=user, kind="export", object_type="assistance.campaign", object_id=str(campaign.pk),
                     fields=LEDGER_HEADERS, reason=f"导出“{campaign.name}”发放台账 {n - 1} 笔",
                     org_path=campaign.org.path)
    return out.getvalue(), n - 1


NOTICE_HEADERS = ["序号", "姓名", "单位", "困难类别", "主要致困原因", "公示期"]


def mask_name(name: str) -> str:
    """张*三 / 李* : the public notice shows who, but not in full (DOMAIN §13.3)."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def notice_list(user, qs: QuerySet) -> tuple[bytes, int]:
    """The public-notice list (公示名单) of archives under notice: name masked, union, category,
    cause and period only; never ID numbers, illnesses, incomes or bank data."""
    def rows():
        for i, a in enumerate(qs.select_related("org").iterator(chunk_size=1000), start=1):
            yield [i, mask_name(a.head_name), a.org.name, a.get_category_display(), a.get_main_cause_display(),
                   f"{a.notice_from:%Y-%m-%d} 至 {a.notice_until:%Y-%m-%d}"]

    out = io.BytesIO()
    n = excel.write_table(out, NOTICE_HEADERS, rows(), sheet_name="困难职工建档公示")
    audit.log_access(user=user, kind="export", object_type="assistance.archive", fields=NOTICE_HEADERS,
                     reason=f"导出困难职工建档公示名单 {n} 户")
    return out.getvalue(), n


def _archives(user, org, status: str = ""):
    from .models import Archive

    qs = scope.visible(Archive.objects.all(), user, "assistance.view")
    if org is not None:
        qs = qs.filter(scope.subtree_q("org__path", org.path))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("org__path", "no")


@exports.register
class ArchiveList(exports.Exporter):
    """`gonghui export assistance_archives`: the archive list (finances masked without the permission)."""

    key = "assistance_archives"
    title = "困难职工档案"
    permission = "assistance.view"
    headers = ARCHIVE_HEADERS
    params_help = {"status": "档案状态代码，如 active"}

    def build(self):
        return archive_list(self.user, _archives(self.user, self.org, self.params.get("status", "")))


@exports.register
class NoticeList(exports.Exporter):
    """`gonghui export assistance_notice`: the masked public-notice list (公示名单)."""

    key = "assistance_notice"
    title = "困难职工建档公示名单"
    permission = "assistance.view"

    def build(self):
        from .models import ArchiveStatus

        qs = _archives(self.user, self.org, ArchiveStatus.NOTICE).order_by("org__path", "notice_from", "id")
        return notice_list(self.user, qs)


@exports.register
class CampaignLedger(exports.Exporter):
    """`gonghui export assistance_campaign --param campaign=ID`: a campaign's payment ledger (台账)."""

    key = "assistance_campaign"
    title = "帮扶活动发放台账"
    permission = "assistance.view"
    headers = LEDGER_HEADERS
    params_help = {"campaign": "帮扶活动编号"}

    def build(self):
        from gonghui.core.errors import ServiceError

        pk = str(self.params.get("campaign", ""))
        campaign = scope.visible(Campaign.objects.filter(pk=int(pk)) if pk.isdigit() else Campaign.objects.none(),
                                 self.user, "assistance.view").select_related("org").first()
        if campaign is None:
            raise ServiceError("未找到该帮扶活动，或不在您的查看范围内。请用 --param campaign=编号 指定。")
        return campaign_ledger(self.user, campaign)
