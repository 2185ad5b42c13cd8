"""Every write of the 工会经费 line: scope checked, validated with a Chinese message naming the
field, audited in the same transaction (docs/architecture.md, "Writes go through services")."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum

from gonghui.core import audit, clock, crypto, docx_templates, scope
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import clean_uscc
from gonghui.core.money import format_money
from gonghui.core.workflow import Workflow
from gonghui.orgs.models import GRASSROOTS_TYPES, Coverage, Employer, Org, valid_on
from gonghui.orgs.selectors import path_on, placement_path

from .models import (
    Channel,
    Declaration,
    DuesRecord,
    FundKind,
    FundReview,
    LetterTemplate,
    Level,
    MatchStatus,
    Receipt,
    ReceiptSplit,
    Refund,
    RefundFormality,
    RefundStatus,
    ReviewFinding,
    ReviewKind,
    SplitShare,
)
from .totals import keys_of, month_of, refresh

# 拨缴经费 and 筹备金: 2 % of the payroll of all employees (工会法 §43).
RATE = Decimal("0.02")
# 会费: 0.5 % of the paying members' wages (全总 rule, DOMAIN §6.2).
DUES_RATE = Decimal("0.005")
CENT = Decimal("0.01")
ONE_PERCENT = Decimal("0.01")  # a rate in percent, as a fraction
# The split when no table has been configured: 60 % stays with the grass-roots union, 40 % upward.
DEFAULT_SHARES = {Level.GRASSROOTS: Decimal("60"), Level.COUNTY: Decimal("40")}
DEFAULT_REMAINDER = Level.COUNTY

REFUND_FLOW = Workflow.build(RefundStatus, {
    RefundStatus.PREPARED: {RefundStatus.APPROVED, RefundStatus.REFUSED},
    RefundStatus.APPROVED: {RefundStatus.PAID},
})


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _money(value, what: str, field: str, *, positive: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").strip()).quantize(CENT)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ServiceError(f"{what}“{value}”不是金额，请填写数字（元）。", field=field) from exc
    if not amount.is_finite() or amount < 0 or (positive and amount == 0):
        raise ServiceError(f"{what}应大于0。", field=field)
    return amount


def _not_future(day: dt.date | None, what: str, field: str) -> None:
    if day is None:
        raise ServiceError(f"请填写{what}。", field=field)
    if day > clock.today():
        raise ServiceError(f"{what}不能晚于今天。", field=field)


def attributed_org(employer: Employer, on: dt.date) -> Org:
    """The org an employer's funds count under on a date: its union then, else its federation."""
    coverage = (Coverage.objects.filter(valid_on(on), employer=employer).select_related("union")
                .order_by("-valid_from").first())
    return coverage.union if coverage else employer.org


def due_on(payroll: Decimal) -> Decimal:
    return (payroll * RATE).quantize(CENT)


def pay_by(month: dt.date) -> dt.date:
    """The day a month's 2 % is due: the configured day of the next month."""
    from . import conf

    return clock.add_months(first_of_month(month), 1).replace(day=int(conf.get("PAY_BY_DAY")))


def late_fee(decl: Declaration, on: dt.date) -> Decimal:
    """滞纳金 on a declaration's unpaid part on `on`: the configured percent per day after its due
    day, capped at the unpaid amount when so configured; 0.00 when no rate is configured."""
    from . import conf

    pct = Decimal(str(conf.get("LATE_FEE_PERCENT_PER_DAY") or 0))
    unpaid = decl.due - decl.paid
    days = (on - pay_by(decl.month)).days
    if pct <= 0 or unpaid <= 0 or days <= 0:
        return Decimal("0.00")
    fee = (unpaid * pct * ONE_PERCENT * days).quantize(CENT)
    return min(fee, unpaid) if conf.get("LATE_FEE_CAPPED") else fee


# --- a federation's own 催缴通知书 template ---------------------------------------------------------

