"""Every write of the hardship work line (DOMAIN §4). Each service checks scope and rules,
writes in one transaction and appends its audit entry.

Finances never reach the audit log: entries name the archive, its status and category only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import OuterRef

from gonghui.core import audit, calendar, clock, codes, crypto, scope
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import parse_id_number
from gonghui.core.money import format_money
from gonghui.core.workflow import Workflow
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import path_on, placement_path

from . import conf
from .models import (
    IN_FORCE,
    SCHOOL_LEVELS,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Archive,
    ArchiveEvent,
    ArchiveStatus,
    AssistanceType,
    Beneficiary,
    Campaign,
    CampaignTarget,
    Category,
    Cause,
    Expense,
    ExpenseKind,
    FamilyMember,
    Health,
    Helper,
    LivingStandard,
    Pairing,
    Payment,
    PayMethod,
    Relation,
    Visit,
)

CENT = Decimal("0.01")

ARCHIVE_FLOW = Workflow.build(ArchiveStatus, {
    ArchiveStatus.CREATED: {ArchiveStatus.NOTICE, ArchiveStatus.EXITED},
    ArchiveStatus.NOTICE: {ArchiveStatus.ACTIVE, ArchiveStatus.EXITED},
    ArchiveStatus.ACTIVE: {ArchiveStatus.REVIEW, ArchiveStatus.RECOVERED, ArchiveStatus.RELIEVED,
                           ArchiveStatus.EXITED},
    ArchiveStatus.REVIEW: {ArchiveStatus.ACTIVE, ArchiveStatus.RECOVERED, ArchiveStatus.RELIEVED,
                           ArchiveStatus.EXITED},
})

APPLICATION_FLOW = Workflow.build(ApplicationStatus, {
    ApplicationStatus.SUBMITTED: {ApplicationStatus.REVIEWED, ApplicationStatus.REJECTED},
    ApplicationStatus.REVIEWED: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    ApplicationStatus.APPROVED: {ApplicationStatus.PAID},
})

EXIT_EVENT = {ArchiveStatus.RECOVERED: ArchiveEvent.Kind.RECOVERED, ArchiveStatus.RELIEVED: ArchiveEvent.Kind.RELIEVED,
              ArchiveStatus.EXITED: ArchiveEvent.Kind.EXITED}


def _money(value, what: str, field: str, allow_zero: bool = True) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ServiceError(f"{what}“{value}”不是有效金额。", field=field) from exc
    if amount < 0 or (not allow_zero and amount == 0):
        raise ServiceError(f"{what}应为{'正数' if not allow_zero else '不小于0的金额'}。", field=field)
    return amount


def _name(actor) -> str:
    return actor.get_username() if actor is not None else "系统"


# --- the minimum-living standard and the category test ----------------------------------------

def standard_for(region_code: str, year: int) -> LivingStandard | None:
    """The standard for the region in the year, falling back to the city's and then the
    province's code (many cities set one standard), and to the latest earlier year
    (standards are often published after the year begins)."""
    code = (region_code or "").strip()
    if len(code) != 6:
        return None
    candidates = [code, code[:4] + "00", code[:2] + "0000"]
    for c in dict.fromkeys(candidates):
        found = LivingStandard.objects.filter(region_code=c, year__lte=year).order_by("-year").first()
        if found is not None:
            return found
    return None


@transaction.atomic
def standard_set(*, actor, region_code: str, region_name: str, year: int, monthly) -> LivingStandard:
    if actor is not None and not scope.has_perm(actor, "assistance.change"):
        raise PermissionDenied("您无权维护低保标准。")
    code = (region_code or "").strip()
    if len(code) != 6 or not code.isdigit():
        raise ServiceError("行政区划代码应为6位数字。", field="region_code")
    if not 2000 <= int(year) <= 2100:
        raise ServiceError("年度不正确。", field="year")
    amount = _money(monthly, "低保标准", "monthly", allow_zero=False)
    obj, created = LivingStandard.objects.update_or_create(
        region_code=code, year=year, defaults={"region_name": region_name.strip(), "monthly": amount})
    audit.record(actor=actor, action="assistance.standard.set", obj=obj,
                 changes={"region_code": code, "year": year, "monthly": amount, "created": created})
    return obj


def household_figures(*, monthly_wage, other_income, family: Iterable, expenses: Iterable,
                      declared_size: int = 1) -> dict:
    """DOMAIN §4.1: 人均 = (家庭年度可支配收入 − 因困刚性支出) ÷ 12 ÷ 家庭共同生活人口.

    `family` and `expenses` are FamilyMember / Expense rows (or objects with the same fields);
    only members living with the head count, and their incomes are part of the household's.
    The household counts the size declared at 建档 (家庭人口数, head included) until more
    members living together are recorded than it holds: entering the members one by one after
    建档 must not make a household of four look like a household of one, then two …
    """
    living = [m for m in family if m.lives_together]
    monthly = Decimal(monthly_wage) + sum((Decimal(m.monthly_income) for m in living), Decimal(0))
    annual = (monthly * 12 + Decimal(other_income)).quantize(CENT)
    rigid = sum((Decimal(e.annual_amount) for e in expenses), Decimal(0)).quantize(CENT)
    size = max(int(declared_size or 1), 1 + len(living))
    per_capita = max(Decimal(0), (annual - rigid) / 12 / size).quantize(CENT, rounding=ROUND_HALF_UP)
    return {"annual_income": annual, "rigid_expense": rigid, "household_size": size, "per_capita": per_capita}


def propose_category(*, per_capita: Decimal, standard: Decimal | None, accident_loss: Decimal = Decimal(0),
                     annual_income: Decimal = Decimal(0)) -> str:
    """深度 when the per-capita income (to the cent) is at or below the standard, 相对 at or
    below twice it, 意外致困 when the hardship costs exceed the configured share of the annual
    income; '' when none applies. A human confirms the category."""
    if standard is not None:
        if per_capita <= standard:
            return Category.DEEP
        if per_capita <= standard * conf.get("RELATIVE_MULTIPLIER"):
            return Category.RELATIVE
    if accident_loss and accident_loss > annual_income * conf.get("ACCIDENT_LOSS_SHARE"):
        return Category.ACCIDENT
    return ""


def _assess(archive: Archive, on: dt.date) -> None:
    """Recompute the stored household figures and the proposal (not saved here)."""
    family = list(archive.family.all()) if archive.pk else []
    expenses = list(archive.expenses.all()) if archive.pk else []
    figures = household_figures(monthly_wage=archive.monthly_wage, other_income=archive.other_income,
                                family=family, expenses=expenses, declared_size=archive.declared_size)
    for k, v in figures.items():
        setattr(archive, k, v)
    std = standard_for(archive.region_code, on.year)
    archive.standard = std.monthly if std else None
    archive.proposed_category = propose_category(per_capita=archive.per_capita, standard=archive.standard,
                                                 accident_loss=archive.accident_loss,
                                                 annual_income=archive.annual_income)


def _check_causes(main_cause: str, secondary: list[str]) -> list[str]:
    if main_cause not in Cause.values:
        raise ServiceError("请选择一项主要致困原因。", field="main_cause")
    secondary = [c for c in dict.fromkeys(secondary or []) if c]
    unknown = [c for c in secondary if c not in Cause.values]
    if unknown:
        raise ServiceError(f"致困原因代码“{'、'.join(unknown)}”不存在。", field="secondary_causes")
    if main_cause in secondary:
        raise ServiceError("次要致困原因不能与主要致困原因相同。", field="secondary_causes")
    if len(secondary) > 3:
        raise ServiceError("次要致困原因最多选择三项。", field="secondary_causes")
    return secondary


def _event(archive: Archive, kind: str, on: dt.date, actor, from_status: str = "", note: str = "") -> ArchiveEvent:
    return ArchiveEvent.objects.create(
        archive=archive, kind=kind, from_status=from_status, to_status=archive.status, category=archive.category,
        effective_on=on, path=path_on(archive.org, on), note=note[:200], actor_name=_name(actor))


# --- archives ----------------------------------------------------------------------------------

@transaction.atomic
def archive_create(*, actor, org: Org, head_name: str, id_number: str, created_on: dt.date, region_code: str,
                   main_cause: str, secondary_causes: list[str] | None = None, category: str | None = None,
                   monthly_wage=0, other_income=0, accident_loss=0, family: list[dict] | None = None,
                   expenses: list[dict] | None = None, phone: str = "", person=None, no: str = "",
                   bank_account: str = "", household_size: int | None = None, **fields) -> Archive:
    """建档: a new archive in status 建档 with its household; the category is the clerk's,
    defaulting to the system's proposal, and may not be empty. `household_size` is the 家庭人口数
    stated up front (head included); without it the household is the head and `family`."""
    scope.require(actor, "assistance.change", org.path)
    if not head_name.strip():
        raise ServiceError("请填写户主姓名。", field="head_name")
    parsed = parse_id_number(id_number, today=created_on)
    id_hash = crypto.lookup_hash(parsed.number)
    # No join here: the check must see exactly the rows the partial unique index sees.
    # Every key version's hash: during a key rotation a row may still carry the old one.
    id_hashes = crypto.lookup_hashes(parsed.number)
    existing = Archive.objects.filter(id_hash__in=id_hashes, exited_on__isnull=True).first()
    if existing is not None:
        raise ServiceError(f"该职工已有未出档的困难档案（{existing.no}，{existing.org.name}），不能重复建档。",
                           field="id_number")
    secondary = _check_causes(main_cause, secondary_causes or [])
    if person is None:
        # The head is a member when the roster knows the ID number (same blind index): link them.
        from gonghui.members.models import Person

        person = Person.objects.filter(id_hash__in=id_hashes).first()
    if no and Archive.objects.filter(no=no).exists():
        raise ServiceError(f"档案编号“{no}”已被使用。", field="no")
    extra = set(fields) - set(PLAIN_FIELDS) - {"declared_annual_income"}
    if extra:
        raise TypeError(f"unknown archive fields: {sorted(extra)}")
    archive = Archive(
        org=org, person=person, no=no or "", head_name=head_name.strip(), gender=parsed.gender,
        birth_date=parsed.birth_date, id_cipher=crypto.encrypt(parsed.number), id_hash=id_hash,
        id_masked=crypto.mask_id(parsed.number), phone_cipher=crypto.encrypt(phone.strip()),
        phone_masked=crypto.mask_phone(phone) if phone.strip() else "", region_code=(region_code or "").strip(),
        monthly_wage=_money(monthly_wage, "本人月平均收入", "monthly_wage"),
        other_income=_money(other_income, "家庭其他非薪资年收入", "other_income"),
        accident_loss=_money(accident_loss, "致困费用", "accident_loss"),
        main_cause=main_cause, secondary_causes=secondary, created_on=created_on, category=category or "",
        declared_size=_household_size(household_size if household_size is not None else
                                      1 + sum(1 for m in family or [] if m.get("lives_together", True))),
        bank_cipher=crypto.encrypt(bank_account.strip()), bank_last4=bank_account.strip()[-4:],
        **_form_fields(fields))
    if len(archive.region_code) != 6 or not archive.region_code.isdigit():
        raise ServiceError("户口所在地行政区划代码应为6位数字。", field="region_code")
    archive.save()
    if not archive.no:
        archive.no = f"KN{created_on.year}{archive.pk:06d}"
    for m in family or []:
        _family_row(archive, m)
    for e in expenses or []:
        _expense_row(archive, e)
    _assess(archive, created_on)
    archive.category = category or archive.proposed_category
    if not archive.category:
        if archive.standard is None:
            raise ServiceError(f"未维护行政区划“{archive.region_code}”{created_on.year}年的低保标准，系统无法建议类别；"
                               "请先在“低保标准”页面维护，或直接选择困难类别。", field="category")
        raise ServiceError(
            f"家庭月人均收入 {format_money(archive.per_capita)}（按家庭人口 {archive.household_size} 人计），高于低保标准（{format_money(archive.standard)}）的"
            f"{conf.get('RELATIVE_MULTIPLIER')}倍，也不属于意外致困，系统无法建议类别；如确需建档，请选择困难类别。",
            field="category")
    if archive.category not in Category.values:
        raise ServiceError("困难类别不正确。", field="category")
    archive.save()
    note = ""
    if archive.proposed_category != archive.category:
        proposed = Category(archive.proposed_category).label if archive.proposed_category else "不符合"
        note = f"系统建议：{proposed}；经办确认：{archive.get_category_display()}"
    _event(archive, ArchiveEvent.Kind.CREATED, created_on, actor, note=note)
    audit.record(actor=actor, action="assistance.archive.created", obj=archive,
                 changes={"category": archive.category, "proposed_category": archive.proposed_category})
    return archive


MAX_HOUSEHOLD = 20


def _household_size(value) -> int:
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise ServiceError(f"家庭人口数“{value}”不是整数。", field="household_size") from None
    if not 1 <= size <= MAX_HOUSEHOLD:
        raise ServiceError(f"家庭人口数应为1至{MAX_HOUSEHOLD}人（含户主）。", field="household_size")
    return size


FAMILY_CODE_FIELDS = {"ethnicity": "ethnicity", "medical_insurance": "hardship_medical", "marital": "marital",
                      "hukou_type": "hardship_hukou", "identity": "hardship_identity"}


def _checked_codes(values: dict, tables: dict[str, str], who: str = "") -> dict:
    """Code-table values as given, each checked against its table (a page or a script may pass a
    wrong code; the importer has already turned labels into codes)."""
    out = {}
    for name, key in tables.items():
        value = values.get(name)
        if value is None or (value == "" and name == "health"):
            continue
        if value == "":
            out[name] = ""  # cleared
            continue
        table = codes.get(key)
        if str(value) not in table.by_code:
            raise ServiceError(f"{who}{table.name}代码“{value}”不存在（{table.standard}）。", field=name)
        out[name] = str(value)
    return out


def _family_row(archive: Archive, d: dict) -> FamilyMember:
    """A family member; `id_number` (optional) is checked like the head's, encrypted, hashed and masked,
    and, when given, decides the birth date and gender."""
    name = (d.get("name") or "").strip()
    if not name:
        raise ServiceError("家庭成员须填写姓名。", field="name")
    if d.get("relation") not in Relation.values:
        raise ServiceError(f"家庭成员“{name}”的与户主关系不正确。", field="relation")
    birth_date, gender = d.get("birth_date"), d.get("gender") or 1
    id_fields = {}
    if (d.get("id_number") or "").strip():
        try:
            parsed = parse_id_number(d["id_number"], today=clock.today())
        except ServiceError as err:
            raise ServiceError(f"家庭成员“{name}”的{err.messages[0]}", field="id_number") from None
        if birth_date and birth_date != parsed.birth_date:
            raise ServiceError(f"家庭成员“{name}”的出生日期 {birth_date} 与身份证号中的 {parsed.birth_date} 不一致。",
                               field="birth_date")
        birth_date, gender = parsed.birth_date, parsed.gender
        id_fields = {"id_cipher": crypto.encrypt(parsed.number), "id_hash": crypto.lookup_hash(parsed.number),
                     "id_masked": crypto.mask_id(parsed.number)}
    if not birth_date:
        raise ServiceError(f"家庭成员“{name}”须填写出生日期或身份证号。", field="birth_date")
    health = d.get("health") or Health.GOOD
    if health not in codes.get("hardship_health").by_code:
        raise ServiceError(f"家庭成员“{name}”的健康状况代码“{health}”不存在。", field="health")
    return FamilyMember.objects.create(
        archive=archive, name=name, relation=d["relation"], birth_date=birth_date, gender=gender,
        health=health, work_status=d.get("work_status", ""),
        monthly_income=_money(d.get("monthly_income"), f"家庭成员“{name}”的月收入", "monthly_income"),
        schooling=d.get("schooling", ""), school=d.get("school", ""), lives_together=d.get("lives_together", True),
        **id_fields, **_checked_codes(d, FAMILY_CODE_FIELDS, f"家庭成员“{name}”的"))


def _expense_row(archive: Archive, d: dict) -> Expense:
    if d.get("kind") not in ExpenseKind.values:
        raise ServiceError("刚性支出类型不正确。", field="kind")
    return Expense.objects.create(archive=archive, kind=d["kind"], note=d.get("note", ""),
                                  annual_amount=_money(d.get("annual_amount"), "刚性支出金额", "annual_amount",
                                                       allow_zero=False))


def _editable(archive: Archive, actor) -> None:
    scope.require(actor, "assistance.change", archive.org.path)
    if not archive.is_open:
        raise ServiceError("该档案已出档，不能修改。")


@transaction.atomic
def family_member_add(*, actor, archive: Archive, on: dt.date, confirm_category: str = "", **fields) -> FamilyMember:
    """Add a member of the household; see _reassessed for `confirm_category`."""
    _editable(archive, actor)
    member = _family_row(archive, fields)
    _reassessed(archive, on, actor, f"新增家庭成员 {member.name}", confirm_category)
    return member


@transaction.atomic
def expense_add(*, actor, archive: Archive, on: dt.date, kind: str, annual_amount, note: str = "",
                confirm_category: str = "") -> Expense:
    _editable(archive, actor)
    expense = _expense_row(archive, {"kind": kind, "annual_amount": annual_amount, "note": note})
    _reassessed(archive, on, actor, f"新增刚性支出 {expense.get_kind_display()}", confirm_category)
    return expense


def _category_label(code: str) -> str:
    return Category(code).label if code else "不符合"


class CategoryUnconfirmed(ServiceError):
    """New figures move the suggested category away from the archive's category. The category
    never follows on its own (DOMAIN §4.1: a human confirms): the service refuses, its
    transaction keeps nothing, and the form asks which category holds (`confirm_category`)."""

    def __init__(self, archive: Archive, old_proposed: str):
        self.current, self.proposed = archive.category, archive.proposed_category
        exit_hint = "" if self.proposed else "如家庭已不符合建档条件，请保持原类别保存后办理出档。"
        # No amounts in the text: the clerk asking may not hold view_sensitive on the finances.
        super().__init__(
            f"按修改后的家庭人口和收支，系统建议类别由“{_category_label(old_proposed)}”变为"
            f"“{_category_label(self.proposed)}”，当前困难类别为“{_category_label(self.current)}”。"
            f"请在“确认困难类别”中选择后再次保存。{exit_hint}", field="confirm_category")


def _reassessed(archive: Archive, on: dt.date, actor, note: str, confirm_category: str = "") -> None:
    """Re-assess after the household's figures changed. When the suggested category changes and
    differs from the archive's category, the clerk's `confirm_category` decides the category
    (kept or changed, both written to the history and the audit log); without it the change is
    refused with CategoryUnconfirmed."""
    old_proposed, old_category = archive.proposed_category, archive.category
    _assess(archive, on)
    changes: dict = {"proposed_category": archive.proposed_category}
    if archive.proposed_category != old_proposed:
        changes["proposed_category"] = [old_proposed, archive.proposed_category]
        note += f"；系统建议类别由“{_category_label(old_proposed)}”变为“{_category_label(archive.proposed_category)}”"
        if archive.proposed_category != archive.category:
            if not confirm_category:
                raise CategoryUnconfirmed(archive, old_proposed)
            if confirm_category not in Category.values:
                raise ServiceError("请选择确认后的困难类别。", field="confirm_category")
            archive.category = confirm_category
            changes["category"] = [old_category, archive.category]
            changes["category_confirmed"] = True
            note += (f"，经办确认类别由“{_category_label(old_category)}”调整为“{archive.get_category_display()}”"
                     if archive.category != old_category else f"，经办确认保持“{archive.get_category_display()}”")
    archive.save()
    _event(archive, ArchiveEvent.Kind.UPDATED, on, actor, from_status=archive.status, note=note)
    audit.record(actor=actor, action="assistance.archive.updated", obj=archive, changes=changes)


ARCHIVE_CODE_FIELDS = {"health": "hardship_health", "ethnicity": "ethnicity", "political": "political",
                       "disability": "hardship_disability", "model_worker_type": "hardship_model_worker",
                       "housing_type": "hardship_housing", "housing_area": "hardship_housing_area",
                       "marital": "marital", "hukou_type": "hardship_hukou", "unit_nature": "hardship_unit_nature",
                       "enterprise_status": "hardship_enterprise_status", "medical_insurance": "hardship_medical"}
PLAIN_FIELDS = ("work_unit", "work_status", "health", "is_model_worker", "cause_note", "is_zero_employment",
                "is_single_parent", "bank_name", "bank_branch", "ethnicity", "political", "disability",
                "model_worker_type", "housing_type", "housing_area", "marital", "hukou_type", "address",
                "unit_nature", "enterprise_status", "medical_insurance", "self_help", "filed_by_name",
                "checked_by_name", "entered_by_name")
# Fields of the form shown only with assistance.view_sensitive (health, disability and where the
# household lives are personal data of the household, like its finances).
SENSITIVE_FIELDS = ("health", "disability", "address", "housing_type", "housing_area", "medical_insurance",
                    "self_help", "declared_annual_income")


def _form_fields(fields: dict) -> dict:
    """The archive form's plain fields as given, code-table values checked; a 劳模类型 other than
    非劳模 makes the head a model worker."""
    out = {k: v for k, v in fields.items() if k not in ARCHIVE_CODE_FIELDS}
    out.update(_checked_codes(fields, ARCHIVE_CODE_FIELDS))
    if out.get("declared_annual_income") not in (None, ""):
        out["declared_annual_income"] = _money(out["declared_annual_income"], "家庭年度总收入", "declared_annual_income")
    if out.get("model_worker_type"):
        out["is_model_worker"] = out["model_worker_type"] != "0"
    return out


MONEY_FIELDS = {"monthly_wage": "本人月平均收入", "other_income": "家庭其他非薪资年收入", "accident_loss": "致困费用"}


@transaction.atomic
def archive_update(*, actor, archive: Archive, on: dt.date, phone: str | None = None,
                   bank_account: str | None = None, main_cause: str | None = None,
                   secondary_causes: list[str] | None = None, household_size: int | None = None,
                   confirm_category: str = "", **fields) -> list[str]:
    """Correct an open archive's details. None (or a blank phone, card or amount) keeps the stored
    value, so a clerk who may not see the finances can still fix a phone number. Incomes and the
    household size changed here are re-assessed at once (a changed suggestion needs
    `confirm_category`, see _reassessed); the history and the audit log name the fields, not
    the values. Returns the labels of the changed fields."""
    _editable(archive, actor)
    unknown = set(fields) - set(PLAIN_FIELDS) - set(MONEY_FIELDS) - {"declared_annual_income"}
    if unknown:
        raise TypeError(f"unknown archive fields: {sorted(unknown)}")
    fields = _form_fields(fields)
    changed = []
    for name in PLAIN_FIELDS:
        if name in fields and fields[name] is not None and fields[name] != getattr(archive, name):
            setattr(archive, name, fields[name])
            changed.append(name)
    if fields.get("declared_annual_income") is not None and \
            fields["declared_annual_income"] != archive.declared_annual_income:
        archive.declared_annual_income = fields["declared_annual_income"]
        changed.append("declared_annual_income")
    for name, label in MONEY_FIELDS.items():
        if fields.get(name) not in (None, ""):
            value = _money(fields[name], label, name)
            if value != getattr(archive, name):
                setattr(archive, name, value)
                changed.append(name)
    if household_size not in (None, "") and _household_size(household_size) != archive.declared_size:
        archive.declared_size = _household_size(household_size)
        changed.append("declared_size")
    if phone and phone.strip():
        archive.phone_cipher, archive.phone_masked = crypto.encrypt(phone.strip()), crypto.mask_phone(phone)
        changed.append("phone")
    if bank_account and bank_account.strip():
        archive.bank_cipher, archive.bank_last4 = crypto.encrypt(bank_account.strip()), bank_account.strip()[-4:]
        changed.append("bank_account")
    if main_cause is not None or secondary_causes is not None:
        main = main_cause or archive.main_cause
        secondary = _check_causes(main, secondary_causes if secondary_causes is not None else archive.secondary_causes)
        if (main, secondary) != (archive.main_cause, archive.secondary_causes):
            archive.main_cause, archive.secondary_causes = main, secondary
            changed.append("causes")
    if not changed:
        return []
    labels = [{"phone": "手机号码", "bank_account": "银行卡号", "causes": "致困原因"}.get(f)
              or str(Archive._meta.get_field(f).verbose_name) for f in changed]
    if set(changed) & {*MONEY_FIELDS, "declared_size"}:
        _reassessed(archive, on, actor, f"修改：{'、'.join(labels)}", confirm_category)
    else:
        archive.save()
        _event(archive, ArchiveEvent.Kind.UPDATED, on, actor, from_status=archive.status,
               note=f"修改：{'、'.join(labels)}")
        audit.record(actor=actor, action="assistance.archive.updated", obj=archive, changes={"fields": labels})
    return labels


def _move(archive: Archive, target: str, on: dt.date, actor, kind: str, note: str = "", **stamps) -> Archive:
    scope.require(actor, "assistance.change", archive.org.path)
    ARCHIVE_FLOW.check(archive.status, target)
    last = archive.events.order_by("-effective_on").values_list("effective_on", flat=True).first()
    if last and on < last:
        raise ServiceError(f"日期 {on} 早于该档案上一次办理的日期 {last}。", field="on")
    before = archive.status
    archive.status = target
    for k, v in stamps.items():
        setattr(archive, k, v)
    archive.save()
    _event(archive, kind, on, actor, from_status=before, note=note)
    audit.record(actor=actor, action=f"assistance.archive.{kind}", obj=archive,
                 changes={"status": [before, target], "effective_on": on, "reason": note})
    return archive


@transaction.atomic
def archive_start_notice(*, actor, archive: Archive, on: dt.date) -> Archive:
    """公示: the notice runs the configured number of (working) days from `on`."""
    until = calendar.due(on, conf.get("NOTICE_DAYS"), conf.get("NOTICE_WORKING_DAYS"))
    return _move(archive, ArchiveStatus.NOTICE, on, actor, ArchiveEvent.Kind.NOTICE,
                 note=f"公示至 {until}", notice_from=on, notice_until=until)


def _next_review(on: dt.date) -> dt.date:
    return clock.add_months(on, conf.get("REVIEW_MONTHS"))


@transaction.atomic
def archive_enter(*, actor, archive: Archive, on: dt.date, note: str = "") -> Archive:
    """入档 after a notice without objection: only once the notice period is over."""
    if archive.status == ArchiveStatus.NOTICE and archive.notice_until and on < archive.notice_until:
        raise ServiceError(f"公示期至 {archive.notice_until} 才结束，不能在 {on} 入档。", field="on")
    return _move(archive, ArchiveStatus.ACTIVE, on, actor, ArchiveEvent.Kind.ENTERED, note=note,
                 entered_on=on, next_review_on=_next_review(on))


@transaction.atomic
def archive_start_review(*, actor, archive: Archive, on: dt.date) -> Archive:
    return _move(archive, ArchiveStatus.REVIEW, on, actor, ArchiveEvent.Kind.REVIEW_STARTED)


@transaction.atomic
def archive_pass_review(*, actor, archive: Archive, on: dt.date, category: str, monthly_wage=None,
                        other_income=None, note: str = "") -> Archive:
    """年度复核 passed: incomes re-tested, the category confirmed (it may change), and the
    next review set a year on."""
    if category not in Category.values:
        raise ServiceError("请选择复核后的困难类别。", field="category")
    if monthly_wage is not None:
        archive.monthly_wage = _money(monthly_wage, "本人月平均收入", "monthly_wage")
    if other_income is not None:
        archive.other_income = _money(other_income, "家庭其他非薪资年收入", "other_income")
    _assess(archive, on)
    old = archive.category
    archive.category = category
    changed = f"类别由“{Category(old).label}”调整为“{Category(category).label}”"
    text = note or (changed if old != category else "类别不变")
    return _move(archive, ArchiveStatus.ACTIVE, on, actor, ArchiveEvent.Kind.REVIEWED, note=text,
                 next_review_on=_next_review(on))


@transaction.atomic
def archive_exit(*, actor, archive: Archive, on: dt.date, status: str, reason: str) -> Archive:
    """脱困 / 解困 / 退出, always with a reason; an archive in notice may only be withdrawn (退出)."""
    if status not in EXIT_EVENT:
        raise ServiceError("请选择出档方式（脱困、解困或退出）。", field="status")
    if not (reason or "").strip():
        raise ServiceError("出档须填写原因。", field="reason")
    if archive.entered_on is None and status != ArchiveStatus.EXITED:
        raise ServiceError("尚未入档的档案只能“退出”（如公示有异议），不能脱困或解困。", field="status")
    return _move(archive, status, on, actor, EXIT_EVENT[status], note=reason.strip(), exited_on=on,
                 exit_reason=reason.strip(), next_review_on=None)


def archive_view_full(*, user, archive: Archive) -> None:
    """A full view of the household's finances and children: allowed with view_sensitive on the
    archive's union, and always written to the access log. The ID, card and phone numbers stay
    masked on it, as everywhere: archive_reveal shows them."""
    if not scope.has_perm(user, "assistance.view_sensitive", archive.org.path):
        raise PermissionDenied("您无权查看困难家庭的收支和子女信息。")
    audit.log_access(user=user, kind="view_full", object_type="assistance.archive", object_id=str(archive.pk),
                     fields=["finances", "family", *SENSITIVE_FIELDS], reason="查看困难档案",
                     org_path=archive.org.path)


def expenses_view_full(*, user, archives: Iterable[Archive]) -> None:
    """A read of these households' rigid expenses (因困刚性支出, the API's list and detail): allowed
    with view_sensitive on each archive's union, as the archive page shows them, and access-logged,
    one row per archive, written in one insert."""
    from gonghui.core.models import AccessLog

    rows = []
    for archive in {a.pk: a for a in archives}.values():
        if not scope.has_perm(user, "assistance.view_sensitive", archive.org.path):
            raise PermissionDenied("您无权查看困难家庭的收支和子女信息。")
        rows.append(AccessLog(user_id=user.pk, user_name=user.get_username(), kind="view_full",
                              object_type="assistance.archive", object_id=str(archive.pk),
                              fields=["expenses"], reason="查看困难家庭刚性支出", org_path=archive.org.path,
                              request_id=audit.current_request_id()))
    AccessLog.objects.bulk_create(rows)


def archive_reveal(*, user, archive: Archive, reason: str) -> dict[str, str]:
    """The head's full ID number, bank card and phone, once, for a stated reason (as
    members.services.person_reveal): view_sensitive on the archive's union, access-logged."""
    if not scope.has_perm(user, "assistance.view_sensitive", archive.org.path):
        raise PermissionDenied("您无权查看完整的个人信息。")
    if not (reason or "").strip():
        raise ServiceError("请填写查看事由。", field="reason")
    family = [m for m in archive.family.all() if m.id_cipher]
    audit.log_access(user=user, kind="view_full", object_type="assistance.archive", object_id=str(archive.pk),
                     fields=["id_number", "bank_account", "phone"] + (["family_id_numbers"] if family else []),
                     reason=reason.strip(), org_path=archive.org.path)
    return {"id_number": archive.id_number, "bank_account": archive.bank_account,
            "phone": crypto.decrypt(archive.phone_cipher),
            "family": [(m.name, m.id_number) for m in family]}


