"""Every write of the member portal: applications, accounts, card tokens, rights requests.

Members act through their `MemberAccount`; what other lines do for them (入会, 转会, 帮扶申请)
runs through those lines' services with the system as actor, after the portal has checked that
the member acts on his own records only. Staff act with their scope (portal.change).
"""

from __future__ import annotations

import datetime as dt
import secrets
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from gonghui.core import audit, calendar, clock, crypto, scope, uploads
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import parse_id_number
from gonghui.members import services as member_services
from gonghui.members.models import Membership, Person
from gonghui.orgs.models import MEMBER_UNION_TYPES, Coverage, Employer, Org, OrgStatus

from . import conf, throttle
from .models import (
    APPLICATION_FLOW,
    PRIVACY_VERSION,
    RIGHTS_FLOW,
    Application,
    ApplicationStatus,
    CardToken,
    HelpKind,
    HelpRequest,
    HelpStatus,
    LoginFailure,
    MemberAccount,
    Passkey,
    RightsKind,
    RightsRequest,
    RightsStatus,
    SurveyTicket,
)

# One message for "already a member" and "already applied": it names no union (issue 12's rule
# for join messages: nothing tells whether, or where, a person is a member).
ALREADY = ("该公民身份号码已有会籍或正在办理的入会申请，不能重复申请。已提交申请的，请用申请编号查询进度；"
           "如有疑问，请向所在单位工会或当地工会咨询。")
NOT_FOUND = "未找到该申请，请核对申请编号和公民身份号码。"
SIGN_IN_REFUSED = "公民身份号码或密码不正确，或账户暂时锁定；请稍后再试，或向所在工会重新领取激活码。"
ACTIVATION_REFUSED = "公民身份号码或激活码不正确，或激活码已过期，或尝试次数过多暂时锁定；请稍后再试，或向所在工会重新领取。"
REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def mask_name(name: str) -> str:
    """张** : the surname only (the verification page, the audit log's member actor)."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


class MemberActor:
    """The audit log's actor for a member's own act (no staff user: actor_id stays empty)."""

    pk = None

    def __init__(self, account: MemberAccount):
        self.account = account

    def get_username(self) -> str:
        return f"会员 {mask_name(self.account.person.name)}"


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


# --- 网上入会 --------------------------------------------------------------------------------

def route(*, employer: Employer | None, area: Org | None) -> Org:
    """The union an application goes to: the union covering the employer now, else the
    federation of the employer's area, else the area the worker chose."""
    if employer is not None:
        cover = (Coverage.objects.filter(employer=employer, valid_to__isnull=True)
                 .exclude(union__status=OrgStatus.DISSOLVED).select_related("union").first())
        return cover.union if cover is not None else employer.org
    if area is None:
        raise ServiceError("请选择工作单位；没有工作单位的，请选择所在的乡镇（街道）或行业工会。", field="employer")
    return area


@transaction.atomic
def application_submit(*, name: str, id_number, phone: str, employer: Employer | None = None,
                       area: Org | None = None, consent: bool) -> Application:
    """A worker's online application (网上入会). Anonymous: the answer names no other union."""
    name = (name or "").strip()
    if not name:
        raise ServiceError("请填写姓名。", field="name")
    if len(name) > 50:
        raise ServiceError("姓名不能超过50个字。", field="name")
    info = parse_id_number(id_number)
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        raise ServiceError("手机号码应为以1开头的11位数字。", field="phone")
    if not consent:
        raise ServiceError("请阅读并同意《个人信息保护告知书》后再提交。", field="consent")
    union = route(employer=employer, area=area)
    hashes = crypto.lookup_hashes(info.number)
    if Application.objects.filter(id_hash__in=hashes, status=ApplicationStatus.PENDING).exists() or \
            Membership.objects.filter(person__id_hash__in=hashes, ended_on__isnull=True).exists():
        raise ServiceError(ALREADY, field="id_number")
    now = clock.now()
    for _ in range(5):
        ref = _random(REF_ALPHABET, 10)
        if not Application.objects.filter(ref=ref).exists():
            break
    app = Application(ref=ref, name=name, id_cipher=crypto.encrypt(info.number), id_hash=crypto.lookup_hash(info.number),
                      id_masked=crypto.mask_id(info.number), phone_cipher=crypto.encrypt(phone),
                      phone_masked=crypto.mask_phone(phone), employer=employer, union=union,
                      consent_version=PRIVACY_VERSION, consented_at=now)
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError as exc:  # a second submit racing the first
        raise ServiceError(ALREADY, field="id_number") from exc
    audit.record(actor=None, action="portal.application.submitted", obj=app,
                 changes={"name": name, "id_number": info.number, "phone": phone, "union": union.name,
                          "consent_version": PRIVACY_VERSION, "consented_at": now})
    return app


