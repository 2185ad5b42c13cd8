"""会员服务的接口：网上入会申请、个人信息权利请求和网上帮扶申请（列表、详情，只读），与员工页面读取同一范围
（“查看网上入会申请和会员个人信息权利请求”权限）。

入会申请的身份证号、手机号只给脱敏的（页面也只显示脱敏的）；帮扶申请的困难情况、受助子女和证明材料是帮扶
业务的敏感信息，只在详情中给持“查看家庭收支、子女等敏感信息”权限的用户，每次读取记入访问日志。"""

from __future__ import annotations

from django.db.models import Q
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import Filter, LineViewSet, OrgRef, page_link, read_viewset
from gonghui.core import audit, scope

from .models import (
    Application,
    ApplicationStatus,
    HelpKind,
    HelpRequest,
    HelpStatus,
    RightsKind,
    RightsRequest,
    RightsStatus,
)

TAG = "会员服务"
VIEW = "portal.view"
SENSITIVE = "assistance.view_sensitive"  # as the help request's page (portal.views.SENSITIVE)


class JoinApplicationSerializer(serializers.ModelSerializer):
    """An online application to join, as the staff page shows it: ID number and phone masked only
    (the page has no full view of them)."""

    union = OrgRef(help_text="受理工会")
    id_number = serializers.CharField(source="id_masked", help_text="公民身份号码（脱敏）")
    phone = serializers.CharField(source="phone_masked", help_text="手机号码（脱敏）")
    employer_name = serializers.SerializerMethodField(help_text="工作单位名称（无单位的为空）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")

    class Meta:
        model = Application
        fields = ["id", "ref", "name", "id_number", "phone", "employer", "employer_name", "union", "status",
                  "status_label", "consent_version", "consented_at", "submitted_at", "decided_at", "decided_by",
                  "reason", "membership"]
        read_only_fields = fields

    def get_employer_name(self, obj) -> str:
        return obj.employer.name if obj.employer_id else ""


JoinApplicationViewSet = read_viewset(
    "JoinApplicationViewSet", tag=TAG, summary="网上入会申请（身份证号、手机号脱敏）",
    queryset=lambda: Application.objects.select_related("union", "employer"), perm=VIEW,
    serializer_class=JoinApplicationSerializer, page_name="api.join_applications", org_path="union__path",
    ordering=("-pk",), orderings={"submitted_at": ("submitted_at",)},
    filters={"status": Filter("status", ApplicationStatus.values, description="状态代码"),
             "employer": Filter("employer_id", integer=True, description="工作单位编号")},
    field_labels={"org": "组织编码", "status": "状态", "employer": "工作单位"})


class RightsRequestSerializer(serializers.ModelSerializer):
    """A member's request about his personal data, as the staff page shows it."""

    union = OrgRef(help_text="办理工会")
    member_name = serializers.CharField(source="account.person.name", help_text="会员姓名")
    member_id_number = serializers.CharField(source="account.person.id_masked", help_text="会员公民身份号码（脱敏）")
    kind_label = serializers.CharField(source="get_kind_display", help_text="请求类型（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")

    class Meta:
        model = RightsRequest
        fields = ["id", "union", "member_name", "member_id_number", "kind", "kind_label", "detail", "status",
                  "status_label", "received_on", "due_on", "closed_on", "reply", "closed_by"]
        read_only_fields = fields


RightsRequestViewSet = read_viewset(
    "RightsRequestViewSet", tag=TAG, summary="个人信息权利请求（按办理期限）",
    queryset=lambda: RightsRequest.objects.select_related("union", "account__person"), perm=VIEW,
    serializer_class=RightsRequestSerializer, page_name="api.rights_requests", org_path="union__path",
    ordering=("due_on", "pk"), orderings={"due_on": ("due_on",), "received_on": ("received_on",)},
    filters={"status": Filter("status", RightsStatus.values, description="状态代码"),
             "kind": Filter("kind", RightsKind.values, description="请求类型代码"),
             "from": Filter("received_on__gte", date=True, description="受理日期自"),
             "to": Filter("received_on__lte", date=True, description="受理日期至")},
    field_labels={"org": "组织编码", "status": "状态", "kind": "请求类型", "from": "受理日期自", "to": "受理日期至"})