# --- applications and payments ------------------------------------------------------------------

def _in_campaign_subtree(campaign: Campaign, archive: Archive) -> bool:
    return archive.org.path.startswith(campaign.org.path)


@transaction.atomic
def application_submit(*, actor, archive: Archive, type: str, amount_requested, reason: str, applied_on: dt.date,
                       documents: str = "", campaign: Campaign | None = None,
                       student: FamilyMember | None = None, beneficiary: str = "",
                       school_level: str = "", allow_pending_archive: bool = False) -> Application:
    """经办: a clerk applies for a household in force (在档 or under review). `beneficiary` is
    whom the aid reaches (困难职工 unless said otherwise: 离退休职工, 劳动模范 …); a 金秋助学
    application records the student's school level then (default: the family record's).
    `allow_pending_archive`: a member's online request (intake) is registered with the archive
    opened for it, still at 建档 or 公示; the union takes it through 公示 and 入档 before 审核."""
    scope.require(actor, "assistance.change", archive.org.path)
    pending = (ArchiveStatus.CREATED, ArchiveStatus.NOTICE) if allow_pending_archive else ()
    if archive.status not in IN_FORCE and archive.status not in pending:
        raise ServiceError(f"档案状态为“{archive.get_status_display()}”，只有在档的困难家庭才能申请帮扶。")
    if type not in AssistanceType.values:
        raise ServiceError("帮扶类型不正确。", field="type")
    amount = _money(amount_requested, "申请金额", "amount_requested", allow_zero=False)
    if not (reason or "").strip():
        raise ServiceError("请填写申请理由。", field="reason")
    if type == AssistanceType.GOLDEN_AUTUMN:
        if student is None:
            raise ServiceError("金秋助学须选择受助的子女（档案中的家庭成员）。", field="student")
        if student.archive_id != archive.pk or student.relation != Relation.CHILD:
            raise ServiceError("受助学生须是本档案中登记的子女。", field="student")
        school_level = school_level or student.schooling
        if school_level not in SCHOOL_LEVELS:
            raise ServiceError("请填写受助学生的就读阶段（小学至研究生）。", field="school_level")
    elif student is not None:
        raise ServiceError("只有金秋助学需要选择受助学生。", field="student")
    elif school_level:
        raise ServiceError("只有金秋助学需要填写就读阶段。", field="school_level")
    beneficiary = beneficiary or Beneficiary.HARDSHIP
    if beneficiary not in Beneficiary.values:
        raise ServiceError("受助对象类别不正确。", field="beneficiary")
    if campaign is not None:
        if campaign.type != type:
            raise ServiceError(f"活动“{campaign.name}”的帮扶类型是{campaign.get_type_display()}。", field="campaign")
        if not _in_campaign_subtree(campaign, archive):
            raise ServiceError(f"该家庭不在活动“{campaign.name}”的组织范围内。", field="campaign")
        if not campaign.start_on <= applied_on <= campaign.end_on:
            raise ServiceError(f"活动“{campaign.name}”的期间为 {campaign.start_on} 至 {campaign.end_on}。",
                               field="campaign")
        _guard_campaign(campaign, archive, exclude=None)
    app = Application.objects.create(
        archive=archive, org=archive.org, type=type, campaign=campaign, student=student, amount_requested=amount,
        reason=reason.strip(), documents=documents.strip(), applied_on=applied_on, applied_by=actor,
        applied_by_name=_name(actor), beneficiary=beneficiary, school_level=school_level)
    audit.record(actor=actor, action="assistance.application.submitted", obj=app,
                 changes={"type": type, "amount_requested": amount, "campaign": campaign,
                          "beneficiary": beneficiary})
    return app


