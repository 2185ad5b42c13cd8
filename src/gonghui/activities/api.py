"""活动与阵地的接口：活动记录（列表、详情、登记，与页面调用同一服务），服务阵地、安全监督检查（含发现的问题）、
宣传信息和安康杯参赛单位（列表、详情，只读）；活动类型、签到名单、附件（下载链接即页面的链接）、阵地服务人次、来访登记和志愿服务、
走访慰问（列表、详情，只读；人员的身份证号、手机号脱敏，详情对有权查看完整个人信息者给出全文并留痕）。"""

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
    page_link,
    read_serializer,
    read_viewset,
)
from gonghui.api.problems import Problem
from gonghui.core import scope
from gonghui.members import selectors as member_selectors
from gonghui.members import services as member_services

from . import services
from .models import (
    MONEY,
    Activity,
    ActivityAttachment,
    ActivityKind,
    AnkangEntry,
    AnkangResult,
    AttachmentKind,
    Attendance,
    Finding,
    Inspection,
    InspectionKind,
    PersonVisit,
    PostType,
    PostVisit,
    PostVisitDay,
    PublicityItem,
    PublicityKind,
    Section,
    ServicePost,
    VisitKind,
    VolunteerShift,
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

# --- the rows the activity and post pages show inside their parent, and the visits to persons ------

PostDaySerializer = read_serializer("PostVisitDaySerializer", PostVisitDay, ["id", "post", "on", "visits", "logged"])
PostDayViewSet = read_viewset(
    "PostVisitDayViewSet", tag=TAG, summary="阵地服务人次（按日）",
    queryset=lambda: PostVisitDay.objects.all(), perm=VIEW, serializer_class=PostDaySerializer,
    page_name="api.post_visit_days", org_path="post__org__path", ordering=("-on", "-pk"), orderings={"on": ("on",)},
    filters={"post": Filter("post_id", integer=True, description="服务阵地编号"),
             "from": Filter("on__gte", date=True, description="日期自"),
             "to": Filter("on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "post": "服务阵地", "from": "日期自", "to": "日期至"})

ShiftSerializer = read_serializer("VolunteerShiftSerializer", VolunteerShift, ["id", "post", "on", "volunteer", "hours"])
ShiftViewSet = read_viewset(
    "VolunteerShiftViewSet", tag=TAG, summary="志愿服务登记（时长为字符串，单位小时）",
    queryset=lambda: VolunteerShift.objects.all(), perm=VIEW, serializer_class=ShiftSerializer,
    page_name="api.volunteer_shifts", org_path="post__org__path", ordering=("-on", "-pk"), orderings={"on": ("on",)},
    filters={"post": Filter("post_id", integer=True, description="服务阵地编号"),
             "from": Filter("on__gte", date=True, description="日期自"),
             "to": Filter("on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "post": "服务阵地", "from": "日期自", "to": "日期至"})

VisitorSerializer = read_serializer("PostVisitSerializer", PostVisit, ["id", "post", "on", "visitor", "service"])
VisitorViewSet = read_viewset(
    "PostVisitViewSet", tag=TAG, summary="阵地来访登记（逐人登记的来访职工和服务项目）",
    queryset=lambda: PostVisit.objects.all(), perm=VIEW, serializer_class=VisitorSerializer,
    page_name="api.post_visits", org_path="post__org__path", ordering=("-on", "-pk"), orderings={"on": ("on",)},
    filters={"post": Filter("post_id", integer=True, description="服务阵地编号"),
             "from": Filter("on__gte", date=True, description="日期自"),
             "to": Filter("on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "post": "服务阵地", "from": "日期自", "to": "日期至"})


class AttachmentSerializer(serializers.ModelSerializer):
    """An activity's attachment: what the activity page lists, and the page's own download link (it
    needs a signed-in session; opening a sign-in sheet is access-logged there)."""

    kind_label = serializers.CharField(source="get_kind_display", help_text="附件类别（中文）")
    download_url = serializers.SerializerMethodField(help_text="下载地址（页面的链接，需登录系统）")

    class Meta:
        model = ActivityAttachment
        fields = ["id", "activity", "kind", "kind_label", "name", "size", "uploaded_at", "uploaded_by_name",
                  "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return page_link(self, "activities:attachment_open", obj.pk)


AttachmentViewSet = read_viewset(
    "ActivityAttachmentViewSet", tag=TAG, summary="活动附件（照片、签到表等的说明和下载地址）",
    queryset=lambda: ActivityAttachment.objects.all(), perm=VIEW, serializer_class=AttachmentSerializer,
    page_name="api.activity_attachments", org_path="activity__org__path", ordering=("-pk",),
    orderings={"uploaded_at": ("uploaded_at",)},
    filters={"activity": Filter("activity_id", integer=True, description="活动记录编号"),
             "kind": Filter("kind", AttachmentKind.values, description="附件类别代码")},
    field_labels={"org": "组织编码", "activity": "活动记录", "kind": "附件类别"})


class PersonFields(serializers.Serializer):
    """A roster person on a row: name, and the ID number and phone masked, in full only in a detail
    read by a user holding members.view_sensitive on the person's union (access-logged)."""

    name = serializers.CharField(source="person.name", help_text="姓名")
    id_number = serializers.SerializerMethodField(help_text="公民身份号码（脱敏；详情对有权限者为完整号码并留痕）")
    phone = serializers.SerializerMethodField(help_text="手机号码（脱敏；详情对有权限者为完整号码并留痕）")
    masked = serializers.SerializerMethodField(help_text="true：身份证号和手机号已脱敏")

    def get_id_number(self, obj) -> str:
        full = self.context.get("full")
        return full["id_number"] if full else obj.person.id_masked

    def get_phone(self, obj) -> str:
        full = self.context.get("full")
        return full["phone"] if full else obj.person.phone_masked

    def get_masked(self, obj) -> bool:
        return not self.context.get("full")


def full_person(view, obj) -> dict:
    """The detail's context: the person in full for a holder of members.view_sensitive on his union
    (members.person_reveal writes the access log), masked otherwise."""
    ctx = view.get_serializer_context()
    membership = member_selectors.latest_membership(obj.person)
    if membership and scope.has_perm(view.request.user, "members.view_sensitive", membership.union.path):
        ctx["full"] = member_services.person_reveal(user=view.request.user, person=obj.person, reason="接口读取详情")
    return ctx


class AttendanceSerializer(PersonFields, serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code", help_text="活动类型代码")

    class Meta:
        model = Attendance
        fields = ["id", "activity", "name", "id_number", "phone", "masked", "times", "kind", "on"]
        read_only_fields = fields


AttendanceViewSet = read_viewset(
    "AttendanceViewSet", tag=TAG, summary="签到名单（参加人员，身份证号、手机号脱敏）",
    queryset=lambda: Attendance.objects.select_related("person", "kind"), perm=VIEW,
    serializer_class=AttendanceSerializer, page_name="api.attendance", ordering=("-on", "-pk"),
    orderings={"on": ("on",)}, detail_context=full_person,
    filters={"activity": Filter("activity_id", integer=True, description="活动记录编号"),
             "from": Filter("on__gte", date=True, description="活动日期自"),
             "to": Filter("on__lte", date=True, description="活动日期至")},
    field_labels={"org": "组织编码", "activity": "活动记录", "from": "活动日期自", "to": "活动日期至"})


class PersonVisitSerializer(PersonFields, serializers.ModelSerializer):
    org = OrgRef(help_text="走访单位")
    kind_label = serializers.CharField(source="get_kind_display", help_text="走访类型（中文）")

    class Meta:
        model = PersonVisit
        fields = ["id", "org", "name", "id_number", "phone", "masked", "kind", "kind_label", "visited_on", "amount",
                  "goods", "visitors", "note"]
        read_only_fields = fields


PersonVisitViewSet = read_viewset(
    "PersonVisitViewSet", tag=TAG, summary="走访慰问（走访对象的身份证号、手机号脱敏）",
    queryset=lambda: PersonVisit.objects.select_related("org", "person"), perm=VIEW,
    serializer_class=PersonVisitSerializer, page_name="api.person_visits", ordering=("-visited_on", "-pk"),
    orderings={"visited_on": ("visited_on",)}, detail_context=full_person,
    filters={"kind": Filter("kind", VisitKind.values, description="走访类型代码"),
             "from": Filter("visited_on__gte", date=True, description="走访日期自"),
             "to": Filter("visited_on__lte", date=True, description="走访日期至")},
    field_labels={"org": "组织编码", "kind": "走访类型", "from": "走访日期自", "to": "走访日期至"})

registry.register("post-visit-days", PostDayViewSet)
registry.register("post-visits", VisitorViewSet)
registry.register("volunteer-shifts", ShiftViewSet)
registry.register("activity-attachments", AttachmentViewSet)
registry.register("attendance", AttendanceViewSet)
registry.register("person-visits", PersonVisitViewSet)

KindSerializer = read_serializer("ActivityKindSerializer", ActivityKind, [
    "id", "code", "name", "section", "parent", "has_sessions", "session_word", "has_persons", "has_person_times",
    "has_units", "has_items", "item_word", "has_money", "verb", "builtin", "active", "order"])


# The kinds are the system's one table (as the page "活动类型": whoever may view activities sees them
# all): shared, with no org and so no `org` filter.
ActivityKindViewSet = read_viewset(
    "ActivityKindViewSet", tag=TAG, summary="活动类型", queryset=lambda: ActivityKind.objects.all(), perm=VIEW,
    serializer_class=KindSerializer, page_name="api.activity_kinds", shared=True, by_org=False,
    ordering=("order", "pk"), orderings={"order": ("order",)},
    filters={"active": Filter("active", boolean=True, description="true：仅启用的，false：仅停用的"),
             "section": Filter("section", Section.values, description="工作总结栏目代码")},
    field_labels={"active": "启用", "section": "工作总结栏目"},
    __doc__="活动类型：全系统一份（与页面“活动类型”相同，凡能查看活动者都能看到），没有所属组织，故无 org 筛选。")


registry.register("activity-kinds", ActivityKindViewSet)