def _template_org(actor, org: Org) -> None:
    scope.require(actor, "funds.change", org.path)
    if org.org_type in GRASSROOTS_TYPES:
        raise ServiceError("催缴通知书由总工会（工会联合会）发出，基层工会不能设置催缴通知书模板。", field="file")


@transaction.atomic
def letter_template_upload(*, actor, org: Org, name: str, content: bytes) -> LetterTemplate:
    """A federation's own 催缴通知书 template, used for the letters to its subtree's employers. It
    must render with the documented variables, so a broken one is refused here rather than when a
    clerk prints."""
    from . import documents

    _template_org(actor, org)
    return docx_templates.keep(LetterTemplate, actor=actor, org=org, name=name, content=content,
                               check_content=documents.check_template, action="funds.letter_template.uploaded")


@transaction.atomic
def letter_template_remove(*, actor, org: Org) -> None:
    _template_org(actor, org)
    t = LetterTemplate.objects.filter(org=org).first()
    if t is None:
        return
    target = audit.Target("funds.lettertemplate", str(t.pk), str(t), org.path)
    t.delete()
    audit.record(actor=actor, action="funds.letter_template.removed", target=target, changes={"name": t.name})


# --- split table -----------------------------------------------------------------------------------

def shares_on(day: dt.date) -> tuple[dict[str, Decimal], str]:
    """The split table in force on `day`: ({level: percent}, the level taking the remainder)."""
    latest = SplitShare.objects.filter(valid_from__lte=day).order_by("-valid_from").values_list(
        "valid_from", flat=True).first()
    if latest is None:
        return dict(DEFAULT_SHARES), DEFAULT_REMAINDER
    rows = list(SplitShare.objects.filter(valid_from=latest))
    remainder = next((r.level for r in rows if r.takes_remainder), rows[0].level)
    return {r.level: r.percent for r in rows}, remainder


def split_amount(amount: Decimal, shares: dict[str, Decimal], remainder: str) -> dict[str, Decimal]:
    """Each level's part, cut down to the cent; what the cuts leave goes to `remainder`, so the
    parts always add up to the amount."""
    parts = {level: (amount * pct / 100).quantize(CENT, rounding=ROUND_DOWN) for level, pct in shares.items()}
    parts[remainder] = parts.get(remainder, Decimal("0.00")) + amount - sum(parts.values(), Decimal("0.00"))
    return parts


@transaction.atomic
def share_table_set(*, actor, valid_from: dt.date, shares: dict, remainder: str) -> list[SplitShare]:
    """The split table from a date (replacing one given for the same date)."""
    if actor is not None and not scope.has_perm(actor, "funds.manage"):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("您无权维护经费分成比例。")
    if not valid_from:
        raise ServiceError("请填写起始日期。", field="valid_from")
    clean: dict[str, Decimal] = {}
    for level, value in shares.items():
        if level not in Level.values:
            raise ServiceError(f"层级“{level}”不存在。", field="shares")
        if value in (None, ""):
            continue
        try:
            pct = Decimal(str(value)).quantize(Decimal("0.001"))
        except InvalidOperation as exc:
            raise ServiceError(f"{Level(level).label}的比例“{value}”不是数字。", field="shares") from exc
        if pct < 0 or pct > 100:
            raise ServiceError(f"{Level(level).label}的比例应在0到100之间。", field="shares")
        if pct:
            clean[level] = pct
    total = sum(clean.values(), Decimal(0))
    if total != 100:
        raise ServiceError(f"各层级比例之和应为100%，现为{total.normalize():f}%。", field="shares")
    if remainder not in clean:
        raise ServiceError("承担尾差的层级须是比例大于0的层级之一。", field="remainder")
    SplitShare.objects.filter(valid_from=valid_from).delete()
    rows = [SplitShare.objects.create(level=level, percent=pct, valid_from=valid_from, takes_remainder=level == remainder)
            for level, pct in clean.items()]
    audit.record(actor=actor, action="funds.share.set", obj=rows[0],
                 changes={"valid_from": valid_from, "shares": {k: str(v) for k, v in clean.items()},
                          "remainder": remainder})
    return rows