@transaction.atomic
def application_screen(*, actor, application: Application, eligible: bool, on: dt.date,
                       note: str = "") -> Application:
    """初审 by the applicant's own union: the household meets the conditions at first sight
    (初步符合, then 审核 by the federation) or not (the application ends here, with a reason).
    Optional: an application may go to 审核 without it."""
    scope.require(actor, "assistance.change", application.org.path)
    if application.status != ApplicationStatus.SUBMITTED or application.screened_on is not None:
        raise ServiceError("只有待审核且尚未初审的申请可以初审。")
    if on < application.applied_on:
        raise ServiceError("初审日期不能早于申请日期。", field="on")
    if on > clock.today():
        raise ServiceError("初审日期不能晚于今天。", field="on")
    if not eligible:
        if not note.strip():
            raise ServiceError("初审不符合条件须填写意见。", field="note")
        APPLICATION_FLOW.check(application.status, ApplicationStatus.REJECTED, "初审")
        application.status = ApplicationStatus.REJECTED
    else:
        application.eligible_on = on
    application.screened_on, application.screened_by_name, application.screen_note = on, _name(actor), note.strip()
    application.save(update_fields=["status", "eligible_on", "screened_on", "screened_by_name", "screen_note"])
    audit.record(actor=actor, action="assistance.application.screened", obj=application,
                 changes={"eligible": eligible, "reason": note})
    return application


