"""考核与填报的接口：单位考核结果（只读）与填报任务的填报（提交、退回、采用），与页面调用同一服务；考核方案（含指标）、
填报任务、考核得分（各指标的实际值、自评分、考核分）和佐证材料（仅文件信息，下载地址为网页）（列表、详情，只读）。"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import (
    ERRORS,
    Day,
    Filter,
    LineViewSet,
    OrgRef,
    list_schema,
    page_link,
    read_serializer,
    read_viewset,
)
from gonghui.api.lines import transition as step

from . import services
from .models import (
    Appraisal,
    AppraisalStatus,
    Entry,
    Indicator,
    Round,
    RoundStatus,
    Scheme,
    SchemeStatus,
    Submission,
    SubmissionStatus,
    TargetKind,
    Upload,
)

CHANGE = "appraisal.change"


class AppraisalSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="被考核单位")
    scheme_id = serializers.IntegerField(help_text="考核方案编号")
    scheme_title = serializers.CharField(source="scheme.title", help_text="考核方案")
    year = serializers.IntegerField(source="scheme.year", help_text="考核年度")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")

    class Meta:
        model = Appraisal
        fields = ["id", "org", "scheme_id", "scheme_title", "year", "status", "status_label", "total", "grade", "rank",
                  "vetoed", "submitted_on"]
        read_only_fields = fields


@extend_schema(tags=["考核与填报"], responses={**ERRORS})
class AppraisalViewSet(LineViewSet):
    """单位考核：各下级单位在考核方案下的自评、得分、等次和名次（公布后）。"""

    perm = "appraisal.view"
    serializer_class = AppraisalSerializer
    page_name = "api.appraisals"
    ordering = ("-scheme__year", "org_path", "pk")
    orderings = {"year": ("scheme__year", "-org_path")}  # "-year" is the default order
    filters = {
        "scheme": Filter("scheme_id", integer=True, description="考核方案编号"),
        "year": Filter("scheme__year", integer=True, description="考核年度"),
        "status": Filter("status", AppraisalStatus.values, description="状态代码"),
    }
    field_labels = {"org": "组织编码", "scheme": "考核方案", "year": "考核年度", "status": "状态"}

    def base_queryset(self):
        return Appraisal.objects.select_related("org", "scheme")

    @list_schema("单位考核列表", filters, AppraisalSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="单位考核详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class SubmissionSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="填报单位")
    round_id = serializers.IntegerField(help_text="填报任务编号")
    round_title = serializers.CharField(source="round.title", help_text="填报任务")
    deadline = Day(source="round.deadline", help_text="截止日期")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    data = serializers.JSONField(help_text="填报内容：{字段键: 值}")

    class Meta:
        model = Submission
        fields = ["id", "org", "round_id", "round_title", "deadline", "status", "status_label", "data",
                  "submitted_at", "reason", "reopened"]
        read_only_fields = fields


class SubmitInput(serializers.Serializer):
    data = serializers.DictField(help_text="填报内容：{字段键: 值}，字段见填报任务（文件字段请在页面上传）")


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="退回理由")


class SubmissionAcceptInput(serializers.Serializer):
    as_reported = serializers.BooleanField(help_text="true：绑定指标的数字作为该单位本期的上报值（需统计管理权限）")


@extend_schema(tags=["考核与填报"], responses={**ERRORS})
class SubmissionViewSet(LineViewSet):
    """填报：下级单位提交，发起单位退回或采用（与页面相同的校验）。"""

    perm = "appraisal.view"
    perms = {"submit": CHANGE, "return_": CHANGE, "accept": CHANGE}
    serializer_class = SubmissionSerializer
    page_name = "api.submissions"
    ordering = ("-round__deadline", "org_path", "pk")
    orderings = {"deadline": ("round__deadline", "-org_path")}  # "-deadline" is the default order
    filters = {
        "round": Filter("round_id", integer=True, description="填报任务编号"),
        "status": Filter("status", SubmissionStatus.values, description="状态代码"),
    }
    field_labels = {"org": "组织编码", "round": "填报任务", "status": "状态", "data": "填报内容", "reason": "退回理由",
                    "as_reported": "作为上报值"}

    def base_queryset(self):
        return Submission.objects.select_related("org", "round")

    @list_schema("填报列表", filters, SubmissionSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="填报详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    submit = step(services.submission_submit, SubmitInput, "提交填报", "submission", SubmissionSerializer,
                  name="submit")
    return_ = step(services.submission_return, ReturnInput, "退回填报", "submission", SubmissionSerializer,
                   name="return_", url_path="return")
    accept = step(services.submission_accept, SubmissionAcceptInput, "采用填报", "submission", SubmissionSerializer,
                  name="accept")


registry.register("appraisals", AppraisalViewSet)
registry.register("submissions", SubmissionViewSet)

TAG, VIEW = "考核与填报", "appraisal.view"

IndicatorSerializer = read_serializer("SchemeIndicatorSerializer", Indicator, [
    "id", "parent", "code", "name", "max_score", "rule_type", "params", "metric_code", "position"])
SchemeSerializer = read_serializer("SchemeSerializer", Scheme, [
    "id", "org", "year", "title", "target_type", "total_score", "grades", "tie_break", "status", "issued_on",
    "published_on", "version", "previous", "indicators"], orgs={"org": "发布单位"},
    grades=serializers.JSONField(help_text="等次：[[名称, 最低总分], …]，从高到低"),
    indicators=IndicatorSerializer(many=True, read_only=True, help_text="考核指标（按顺序；parent 为上级指标）"))
SchemeViewSet = read_viewset(
    "SchemeViewSet", tag=TAG, summary="考核方案（含指标）",
    queryset=lambda: Scheme.objects.select_related("org").prefetch_related("indicators"), perm=VIEW,
    serializer_class=SchemeSerializer, page_name="api.schemes", ordering=("-year", "-pk"), orderings={"year": ("year",)},
    filters={"year": Filter("year", integer=True, description="考核年度"),
             "status": Filter("status", SchemeStatus.values, description="状态代码"),
             "target_type": Filter("target_type", TargetKind.values, description="考核对象代码")},
    field_labels={"org": "组织编码", "year": "考核年度", "status": "状态", "target_type": "考核对象"})

RoundSerializer = read_serializer("RoundSerializer", Round, [
    "id", "org", "title", "instructions", "fields", "period_start", "period_end", "deadline", "status", "sent_on",
    "copied_from", "recurrence"], orgs={"org": "发起单位"},
    fields=serializers.JSONField(help_text="表单字段：[{key, label, kind, required, choices, min, max, metric}, …]"))
RoundViewSet = read_viewset(
    "RoundViewSet", tag=TAG, summary="填报任务",
    queryset=lambda: Round.objects.select_related("org"), perm=VIEW, serializer_class=RoundSerializer,
    page_name="api.rounds", ordering=("-sent_on", "-pk"), orderings={"sent_on": ("sent_on",), "deadline": ("deadline",)},
    filters={"status": Filter("status", RoundStatus.values, description="状态代码"),
             "from": Filter("deadline__gte", date=True, description="截止日期自"),
             "to": Filter("deadline__lte", date=True, description="截止日期至")},
    field_labels={"org": "组织编码", "status": "状态", "from": "截止日期自", "to": "截止日期至"})

registry.register("appraisal-schemes", SchemeViewSet)
registry.register("rounds", RoundViewSet)



class EntryIndicatorRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="指标编号")
    code = serializers.CharField(help_text="指标代码")
    name = serializers.CharField(help_text="指标名称")
    max_score = serializers.DecimalField(max_digits=7, decimal_places=2, help_text="分值，字符串")


EntrySerializer = read_serializer("AppraisalEntrySerializer", Entry, [
    "id", "appraisal_id", "org", "indicator", "value", "self_score", "evidence", "review_score", "reason",
    "final_score"],
    appraisal_id=serializers.IntegerField(help_text="单位考核编号"),
    org=OrgRef(source="appraisal.org", help_text="被考核单位"),
    indicator=EntryIndicatorRef(help_text="考核指标"))
EntryViewSet = read_viewset(
    "AppraisalEntryViewSet", tag=TAG, summary="考核得分（各指标的实际值、自评分、考核分）",
    queryset=lambda: Entry.objects.select_related("appraisal__org", "indicator"), perm=VIEW,
    serializer_class=EntrySerializer, page_name="api.appraisal_entries", org_path="appraisal__org_path",
    ordering=("-pk",), orderings={"indicator": ("appraisal_id", "indicator__position", "id")},
    filters={"appraisal": Filter("appraisal_id", integer=True, description="单位考核编号"),
             "scheme": Filter("appraisal__scheme_id", integer=True, description="考核方案编号")},
    field_labels={"org": "组织编码", "appraisal": "单位考核", "scheme": "考核方案"})


class UploadSerializer(serializers.ModelSerializer):
    """A file kept for an appraisal entry or a submission's file field; `download_url` is the page's link."""

    entry_id = serializers.IntegerField(allow_null=True, help_text="考核得分编号（考核的佐证材料）")
    submission_id = serializers.IntegerField(allow_null=True, help_text="填报编号（填报的文件字段）")
    download_url = serializers.SerializerMethodField(help_text="下载地址（页面的链接，需登录系统）")

    class Meta:
        model = Upload
        fields = ["id", "entry_id", "submission_id", "field_key", "name", "size", "uploaded_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return page_link(self, "appraisal:upload", obj.pk)


UploadViewSet = read_viewset(
    "AppraisalUploadViewSet", tag=TAG, summary="佐证材料文件（仅文件信息）",
    queryset=lambda: Upload.objects.all(), perm=VIEW, serializer_class=UploadSerializer,
    page_name="api.appraisal_uploads", org_path="org_path",
    ordering=("-uploaded_at", "-pk"), orderings={"uploaded_at": ("uploaded_at",)},
    filters={"entry": Filter("entry_id", integer=True, description="考核得分编号"),
             "submission": Filter("submission_id", integer=True, description="填报编号")},
    field_labels={"org": "组织编码", "entry": "考核得分", "submission": "填报"})

registry.register("appraisal-entries", EntryViewSet)
registry.register("appraisal-uploads", UploadViewSet)
