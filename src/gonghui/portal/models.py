"""The member portal (会员服务, issue 25): what members themselves do, in a realm of their own.

A member signs in with a `MemberAccount` (its own hashed password, its own session key), never
with a staff `User`: staff login grants no portal access and the portal's sign-in none to the
staff pages. Applications (网上入会) and rights requests (个人信息保护法 §44-47) are addressed to a
union and are scoped by its path like every other record.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gonghui.core import crypto
from gonghui.core.workflow import Workflow

PRIVACY_VERSION = "2026-1"  # the privacy notice's version a consent records (templates/portal/privacy.html)


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已批准入会"
    REFUSED = "refused", "不予批准"


APPLICATION_FLOW = Workflow.build(ApplicationStatus, {
    ApplicationStatus.PENDING: {ApplicationStatus.ACCEPTED, ApplicationStatus.REFUSED},
})


class Application(models.Model):
    """网上入会申请: routed at submission to the union covering the employer, or to the
    territorial federation (the employer's area, or the area a worker without employer chose)."""

    ref = models.CharField("申请编号", max_length=12, unique=True)
    name = models.CharField("姓名", max_length=50)
    id_cipher = crypto.EncryptedTextField("公民身份号码(密文)")
    id_hash = crypto.LookupHashField(source="id_cipher", db_index=True)
    id_masked = models.CharField("公民身份号码", max_length=18)
    phone_cipher = crypto.EncryptedTextField("手机号码(密文)")
    phone_masked = models.CharField("手机号码", max_length=20)
    employer = models.ForeignKey("orgs.Employer", verbose_name="工作单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    union = models.ForeignKey("orgs.Org", verbose_name="受理工会", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING)
    consent_version = models.CharField("隐私告知版本", max_length=20)
    consented_at = models.DateTimeField("同意时间")
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.CharField("审核人", max_length=150, blank=True)
    reason = models.CharField("不予批准理由", max_length=500, blank=True)
    membership = models.ForeignKey("members.Membership", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="会籍")

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "网上入会申请"
        indexes = [models.Index(fields=["union", "status"], name="portal_app_union_status")]
        constraints = [models.UniqueConstraint(fields=["id_hash"], condition=Q(status="pending"),
                                               name="portal_app_one_pending")]

    def __str__(self):
        return f"入会申请 {self.ref}"

    @property
    def audit_org_path(self) -> str:
        return self.union.path

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_cipher)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_cipher)


class MemberAccount(models.Model):
    """A member's sign-in: one per person, activated with the one-time code the union gave."""

    person = models.OneToOneField("members.Person", on_delete=models.PROTECT, related_name="portal_account",
                                  verbose_name="会员")
    password = models.CharField(max_length=128, blank=True)  # django.contrib.auth.hashers; "" until activated
    activation_hash = models.CharField(max_length=128, blank=True)  # the one-time code, hashed
    activation_expires = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    failed_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_login = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会员账户"

    def __str__(self):
        return f"会员账户 {self.person_id}"

    def get_username(self) -> str:  # the audit log's actor name
        return f"会员{crypto.mask_text(self.person.name[:1])}**({self.person.id_last4})"

    @property
    def is_delegate(self) -> bool:
        """A 职工代表 linked to this member (the home page offers 我的提案 only then)."""
        return DelegateLink.objects.filter(person_id=self.person_id).exists()