def _write_splits(receipt: Receipt) -> None:
    shares, remainder = shares_on(receipt.received_on)
    ReceiptSplit.objects.bulk_create([
        ReceiptSplit(receipt=receipt, level=level, percent=shares.get(level, Decimal(0)), amount=amount)
        for level, amount in split_amount(receipt.amount, shares, remainder).items()])


# --- declarations and receipts ---------------------------------------------------------------------

def _declare(employer: Employer, month: dt.date, payroll: Decimal, employees: int | None) -> tuple[Declaration, bool]:
    """The employer's declaration for the month, created from the payroll when there is none."""
    found = Declaration.objects.filter(employer=employer, month=month).first()
    if found:
        return found, False
    org = attributed_org(employer, month)
    kind = FundKind.ALLOCATION if org.org_type in GRASSROOTS_TYPES else FundKind.PREPARATION
    paid = Receipt.objects.filter(employer=employer, month=month).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")
    return Declaration.objects.create(
        employer=employer, month=month, employees=employees, payroll_total=payroll, due=due_on(payroll), paid=paid,
        kind=kind, org=org, org_path=path_on(org, month)), True


@transaction.atomic
def declaration_record(*, actor, employer: Employer, month: dt.date, payroll_total, employees: int | None = None
                       ) -> Declaration:
    """An employer's payroll for a month (工资总额申报) and the 2 % it owes; a second declaration
    for the same month corrects the first."""
    scope.require(actor, "funds.change", employer.org.path)
    if not month:
        raise ServiceError("请填写所属期。", field="month")
    month = first_of_month(month)
    _not_future(month, "所属期", "month")
    payroll = _money(payroll_total, "工资总额", "payroll_total", positive=False)
    if employees is not None and employees < 0:
        raise ServiceError("职工人数不能为负数。", field="employees")
    decl, created = _declare(employer, month, payroll, employees)
    if not created:
        decl.payroll_total, decl.due = payroll, due_on(payroll)
        if employees is not None:
            decl.employees = employees
        decl.save(update_fields=["payroll_total", "due", "employees"])
    refresh({(decl.org_path, decl.month)})
    audit.record(actor=actor, action="funds.declaration.recorded", obj=decl,
                 changes={"employer": employer.name, "month": month, "payroll_total": payroll, "due": decl.due})
    return decl


def find_employer(org: Org, uscc: str | None) -> Employer | None:
    """The employer with this USCC under `org` (the receiving federation), or None (待匹配)."""
    if not uscc:
        return None
    return Employer.objects.filter(scope.subtree_q("org__path", org.path), uscc=uscc).select_related("org").first()


def _keys(receipt: Receipt) -> set[tuple[str, dt.date]]:
    """The summary keys (totals.refresh) a receipt touches: its own, and its month's declaration's."""
    keys = {(receipt.org_path, month_of(receipt.received_on))}
    if receipt.employer_id and receipt.month:
        keys |= {(p, receipt.month) for p in Declaration.objects.filter(
            employer_id=receipt.employer_id, month=receipt.month).values_list("org_path", flat=True)}
    return keys


def _attach(receipt: Receipt, employer: Employer) -> None:
    """Point the receipt at its employer: the org it counts under, its kind, the declaration paid."""
    org = attributed_org(employer, receipt.received_on)
    receipt.employer, receipt.status, receipt.org = employer, MatchStatus.MATCHED, org
    receipt.org_path = path_on(org, receipt.received_on)
    receipt.kind = FundKind.ALLOCATION if org.org_type in GRASSROOTS_TYPES else FundKind.PREPARATION
    if receipt.month:
        if receipt.payroll_base is not None:
            _declare(employer, receipt.month, receipt.payroll_base, None)
        Declaration.objects.filter(employer=employer, month=receipt.month).update(paid=F("paid") + receipt.amount)


