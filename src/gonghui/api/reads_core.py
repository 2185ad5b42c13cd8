"""Read resources of the older lines' entities that the pages show but the API did not: a petition's
petitioners, events (history), extensions and attachments, the labour-dispute mediations with
their sessions, and the members' events (入会、转出、转入、退会 … the member page's timeline). Each is a list and a detail of its own, scoped like its page: a petition's rows are
read by whoever may read the case (its union in his scope, or a union in his scope reported it
up, as the case page), the mediations by the scope of petitions.view over their union, a member's
event by the scope of members.view over the union of its membership.

Persons are masked as the pages show them (信访人, 调解申请人); a detail read by a holder of
petitions.view_sensitive on the case's union gives them in full and is written to the access log,
as the page's 查看完整信息. An attachment carries the page's download link only for a user the page
offers it to (petitions.view_sensitive; the download itself is logged there)."""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers

from gonghui.core import audit, scope
from gonghui.members.models import MemberEvent
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
        return page_link(self, "petitions:attachment_download", obj.pk, perm=SENSITIVE, path=obj.petition.org.path,
                         absolute=True)


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

MemberEventSerializer = read_serializer("MemberEventSerializer", MemberEvent, [
    "id", "membership", "union", "kind", "effective_on", "reason", "actor_name"], orgs={"union": "所在工会"})
MemberEventViewSet = read_viewset(
    "MemberEventViewSet", tag="会员", summary="会员动态（入会、转出、转入、保留/恢复会籍、退会、除名等）",
    queryset=lambda: MemberEvent.objects.select_related("union"), perm="members.view",
    serializer_class=MemberEventSerializer, page_name="api.member_events", org_path="membership__union__path",
    ordering=("-effective_on", "-id"), orderings={"effective_on": ("effective_on", "id")},
    filters={"membership": Filter("membership_id", integer=True, description="会籍编号（会员接口的 id）"),
             "kind": Filter("kind", MemberEvent.Kind.values, description="事项代码"),
             "from": Filter("effective_on__gte", date=True, description="生效日期自"),
             "to": Filter("effective_on__lte", date=True, description="生效日期至")},
    field_labels={"org": "组织编码", "membership": "会籍", "kind": "事项", "from": "生效日期自", "to": "生效日期至"})

registry.register("petitioners", PetitionerViewSet)
registry.register("petition-events", EventViewSet)
registry.register("petition-extensions", ExtensionViewSet)
registry.register("petition-attachments", AttachmentViewSet)
registry.register("mediations", MediationViewSet)
registry.register("mediation-sessions", SessionViewSet)
registry.register("member-events", MemberEventViewSet)