def _guard_campaign(campaign: Campaign, archive: Archive, exclude: int | None) -> None:
    """The duplicate-payment guard: one household, one payment (or live application) per campaign."""
    if Payment.objects.filter(campaign=campaign, archive=archive).exists():
        raise ServiceError(f"该家庭已在活动“{campaign.name}”中领取过帮扶，同一活动不能重复发放。", field="campaign")
    live = Application.objects.filter(campaign=campaign, archive=archive).exclude(
        status__in=[ApplicationStatus.REJECTED, ApplicationStatus.PAID])
    if exclude is not None:
        live = live.exclude(pk=exclude)
    if live.exists():
        raise ServiceError(f"该家庭在活动“{campaign.name}”中已有未办结的申请。", field="campaign")


def _same_person(a, b) -> bool:
    # None is the system itself (demo, command line): it has no person to compare.
    return a is not None and b is not None and a.pk == b.pk


def four_eyes_refusal(actor, application: Application, step: str) -> str:
    """Why `actor` may not take `step` ("review" or "approve") on this application because of
    who did the earlier steps, or "". The services refuse with it and the page hides the form."""
    if step == "review" and _same_person(actor, application.applied_by):
        return "审核人不能是申请经办人本人。"
    if step == "approve":
        if _same_person(actor, application.applied_by):
            return "审批人不能是申请经办人本人。"
        if _same_person(actor, application.reviewed_by):
            return "审批人不能是审核人本人。"
    return ""