@transaction.atomic
def receipt_record(*, actor, org: Org, reference: str, channel: str, amount, received_on: dt.date,
                   uscc: str = "", name: str = "", employer: Employer | None = None, month: dt.date | None = None,
                   payroll_base=None, note: str = "", source: str = "") -> Receipt:
    """One receipt (经费收入) received by `org`'s federation. Matched to the employer by USCC
    (or as given); an unknown USCC keeps the row as 待匹配 with the code and name as written."""
    scope.require(actor, "funds.change", org.path)
    reference = (reference or "").strip()
    if not reference:
        raise ServiceError("请填写凭证号。", field="reference")
    if Receipt.objects.filter(reference=reference).exists():
        raise ServiceError(f"凭证号“{reference}”已登记，不能重复登记。", field="reference")
    if channel not in Channel.values:
        raise ServiceError("请选择收入渠道。", field="channel")
    amount = _money(amount, "金额", "amount")
    _not_future(received_on, "入库(到账)日期", "received_on")
    if month:
        month = first_of_month(month)
        if month > received_on:
            raise ServiceError("所属期不能晚于入库(到账)日期。", field="month")
    base = _money(payroll_base, "工资总额", "payroll_base", positive=False) if payroll_base not in (None, "") else None
    code = clean_uscc(uscc)
    if employer is not None:
        scope.require(actor, "funds.change", employer.org.path)
    else:
        employer = find_employer(org, code)
    if employer is None and not code and not (name or "").strip():
        raise ServiceError("请填写缴款单位的统一社会信用代码或名称。", field="uscc")
    receipt = Receipt(reference=reference, channel=channel, amount=amount, received_on=received_on, month=month,
                      payroll_base=base, raw_uscc=code or "", raw_name=(name or "").strip()[:200], note=note.strip(),
                      status=MatchStatus.PENDING, org=org, org_path=path_on(org, received_on))
    if employer is not None:
        _attach(receipt, employer)
    receipt.save()
    _write_splits(receipt)
    refresh(_keys(receipt))
    audit.record(actor=actor, action="funds.receipt.recorded", obj=receipt,
                 changes={"reference": reference, "channel": channel, "amount": amount, "received_on": received_on,
                          "employer": employer.name if employer else "", "status": receipt.status,
                          **({"source": source} if source else {})})
    return receipt


@transaction.atomic
def receipt_match(*, actor, receipt: Receipt, employer: Employer) -> Receipt:
    """A 待匹配 receipt assigned to its employer by the clerk."""
    scope.require(actor, "funds.change", receipt.org_path)
    scope.require(actor, "funds.change", employer.org.path)
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.status != MatchStatus.PENDING:
        raise ServiceError("该笔收入已匹配缴款单位。", field="employer")
    if receipt.raw_uscc and employer.uscc and employer.uscc != receipt.raw_uscc:
        raise ServiceError(f"“{employer.name}”的统一社会信用代码为{employer.uscc}，与收入中的{receipt.raw_uscc}不一致。",
                           field="employer")
    before = _keys(receipt)
    _attach(receipt, employer)
    receipt.save(update_fields=["employer", "status", "org", "org_path", "kind"])
    refresh(before | _keys(receipt))
    audit.record(actor=actor, action="funds.receipt.matched", obj=receipt, changes={"employer": employer.name})
    return receipt


# --- refund formalities and refunds ----------------------------------------------------------------

_ACCOUNT_RE = re.compile(r"^\d{8,30}$")