def application_lookup(*, ref: str, id_number) -> Application:
    """The applicant's own application, by its number and his ID number; anything else reads the same."""
    try:
        info = parse_id_number(id_number)
    except ServiceError as exc:
        raise ServiceError(exc.messages[0], field="id_number") from exc
    app = (Application.objects.filter(ref=(ref or "").strip().upper(), id_hash__in=crypto.lookup_hashes(info.number))
           .select_related("union").first())
    if app is None:
        raise ServiceError(NOT_FOUND, field="ref")
    return app


def issue_card_no(union: Org, year: int) -> str:
    """会员证号: the union's code, the year and a sequence (unique over all cards)."""
    prefix = f"{union.code}{year}"
    # The highest number of the prefix by a range on the card index (a LIKE or a count scanned the
    # million cards of the city bench on PostgreSQL: 221 ms against 7 ms).
    last = (Membership.objects.exclude(card_no="").filter(card_no__gte=prefix, card_no__lt=prefix + "~")
            .order_by("-card_no").values_list("card_no", flat=True).first())
    tail = last[len(prefix):] if last else ""
    n = int(tail) + 1 if tail.isdigit() and len(tail) == 5 else 1
    while Membership.objects.filter(card_no=f"{prefix}{n:05d}").exists():
        n += 1
    return f"{prefix}{n:05d}"


@transaction.atomic
def application_accept(*, actor, application: Application, join_union: Org | None = None,
                       joined_on: dt.date | None = None) -> tuple[Membership, str]:
    """Accept: the member-join service runs (card number issued) and a one-time activation code
    is made. Returns the membership and the code (shown once, to print for the member)."""
    scope.require(actor, "portal.change", application.union.path)
    application = Application.objects.select_for_update().get(pk=application.pk)
    APPLICATION_FLOW.check(application.status, ApplicationStatus.ACCEPTED, "批准入会")
    union = join_union or application.union
    if union.org_type not in MEMBER_UNION_TYPES:
        raise ServiceError("会员应登记在基层工会：请选择接收该申请人的基层工会（如联合基层工会、社区工会）。",
                           field="join_union")
    if not union.path.startswith(application.union.path):
        raise ServiceError("接收工会应在受理工会之下。", field="join_union")
    joined_on = joined_on or clock.today()
    membership = member_services.member_join(
        actor=actor, union=union, name=application.name, id_number=application.id_number, joined_on=joined_on,
        card_no=issue_card_no(union, joined_on.year), phone=application.phone,
        **({"employer": application.employer} if application.employer_id else {}))
    application.status, application.membership = ApplicationStatus.ACCEPTED, membership
    application.decided_at, application.decided_by = clock.now(), actor.get_username() if actor else "系统"
    application.save(update_fields=["status", "membership", "decided_at", "decided_by"])
    audit.record(actor=actor, action="portal.application.accepted", obj=application,
                 changes={"union": union.name, "card_no": membership.card_no})
    code = _activation_code(actor=actor, person=membership.person)
    return membership, code


@transaction.atomic
def application_refuse(*, actor, application: Application, reason: str) -> Application:
    scope.require(actor, "portal.change", application.union.path)
    application = Application.objects.select_for_update().get(pk=application.pk)
    APPLICATION_FLOW.check(application.status, ApplicationStatus.REFUSED, "不予批准")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("不予批准须填写理由，申请人查询时可见。", field="reason")
    application.status, application.reason = ApplicationStatus.REFUSED, reason[:500]
    application.decided_at, application.decided_by = clock.now(), actor.get_username() if actor else "系统"
    application.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    audit.record(actor=actor, action="portal.application.refused", obj=application, changes={"reason": reason})
    return application


# --- accounts ---------------------------------------------------------------------------------

