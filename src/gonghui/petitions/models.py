"""信访 cases and 劳动争议调解 cases (DOMAIN §5).

A petition belongs to the federation handling it now (`org`); forwarding it down moves it
to the subordinate, whose queue then shows it, while the upper federation keeps seeing it
through its subtree and `forwarded_from`. Every legal due date is computed when its
starting event is recorded and stored here, so lists and reminders filter on columns.
Petitioners' ID numbers, phones and addresses are encrypted; names are shown masked to
anyone without `petitions.view_sensitive`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from gonghui.core import crypto

from . import conf


class Channel(models.TextChoices):
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    PHONE = "phone", "电话"
    ONLINE = "online", "网上"
    FORWARDED = "forwarded", "上级转办"
    REPORTED = "reported", "下级上报"


class Kind(models.TextChoices):
    CLAIM = "claim", "申诉求决类"
    SUGGESTION = "suggestion", "建议意见类"
    ACCUSATION = "accusation", "检举控告类"
    INQUIRY = "inquiry", "咨询类"


class Status(models.TextChoices):
    REGISTERED = "registered", "登记（待受理）"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"
    REVIEW = "review", "复查中"
    RECHECK = "recheck", "复核中"
    FINAL = "final", "终结"


# Cases still needing work from the union (a closed case may still be reviewed).
OPEN_STATUSES = (Status.REGISTERED, Status.ACCEPTED, Status.HANDLING, Status.REPLIED, Status.REVIEW, Status.RECHECK)


class Result(models.TextChoices):  # 信访处理意见书 decision (§32)
    SUPPORT = "support", "支持"
    EXPLAIN = "explain", "解释说明"
    REFUSE = "refuse", "不予支持"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"
    UNKNOWN = "unknown", "未评价"


class Gender(models.IntegerChoices):
    MALE = 1, "男"
    FEMALE = 2, "女"


class Petition(models.Model):
    scope_path_field = "org__path"

    number = models.CharField("编号", max_length=30, unique=True)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="petitions", verbose_name="承办单位")
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.CLAIM)
    category = models.CharField("诉求类别", max_length=20)
    title = models.CharField("事由", max_length=200)
    content = models.TextField("信访内容", blank=True)
    # 上级转办: the forwarding body outside the system (e.g. 市总工会), its reference, its deadline.
    source_org_name = models.CharField("转办单位", max_length=100, blank=True)
    source_ref = models.CharField("转办文号", max_length=60, blank=True)
    required_by = models.DateField("要求办结日期", null=True, blank=True)
    reported_from = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="上报单位")
    forwarded_from = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name="转办来自")
    registered_on = models.DateField("登记日期")
    received_on = models.DateField("本单位收到日期", db_index=True)
    people_count = models.PositiveIntegerField("涉及人数", default=1)
    is_group = models.BooleanField("群体性", default=False, db_index=True)
    lead_gender = models.PositiveSmallIntegerField("信访人性别", choices=Gender.choices, null=True, blank=True)
    employer = models.ForeignKey("orgs.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="petitions", verbose_name="所涉单位")
    employer_name = models.CharField("所涉单位名称", max_length=200, blank=True)
    amount_claimed = models.DecimalField("诉求金额(元)", max_digits=14, decimal_places=2, default=0)
    amount_recovered = models.DecimalField("追回金额(元)", max_digits=14, decimal_places=2, default=0)
    is_urgent = models.BooleanField("重大紧急", default=False)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.REGISTERED)
    handler_a = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="承办人（A角）")
    handler_b = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="替补（B角）")
    # Due dates (stored when the starting event is recorded) and the dates the steps happened.
    notice_due = models.DateField("受理告知期限", db_index=True)
    objection_due = models.DateField("异议期限", null=True, blank=True)
    notice_on = models.DateField("告知日期", null=True, blank=True)
    reject_reason = models.CharField("不予受理理由", max_length=500, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    close_due = models.DateField("办结期限", null=True, blank=True, db_index=True)
    extended = models.BooleanField("已延期", default=False)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    result = models.CharField("处理结果", max_length=10, choices=Result.choices, blank=True)
    reply_summary = models.TextField("答复意见", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=12, choices=Satisfaction.choices, blank=True)
    review_requested_on = models.DateField("复查申请日期", null=True, blank=True)
    review_due = models.DateField("复查答复期限", null=True, blank=True)
    review_replied_on = models.DateField("复查答复日期", null=True, blank=True)
    recheck_requested_on = models.DateField("复核申请日期", null=True, blank=True)
    recheck_due = models.DateField("复核答复期限", null=True, blank=True)
    recheck_replied_on = models.DateField("复核答复日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "信访案件"
        ordering = ["-received_on", "-id"]
        indexes = [
            # Figures count a union's cases by the date of one step: (org, date) serves each.
            models.Index(fields=["org", "received_on"], name="petition_org_received"),
            models.Index(fields=["org", "notice_on"], name="petition_org_notice"),
            models.Index(fields=["org", "replied_on"], name="petition_org_replied"),
            models.Index(fields=["org", "closed_on"], name="petition_org_closed"),
            models.Index(fields=["status", "close_due"], name="petition_status_close"),
            models.Index(fields=["status", "notice_due"], name="petition_status_notice"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def handler_a_name(self) -> str:
        return user_label(self.handler_a)

    @property
    def handler_b_name(self) -> str:
        return user_label(self.handler_b)

    @property
    def category_label(self) -> str:
        return conf.category_label(self.category)

    @property
    def is_forwarded_in(self) -> bool:
        """Received by forwarding (from outside, or from an upper federation in the system)."""
        return self.channel == Channel.FORWARDED or self.forwarded_from_id is not None

    def current_due(self) -> tuple[str, dt.date] | None:
        """The due date the case is working against now, with its label."""
        if self.status == Status.REGISTERED:
            return "受理告知", self.notice_due
        if self.status in (Status.ACCEPTED, Status.HANDLING):
            return "办结", self.close_due
        if self.status == Status.REVIEW:
            return "复查答复", self.review_due
        if self.status == Status.RECHECK:
            return "复核答复", self.recheck_due
        return None

    def overdue_on(self, today: dt.date) -> bool:
        due = self.current_due()
        return bool(due and due[1] and due[1] < today)

    @property
    def notice_late(self) -> bool:
        return bool(self.notice_on and self.notice_on > self.notice_due)

    @property
    def close_late(self) -> bool:
        return bool(self.replied_on and self.close_due and self.replied_on > self.close_due)


class Petitioner(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    name = models.CharField("姓名", max_length=50)
    gender = models.PositiveSmallIntegerField("性别", choices=Gender.choices, null=True, blank=True)
    id_cipher = crypto.EncryptedTextField(blank=True)
    id_masked = models.CharField("证件号码", max_length=18, blank=True)
    phone_cipher = crypto.EncryptedTextField(blank=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    address_cipher = crypto.EncryptedTextField(blank=True)
    is_representative = models.BooleanField("代表", default=False)

    class Meta:
        verbose_name = "信访人"
        ordering = ["id"]

    def __str__(self):
        return self.name_masked

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    def full(self) -> dict[str, str]:
        """Decrypted identity and contact data: callers log the access (services.petition_reveal)."""
        return {"name": self.name, "id_number": crypto.decrypt(self.id_cipher),
                "phone": crypto.decrypt(self.phone_cipher), "address": crypto.decrypt(self.address_cipher)}


def user_label(user) -> str:
    return (user.display_name or user.username) if user is not None else ""


def mask_name(name: str) -> str:
    """张** : the surname only (a petitioner's identity is sensitive, DOMAIN §13.1)."""
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


class PetitionEvent(models.Model):
    """The case's history: every transition, handling record and hand-over, with the org then."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("事项", max_length=40)
    on = models.DateField("日期")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.on} {self.action}"


class Extension(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("申请日期")
    reason = models.CharField("延期理由", max_length=500)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    new_due = models.DateField("延期后期限", null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"延期申请 {self.requested_on}"


class Absence(models.Model):
    """A handler marked absent: his A-role cases pass to their B handler for these days."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="petition_absences",
                             verbose_name="承办人")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name="登记单位")
    starts_on = models.DateField("自")
    ends_on = models.DateField("至")
    reason = models.CharField("事由", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "starts_on", "ends_on"], name="absence_user_dates")]

    def __str__(self):
        return f"不在岗 {self.starts_on}—{self.ends_on}"


