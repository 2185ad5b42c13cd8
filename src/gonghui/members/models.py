"""会员实名制: people, their memberships (one stay in one union) and dated status history.

A person is identified nationally by the ID number (one person, at most one current
membership: "一次入会、动态接转"). The number is stored encrypted, with an HMAC for lookup
and uniqueness and plaintext derived columns (masked form, last 4, birth date, gender) so
lists and statistics never decrypt. Figures as of a date come from `MemberStatusPeriod`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from gonghui.core import codes, crypto
from gonghui.core.codes import person as person_codes


class Gender(models.IntegerChoices):
    MALE = 1, "男"
    FEMALE = 2, "女"


# The person's code-table fields store the code of a national table (gonghui.core.codes, issue 17);
# pages and exports show its label. The choices are the tables' (callables, so a label or alias
# added to a table needs no migration). The classes below name the codes the program itself uses.


def education_choices():
    return codes.get("education").choices


def political_choices():
    return codes.get("political").choices


def hukou_choices():
    return codes.get("hukou").choices


def employment_choices():
    return codes.get("employment").choices


def ethnicity_choices():
    return codes.get("ethnicity").choices


class Education:  # GB/T 4658-2006: groups (10 研究生教育 …) and detailed codes (11 博士研究生毕业 …)
    POSTGRADUATE = "10"
    BACHELOR = "20"
    COLLEGE = "30"
    VOCATIONAL = "40"
    HIGH_SCHOOL = "60"
    JUNIOR = "70"
    PRIMARY = "80"
    OTHER = "90"

    @staticmethod
    def level(code: str) -> str:
        """The group a detailed code rolls up to (21 大学本科毕业 → 20 大学本科教育)."""
        return codes.get("education").top(code)


class Political:  # GB/T 4762-1984, all 13, and our 民主党派（未注明党派）
    CPC = "01"
    CPC_PROBATIONARY = "02"
    CYL = "03"
    NON_PARTY = "12"
    MASSES = "13"
    PARTY_UNSPECIFIED = person_codes.POLITICAL_PARTY_UNSPECIFIED
    # 04-11: the eight democratic parties (民革 … 台盟)
    DEMOCRATIC_PARTIES = ("04", "05", "06", "07", "08", "09", "10", "11")


class Hukou:  # 户口类型, GA 324.1-2001
    URBAN = "1"  # 非农业家庭户口: what a two-value sheet's 城镇 means
    RURAL = "2"  # 农业家庭户口: … and its 农村

    is_rural = staticmethod(person_codes.is_rural)


class Employment:  # 就业状况: the 全总 member information's nine, and our 灵活就业
    EMPLOYED = "1"  # 在岗
    LAID_OFF = "2"  # 待（下）岗
    UNEMPLOYED = "3"  # 失业
    RETIRED = "4"  # 退休
    LIXIU = "5"  # 离休
    RESIGNED = "6"  # 退职
    INTERNAL_RETIRED = "7"  # 退养（内退）
    SICK_LEAVE = "8"  # 病休
    OTHER = "9"  # 其他
    FLEXIBLE = person_codes.EMPLOYMENT_FLEXIBLE  # 灵活就业


ETHNICITY_CHOICES = codes.get("ethnicity").choices  # GB/T 3304-1991: 01 汉族 … 56 基诺族, 97, 98


class Person(models.Model):
    name = models.CharField("姓名", max_length=50)
    id_cipher = crypto.EncryptedTextField("公民身份号码(密文)")
    id_hash = crypto.LookupHashField(unique=True, source="id_cipher")
    id_masked = models.CharField("公民身份号码", max_length=18)
    id_last4 = models.CharField(max_length=4, db_index=True)
    gender = models.PositiveSmallIntegerField("性别", choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=2, choices=ethnicity_choices, default="01")
    education = models.CharField("文化程度", max_length=2, choices=education_choices, blank=True)
    political = models.CharField("政治面貌", max_length=2, choices=political_choices, blank=True)
    phone_cipher = crypto.EncryptedTextField("手机号码(密文)", blank=True)
    phone_masked = models.CharField("手机号码", max_length=20, blank=True)
    hukou = models.CharField("户籍类型", max_length=10, choices=hukou_choices, blank=True)
    is_migrant_worker = models.BooleanField("农民工", default=False)
    employment = models.CharField("就业状态", max_length=20, choices=employment_choices, default=Employment.EMPLOYED)
    is_dispatched = models.BooleanField("劳务派遣", default=False)
    employer = models.ForeignKey("orgs.Employer", verbose_name="工作单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="people")
    # The 工作单位 as the roster gave it (issue 17): a name may be spelt otherwise than the
    # registered employer it was matched to, and the clerk's spelling is kept.
    employer_name = models.CharField("工作单位(填报名称)", max_length=200, blank=True)
    first_joined_on = models.DateField("首次入会日期")
    # Search keys: full pinyin and initials, with every reading of a polyphonic surname
    # (单 dan/shan/chan, 曾 zeng/ceng), space-separated and space-framed for token prefix search.
    pinyin_keys = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "会员"
        indexes = [
            models.Index(fields=["name"], name="person_name"),
            # The few whose 民主党派 is not named (reminders.party_unspecified), without a full scan.
            models.Index(fields=["political"], condition=Q(political=person_codes.POLITICAL_PARTY_UNSPECIFIED),
                         name="person_party_unspecified"),
        ]

    def __str__(self):
        return self.name

    @property
    def id_number(self) -> str:
        """The full number: decrypting it is an access to log (see services.person_reveal)."""
        return crypto.decrypt(self.id_cipher)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_cipher)


class MemberStatus(models.TextChoices):
    ACTIVE = "active", "在会"
    RETAINED = "retained", "保留会籍"
    TRANSFERRED = "transferred", "转出"
    WITHDRAWN = "withdrawn", "退会"
    EXPELLED = "expelled", "除名"
    DECEASED = "deceased", "死亡"


OPEN_STATUSES = (MemberStatus.ACTIVE, MemberStatus.RETAINED)


class Membership(models.Model):
    """One stay of a person in one union, from `started_on` until `ended_on`."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name="会员")
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="memberships", verbose_name="工会")
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    status = models.CharField("会籍状态", max_length=12, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    card_no = models.CharField("会员证号", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path_field = "union__path"

    class Meta:
        verbose_name = "会籍"
        constraints = [
            # 一次入会: at most one current membership per person.
            models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True),
                                    name="membership_one_current"),
            models.UniqueConstraint(fields=["card_no"], condition=~Q(card_no=""), name="membership_card_unique"),
        ]
        indexes = [models.Index(fields=["union", "status"], name="membership_union_status")]

    def __str__(self):
        return f"{self.person.name} @ {self.union.name}"

    @property
    def audit_org_path(self) -> str:
        return self.union.path

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class MemberStatusPeriod(models.Model):
    """The membership's status from `valid_from` until `valid_to` (exclusive).

    `union` is copied from the membership (it never changes). `path` is the union's tree path
    for the whole period, so a subtree's stock figures read only the subtree's rows (a range
    on the `period_status_path` index) instead of joining every period to the placements.
    A period lies within one placement of its union: where the union moved (itself or a
    federation above it) during a period, the period is split at the move date into rows of
    the same status, each with the path of its part (`continued` marks the later parts).
    The services, the bulk paths and the re-homer (services.rehome_member_periods) keep this.

    `gender` and `migrant` copy the person's (the ID number fixes the gender; services keep
    `migrant` equal to the person's current flag on every period), so women and 农民工 are
    counted from the index without joining a million people.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="periods")
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=MemberStatus.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=255, default="")
    continued = models.BooleanField(default=False)
    gender = models.PositiveSmallIntegerField(choices=Gender.choices, default=Gender.MALE)
    migrant = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["union", "status", "valid_from"], name="period_union_status_from"),
            models.Index(fields=["membership", "valid_from"], name="period_membership_from"),
            # Stock figures: status = … AND path in the subtree's range AND valid on the cut-off;
            # the included columns make it an index-only scan on PostgreSQL.
            models.Index(fields=["status", "path", "valid_from"], include=["valid_to", "gender", "migrant"],
                         name="period_status_path"),
        ]

    def __str__(self):
        return f"{self.membership_id} {self.status} {self.valid_from}–{self.valid_to or ''}"


class MemberEvent(models.Model):
    """A dated event: the timeline of a person and the source of flow figures."""

    class Kind(models.TextChoices):
        JOINED = "joined", "入会"
        TRANSFERRED_OUT = "transferred_out", "转出"
        TRANSFERRED_IN = "transferred_in", "转入"
        RETAINED = "retained", "保留会籍"
        RESTORED = "restored", "恢复会籍"
        WITHDRAWN = "withdrawn", "退会"
        EXPELLED = "expelled", "除名"
        DECEASED = "deceased", "死亡"
        UPDATED = "updated", "信息变更"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("事项", max_length=20, choices=Kind.choices)
    effective_on = models.DateField("生效日期")
    # The union's path on the effective date, so flow figures roll up to where it stood then.
    path = models.CharField(max_length=255)
    # The first day of the effective date's month: flow figures seek each month of their period
    # in `memberevent_kind_month_path` and read only the subtree's events of that month.
    month = models.DateField()
    data = models.JSONField(default=dict, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [
            models.Index(fields=["kind", "effective_on", "path"], name="memberevent_kind_date"),
            # A subtree's flow figures: per month of the period, the subtree's range of paths, so
            # the rows read are the subtree's events in the period, whatever the size of the city.
            models.Index(fields=["kind", "month", "path", "effective_on"], name="memberevent_kind_month_path"),
        ]

    def __str__(self):
        return f"{self.person_id} {self.kind} {self.effective_on}"


def month_of(day):
    """MemberEvent.month for an effective date."""
    return day.replace(day=1)


class Transfer(models.Model):
    """A transfer between unions that no one user manages both of, waiting for the other side.

    The holding union asks to move a member out (FROM: the receiving union accepts or returns
    it), or the receiving union asks for a person by ID number (TO: the holding union decides).
    A TO request tells its requester nothing about where the person is until it is decided.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待接收"
        ACCEPTED = "accepted", "已接收"
        REJECTED = "rejected", "已退回"

    class Initiator(models.TextChoices):
        FROM = "from", "原工会申请转出"
        TO = "to", "转入工会申请转入"

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="transfers")
    to_union = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="incoming_transfers",
                                 verbose_name="转入工会")
    requested_on = models.DateField("申请日期")
    effective_on = models.DateField("转会日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField("原因", max_length=200, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    note = models.CharField("处理意见", max_length=200, blank=True)
    initiator = models.CharField("发起方", max_length=4, choices=Initiator.choices, default=Initiator.FROM)

    scope_path_field = "to_union__path"

    class Meta:
        verbose_name = "转会申请"
        constraints = [models.UniqueConstraint(fields=["membership"], condition=Q(status="pending"),
                                               name="transfer_one_pending")]
        # The transfers page lists the pending requests oldest first, by keyset (issue 14): the
        # partial index holds only those, in that order, however many transfers were ever made.
        indexes = [models.Index(fields=["requested_on", "id"], condition=Q(status="pending"),
                                name="transfer_pending_requested")]

    def __str__(self):
        return f"{self.membership} → {self.to_union}"

    @property
    def audit_org_path(self) -> str:
        return self.to_union.path