def _activation_code(*, actor, person: Person) -> str:
    code = _random(CODE_ALPHABET, 8)
    account, _ = MemberAccount.objects.get_or_create(person=person)
    account.activation_hash = make_password(code)
    account.activation_expires = clock.now() + dt.timedelta(days=conf.get("ACTIVATION_DAYS"))
    account.failed_count, account.locked_until = 0, None
    account.save()
    audit.record(actor=actor, action="portal.account.code_issued", obj=account,
                 target=None, changes={"person": person.name},
                 org_path=_current_union_path(person))
    return code


def _current_union_path(person: Person) -> str:
    m = person.memberships.filter(ended_on__isnull=True).select_related("union").first()
    return m.union.path if m else ""


@transaction.atomic
def activation_code_reissue(*, actor, membership: Membership) -> str:
    """A new one-time code (the member lost his, or forgot the password): the old password and
    every passkey stop working."""
    scope.require(actor, "portal.change", membership.union.path)
    if not membership.is_current:
        raise ServiceError("该会籍已终止，不能发放激活码。")
    code = _activation_code(actor=actor, person=membership.person)
    MemberAccount.objects.filter(person=membership.person).update(password="")
    # The passkeys go too: a member who lost his phone asks for a new code, and the passkey on
    # the lost phone must not open the account again once he has set his new password.
    removed, _ = Passkey.objects.filter(account__person=membership.person).delete()
    if removed:
        audit.record(actor=actor, action="portal.passkey.revoked", obj=membership.person.portal_account,
                     changes={"passkeys": removed}, org_path=_current_union_path(membership.person))
    return code


def address_wait(ip: str | None) -> float:
    """Seconds this address must wait: after LOGIN_ADDRESS_FREE_FAILURES failures in the lockout
    window, 2, 4, 8 ... seconds after the last (accounts.throttle's rule for staff)."""
    ip = throttle.address_key(ip)  # IPv6: the /64, as every portal limit counts it
    if not ip:
        return 0
    now = clock.now()
    window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    recent = LoginFailure.objects.filter(ip=ip, at__gte=now - window)
    extra = recent.count() - settings.LOGIN_ADDRESS_FREE_FAILURES
    if extra < 0:
        return 0
    last = recent.order_by("-at").values_list("at", flat=True).first()
    return max(0.0, min(2 ** (extra + 1), window.total_seconds()) - (now - last).total_seconds())


def _find_account(id_number) -> MemberAccount | None:
    try:
        info = parse_id_number(id_number)
    except ServiceError:
        return None
    return (MemberAccount.objects.select_related("person")
            .filter(person__id_hash__in=crypto.lookup_hashes(info.number)).first())


def _fail(account: MemberAccount | None, ip: str | None) -> None:
    LoginFailure.objects.create(ip=throttle.address_key(ip) or None, at=clock.now())
    if account is not None:
        # Counted on the locked row: parallel guesses must not lose each other's failures.
        with transaction.atomic():
            row = MemberAccount.objects.select_for_update().get(pk=account.pk)
            row.failed_count += 1
            if row.failed_count >= settings.LOGIN_MAX_FAILURES:
                row.locked_until = clock.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                row.failed_count = 0
            row.save(update_fields=["failed_count", "locked_until"])
        account.failed_count, account.locked_until = row.failed_count, row.locked_until


@cache
def _dummy_hash() -> str:
    return make_password("gonghui-portal-no-account")


def _same_work(secret: str) -> None:
    """A password check whose answer is thrown away: a refusal costs what a real check costs, so
    the time taken does not tell whether an ID number has an account, a code or a lock."""
    check_password(secret or "", _dummy_hash())


def _refused(account: MemberAccount | None, ip: str | None) -> bool:
    if address_wait(ip) > 0:
        return True
    return account is not None and account.locked_until is not None and account.locked_until > clock.now()