@transaction.atomic
def application_review(*, actor, application: Application, approve: bool, on: dt.date, note: str = "") -> Application:
    """审核 by someone other than the applicant."""
    scope.require(actor, "assistance.review", application.org.path)
    target = ApplicationStatus.REVIEWED if approve else ApplicationStatus.REJECTED
    APPLICATION_FLOW.check(application.status, target, "审核")
    if refusal := four_eyes_refusal(actor, application, "review"):
        raise ServiceError(refusal)
    if on < application.applied_on:
        raise ServiceError("审核日期不能早于申请日期。", field="on")
    if application.screened_on and on < application.screened_on:
        raise ServiceError("审核日期不能早于初审日期。", field="on")
    if not approve and not note.strip():
        raise ServiceError("审核不通过须填写意见。", field="note")
    if approve and application.archive.status not in IN_FORCE:
        # A member's online request is registered while its household is still 建档/公示
        # (intake); it may be refused at once, but passes only once the household is in force.
        raise ServiceError(f"该户档案状态为“{application.archive.get_status_display()}”，"
                           "须公示期满入档后才能审核通过。")
    if approve and application.eligible_on is None:
        application.eligible_on = on  # passing 审核 without a separate 初审 finds it eligible too
    application.status = target
    application.reviewed_by, application.reviewed_by_name = actor, _name(actor)
    application.reviewed_on, application.review_note = on, note.strip()
    application.save()
    audit.record(actor=actor, action="assistance.application.reviewed", obj=application,
                 changes={"status": target, "reason": note})
    return application