@transaction.atomic
def formality_save(*, actor, union: Org, bank_name: str = "", account_name: str = "", account: str | None = None,
                   certificate_no: str = "", agreement_on: dt.date | None = None, on: dt.date | None = None
                   ) -> RefundFormality:
    """A grass-roots union's 返还手续. `account` None keeps the stored account; '' removes it.
    已完善 from `on` (today) once the account, the certificate and the agreement are all in."""
    scope.require(actor, "funds.change", union.path)
    if union.org_type not in GRASSROOTS_TYPES:
        raise ServiceError(f"“{union.name}”不是基层工会，不办理返还手续。", field="union")
    on = on or clock.today()
    _not_future(on, "登记日期", "on")
    if agreement_on:
        _not_future(agreement_on, "返还协议签订日期", "agreement_on")
    formality, _ = RefundFormality.objects.get_or_create(union=union)
    changed = []
    if account is not None:
        account = re.sub(r"[\s-]", "", account)
        if account and not _ACCOUNT_RE.match(account):
            raise ServiceError("银行账号应为8至30位数字。", field="account")
        formality.account_cipher = crypto.encrypt(account) if account else ""
        formality.account_last4 = account[-4:]
        changed.append("account")
    for field, value in (("bank_name", bank_name.strip()), ("account_name", account_name.strip()),
                         ("certificate_no", certificate_no.strip()), ("agreement_on", agreement_on)):
        if getattr(formality, field) != value:
            setattr(formality, field, value)
            changed.append(field)
    if formality.account_cipher and not formality.bank_name:
        raise ServiceError("请填写开户银行。", field="bank_name")
    complete = not formality.missing
    if complete and formality.completed_on is None:
        formality.completed_on = on
        changed.append("completed_on")
    elif not complete and formality.completed_on is not None:
        formality.completed_on = None
        changed.append("completed_on")
    formality.save()
    audit.record(actor=actor, action="funds.formality.saved", obj=formality,
                 changes={f: ("***" if f == "account" else getattr(formality, f)) for f in changed})
    return formality


def refundable(union: Org, start: dt.date, end: dt.date) -> Decimal:
    """The grass-roots share of the union's receipts in [start, end]."""
    return ReceiptSplit.objects.filter(
        receipt__org=union, receipt__received_on__gte=start, receipt__received_on__lte=end, level=Level.GRASSROOTS,
    ).aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


@transaction.atomic
def refund_prepare(*, actor, union: Org, start: dt.date, end: dt.date, on: dt.date | None = None, note: str = ""
                   ) -> Refund:
    """The union's share for the period, to be approved by someone else (四眼原则)."""
    scope.require(actor, "funds.change", union.path)
    on = on or clock.today()
    _not_future(on, "制单日期", "on")
    if not start or not end:
        raise ServiceError("请填写返还期间。", field="start")
    if end < start:
        raise ServiceError("期间止不能早于期间起。", field="end")
    if end > on:
        raise ServiceError("期间止不能晚于制单日期。", field="end")
    formality = RefundFormality.objects.filter(union=union).first()
    if formality is None or not formality.is_complete:
        missing = formality.missing if formality else ["独立银行账户", "法人资格证书", "返还协议"]
        raise ServiceError(f"“{union.name}”返还手续未完善（缺{'、'.join(missing)}），不能返还。", field="union")
    overlap = Refund.objects.filter(union=union, start__lte=end, end__gte=start).exclude(status=RefundStatus.REFUSED)
    if overlap.exists():
        raise ServiceError("该期间与已编制的返还重叠。", field="start")
    amount = refundable(union, start, end)
    if not amount:
        raise ServiceError("该期间没有可返还的经费。", field="start")
    refund = Refund.objects.create(union=union, start=start, end=end, amount=amount, prepared_on=on,
                                   prepared_by=actor, org_path=path_on(union, on), note=note.strip())
    audit.record(actor=actor, action="funds.refund.prepared", obj=refund,
                 changes={"start": start, "end": end, "amount": amount})
    return refund


def _lock(refund: Refund) -> Refund:
    return Refund.objects.select_for_update().select_related("union").get(pk=refund.pk)