def account_activate(*, id_number, code: str, password: str, ip: str | None = None) -> MemberAccount:
    """The member sets his password with the one-time code. Failures count like sign-in failures
    (recorded outside any transaction, so the refusal does not roll them back)."""
    account = _find_account(id_number)
    # One answer for an unknown ID number, a wrong or expired code and a locked account: which of
    # them it was would tell whether the ID number has an account (is or was a member).
    if _refused(account, ip):
        _same_work(code)
        raise ServiceError(ACTIVATION_REFUSED, field="code")
    live = (account is not None and account.activation_hash and account.activation_expires
            and account.activation_expires > clock.now())
    if not live:
        _same_work(code)
    if not live or not check_password((code or "").strip().upper(), account.activation_hash):
        _fail(account, ip)
        raise ServiceError(ACTIVATION_REFUSED, field="code")
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field="password") from exc
    with transaction.atomic():
        # The code is used once: a second activation racing this one finds it gone.
        if MemberAccount.objects.select_for_update().filter(pk=account.pk).values_list(
                "activation_hash", flat=True).first() != account.activation_hash:
            raise ServiceError(ACTIVATION_REFUSED, field="code")
        account.password = make_password(password)
        account.activation_hash, account.activation_expires = "", None
        account.activated_at, account.failed_count, account.locked_until = clock.now(), 0, None
        account.save()
        audit.record(actor=MemberActor(account), action="portal.account.activated", obj=account,
                     org_path=_current_union_path(account.person))
    return account


def account_sign_in(*, id_number, password: str, ip: str | None = None) -> MemberAccount:
    """Sign-in check with lockout (LOGIN_MAX_FAILURES per account, back-off per address); an
    unknown ID number fails exactly like a wrong password."""
    account = _find_account(id_number)
    if _refused(account, ip):
        _same_work(password)
        raise ServiceError(SIGN_IN_REFUSED)
    if account is None or not account.password:
        _same_work(password)
    if account is None or not account.password or not check_password(password or "", account.password) or \
            not account.person.memberships.filter(ended_on__isnull=True).exists():
        _fail(account, ip)
        raise ServiceError(SIGN_IN_REFUSED)
    account.failed_count, account.locked_until, account.last_login = 0, None, clock.now()
    account.save(update_fields=["failed_count", "locked_until", "last_login"])
    return account


# --- 电子会员证 --------------------------------------------------------------------------------

CARD_PURPOSE = "member-card"


def card_token(*, account: MemberAccount, renew: bool = False) -> str:
    """The signed token of the member's card QR: the current one while it has a week to run,
    else (or when asked) a new one, the old revoked."""
    now = clock.now()
    with transaction.atomic():
        live = account.card_tokens.filter(revoked_at__isnull=True, expires_at__gt=now).order_by("-pk").first()
        if live is None or renew or live.expires_at < now + dt.timedelta(days=7):
            account.card_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
            live = CardToken.objects.create(account=account,
                                            expires_at=now + dt.timedelta(days=conf.get("CARD_TOKEN_DAYS")))
            if renew:
                audit.record(actor=MemberActor(account), action="portal.card.renewed", obj=account,
                             org_path=_current_union_path(account.person))
    return crypto.sign(str(live.pk), purpose=CARD_PURPOSE, expires_at=live.expires_at)


def card_verify(token: str) -> dict | None:
    """What the public verification page shows for a token: masked name, union, current or not;
    None when the token does not verify, expired or was revoked."""
    value = crypto.unsign(token or "", purpose=CARD_PURPOSE)
    if value is None or not value.isdigit():
        return None
    row = CardToken.objects.filter(pk=int(value), revoked_at__isnull=True, expires_at__gt=clock.now()) \
        .select_related("account__person").first()
    if row is None:
        return None
    person = row.account.person
    m = person.memberships.filter(ended_on__isnull=True).select_related("union").first()
    return {"name": mask_name(person.name), "union": m.union.name if m else "",
            "current": bool(m and m.status == "active"), "status": m.get_status_display() if m else "会籍已终止"}


# --- 个人信息权利请求 --------------------------------------------------------------------------

@transaction.atomic
def rights_request(*, account: MemberAccount, kind: str, detail: str) -> RightsRequest:
    if kind not in RightsKind.values:
        raise ServiceError("请选择请求类型。", field="kind")
    detail = (detail or "").strip()
    if not detail:
        raise ServiceError("请写明请求的内容（如需更正的信息和正确的内容）。", field="detail")
    if len(detail) > 1000:
        raise ServiceError("请求内容不能超过1000字。", field="detail")
    m = account.person.memberships.filter(ended_on__isnull=True).select_related("union").first() or \
        account.person.memberships.order_by("-started_on").select_related("union").first()
    if m is None:
        raise ServiceError("未找到您的会籍，请向所在工会咨询。")
    today = clock.today()
    req = RightsRequest.objects.create(account=account, union=m.union, kind=kind, detail=detail, received_on=today,
                                       due_on=calendar.due(today, conf.get("RIGHTS_DAYS"),
                                                           conf.get("RIGHTS_WORKING_DAYS")))
    audit.record(actor=MemberActor(account), action="portal.rights.requested", obj=req,
                 changes={"kind": req.get_kind_display(), "due_on": req.due_on})
    return req


