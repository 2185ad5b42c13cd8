"""民主管理的接口：职代会提案（列表、详情、立案、不立案、交办、答复），与页面调用同一服务。"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import ERRORS, Day, Filter, LineViewSet, OrgRef, list_schema
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import clock

from . import services
from .models import Category, Proposal, ResultCode, Status
from .views import PROPOSAL_VIEWS

CHANGE = "democracy.change"


class ProposalSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="工会")
    congress_id = serializers.IntegerField(help_text="职代会编号")
    congress_name = serializers.CharField(source="congress.name", help_text="职代会名称")
    proposer_name = serializers.CharField(source="proposer.name", help_text="提案人")
    category_label = serializers.CharField(source="get_category_display", help_text="类别（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    result_label = serializers.CharField(source="get_result_code_display", help_text="办理结果（中文）")

    class Meta:
        model = Proposal
        fields = ["id", "number", "org", "congress_id", "congress_name", "title", "content", "category",
                  "category_label", "proposer_name", "filed_on", "status", "status_label", "decided_on",
                  "reject_reason", "lead_dept", "assist_depts", "assigned_on", "due_on", "answered_on", "answer",
                  "result_code", "result_label", "feedback", "feedback_on"]
        read_only_fields = fields


class AcceptInput(serializers.Serializer):
    decided_on = Day(help_text="审查（立案）日期")


class RejectInput(AcceptInput):
    reason = serializers.CharField(max_length=500, help_text="不立案理由")


class AssignInput(serializers.Serializer):
    assigned_on = Day(help_text="交办日期")
    lead_dept = serializers.CharField(max_length=100, help_text="主办部门")
    assist_depts = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                         help_text="会办部门")
    due_on = Day(required=False, allow_null=True, default=None, help_text="答复期限（默认按设置）")


class AnswerInput(serializers.Serializer):
    answered_on = Day(help_text="答复日期")
    answer = serializers.CharField(max_length=5000, help_text="答复意见")
    result_code = serializers.ChoiceField(choices=ResultCode.choices, help_text="办理结果 A–D")


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class ProposalViewSet(LineViewSet):
    """职代会提案：列表与页面“提案”相同的视图和筛选；审查、交办、答复为动作接口。"""

    perm = "democracy.view"
    perms = {"accept": CHANGE, "reject": CHANGE, "assign": CHANGE, "answer": CHANGE}
    serializer_class = ProposalSerializer
    page_name = "api.proposals"
    ordering = ("-filed_on", "-pk")
    filters = {
        "status": Filter("status", Status.values, description="状态代码"),
        "category": Filter("category", Category.values, description="类别代码"),
        "q": Filter(("title__contains", "number", "congress__name__contains"), description="案由、编号或职代会名称"),
    }
    field_labels = {"org": "组织编码", "view": "视图", "status": "状态", "category": "类别", "q": "查找",
                    "decided_on": "审查日期", "reason": "不立案理由", "assigned_on": "交办日期", "lead_dept": "主办部门",
                    "assist_depts": "会办部门", "due_on": "答复期限", "answered_on": "答复日期", "answer": "答复意见",
                    "result_code": "办理结果"}

    def base_queryset(self):
        return Proposal.objects.select_related("org", "congress", "proposer")

    def filter_list(self, qs):
        view = self.request.query_params.get("view") or "all"
        if view not in PROPOSAL_VIEWS:
            raise Problem(f"可选值为：{'、'.join(PROPOSAL_VIEWS)}。", field="view")
        return super().filter_list(qs).filter(PROPOSAL_VIEWS[view][1](clock.today()))

    @list_schema("提案列表", filters, ProposalSerializer, [OpenApiParameter(
        "view", str, enum=list(PROPOSAL_VIEWS), description="视图：open 办理中，overdue 逾期未答复，feedback 待反馈，all 全部")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="提案详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    accept = step(services.proposal_accept, AcceptInput, "立案", "proposal", ProposalSerializer, name="accept")
    reject = step(services.proposal_reject, RejectInput, "不立案（转为意见建议）", "proposal", ProposalSerializer,
                  name="reject")
    assign = step(services.proposal_assign, AssignInput, "交办", "proposal", ProposalSerializer, name="assign")
    answer = step(services.proposal_answer, AnswerInput, "书面答复", "proposal", ProposalSerializer, name="answer")


registry.register("proposals", ProposalViewSet)
