"""Read resources of the older lines' entities that the pages show but the API did not: a petition's
petitioners, events (history), extensions and attachments, the labour-dispute mediations with
their sessions, the members' events (入会、转出、转入、退会 … the member page's timeline) and
transfers (转会), and the orgs' terms and events. Each is a list and a detail of its own, scoped
like its page: a petition's rows are read by whoever may read the case (its union in his scope, or
a union in his scope reported it up, as the case page), the mediations by the scope of
petitions.view over their union, a member's event by whoever sees one of the person's memberships
(the member page shows his whole timeline, from every union he was in), a transfer by either side
(TransferSerializer: each sees what its page shows it), an org's terms (届期) and events (变动记录)
by the scope of orgs.view over the org, as the org page, and a union's coverages of employers by the
scope of employers.view over the union, as the page that ends one.

Persons are masked as the pages show them (信访人, 调解申请人); a detail read by a holder of
petitions.view_sensitive on the case's union gives them in full and is written to the access log,
as the page's 查看完整信息. An attachment carries the page's download link only for a user the page
offers it to (petitions.view_sensitive; the download itself is logged there)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from rest_framework import serializers

from gonghui.core import audit, scope
from gonghui.core.scope import subtree_q
from gonghui.members.models import MemberEvent, Membership, Transfer
from gonghui.orgs.models import Coverage, Org, OrgEvent, OrgTerm
from gonghui.petitions.models import (
    Attachment,
    Extension,
    Mediation,
    MediationSession,
    Petitioner,
    PetitionEvent,
    user_label,
)

from . import registry
from .lines import Filter, LineViewSet, OrgRef, page_link, read_serializer, read_viewset
from .problems import Problem
from .views import text_param

TAG = "信访"
VIEW = "petitions.view"
SENSITIVE = "petitions.view_sensitive"


class PetitionPart(LineViewSet):
    """Rows of a case: read where the case is (its union's scope, or the scope of the union that
    reported it up: petitions.services.visible_q over `petition__`)."""

    org_path = "petition__org__path"

    def scoped(self, perm: str):
        user = self.request.user
        return self.base_queryset().filter(scope.scope_q(user, perm, "petition__org__path")
                                           | scope.scope_q(user, perm, "petition__reported_from__path"))


def _petition_filter():
    return Filter("petition_id", integer=True, description="信访案件编号（主键）")


# --- petitioners ------------------------------------------------------------------------------

class PetitionerSerializer(serializers.ModelSerializer):
    """A petitioner as the case page lists him: masked, but in a logged detail read with the permission."""

    name = serializers.SerializerMethodField(help_text="姓名（默认脱敏）")
    gender_label = serializers.CharField(source="get_gender_display", allow_null=True, help_text="性别（中文）；未填时为 null")
    id_number = serializers.SerializerMethodField(help_text="证件号码（默认脱敏）")
    phone = serializers.SerializerMethodField(help_text="联系电话（默认脱敏）")
    address = serializers.SerializerMethodField(help_text="住址（仅完整信息中给出，否则为空）")
    masked = serializers.SerializerMethodField(help_text="true：姓名、证件号码和电话已脱敏")

    class Meta:
        model = Petitioner
        fields = ["id", "petition", "name", "gender", "gender_label", "id_number", "phone", "address", "masked",
                  "is_representative"]
        read_only_fields = fields

    def _full(self, obj) -> dict | None:
        return self.context.get("full")

    def get_name(self, obj) -> str:
        full = self._full(obj)
        return full["name"] if full else obj.name_masked

    def get_id_number(self, obj) -> str:
        full = self._full(obj)
        return full["id_number"] if full else obj.id_masked

    def get_phone(self, obj) -> str:
        full = self._full(obj)
        return full["phone"] if full else obj.phone_masked

    def get_address(self, obj) -> str:
        full = self._full(obj)
        return full["address"] if full else ""

    def get_masked(self, obj) -> bool:
        return self._full(obj) is None


class LoggedPetitioners(PetitionPart):
    def detail_context(self, obj):
        ctx = self.get_serializer_context()
        path = obj.petition.org.path
        if scope.has_perm(self.request.user, SENSITIVE, path):
            audit.log_access(user=self.request.user, kind="view_full", object_type="petitions.petition",
                             object_id=str(obj.petition_id), fields=["name", "id_number", "phone", "address"],
                             reason="接口读取信访人详情", org_path=path)
            ctx["full"] = obj.full()
        return ctx


PetitionerViewSet = read_viewset(
    "PetitionerViewSet", base=LoggedPetitioners, tag=TAG,
    summary="信访人（脱敏；有权限时详情为完整信息并留痕）",
    queryset=lambda: Petitioner.objects.select_related("petition__org"), perm=VIEW,
    serializer_class=PetitionerSerializer, page_name="api.petitioners",
    ordering=("-petition_id", "id"), orderings={"petition": ("petition_id", "id")},
    filters={"petition": _petition_filter(),
             "representative": Filter("is_representative", boolean=True, description="true：仅代表")},
    field_labels={"org": "组织编码", "petition": "信访案件", "representative": "仅代表"})


# --- events, extensions, attachments ----------------------------------------------------------

EventSerializer = read_serializer("PetitionEventSerializer", PetitionEvent, [
    "id", "petition", "action", "on", "org", "note", "actor_name"], orgs={"org": "办理单位"})
EventViewSet = read_viewset(
    "PetitionEventViewSet", base=PetitionPart, tag=TAG, summary="信访案件办理记录（登记、受理、转办、答复等）",
    queryset=lambda: PetitionEvent.objects.select_related("org"), perm=VIEW, serializer_class=EventSerializer,
    page_name="api.petition_events", ordering=("-on", "-id"), orderings={"on": ("on", "id")},
    filters={"petition": _petition_filter(),
             "from": Filter("on__gte", date=True, description="日期自"),
             "to": Filter("on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "petition": "信访案件", "from": "日期自", "to": "日期至"})


class ExtensionSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", help_text="状态（中文）")
    requested_by_name = serializers.SerializerMethodField(help_text="申请人（经办人）")
    decided_by_name = serializers.SerializerMethodField(help_text="审批人")

    class Meta:
        model = Extension
        fields = ["id", "petition", "requested_on", "reason", "requested_by_name", "state", "state_label",
                  "decided_on", "decision_note", "decided_by_name", "new_due"]
        read_only_fields = fields

    def get_requested_by_name(self, obj) -> str:
        return user_label(obj.requested_by)

    def get_decided_by_name(self, obj) -> str:
        return user_label(obj.decided_by)


ExtensionViewSet = read_viewset(
    "PetitionExtensionViewSet", base=PetitionPart, tag=TAG, summary="信访案件延期申请及审批",
    queryset=lambda: Extension.objects.select_related("requested_by", "decided_by"), perm=VIEW,
    serializer_class=ExtensionSerializer, page_name="api.petition_extensions",
    ordering=("-requested_on", "-id"), orderings={"requested_on": ("requested_on", "id")},
    filters={"petition": _petition_filter(),
             "state": Filter("state", Extension.State.values, description="状态代码")},
    field_labels={"org": "组织编码", "petition": "信访案件", "state": "状态"})


class PetitionAttachmentSerializer(serializers.ModelSerializer):
    """A case's attachment: the name and size the page lists; the page's download link only for a
    holder of petitions.view_sensitive on the case's union (the page offers it to no one else)."""

    download_url = serializers.SerializerMethodField(help_text="下载地址（页面的链接，需登录系统，下载记入访问日志）；"
                                                               "无权下载时为 null")

    class Meta:
        model = Attachment
        fields = ["id", "petition", "name", "size", "uploaded_by", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        return page_link(self, "petitions:attachment_download", obj.pk, perm=SENSITIVE, path=obj.petition.org.path)


AttachmentViewSet = read_viewset(
    "PetitionAttachmentViewSet", base=PetitionPart, tag=TAG, summary="信访案件附件（说明和下载地址）",
    queryset=lambda: Attachment.objects.select_related("petition__org"), perm=VIEW,
    serializer_class=PetitionAttachmentSerializer, page_name="api.petition_attachments",
    ordering=("-id",), orderings={"uploaded_at": ("uploaded_at", "id")},
    filters={"petition": _petition_filter()},
    field_labels={"org": "组织编码", "petition": "信访案件"})


# --- mediations -------------------------------------------------------------------------------

class MediationSerializer(serializers.ModelSerializer):
    """A labour-dispute mediation (劳动争议调解) as its page shows it: the applicant masked, but in a
    logged detail read with petitions.view_sensitive."""

    org = OrgRef(help_text="所属工会")
    body_label = serializers.CharField(source="get_body_display", help_text="调解组织（中文）")
    mode_label = serializers.CharField(source="get_mode_display", help_text="申请方式（中文）")
    applicant_name = serializers.SerializerMethodField(help_text="申请人（默认脱敏）")
    applicant_phone = serializers.SerializerMethodField(help_text="联系电话（默认脱敏）")
    masked = serializers.SerializerMethodField(help_text="true：申请人姓名和电话已脱敏")
    dispute_type_label = serializers.CharField(source="get_dispute_type_display", help_text="争议类型（中文）")
    state_label = serializers.CharField(source="get_state_display", help_text="状态（中文）")

    class Meta:
        model = Mediation
        fields = ["id", "number", "org", "body", "body_label", "mode", "mode_label", "applied_on", "due_on",
                  "applicant_name", "applicant_gender", "applicant_phone", "masked", "worker_count", "employer_name",
                  "dispute_type", "dispute_type_label", "matter", "amount_claimed", "mediator", "state",
                  "state_label", "closed_on", "agreement_terms", "agreed_amount", "performance_due",
                  "referred_to_arbitration", "close_note"]
        read_only_fields = fields

    def get_applicant_name(self, obj) -> str:
        full = self.context.get("full")
        return full["name"] if full else obj.applicant_name_masked

    def get_applicant_phone(self, obj) -> str:
        full = self.context.get("full")
        return full["phone"] if full else obj.applicant_phone_masked

    def get_masked(self, obj) -> bool:
        return not self.context.get("full")


class LoggedMediations(LineViewSet):
    def detail_context(self, obj):
        from gonghui.core import crypto

        ctx = self.get_serializer_context()
        if scope.has_perm(self.request.user, SENSITIVE, obj.org.path):
            audit.log_access(user=self.request.user, kind="view_full", object_type="petitions.mediation",
                             object_id=str(obj.pk), fields=["applicant_name", "phone"], reason="接口读取详情",
                             org_path=obj.org.path)
            ctx["full"] = {"name": obj.applicant_name, "phone": crypto.decrypt(obj.applicant_phone_cipher)}
        return ctx


def _overdue(on: bool) -> Q:
    from gonghui.core import clock

    late = Q(state=Mediation.State.OPEN, due_on__lt=clock.today())
    return late if on else ~late


MediationViewSet = read_viewset(
    "MediationViewSet", base=LoggedMediations, tag=TAG,
    summary="劳动争议调解（申请人脱敏；有权限时详情为完整信息并留痕）",
    queryset=lambda: Mediation.objects.select_related("org"), perm=VIEW, serializer_class=MediationSerializer,
    page_name="api.mediations", ordering=("-applied_on", "-id"), orderings={"applied_on": ("applied_on", "id")},
    filters={"state": Filter("state", Mediation.State.values, description="状态代码"),
             "overdue": Filter("due_on", boolean=True, build=_overdue, description="true：仅超过15日未结")},
    field_labels={"org": "单位编码", "state": "状态", "overdue": "仅超过15日未结"})

SessionSerializer = read_serializer("MediationSessionSerializer", MediationSession, [
    "id", "mediation", "org", "held_on", "notes", "actor_name"], org=OrgRef(source="mediation.org", help_text="所属工会"))
SessionViewSet = read_viewset(
    "MediationSessionViewSet", tag=TAG, summary="劳动争议调解记录（每次调解）",
    queryset=lambda: MediationSession.objects.select_related("mediation__org"), perm=VIEW,
    serializer_class=SessionSerializer, page_name="api.mediation_sessions", org_path="mediation__org__path",
    ordering=("-held_on", "-id"), orderings={"held_on": ("held_on", "id")},
    filters={"mediation": Filter("mediation_id", integer=True, description="调解案件编号（主键）"),
             "from": Filter("held_on__gte", date=True, description="日期自"),
             "to": Filter("held_on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "mediation": "调解案件", "from": "日期自", "to": "日期至"})


# --- members ----------------------------------------------------------------------------------

class PersonTimeline(LineViewSet):
    """A member's events as the member page shows them: the person's whole timeline (every union he
    joined, left or moved to) to whoever sees one of his memberships."""

    def scoped(self, perm: str):
        seen = Membership.objects.filter(scope.scope_q(self.request.user, perm, "union__path"),
                                         person_id=OuterRef("person_id"))
        return self.base_queryset().filter(Exists(seen))


def _timeline_of(membership_id) -> Q:
    return Q(person_id__in=Membership.objects.filter(pk=membership_id).values("person_id"))


MemberEventSerializer = read_serializer("MemberEventSerializer", MemberEvent, [
    "id", "membership", "union", "kind", "effective_on", "reason", "actor_name"], orgs={"union": "所在工会"})
MemberEventViewSet = read_viewset(
    "MemberEventViewSet", base=PersonTimeline, tag="会员", summary="会员动态（入会、转出、转入、保留/恢复会籍、退会、除名等）",
    queryset=lambda: MemberEvent.objects.select_related("union"), perm="members.view",
    serializer_class=MemberEventSerializer, page_name="api.member_events", org_path="membership__union__path",
    ordering=("-effective_on", "-id"), orderings={"effective_on": ("effective_on", "id")},
    filters={"member": Filter("membership_id", integer=True, build=_timeline_of,
                              description="会员（会员接口的 id）：该人的全部动态，即会员页面的时间线"),
             "membership": Filter("membership_id", integer=True, description="会籍编号（会员接口的 id）：仅这一段会籍的动态"),
             "kind": Filter("kind", MemberEvent.Kind.values, description="事项代码"),
             "from": Filter("effective_on__gte", date=True, description="生效日期自"),
             "to": Filter("effective_on__lte", date=True, description="生效日期至")},
    field_labels={"org": "组织编码", "member": "会员", "membership": "会籍", "kind": "事项", "from": "生效日期自", "to": "生效日期至"})


class TransferSerializer(serializers.ModelSerializer):
    """A transfer (转会) as the pages show it to each side. Whoever sees the union the person leaves
    sees it all (the member page); the receiving union of a transfer out (FROM) sees what the
    transfers page lists for it to decide. The union that asked for a person by ID number (TO)
    sees only what the page's 本单位提交的转入申请 shows: the masked ID number, its own union, the
    dates, the outcome and the decider's note; never the person's name, union or membership."""

    initiator_label = serializers.CharField(source="get_initiator_display", help_text="发起方（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    to_union = OrgRef(help_text="转入工会")
    from_union = serializers.SerializerMethodField(help_text="转出工会（此人所在工会）；转入申请方看不到时为 null")
    membership = serializers.SerializerMethodField(help_text="转出的会籍编号（会员接口的 id）；转入申请方看不到时为 null")
    name = serializers.SerializerMethodField(help_text="姓名；转入申请方看不到时为 null")
    id_masked = serializers.CharField(source="membership.person.id_masked", help_text="公民身份号码（脱敏）")
    limited = serializers.SerializerMethodField(help_text="true：转入申请方的视图（与转会页面相同，只有脱敏号码和办理结果）")

    class Meta:
        model = Transfer
        fields = ["id", "initiator", "initiator_label", "status", "status_label", "to_union", "from_union",
                  "membership", "name", "id_masked", "requested_on", "effective_on", "reason", "decided_on", "note",
                  "limited"]
        read_only_fields = fields

    def get_limited(self, obj) -> bool:
        """A TO request read by its requester who does not see the holding union."""
        user = self.context["request"].user
        return (obj.initiator == Transfer.Initiator.TO
                and not scope.has_perm(user, TransferViews.perm, obj.membership.union.path))

    def get_from_union(self, obj) -> dict | None:
        if self.get_limited(obj):
            return None
        return OrgRef().to_representation(obj.membership.union)

    def get_membership(self, obj) -> int | None:
        return None if self.get_limited(obj) else obj.membership_id

    def get_name(self, obj) -> str | None:
        return None if self.get_limited(obj) else obj.membership.person.name


class TransferViews(LineViewSet):
    """Transfers seen from both sides: members.view over the union the person leaves (the member
    page shows his pending transfer), members.change over the receiving union (the transfers page,
    which only members.change opens: the transfers to decide and the requests sent)."""

    perm = "members.view"
    org_path = "membership__union__path"

    def scoped(self, perm: str):
        user = self.request.user
        return self.base_queryset().filter(scope.scope_q(user, perm, "membership__union__path")
                                           | scope.scope_q(user, "members.change", "to_union__path"))

    def filter_list(self, qs):
        params = self.request.query_params
        code = text_param(params.get("org"), 40)
        if code:  # either side in the subtree, the org within the scope of either side's permission
            user = self.request.user
            org = Org.objects.filter(scope.scope_q(user, self.perm, "path") | scope.scope_q(user, "members.change", "path"),
                                     code=code).first()
            if org is None:
                raise Problem(f"未找到编码为“{code}”的组织，或不在您的范围内。", field="org")
            qs = qs.filter(subtree_q("membership__union__path", org.path) | subtree_q("to_union__path", org.path))
        for name, f in self.filters.items():
            q = f.q(name, params.get(name))
            if q is not None:
                qs = qs.filter(q)
        return qs


TransferViewSet = read_viewset(
    "TransferViewSet", base=TransferViews, tag="会员",
    summary="转会（转出方看到全部；转入申请方只看到脱敏身份号码和办理结果，与转会页面相同）",
    queryset=lambda: Transfer.objects.select_related("membership__person", "membership__union", "to_union"),
    perm="members.view", serializer_class=TransferSerializer, page_name="api.transfers",
    ordering=("-requested_on", "-id"), orderings={"requested_on": ("requested_on", "id")},
    filters={"status": Filter("status", Transfer.Status.values, description="状态代码"),
             "initiator": Filter("initiator", Transfer.Initiator.values, description="发起方代码"),
             "from": Filter("requested_on__gte", date=True, description="申请日期自"),
             "to": Filter("requested_on__lte", date=True, description="申请日期至")},
    field_labels={"org": "组织编码", "status": "状态", "initiator": "发起方", "from": "申请日期自", "to": "申请日期至"})


# --- orgs -------------------------------------------------------------------------------------

OrgTermSerializer = read_serializer("OrgTermSerializer", OrgTerm, [
    "id", "org", "number", "elected_on", "years", "ends_on", "chair_name"], orgs={"org": "组织"})
OrgTermViewSet = read_viewset(
    "OrgTermViewSet", tag="组织", summary="组织的历届（换届选举日期、任期、届满日期和主席）",
    queryset=lambda: OrgTerm.objects.select_related("org"), perm="orgs.view", serializer_class=OrgTermSerializer,
    page_name="api.org_terms", org_path="org__path", ordering=("-elected_on", "-id"),
    orderings={"elected_on": ("elected_on", "id"), "ends_on": ("ends_on", "id")},
    filters={"of": Filter("org_id", integer=True, description="组织编号（组织接口的 id）：仅该组织本身的历届"),
             "ends_from": Filter("ends_on__gte", date=True, description="届满日期自"),
             "ends_to": Filter("ends_on__lte", date=True, description="届满日期至")},
    field_labels={"org": "组织编码", "of": "组织", "ends_from": "届满日期自", "ends_to": "届满日期至"})


class OrgEventSerializer(serializers.ModelSerializer):
    """A row of the org page's 变动记录; `data` is what the page shows beside the kind (old and new
    name, from and to, the term ...), with sensitive values redacted as the audit log keeps them."""

    org = OrgRef(help_text="组织")
    kind_label = serializers.CharField(source="get_kind_display", help_text="事项（中文）")
    data = serializers.JSONField(help_text="变动内容（如更名的 old/new，转移的 from/to，换届的 number/years）")

    class Meta:
        model = OrgEvent
        fields = ["id", "org", "kind", "kind_label", "effective_on", "data", "note", "actor_name"]
        read_only_fields = fields


OrgEventViewSet = read_viewset(
    "OrgEventViewSet", tag="组织", summary="组织变动记录（组建、更名、转移、换届、注销等）",
    queryset=lambda: OrgEvent.objects.select_related("org"), perm="orgs.view", serializer_class=OrgEventSerializer,
    page_name="api.org_events", org_path="org__path", ordering=("-effective_on", "-id"),
    orderings={"effective_on": ("effective_on", "id")},
    filters={"of": Filter("org_id", integer=True, description="组织编号（组织接口的 id）：仅该组织本身的变动"),
             "kind": Filter("kind", OrgEvent.Kind.values, description="事项代码"),
             "from": Filter("effective_on__gte", date=True, description="生效日期自"),
             "to": Filter("effective_on__lte", date=True, description="生效日期至")},
    field_labels={"org": "组织编码", "of": "组织", "kind": "事项", "from": "生效日期自", "to": "生效日期至"})

registry.register("petitioners", PetitionerViewSet)
registry.register("petition-events", EventViewSet)
registry.register("petition-extensions", ExtensionViewSet)
registry.register("petition-attachments", AttachmentViewSet)
registry.register("mediations", MediationViewSet)
registry.register("mediation-sessions", SessionViewSet)
registry.register("member-events", MemberEventViewSet)
class CoverageSerializer(serializers.ModelSerializer):
    """A union's coverage of an employer from a date (a 联合基层工会 covers many), as the org and the
    employer pages list them."""

    union = OrgRef(help_text="工会")
    employer_name = serializers.CharField(source="employer.name", help_text="用人单位名称")
    current = serializers.SerializerMethodField(help_text="true：尚未终止覆盖")

    class Meta:
        model = Coverage
        fields = ["id", "union", "employer", "employer_name", "valid_from", "valid_to", "current"]
        read_only_fields = fields

    def get_current(self, obj) -> bool:
        return obj.valid_to is None


# Scoped by the covering union, as the page that ends a coverage finds it (orgs.views.coverage_end).
CoverageViewSet = read_viewset(
    "CoverageViewSet", tag="组织", summary="工会覆盖的用人单位（覆盖起止日期）",
    queryset=lambda: Coverage.objects.select_related("union", "employer"), perm="employers.view",
    serializer_class=CoverageSerializer, page_name="api.coverages", org_path="union__path",
    ordering=("-valid_from", "-pk"), orderings={"valid_from": ("valid_from",)},
    filters={"employer": Filter("employer_id", integer=True, description="用人单位编号（用人单位接口的 id）"),
             "of": Filter("union_id", integer=True, description="工会编号（组织接口的 id）：仅该工会本身覆盖的"),
             "current": Filter("valid_to", boolean=True, description="true：仅尚未终止的，false：仅已终止的",
                               build=lambda on: Q(valid_to__isnull=on))},
    field_labels={"org": "组织编码", "employer": "用人单位", "of": "工会", "current": "尚未终止"})

registry.register("coverages", CoverageViewSet)
registry.register("org-terms", OrgTermViewSet)
registry.register("org-events", OrgEventViewSet)
registry.register("transfers", TransferViewSet)