@transaction.atomic
def rights_close(*, actor, request: RightsRequest, reply: str, refuse: bool = False) -> RightsRequest:
    scope.require(actor, "portal.change", request.union.path)
    request = RightsRequest.objects.select_for_update().get(pk=request.pk)
    to = RightsStatus.REFUSED if refuse else RightsStatus.DONE
    RIGHTS_FLOW.check(request.status, to, "办结" if not refuse else "不予办理")
    reply = (reply or "").strip()
    if not reply:
        raise ServiceError("请填写答复内容，会员可在“个人信息权利”中看到。", field="reply")
    request.status, request.reply, request.closed_on = to, reply, clock.today()
    request.closed_by = actor.get_username() if actor else "系统"
    request.save(update_fields=["status", "reply", "closed_on", "closed_by"])
    audit.record(actor=actor, action="portal.rights.closed", obj=request,
                 changes={"status": request.get_status_display(), "reply": reply})
    return request


def own_q(account: MemberAccount) -> Q:
    return Q(account=account)


# --- 帮扶 / 金秋助学 online ---------------------------------------------------------------------

# What an attachment may be: a PDF or a photo, by its name and its first bytes (core.uploads).
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png")
ATTACHMENT_WORDING = uploads.Wording(
    wrong_type="附件只能是 PDF 文件或 JPG、PNG 图片。",
    empty="附件“{name}”是空文件。",
    too_big="附件不能超过 {max_mb} MB。",
    wrong_content="附件“{name}”的内容与文件类型不符。附件只能是 PDF 文件或 JPG、PNG 图片。",
)


def attachments_dir():
    folder = settings.DATA_DIR / "portal"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _union_of(account: MemberAccount) -> Org:
    m = account.person.memberships.filter(ended_on__isnull=True).select_related("union").first()
    if m is None:
        raise ServiceError("只有在会会员才能在线申请，请向所在工会咨询。")
    return m.union