@transaction.atomic
def application_approve(*, actor, application: Application, approve: bool, on: dt.date, amount_approved=None,
                        note: str = "") -> Application:
    """审批 by a third person: never the applicant, never the reviewer."""
    scope.require(actor, "assistance.approve", application.org.path)
    target = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    APPLICATION_FLOW.check(application.status, target, "审批")
    if refusal := four_eyes_refusal(actor, application, "approve"):
        raise ServiceError(refusal)
    if application.reviewed_on and on < application.reviewed_on:
        raise ServiceError("审批日期不能早于审核日期。", field="on")
    if approve:
        amount = _money(amount_approved if amount_approved not in (None, "") else application.amount_requested,
                        "批准金额", "amount_approved", allow_zero=False)
        if amount > application.amount_requested:
            raise ServiceError(f"批准金额不能超过申请金额 {format_money(application.amount_requested)}。", field="amount_approved")
        application.amount_approved = amount
    elif not note.strip():
        raise ServiceError("审批不通过须填写意见。", field="note")
    application.status = target
    application.approved_by, application.approved_by_name = actor, _name(actor)
    application.approved_on, application.approve_note = on, note.strip()
    application.save()
    audit.record(actor=actor, action="assistance.application.approved" if approve else "assistance.application.rejected",
                 obj=application, changes={"status": target, "amount_approved": application.amount_approved})
    return application