class Passkey(models.Model):
    """通行密钥 (WebAuthn): a credential a signed-in member registered to sign in without his
    password. Stored: the authenticator's credential id (base64url, unique), its public key (COSE),
    the signature counter it reported last (a counter going back is a cloned authenticator) and
    its transports (hints to the browser). The user handle is random per account, never his id."""

    account = models.ForeignKey(MemberAccount, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField("名称", max_length=30)
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url of up to 1023 bytes
    public_key = models.BinaryField()
    sign_count = models.BigIntegerField(default=0)  # unsigned 32-bit on the authenticator
    transports = models.JSONField(default=list, blank=True)
    user_handle = models.CharField(max_length=100)  # base64url of the random user.id given at registration
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    last_used_at = models.DateTimeField("上次使用", null=True, blank=True)

    class Meta:
        verbose_name = "通行密钥"

    def __str__(self):
        return f"通行密钥 {self.pk}"


class LoginFailure(models.Model):
    """A failed portal sign-in or activation (per-address back-off, as accounts.throttle does)."""

    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip", "at"], name="portal_fail_ip_at")]

    def __str__(self):
        return f"登录失败 {self.at}"


class CardToken(models.Model):
    """The token behind an electronic card's QR code: signed, expiring, revocable (a new card
    revokes the previous one)."""

    account = models.ForeignKey(MemberAccount, on_delete=models.CASCADE, related_name="card_tokens")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"会员证二维码 {self.pk}"


class RightsKind(models.TextChoices):
    ACCESS = "access", "查阅复制个人信息"
    CORRECT = "correct", "更正补充个人信息"
    WITHDRAW = "withdraw", "撤回同意"
    DELETE = "delete", "删除个人信息"


class RightsStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已办结"
    REFUSED = "refused", "不予办理"


RIGHTS_FLOW = Workflow.build(RightsStatus, {RightsStatus.OPEN: {RightsStatus.DONE, RightsStatus.REFUSED}})


class RightsRequest(models.Model):
    """个人信息权利请求 (个人信息保护法 §44-47): a tracked case with its due date, for the member's union."""

    account = models.ForeignKey(MemberAccount, on_delete=models.PROTECT, related_name="rights_requests")
    union = models.ForeignKey("orgs.Org", verbose_name="办理工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("请求类型", max_length=12, choices=RightsKind.choices)
    detail = models.TextField("请求内容", max_length=1000)
    status = models.CharField("状态", max_length=12, choices=RightsStatus.choices, default=RightsStatus.OPEN)
    received_on = models.DateField("受理日期")
    due_on = models.DateField("办理期限", db_index=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    reply = models.TextField("答复", blank=True)
    closed_by = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "个人信息权利请求"
        indexes = [models.Index(fields=["union", "status"], name="portal_rights_union_status")]

    def __str__(self):
        return f"{self.get_kind_display()}请求 {self.pk}"

    @property
    def audit_org_path(self) -> str:
        return self.union.path


class HelpKind(models.TextChoices):
    HARDSHIP = "hardship", "困难帮扶"
    GOLDEN_AUTUMN = "golden_autumn", "金秋助学"


class HelpStatus(models.TextChoices):
    RECEIVED = "received", "已提交，待工会核实"
    REGISTERED = "registered", "已转入帮扶办理"
    DECLINED = "declined", "不予受理"


class HelpRequest(models.Model):
    """A member's online request for hardship help or 金秋助学: the union checks it and opens the
    archive and application in the assistance line (which keeps the case from then on)."""

    account = models.ForeignKey(MemberAccount, on_delete=models.PROTECT, related_name="help_requests")
    union = models.ForeignKey("orgs.Org", verbose_name="办理工会", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("申请类型", max_length=16, choices=HelpKind.choices)
    reason = models.TextField("困难情况", max_length=2000)
    student_name = models.CharField("受助子女姓名", max_length=50, blank=True)
    school = models.CharField("就读学校及年级", max_length=100, blank=True)
    attachment_name = models.CharField("附件", max_length=200, blank=True)
    attachment_stored = models.CharField(max_length=80, blank=True)
    status = models.CharField("状态", max_length=12, choices=HelpStatus.choices, default=HelpStatus.RECEIVED)
    reply = models.CharField("答复", max_length=500, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    # The case the union opened on acceptance (assistance.intake): the member follows its status.
    application = models.ForeignKey("assistance.Application", verbose_name="帮扶申请", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "网上帮扶申请"
        indexes = [models.Index(fields=["union", "status"], name="portal_help_union_status")]

    def __str__(self):
        return f"{self.get_kind_display()}申请 {self.pk}"

    @property
    def audit_org_path(self) -> str:
        return self.union.path


class SurveyTicket(models.Model):
    """That a member answered a 会员评家 survey: one answer per member. Kept apart from the
    answer (honours.SurveyResponse has no person), so results stay anonymous."""

    account = models.ForeignKey(MemberAccount, on_delete=models.CASCADE, related_name="survey_tickets")
    survey = models.ForeignKey("honours.HomeSurvey", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "survey"], name="portal_one_answer_per_member")]

    def __str__(self):
        return f"问卷已答 {self.survey_id}"


# The delegate link lives in its own module (a 职工代表 is the democracy line's record).
from .models_member import DelegateLink  # noqa: E402