@transaction.atomic
def refund_approve(*, actor, refund: Refund, on: dt.date | None = None) -> Refund:
    scope.require(actor, "funds.approve", refund.org_path)
    refund = _lock(refund)
    REFUND_FLOW.check(refund.status, RefundStatus.APPROVED, "审批")
    if actor is not None and refund.prepared_by_id == actor.pk:
        raise ServiceError("制单人不能审批自己编制的返还，请由另一位审批人审批。")
    on = on or clock.today()
    _not_future(on, "审批日期", "on")
    if on < refund.prepared_on:
        raise ServiceError("审批日期不能早于制单日期。", field="on")
    refund.status, refund.approved_on, refund.approved_by = RefundStatus.APPROVED, on, actor
    refund.save(update_fields=["status", "approved_on", "approved_by"])
    audit.record(actor=actor, action="funds.refund.approved", obj=refund, changes={"approved_on": on})
    return refund


@transaction.atomic
def refund_refuse(*, actor, refund: Refund, reason: str) -> Refund:
    scope.require(actor, "funds.approve", refund.org_path)
    refund = _lock(refund)
    REFUND_FLOW.check(refund.status, RefundStatus.REFUSED, "退回")
    if not reason.strip():
        raise ServiceError("请填写退回原因。", field="reason")
    refund.status, refund.note = RefundStatus.REFUSED, reason.strip()[:200]
    refund.save(update_fields=["status", "note"])
    audit.record(actor=actor, action="funds.refund.refused", obj=refund, changes={"reason": refund.note})
    return refund


@transaction.atomic
def refund_pay(*, actor, refund: Refund, paid_on: dt.date) -> Refund:
    scope.require(actor, "funds.change", refund.org_path)
    refund = _lock(refund)
    REFUND_FLOW.check(refund.status, RefundStatus.PAID, "登记支付")
    _not_future(paid_on, "支付日期", "paid_on")
    if paid_on < refund.approved_on:
        raise ServiceError("支付日期不能早于审批日期。", field="paid_on")
    refund.status, refund.paid_on = RefundStatus.PAID, paid_on
    refund.save(update_fields=["status", "paid_on"])
    audit.record(actor=actor, action="funds.refund.paid", obj=refund,
                 changes={"paid_on": paid_on, "amount": format_money(refund.amount)})
    return refund


@transaction.atomic
def dues_record(*, actor, union: Org, month: dt.date, members: int, wage_base, paid) -> DuesRecord:
    """A union's 会费 for a month (应缴 = 工资基数 × 0.5%); a second record for the month corrects it."""
    scope.require(actor, "funds.change", union.path)
    if union.org_type not in GRASSROOTS_TYPES:
        raise ServiceError(f"“{union.name}”不是基层工会，会费由基层工会收缴。", field="union")
    if not month:
        raise ServiceError("请填写所属期。", field="month")
    month = first_of_month(month)
    _not_future(month, "所属期", "month")
    if members is None or members < 0:
        raise ServiceError("缴费会员人数不能为负数。", field="members")
    base = _money(wage_base, "工资基数合计", "wage_base", positive=False)
    paid = _money(paid, "实缴会费", "paid", positive=False)
    due = (base * DUES_RATE).quantize(CENT)
    record, created = DuesRecord.objects.update_or_create(
        union=union, month=month, defaults={"members": members, "wage_base": base, "due": due, "paid": paid,
                                            "org_path": path_on(union, month)})
    audit.record(actor=actor, action="funds.dues.recorded", obj=record,
                 changes={"month": month, "members": members, "wage_base": base, "due": due, "paid": paid})
    return record