@transaction.atomic
def payment_record(*, actor, application: Application, paid_on: dt.date, method: str, fund_source: str,
                   amount=None, note: str = "") -> Payment:
    """发放 of an approved application, with its fund source; refused twice in one campaign."""
    scope.require(actor, "assistance.change", application.org.path)
    APPLICATION_FLOW.check(application.status, ApplicationStatus.PAID, "登记发放")
    if method not in PayMethod.values:
        raise ServiceError("请选择发放方式。", field="method")
    if fund_source not in dict(conf.fund_sources()):
        raise ServiceError("请选择资金来源。", field="fund_source")
    value = _money(amount if amount not in (None, "") else application.amount_approved, "发放金额", "amount",
                   allow_zero=False)
    if value > application.amount_approved:
        raise ServiceError(f"发放金额不能超过批准金额 {format_money(application.amount_approved)}。", field="amount")
    if paid_on < application.approved_on:
        raise ServiceError("发放日期不能早于审批日期。", field="paid_on")
    archive = application.archive
    if application.campaign_id:
        _guard_campaign(application.campaign, archive, exclude=application.pk)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                application=application, archive=archive, org=application.org, campaign=application.campaign,
                type=application.type, student=application.student, amount=value, paid_on=paid_on, method=method,
                fund_source=fund_source, path=path_on(application.org, paid_on), recorded_by_name=_name(actor),
                note=note.strip())
    except IntegrityError as exc:  # a concurrent payment in the same campaign won the race
        raise ServiceError("该家庭已在本活动中领取过帮扶，同一活动不能重复发放。", field="campaign") from exc
    application.status = ApplicationStatus.PAID
    application.save(update_fields=["status"])
    audit.record(actor=actor, action="assistance.payment.recorded", obj=payment,
                 changes={"amount": value, "fund_source": fund_source, "method": method, "paid_on": paid_on})
    return payment


# --- campaigns ------------------------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, actor, org: Org, name: str, type: str, start_on: dt.date, end_on: dt.date, budget,
                    note: str = "") -> Campaign:
    scope.require(actor, "assistance.change", org.path)
    if not name.strip():
        raise ServiceError("请填写活动名称。", field="name")
    if type not in AssistanceType.values:
        raise ServiceError("帮扶类型不正确。", field="type")
    if end_on < start_on:
        raise ServiceError("结束日期不能早于开始日期。", field="end_on")
    c = Campaign.objects.create(org=org, name=name.strip(), type=type, start_on=start_on, end_on=end_on,
                                budget=_money(budget, "预算", "budget"), note=note.strip())
    audit.record(actor=actor, action="assistance.campaign.created", obj=c,
                 changes={"name": c.name, "budget": c.budget, "start_on": start_on, "end_on": end_on})
    return c


@transaction.atomic
def campaign_add_targets(*, actor, campaign: Campaign, archives: Iterable[Archive]) -> int:
    """Add households to the target list; those already on it are skipped. Returns how many were added."""
    scope.require(actor, "assistance.change", campaign.org.path)
    archives = list(archives)
    for a in archives:
        if not _in_campaign_subtree(campaign, a):
            raise ServiceError(f"{a.head_name}（{a.no}）不在活动组织单位的范围内。")
        if a.status not in IN_FORCE:
            raise ServiceError(f"{a.head_name}（{a.no}）的档案状态为“{a.get_status_display()}”，不能列为帮扶对象。")
    have = set(CampaignTarget.objects.filter(campaign=campaign).values_list("archive_id", flat=True))
    new = [CampaignTarget(campaign=campaign, archive=a) for a in archives if a.pk not in have]
    CampaignTarget.objects.bulk_create(new)
    audit.record(actor=actor, action="assistance.campaign.targets_added", obj=campaign, changes={"count": len(new)})
    return len(new)


# --- one-to-one pairing ------------------------------------------------------------------------------

@transaction.atomic
def helper_create(*, actor, org: Org, name: str, kind: str = Helper.Kind.UNIT, contact: str = "") -> Helper:
    scope.require(actor, "assistance.change", org.path)
    if not name.strip():
        raise ServiceError("请填写帮扶单位或干部名称。", field="name")
    if kind not in Helper.Kind.values:
        raise ServiceError("类型不正确。", field="kind")
    if Helper.objects.filter(org=org, name=name.strip()).exists():
        raise ServiceError(f"“{name.strip()}”已登记。", field="name")
    h = Helper.objects.create(org=org, name=name.strip(), kind=kind, contact=contact.strip())
    audit.record(actor=actor, action="assistance.helper.created", obj=h, changes={"name": h.name, "kind": kind})
    return h