@transaction.atomic
def help_request(*, account: MemberAccount, kind: str, reason: str, student_name: str = "", school: str = "",
                 attachment_name: str = "", attachment: bytes | None = None) -> HelpRequest:
    """困难帮扶 or 金秋助学 asked online; the member's union checks it (help_register / help_decline)."""
    import os

    if kind not in HelpKind.values:
        raise ServiceError("请选择申请类型。", field="kind")
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("请写明家庭困难情况。", field="reason")
    if kind == HelpKind.GOLDEN_AUTUMN and not ((student_name or "").strip() and (school or "").strip()):
        raise ServiceError("金秋助学请填写受助子女姓名和就读学校及年级。", field="student_name")
    union = _union_of(account)
    stored = ""
    if attachment:
        suffix = uploads.check(attachment_name, len(attachment), attachment[:uploads.HEAD], types=ATTACHMENT_TYPES,
                               max_bytes=conf.get("MAX_ATTACHMENT_MB") * 1024 * 1024, wording=ATTACHMENT_WORDING,
                               field="attachment")
        stored = secrets.token_hex(16) + suffix
        fd = os.open(attachments_dir() / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(attachment)
    req = HelpRequest.objects.create(account=account, union=union, kind=kind, reason=reason[:2000],
                                     student_name=(student_name or "").strip()[:50], school=(school or "").strip()[:100],
                                     attachment_name=(attachment_name or "")[-200:] if stored else "",
                                     attachment_stored=stored)
    audit.record(actor=MemberActor(account), action="portal.help.requested", obj=req,
                 changes={"kind": req.get_kind_display()})
    return req


def help_decide(*, actor, request: HelpRequest, register: bool, reply: str, **intake_fields) -> HelpRequest:
    """The union's answer: accepted (help_accept: the case opened in the assistance line) or
    declined (help_decline), with words the member reads."""
    if register:
        return help_accept(actor=actor, request=request, reply=reply, **intake_fields)
    return help_decline(actor=actor, request=request, reply=reply)


def _open_request(actor, request: HelpRequest, reply: str) -> tuple[HelpRequest, str]:
    scope.require(actor, "portal.change", request.union.path)
    request = HelpRequest.objects.select_for_update().select_related("union", "account__person").get(pk=request.pk)
    if request.status != HelpStatus.RECEIVED:
        raise ServiceError("该申请已处理。")
    reply = (reply or "").strip()
    if not reply:
        raise ServiceError("请填写答复，会员可在会员服务中看到。", field="reply")
    return request, reply


@transaction.atomic
def help_decline(*, actor, request: HelpRequest, reply: str) -> HelpRequest:
    """不予受理: the reason stays on the request for the member to read."""
    request, reply = _open_request(actor, request, reply)
    request.status, request.reply = HelpStatus.DECLINED, reply[:500]
    request.save(update_fields=["status", "reply"])
    audit.record(actor=actor, action="portal.help.decided", obj=request,
                 changes={"status": request.get_status_display(), "reply": reply})
    return request


INTAKE_TYPE = {HelpKind.HARDSHIP: "living", HelpKind.GOLDEN_AUTUMN: "golden_autumn"}


def help_accept(*, actor, request: HelpRequest, reply: str, amount_requested, category: str = "",
                school_level: str = "", student_birth_date: dt.date | None = None,
                student_gender: int | None = None) -> HelpRequest:
    """受理: the assistance line's intake opens the case (the household's archive, found or opened at
    建档; the application, 待审核; the member's paper as its document) and the request links to
    it, in one transaction with the audit entries. A failure anywhere keeps no row and no file."""
    from django.core.files.base import ContentFile

    from gonghui.assistance import intake

    with intake.stored_files() as stored, transaction.atomic():
        request, reply = _open_request(actor, request, reply)
        person = request.account.person
        documents = []
        if request.attachment_stored:  # at most MAX_ATTACHMENT_MB: read whole
            documents.append(ContentFile((attachments_dir() / request.attachment_stored).read_bytes(),
                                         name=request.attachment_name or request.attachment_stored))
        application = intake.intake(
            actor=actor, org=request.union, head_name=person.name, id_number=person.id_number,
            phone=person.phone, person=person, type=INTAKE_TYPE[request.kind], reason=request.reason,
            amount_requested=amount_requested, applied_on=min(timezone.localtime(request.created_at).date(), clock.today()),
            category=category, student_name=request.student_name, school=request.school,
            school_level=school_level, student_birth_date=student_birth_date, student_gender=student_gender,
            documents=documents, stored=stored)
        request.status, request.reply, request.application = HelpStatus.REGISTERED, reply[:500], application
        request.save(update_fields=["status", "reply", "application"])
        audit.record(actor=actor, action="portal.help.decided", obj=request,
                     changes={"status": request.get_status_display(), "reply": reply,
                              "application": f"{application.get_type_display()}申请 {application.pk}"})
    return request


# --- 会员评家 online --------------------------------------------------------------------------------

SURVEY_DAYS = 90  # a survey is open to its members this long after its date


def open_surveys(account: MemberAccount) -> list:
    """The 会员评家 surveys of the member's union (or the grass-roots union above his branch)
    held in the last SURVEY_DAYS days, not yet answered by him."""
    from gonghui.honours.models import HomeSurvey

    union = _union_of(account)
    prefixes = [union.path[:i] for i in range(Org.steplen, len(union.path) + 1, Org.steplen)]
    today = clock.today()
    return list(HomeSurvey.objects.filter(org__path__in=prefixes, held_on__gte=today - dt.timedelta(days=SURVEY_DAYS),
                                          held_on__lte=today)
                .exclude(pk__in=account.survey_tickets.values("survey_id")).select_related("org").order_by("-held_on"))


@transaction.atomic
def survey_answer(*, account: MemberAccount, survey, answers: dict) -> None:
    """One answer per member per survey (the ticket), stored by the honours line without the person."""
    from gonghui.honours import services as honours_services

    if survey.pk not in {s.pk for s in open_surveys(account)}:
        raise ServiceError("您已填写过该问卷，或该问卷不在填写期内。")
    try:
        with transaction.atomic():
            SurveyTicket.objects.create(account=account, survey=survey)
    except IntegrityError as exc:
        raise ServiceError("您已填写过该问卷。") from exc
    honours_services.survey_answers_add(actor=None, survey=survey, questionnaires=[answers], online=True)
