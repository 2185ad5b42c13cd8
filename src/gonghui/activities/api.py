"""活动与阵地的接口：活动记录（列表、详情、登记，与页面调用同一服务），服务阵地、安全监督检查（含发现的问题）、
宣传信息和安康杯参赛单位（列表、详情，只读）。"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import (
    ERRORS,
    Day,
    Filter,
    LineViewSet,
    OrgRef,
    body,
    create_schema,
    list_schema,
    read_serializer,
    read_viewset,
)
from gonghui.api.problems import Problem

from . import services
from .models import (
    MONEY,
    Activity,
    ActivityKind,
    AnkangEntry,
    AnkangResult,
    Finding,
    Inspection,
    InspectionKind,
    PostType,
    PublicityItem,
    PublicityKind,
    ServicePost,
)

CHANGE = "activities.change"
MEASURE_FIELDS = ("sessions", "persons", "person_times", "units", "items", "amount")


class ActivitySerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="主办单位")
    kind = serializers.CharField(source="kind.code", help_text="活动类型代码")
    kind_label = serializers.CharField(source="kind.name", help_text="活动类型")

    class Meta:
        model = Activity
        fields = ["id", "org", "kind", "kind_label", "title", "start_on", "end_on", *MEASURE_FIELDS,
                  "from_attendance", "co_organisers", "place", "note"]
        read_only_fields = fields


class ActivityInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="主办单位的组织编码")
    kind = serializers.CharField(max_length=40, help_text="活动类型代码（如 training）")
    title = serializers.CharField(max_length=200, help_text="活动名称")
    start_on = Day(help_text="开始日期")
    end_on = Day(required=False, allow_null=True, default=None, help_text="结束日期（默认同开始日期）")
    sessions = serializers.IntegerField(min_value=0, max_value=10**9, required=False, help_text="期数/场次")
    persons = serializers.IntegerField(min_value=0, max_value=10**9, required=False, help_text="人数")
    person_times = serializers.IntegerField(min_value=0, max_value=10**9, required=False, help_text="人次")
    units = serializers.IntegerField(min_value=0, max_value=10**9, required=False, help_text="覆盖单位（家）")
    items = serializers.IntegerField(min_value=0, max_value=10**9, required=False, help_text="数量")
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False, help_text="金额（元），字符串")
    co_organisers = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                          help_text="协办单位")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="地点")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="备注")


@extend_schema(tags=["活动与阵地"], responses={**ERRORS})
class ActivityViewSet(LineViewSet):
    """活动记录：列表与页面“活动”相同的筛选（类型、开始日期、单位、名称）。"""

    perm = "activities.view"
    perms = {"create": CHANGE}
    serializer_class = ActivitySerializer
    page_name = "api.activities"
    ordering = ("-start_on", "-pk")
    orderings = {"start_on": ("start_on",)}
    filters = {
        "kind": Filter("kind__code", length=40, description="活动类型代码"),
        "from": Filter("start_on__gte", date=True, description="开始日期自"),
        "to": Filter("start_on__lte", date=True, description="开始日期至"),
        "q": Filter("title__contains", description="活动名称包含"),
    }
    field_labels = {"org": "组织编码", "kind": "活动类型", "from": "开始日期自", "to": "开始日期至", "q": "查找",
                    "ordering": "排序", "org_code": "主办单位编码", "title": "活动名称", "start_on": "开始日期", "end_on": "结束日期",
                    "sessions": "期数/场次", "persons": "人数", "person_times": "人次", "units": "覆盖单位",
                    "items": "数量", "amount": "金额", "co_organisers": "协办单位", "place": "地点", "note": "备注"}

    def base_queryset(self):
        return Activity.objects.select_related("org", "kind")

    @list_schema("活动记录列表", filters, ActivitySerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="活动记录详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记活动", ActivityInput, ActivitySerializer, examples=[OpenApiExample("培训", request_only=True, value={
        "org_code": "A", "kind": "training", "title": "安全生产培训", "start_on": "2026-11-20", "sessions": 1,
        "person_times": 120})])
    def create(self, request, *args, **kwargs):
        d = body(ActivityInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        kind = ActivityKind.objects.filter(code=d.pop("kind")).first()
        if kind is None:
            raise Problem("没有这种活动类型。", field="kind")
        a = services.activity_create(actor=request.user, org=org, kind=kind, **d)
        return self.respond(self.found(a), 201)


registry.register("activities", ActivityViewSet)

TAG, VIEW = "活动与阵地", "activities.view"

PostSerializer = read_serializer("ServicePostSerializer", ServicePost, [
    "id", "org", "type", "name", "address", "functions", "rooms", "opening_hours", "opened_on", "closed_on"],
    orgs={"org": "运营单位"})
PostViewSet = read_viewset(
    "ServicePostViewSet", tag=TAG, summary="服务阵地（职工服务中心、书屋、驿站等）",
    queryset=lambda: ServicePost.objects.select_related("org"), perm=VIEW, serializer_class=PostSerializer,
    page_name="api.service_posts", ordering=("org__path", "name", "pk"), orderings={"name": ("name",)},
    filters={"type": Filter("type", PostType.values, description="阵地类型代码"),
             "q": Filter("name__contains", description="名称包含")},
    field_labels={"org": "组织编码", "type": "阵地类型", "q": "查找"})

FindingSerializer = read_serializer("SafetyFindingSerializer", Finding, [
    "id", "kind", "severity", "description", "found_on", "due_on", "closed_on", "on_spot"])
InspectionSerializer = read_serializer("SafetyInspectionSerializer", Inspection, [
    "id", "org", "kind", "inspected_on", "employer", "employer_name", "inspectors", "suggestions", "note",
    "findings"], orgs={"org": "组织单位"},
    findings=FindingSerializer(many=True, read_only=True, help_text="发现的问题（三违、隐患）及整改"))
InspectionViewSet = read_viewset(
    "InspectionViewSet", tag=TAG, summary="安全监督检查（含发现的问题）",
    queryset=lambda: Inspection.objects.select_related("org").prefetch_related("findings"), perm=VIEW,
    serializer_class=InspectionSerializer, page_name="api.inspections", ordering=("-inspected_on", "-pk"),
    orderings={"inspected_on": ("inspected_on",)},
    filters={"kind": Filter("kind", InspectionKind.values, description="检查类型代码"),
             "from": Filter("inspected_on__gte", date=True, description="检查日期自"),
             "to": Filter("inspected_on__lte", date=True, description="检查日期至")},
    field_labels={"org": "组织编码", "kind": "检查类型", "from": "检查日期自", "to": "检查日期至"})

PublicitySerializer = read_serializer("PublicityItemSerializer", PublicityItem, [
    "id", "org", "kind", "title", "outlet", "published_on", "issue_no", "entries"], orgs={"org": "报送单位"})
PublicityViewSet = read_viewset(
    "PublicityViewSet", tag=TAG, summary="宣传信息（调研报告、通讯报道、工运信息等）",
    queryset=lambda: PublicityItem.objects.select_related("org"), perm=VIEW, serializer_class=PublicitySerializer,
    page_name="api.publicity", ordering=("-published_on", "-pk"), orderings={"published_on": ("published_on",)},
    filters={"kind": Filter("kind", PublicityKind.values, description="类别代码")},
    field_labels={"org": "组织编码", "kind": "类别"})

AnkangSerializer = read_serializer("AnkangEntrySerializer", AnkangEntry, [
    "id", "org", "year", "employer", "employer_name", "participants", "teams", "result", "note"],
    orgs={"org": "组织单位"}, employer_name=serializers.CharField(source="employer.name", help_text="参赛单位名称"))
AnkangViewSet = read_viewset(
    "AnkangViewSet", tag=TAG, summary="安康杯参赛单位",
    queryset=lambda: AnkangEntry.objects.select_related("org", "employer"), perm=VIEW,
    serializer_class=AnkangSerializer, page_name="api.ankang", ordering=("-year", "-pk"), orderings={"year": ("year",)},
    filters={"year": Filter("year", integer=True, description="年度"),
             "result": Filter("result", AnkangResult.values, description="竞赛结果代码")},
    field_labels={"org": "组织编码", "year": "年度", "result": "竞赛结果"})

registry.register("service-posts", PostViewSet)
registry.register("inspections", InspectionViewSet)
registry.register("publicity", PublicityViewSet)
registry.register("ankang-entries", AnkangViewSet)