@transaction.atomic
def pairing_create(*, actor, helper: Helper, archive: Archive, pledged_on: dt.date, commitment: str = "") -> Pairing:
    scope.require(actor, "assistance.change", helper.org.path)
    if not archive.org.path.startswith(helper.org.path):
        raise ServiceError(f"{archive.head_name}不在“{helper.org.name}”的范围内。", field="archive")
    if archive.status not in IN_FORCE:
        raise ServiceError(f"{archive.head_name}的档案状态为“{archive.get_status_display()}”，不能结对。",
                           field="archive")
    current = Pairing.objects.filter(archive=archive, ended_on__isnull=True).select_related("helper").first()
    if current is not None:
        raise ServiceError(f"{archive.head_name}已与“{current.helper.name}”结对（一对一帮扶），请先结束原结对。",
                           field="archive")
    p = Pairing.objects.create(helper=helper, archive=archive, pledged_on=pledged_on, commitment=commitment.strip())
    audit.record(actor=actor, action="assistance.pairing.created", obj=p,
                 changes={"helper": helper.name, "archive": archive.no, "pledged_on": pledged_on})
    return p


@transaction.atomic
def pairing_end(*, actor, pairing: Pairing, on: dt.date, reason: str = "") -> Pairing:
    scope.require(actor, "assistance.change", pairing.helper.org.path)
    if pairing.ended_on is not None:
        raise ServiceError("该结对已经结束。")
    if on < pairing.pledged_on:
        raise ServiceError("结束日期不能早于结对日期。", field="on")
    pairing.ended_on = on
    pairing.save(update_fields=["ended_on"])
    audit.record(actor=actor, action="assistance.pairing.ended", obj=pairing, changes={"ended_on": on, "reason": reason})
    return pairing


@transaction.atomic
def visit_record(*, actor, pairing: Pairing, visited_on: dt.date, amount=0, visitors: str = "", goods: str = "",
                 note: str = "") -> Visit:
    scope.require(actor, "assistance.change", pairing.helper.org.path)
    if visited_on < pairing.pledged_on:
        raise ServiceError(f"走访日期不能早于结对日期 {pairing.pledged_on}。", field="visited_on")
    if pairing.ended_on and visited_on > pairing.ended_on:
        raise ServiceError(f"该结对已于 {pairing.ended_on} 结束。", field="visited_on")
    v = Visit.objects.create(pairing=pairing, visited_on=visited_on, amount=_money(amount, "帮扶资金", "amount"),
                             visitors=visitors.strip(), goods=goods.strip(), note=note.strip(),
                             path=path_on(pairing.helper.org, visited_on))
    audit.record(actor=actor, action="assistance.visit.recorded", obj=pairing,
                 changes={"visited_on": visited_on, "amount": v.amount})
    return v


@transaction.atomic
def archive_take_over(*, actor, archive: Archive, entered_on: dt.date, next_review_on: dt.date | None = None,
                      note: str = "由原台账导入") -> Archive:
    """An archive taken over from a federation's existing sheet was noticed and entered in the
    old system: it goes from 建档 straight to 在档 on its original entry date, the one move
    outside ARCHIVE_FLOW, and its history says so."""
    scope.require(actor, "assistance.change", archive.org.path)
    if archive.status != ArchiveStatus.CREATED:
        raise ServiceError("只有刚建立的档案才能按原台账直接入档。")
    if entered_on < archive.created_on:
        raise ServiceError("入档日期不能早于建档日期。", field="entered_on")
    archive.status, archive.entered_on = ArchiveStatus.ACTIVE, entered_on
    archive.next_review_on = next_review_on or _next_review(entered_on)
    archive.save()
    _event(archive, ArchiveEvent.Kind.ENTERED, entered_on, actor, from_status=ArchiveStatus.CREATED,
           note=f"{note}（原系统已公示入档）")
    audit.record(actor=actor, action="assistance.archive.entered", obj=archive,
                 changes={"status": [ArchiveStatus.CREATED, ArchiveStatus.ACTIVE], "effective_on": entered_on,
                          "source": "import"})
    return archive


DOCUMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def document_add(*, actor, application: Application, file, name: str = "") -> ApplicationDocument:
    """Attach a scanned paper to an application (until it is paid)."""
    scope.require(actor, "assistance.change", application.org.path)
    if application.status in (ApplicationStatus.PAID, ApplicationStatus.REJECTED):
        raise ServiceError(f"申请已{application.get_status_display()}，不能再添加附件。")
    filename = getattr(file, "name", "") or ""
    if not filename.lower().endswith(DOCUMENT_TYPES):
        raise ServiceError("附件须为 PDF、图片（JPG、PNG）、Word 或 Excel 文件。", field="file")
    if file.size > DOCUMENT_MAX_BYTES:
        raise ServiceError("附件不能超过 10 MB。", field="file")
    label = (name or "").strip() or filename.rsplit("/", 1)[-1][:100]
    doc = ApplicationDocument(application=application, name=label[:100], uploaded_by_name=_name(actor))
    doc.file.save(filename.rsplit("/", 1)[-1], file, save=False)
    try:
        doc.save()
    except BaseException:
        doc.file.storage.delete(doc.file.name)  # the row failed: no household's paper without it
        raise
    audit.record(actor=actor, action="assistance.document.added", obj=application, changes={"document": doc.name})
    return doc


def document_open(*, user, document: ApplicationDocument):
    """The file of an attachment, for a holder of view_sensitive; the access is logged."""
    path = document.application.org.path
    if not scope.has_perm(user, "assistance.view_sensitive", path):
        raise PermissionDenied("您无权查看申请附件。")
    audit.log_access(user=user, kind="view_full", object_type="assistance.document", object_id=str(document.pk),
                     fields=["file"], reason=f"查看申请附件：{document.name}", org_path=path)
    return document.file.open("rb")


def rehome_assistance_rows(org_ids: Collection[int], since: dt.date) -> None:
    """Re-homer (orgs.services.REHOMERS): archive events and payments keep their union's path on
    their own date, visits their helper federation's, also when a move of that org (or of a
    federation above it) is entered after them."""
    Payment.objects.filter(org_id__in=org_ids, paid_on__gte=since).update(
        path=placement_path(OuterRef("org_id"), "paid_on"))
    # These rows reach their org through a join, which an UPDATE cannot reference: one
    # statement per org that has such rows (a union, or a federation with helpers).
    for org_id in Archive.objects.filter(org_id__in=org_ids).values_list("org_id", flat=True).distinct():
        ArchiveEvent.objects.filter(archive__org_id=org_id, effective_on__gte=since).update(
            path=placement_path(org_id, "effective_on"))
    for org_id in Helper.objects.filter(org_id__in=org_ids).values_list("org_id", flat=True).distinct():
        Visit.objects.filter(pairing__helper__org_id=org_id, visited_on__gte=since).update(
            path=placement_path(org_id, "visited_on"))