class HelpRequestSerializer(serializers.ModelSerializer):
    """A member's online request for help; the hardship, the child and the paper only in a detail read
    with assistance.view_sensitive (access-logged), as the page shows them to no one else."""

    union = OrgRef(help_text="办理工会")
    member_name = serializers.CharField(source="account.person.name", help_text="会员姓名")
    member_id_number = serializers.CharField(source="account.person.id_masked", help_text="会员公民身份号码（脱敏）")
    kind_label = serializers.CharField(source="get_kind_display", help_text="申请类型（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    has_attachment = serializers.SerializerMethodField(help_text="是否上传了证明材料")
    masked = serializers.SerializerMethodField(help_text="true：困难情况、受助子女和证明材料未给出")
    reason = serializers.SerializerMethodField(help_text="困难情况（仅有权限者的详情）")
    student_name = serializers.SerializerMethodField(help_text="受助子女姓名（仅有权限者的详情）")
    school = serializers.SerializerMethodField(help_text="就读学校及年级（仅有权限者的详情）")
    download_url = serializers.SerializerMethodField(
        help_text="证明材料的下载地址（页面的下载链接，完整网址，需登录系统，下载留痕；仅有权限者的详情）")

    class Meta:
        model = HelpRequest
        fields = ["id", "union", "member_name", "member_id_number", "kind", "kind_label", "status", "status_label",
                  "reply", "created_at", "application", "has_attachment", "masked", "reason", "student_name",
                  "school", "download_url"]
        read_only_fields = fields

    def _full(self) -> bool:
        return bool(self.context.get("full"))

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment_stored)

    def get_masked(self, obj) -> bool:
        return not self._full()

    def get_reason(self, obj) -> str | None:
        return obj.reason if self._full() else None

    def get_student_name(self, obj) -> str | None:
        return obj.student_name if self._full() else None

    def get_school(self, obj) -> str | None:
        return obj.school if self._full() else None

    def get_download_url(self, obj) -> str | None:
        if not (self._full() and obj.attachment_stored):
            return None
        return page_link(self, "portal:help_file", obj.pk, perm=SENSITIVE, path=obj.union.path)


class LoggedHelpRequests(LineViewSet):
    def detail_context(self, obj):
        ctx = self.get_serializer_context()
        if scope.has_perm(self.request.user, SENSITIVE, obj.union.path):
            audit.log_access(user=self.request.user, kind="view", object_type="portal.helprequest",
                             object_id=str(obj.pk), fields=["reason", "student_name", "school"],
                             reason="接口读取详情", org_path=obj.union.path)
            ctx["full"] = True
        return ctx


HelpRequestViewSet = read_viewset(
    "HelpRequestViewSet", base=LoggedHelpRequests, tag=TAG,
    summary="网上帮扶申请（困难情况等仅有权限者的详情给出并留痕）",
    queryset=lambda: HelpRequest.objects.select_related("union", "account__person"), perm=VIEW,
    serializer_class=HelpRequestSerializer, page_name="api.help_requests", org_path="union__path",
    ordering=("-pk",), orderings={"created_at": ("created_at",)},
    filters={"status": Filter("status", HelpStatus.values, description="状态代码"),
             "kind": Filter("kind", HelpKind.values, description="申请类型代码"),
             "registered": Filter("application_id", boolean=True, description="true：已转入帮扶办理",
                                  build=lambda on: Q(application__isnull=not on))},
    field_labels={"org": "组织编码", "status": "状态", "kind": "申请类型", "registered": "已转入帮扶办理"})

registry.register("join-applications", JoinApplicationViewSet)
registry.register("rights-requests", RightsRequestViewSet)
registry.register("help-requests", HelpRequestViewSet)