def rehome_fund_rows(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): receipts, declarations, refunds and reviews keep their org's path
    on their own date, also when a move of that org (or of a federation above it) is entered after them."""
    receipts = Receipt.objects.filter(org_id__in=org_ids, received_on__gte=since)
    declarations = Declaration.objects.filter(org_id__in=org_ids, month__gte=first_of_month(since))
    before = keys_of(receipts, declarations)
    receipts.update(org_path=placement_path(OuterRef("org_id"), "received_on", "org_path"))
    declarations.update(org_path=placement_path(OuterRef("org_id"), "month", "org_path"))
    refresh(before | keys_of(receipts, declarations))
    DuesRecord.objects.filter(union_id__in=org_ids, month__gte=first_of_month(since)).update(
        org_path=placement_path(OuterRef("union_id"), "month", "org_path"))
    Refund.objects.filter(union_id__in=org_ids, prepared_on__gte=since).update(
        org_path=placement_path(OuterRef("union_id"), "prepared_on", "org_path"))
    FundReview.objects.filter(org_id__in=org_ids, reviewed_on__gte=since).update(
        org_path=placement_path(OuterRef("org_id"), "reviewed_on", "org_path"))
    ReviewFinding.objects.filter(review__org_id__in=org_ids, reviewed_on__gte=since).update(
        org_path=Subquery(FundReview.objects.filter(pk=OuterRef("review_id")).values("org_path")[:1]))


# --- 经审: reviews, term-end audits and their findings ----------------------------------------------

def _finding(review: FundReview, description: str, amount, due_on: dt.date | None, n: int = 0) -> ReviewFinding:
    where = f"第{n}个问题" if n else "问题"
    description = (description or "").strip()
    if not description:
        raise ServiceError(f"请填写{where}的内容。", field="findings")
    if len(description) > 300:
        raise ServiceError(f"{where}的内容不能超过300个字。", field="findings")
    if not due_on:
        raise ServiceError(f"请填写{where}的整改期限。", field="findings")
    if due_on < review.reviewed_on:
        raise ServiceError(f"{where}的整改期限不能早于审查日期。", field="findings")
    money = _money(amount, f"{where}的涉及金额", "findings", positive=False) if amount not in (None, "") else None
    return ReviewFinding(review=review, description=description, amount=money, due_on=due_on,
                         reviewed_on=review.reviewed_on, org_path=review.org_path)


@transaction.atomic
def review_record(*, actor, org: Org, kind: str, period_start: dt.date, period_end: dt.date, reviewed_on: dt.date,
                  auditor: str, chair_name: str = "", conclusion: str = "", reported_on: dt.date | None = None,
                  findings: Collection[tuple[str, object, dt.date]] = ()) -> FundReview:
    """A 经费审查 or 任期经济责任审计 of `org` with the problems found (description, amount, due date)."""
    scope.require(actor, "funds.change", org.path)
    if kind not in ReviewKind.values:
        raise ServiceError("请选择审查类别。", field="kind")
    if not period_start or not period_end:
        raise ServiceError("请填写审查期间。", field="period_start")
    if period_end < period_start:
        raise ServiceError("审查期间止不能早于期间起。", field="period_end")
    _not_future(reviewed_on, "审查日期", "reviewed_on")
    if reviewed_on < period_start:
        raise ServiceError("审查日期不能早于审查期间起。", field="reviewed_on")
    auditor = (auditor or "").strip()
    if not auditor:
        raise ServiceError("请填写审查组织，如“本会经费审查委员会”或“县总工会经审会”。", field="auditor")
    chair_name = (chair_name or "").strip()
    if kind == ReviewKind.TERM_AUDIT and not chair_name:
        raise ServiceError("任期经济责任审计须填写离任主席姓名。", field="chair_name")
    if reported_on is not None:
        _not_future(reported_on, "报告日期", "reported_on")
        if reported_on < reviewed_on:
            raise ServiceError("向会员(代表)大会报告的日期不能早于审查日期。", field="reported_on")
    review = FundReview(org=org, kind=kind, period_start=period_start, period_end=period_end,
                        reviewed_on=reviewed_on, auditor=auditor[:100], chair_name=chair_name[:50],
                        conclusion=(conclusion or "").strip(), reported_on=reported_on,
                        org_path=path_on(org, reviewed_on), created_by=actor)
    rows = [_finding(review, d, a, due, n) for n, (d, a, due) in enumerate(findings, start=1)]
    review.save()
    for row in rows:
        row.review = review
    ReviewFinding.objects.bulk_create(rows)
    audit.record(actor=actor, action="funds.review.recorded", obj=review,
                 changes={"kind": kind, "period_start": period_start, "period_end": period_end,
                          "reviewed_on": reviewed_on, "auditor": review.auditor, "findings": len(rows),
                          **({"chair_name": chair_name} if chair_name else {})})
    return review


@transaction.atomic
def finding_add(*, actor, review: FundReview, description: str, due_on: dt.date, amount=None) -> ReviewFinding:
    scope.require(actor, "funds.change", review.org_path)
    finding = _finding(review, description, amount, due_on)
    finding.save()
    audit.record(actor=actor, action="funds.finding.added", obj=finding,
                 changes={"description": finding.description, "due_on": due_on, "amount": finding.amount})
    return finding


@transaction.atomic
def finding_rectify(*, actor, finding: ReviewFinding, rectified_on: dt.date, rectification: str) -> ReviewFinding:
    """The rectification of a finding: what was done and the day it was completed."""
    scope.require(actor, "funds.change", finding.org_path)
    finding = ReviewFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.rectified_on is not None:
        raise ServiceError(f"该问题已于{finding.rectified_on}整改完成。", field="rectified_on")
    _not_future(rectified_on, "整改完成日期", "rectified_on")
    if rectified_on < finding.reviewed_on:
        raise ServiceError("整改完成日期不能早于审查日期。", field="rectified_on")
    rectification = (rectification or "").strip()
    if not rectification:
        raise ServiceError("请填写整改情况。", field="rectification")
    finding.rectified_on, finding.rectification = rectified_on, rectification[:300]
    finding.save(update_fields=["rectified_on", "rectification"])
    audit.record(actor=actor, action="funds.finding.rectified", obj=finding,
                 changes={"rectified_on": rectified_on, "rectification": finding.rectification,
                          "on_time": finding.on_time})
    return finding


def reattribute_employer(employer: Employer, since: dt.date) -> None:
    """Coverage hook (orgs.services.COVERAGE_HOOKS): when a union starts or stops covering the
    employer from `since` (possibly back-dated), its matched receipts from that day and its
    declarations from that month count under the union it had on their own date (or its federation),
    as 拨缴经费 or 筹备金 accordingly."""
    keys: set[tuple[str, dt.date]] = set()
    for receipt in Receipt.objects.filter(employer=employer, received_on__gte=since).select_related("org"):
        org = attributed_org(employer, receipt.received_on)
        kind = FundKind.ALLOCATION if org.org_type in GRASSROOTS_TYPES else FundKind.PREPARATION
        path = path_on(org, receipt.received_on)
        if (receipt.org_id, receipt.org_path, receipt.kind) != (org.pk, path, kind):
            keys |= {(receipt.org_path, month_of(receipt.received_on)), (path, month_of(receipt.received_on))}
            receipt.org, receipt.org_path, receipt.kind = org, path, kind
            receipt.save(update_fields=["org", "org_path", "kind"])
    for decl in Declaration.objects.filter(employer=employer, month__gte=first_of_month(since)):
        org = attributed_org(employer, decl.month)
        kind = FundKind.ALLOCATION if org.org_type in GRASSROOTS_TYPES else FundKind.PREPARATION
        path = path_on(org, decl.month)
        if (decl.org_id, decl.org_path, decl.kind) != (org.pk, path, kind):
            keys |= {(decl.org_path, decl.month), (path, decl.month)}
            decl.org, decl.org_path, decl.kind = org, path, kind
            decl.save(update_fields=["org", "org_path", "kind"])
    refresh(keys)