# --- 劳动争议调解 -------------------------------------------------------------------------------

class DisputeType(models.TextChoices):  # 劳动争议调解仲裁法 §2
    RELATION = "relation", "确认劳动关系"
    CONTRACT = "contract", "订立、履行、变更、解除和终止劳动合同"
    DISMISSAL = "dismissal", "除名、辞退和辞职、离职"
    CONDITIONS = "conditions", "工作时间、休息休假、社会保险、福利、培训以及劳动保护"
    PAY = "pay", "劳动报酬、工伤医疗费、经济补偿或者赔偿金"
    OTHER = "other", "其他"


class MediationBody(models.TextChoices):
    ENTERPRISE = "enterprise", "企业劳动争议调解委员会"
    PEOPLES = "peoples", "基层人民调解组织"
    TOWNSHIP = "township", "乡镇、街道劳动争议调解组织"


class Mediation(models.Model):
    scope_path_field = "org__path"

    class Mode(models.TextChoices):
        WRITTEN = "written", "书面申请"
        ORAL = "oral", "口头申请"

    class State(models.TextChoices):
        OPEN = "open", "调解中"
        SUCCEEDED = "succeeded", "调解成功"
        FAILED = "failed", "调解不成"
        WITHDRAWN = "withdrawn", "撤回"

    number = models.CharField("编号", max_length=30, unique=True)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="mediations", verbose_name="所属工会")
    body = models.CharField("调解组织", max_length=12, choices=MediationBody.choices)
    mode = models.CharField("申请方式", max_length=10, choices=Mode.choices, default=Mode.WRITTEN)
    applied_on = models.DateField("申请日期", db_index=True)
    due_on = models.DateField("调解期限", db_index=True)
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_gender = models.PositiveSmallIntegerField("申请人性别", choices=Gender.choices, null=True, blank=True)
    applicant_phone_cipher = crypto.EncryptedTextField(blank=True)
    applicant_phone_masked = models.CharField("联系电话", max_length=20, blank=True)
    worker_count = models.PositiveIntegerField("涉及职工人数", default=1)
    employer = models.ForeignKey("orgs.Employer", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="mediations", verbose_name="被申请人（用人单位）")
    employer_name = models.CharField("被申请人名称", max_length=200, blank=True)
    dispute_type = models.CharField("争议类型", max_length=12, choices=DisputeType.choices)
    matter = models.TextField("争议事项", blank=True)
    amount_claimed = models.DecimalField("标的金额(元)", max_digits=14, decimal_places=2, default=0)
    mediator = models.CharField("调解员", max_length=50, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField("结案日期", null=True, blank=True, db_index=True)
    agreement_terms = models.TextField("协议内容", blank=True)
    agreed_amount = models.DecimalField("协议金额(元)", max_digits=14, decimal_places=2, default=0)
    performance_due = models.DateField("履行期限", null=True, blank=True)
    referred_to_arbitration = models.BooleanField("已告知/转仲裁", default=False)
    close_note = models.CharField("结案说明", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "劳动争议调解案件"
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["org", "applied_on"], name="mediation_org_applied")]

    def __str__(self):
        return f"{self.number} {self.applicant_name_masked}"

    @property
    def audit_org_path(self) -> str:
        return self.org.path

    @property
    def applicant_name_masked(self) -> str:
        return mask_name(self.applicant_name)

    @property
    def is_collective(self) -> bool:
        return self.worker_count >= 10  # 劳动争议调解仲裁法 §7

    def overdue_on(self, today: dt.date) -> bool:
        return self.state == self.State.OPEN and self.due_on < today


class MediationSession(models.Model):
    mediation = models.ForeignKey(Mediation, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    notes = models.TextField("调解记录")
    actor_name = models.CharField("记录人", max_length=150, blank=True)

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self):
        return f"调解 {self.held_on}"


class Attachment(models.Model):
    """A letter, photo or record of a case. The file lives under DATA_DIR/petitions (mode 600);
    it may show the petitioner's identity, so downloading it is a logged full view."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.CharField("上传人", max_length=150)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name
