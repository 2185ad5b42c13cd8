"""劳模与荣誉的接口：劳模名册（身份证号、联系电话一律脱敏）与荣誉（申报、评审各步），与页面调用同一服务；劳模称号、
关爱活动和关爱服务、职工之家评定（含回头看）、班组/集体、合理化建议与技术创新、竞赛（列表、详情，只读）。"""

from __future__ import annotations

from django.db.models import Q
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
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import scope

from . import services
from .models import (
    CareCampaign,
    CareKind,
    CareRecord,
    Contest,
    ContestEvent,
    ContestKind,
    HomeLevel,
    HomeRating,
    HomeRecheck,
    Honour,
    HonourLevel,
    HonourStatus,
    HonourType,
    Innovation,
    InnovationKind,
    InnovationStatus,
    Level,
    ModelWorker,
    Recipient,
    Team,
    TeamKind,
    Title,
    Treatment,
    WorkerStatus,
)

CHANGE = "honours.change"


class WorkerSerializer(serializers.ModelSerializer):
    """A model worker; the ID number and phone are always masked here (the page reveals them, logged)."""

    org = OrgRef(help_text="管理单位")
    id_number = serializers.CharField(source="id_masked", help_text="公民身份号码（脱敏）")
    phone = serializers.CharField(source="phone_masked", help_text="联系电话（脱敏）")
    status_label = serializers.CharField(source="get_status_display", help_text="现状（中文）")
    highest_level_label = serializers.CharField(source="get_highest_level_display", help_text="最高待遇级别（中文）")

    class Meta:
        model = ModelWorker
        fields = ["id", "org", "name", "gender", "id_number", "phone", "employer_name", "industry", "status",
                  "status_label", "died_on", "is_party_member", "is_hardship", "registered_on", "highest_level",
                  "highest_level_label"]
        read_only_fields = fields


class WorkerInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="管理单位的组织编码")
    name = serializers.CharField(max_length=50, help_text="姓名")
    id_number = serializers.CharField(max_length=18, help_text="公民身份号码")
    registered_on = Day(help_text="登记日期")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="", help_text="联系电话")
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                          help_text="所在单位")


@extend_schema(tags=["劳模与荣誉"], responses={**ERRORS})
class WorkerViewSet(LineViewSet):
    """劳模名册：列表与页面“劳模名册”相同的筛选。"""

    perm = "honours.view"
    perms = {"create": CHANGE}
    serializer_class = WorkerSerializer
    page_name = "api.model_workers"
    org_path = "org__path"
    ordering = ("-registered_on", "-id")
    orderings = {"registered_on": ("registered_on",)}
    filters = {
        "q": Filter("name__startswith", description="姓名开头"),
        "level": Filter("highest_level", Treatment.values, description="最高待遇级别代码"),
        "status": Filter("status", WorkerStatus.values, description="现状代码"),
        "party": Filter("is_party_member", boolean=True, description="true：中共党员",
                        build=lambda v: Q(is_party_member=True) if v else None),
        "hardship": Filter("is_hardship", boolean=True, description="true：困难劳模",
                           build=lambda v: Q(is_hardship=True) if v else None),
    }
    field_labels = {"org": "组织编码", "q": "姓名", "level": "最高待遇级别", "status": "现状", "party": "中共党员",
                    "hardship": "困难劳模", "org_code": "管理单位编码", "name": "姓名", "id_number": "公民身份号码",
                    "registered_on": "登记日期", "phone": "联系电话", "employer_name": "所在单位"}

    def base_queryset(self):
        return ModelWorker.objects.select_related("org")

    @list_schema("劳模名册（脱敏）", filters, WorkerSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="劳模详情（带 ETag，脱敏）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记劳模", WorkerInput, WorkerSerializer)
    def create(self, request, *args, **kwargs):
        d = body(WorkerInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        w = services.worker_create(actor=request.user, org=org, **d)
        return self.respond(self.found(w), 201)


class HonourSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="申报单位")
    worker_id = serializers.IntegerField(allow_null=True, help_text="劳模编号（个人荣誉）")
    recipient_label = serializers.CharField(source="get_recipient_display", help_text="对象（中文）")
    honour_type_label = serializers.CharField(source="get_honour_type_display", help_text="荣誉类别（中文）")
    level_label = serializers.CharField(source="get_level_display", help_text="级别（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")

    class Meta:
        model = Honour
        fields = ["id", "org", "recipient", "recipient_label", "recipient_name", "worker_id", "honour_type",
                  "honour_type_label", "level", "level_label", "issuer", "year", "status", "status_label",
                  "applied_on", "named_on", "recheck_on", "revoked_on", "self_score", "review_score", "note"]
        read_only_fields = fields


class HonourInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="申报单位的组织编码")
    recipient = serializers.ChoiceField(choices=Recipient.choices, help_text="对象：person 个人，collective 集体")
    recipient_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                           help_text="获得者名称（个人荣誉关联劳模时可不填）")
    worker_id = serializers.IntegerField(min_value=1, max_value=2**53, required=False, allow_null=True, default=None,
                                         help_text="劳模编号（个人荣誉，可选）")
    honour_type = serializers.ChoiceField(choices=HonourType.choices, help_text="荣誉类别")
    level = serializers.ChoiceField(choices=HonourLevel.choices, help_text="级别")
    issuer = serializers.CharField(max_length=100, help_text="授予单位")
    year = serializers.IntegerField(min_value=1949, max_value=2100, help_text="年度")
    applied_on = Day(help_text="申报日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")


class MoveInput(serializers.Serializer):
    to = serializers.ChoiceField(choices=HonourStatus.choices, help_text="下一状态：review 评审，notice 公示，named 命名，"
                                                                         "recheck 复查，rejected 未通过 …")
    on = Day(help_text="日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="意见（未通过、整改、撤销时必填）")


@extend_schema(tags=["劳模与荣誉"], responses={**ERRORS})
class HonourViewSet(LineViewSet):
    """荣誉：申报后经评审、公示、命名、复查（与页面相同的流程和校验）。"""

    perm = "honours.view"
    perms = {"create": CHANGE, "move": "honours.approve"}
    serializer_class = HonourSerializer
    page_name = "api.honours"
    org_path = "org__path"
    ordering = ("-applied_on", "-id")
    orderings = {"applied_on": ("applied_on",)}
    filters = {
        "recipient": Filter("recipient", Recipient.values, description="对象代码"),
        "honour_type": Filter("honour_type", HonourType.values, description="荣誉类别代码"),
        "level": Filter("level", HonourLevel.values, description="级别代码"),
        "status": Filter("status", HonourStatus.values, description="状态代码"),
        "year": Filter("year", [str(y) for y in range(1949, 2101)], description="年度"),
    }
    field_labels = {"org": "组织编码", "recipient": "对象", "honour_type": "荣誉类别", "level": "级别", "status": "状态",
                    "year": "年度", "org_code": "申报单位编码", "recipient_name": "获得者", "worker_id": "劳模",
                    "worker": "劳模", "issuer": "授予单位", "applied_on": "申报日期", "note": "意见", "to": "下一状态",
                    "on": "日期", "team": "班组/集体"}

    def base_queryset(self):
        return Honour.objects.select_related("org")

    @list_schema("荣誉列表", filters, HonourSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="荣誉详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("申报荣誉", HonourInput, HonourSerializer, examples=[OpenApiExample("五一劳动奖章", request_only=True, value={
        "org_code": "A1", "recipient": "person", "recipient_name": "张三", "honour_type": "may_day_medal",
        "level": "city", "issuer": "长沙市总工会", "year": 2026, "applied_on": "2026-12-01"})])
    def create(self, request, *args, **kwargs):
        d = body(HonourInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        worker_id = d.pop("worker_id")
        worker = None
        if worker_id:
            worker = scope.visible(ModelWorker.objects.filter(pk=worker_id).select_related("org"), request.user,
                                   "honours.view").first()
            if worker is None:
                raise Problem("未找到该劳模，或不在您的查看范围内。", field="worker_id")
        h = services.honour_apply(actor=request.user, org=org, worker=worker, **d)
        return self.respond(self.found(h), 201)

    move = step(services.honour_move, MoveInput, "评审、公示、命名、复查的一步", "honour", HonourSerializer, name="move")


registry.register("model-workers", WorkerViewSet)
registry.register("honours", HonourViewSet)

TAG, VIEW = "劳模与荣誉", "honours.view"

TitleSerializer = read_serializer("TitleSerializer", Title, [
    "id", "worker", "worker_name", "name", "level", "treatment", "conferred_by", "year", "conferred_on", "batch",
    "certificate_no"], worker_name=serializers.CharField(source="worker.name", help_text="劳模姓名"))
TitleViewSet = read_viewset(
    "TitleViewSet", tag=TAG, summary="劳模称号",
    queryset=lambda: Title.objects.select_related("worker"), perm=VIEW, serializer_class=TitleSerializer,
    page_name="api.titles", org_path="worker__org__path", ordering=("-year", "-pk"), orderings={"year": ("year",)},
    filters={"worker": Filter("worker_id", integer=True, description="劳模编号"),
             "level": Filter("level", Level.values, description="级别代码"),
             "treatment": Filter("treatment", Treatment.values, description="待遇级别代码"),
             "year": Filter("year", integer=True, description="授予年份")},
    field_labels={"org": "组织编码", "worker": "劳模", "level": "级别", "treatment": "待遇级别", "year": "授予年份"})

CampaignSerializer = read_serializer("CareCampaignSerializer", CareCampaign, [
    "id", "org", "name", "kind", "start_on", "end_on", "amount", "exclude_civil_servants", "party_members_only",
    "hardship_only"], orgs={"org": "组织单位"})
CampaignViewSet = read_viewset(
    "CareCampaignViewSet", tag=TAG, summary="劳模关爱活动",
    queryset=lambda: CareCampaign.objects.select_related("org"), perm=VIEW, serializer_class=CampaignSerializer,
    page_name="api.care_campaigns", org_path="org__path", ordering=("-start_on", "-pk"),
    orderings={"start_on": ("start_on",)},
    filters={"kind": Filter("kind", CareKind.values, description="服务类别代码")},
    field_labels={"org": "组织编码", "kind": "服务类别"})

CareSerializer = read_serializer("CareRecordSerializer", CareRecord, [
    "id", "worker", "worker_name", "org", "kind", "served_on", "amount", "campaign", "note"],
    orgs={"org": "管理单位"}, worker_name=serializers.CharField(source="worker.name", help_text="劳模姓名"))
CareViewSet = read_viewset(
    "CareRecordViewSet", tag=TAG, summary="劳模关爱服务（体检、疗休养、慰问等）",
    queryset=lambda: CareRecord.objects.select_related("org", "worker"), perm=VIEW, serializer_class=CareSerializer,
    page_name="api.care_records", org_path="org__path", ordering=("-served_on", "-pk"),
    orderings={"served_on": ("served_on",)},
    filters={"kind": Filter("kind", CareKind.values, description="服务类别代码"),
             "campaign": Filter("campaign_id", integer=True, description="关爱活动编号"),
             "worker": Filter("worker_id", integer=True, description="劳模编号"),
             "from": Filter("served_on__gte", date=True, description="服务日期自"),
             "to": Filter("served_on__lte", date=True, description="服务日期至")},
    field_labels={"org": "组织编码", "kind": "服务类别", "campaign": "关爱活动", "worker": "劳模", "from": "服务日期自",
                  "to": "服务日期至"})

HomeRecheckSerializer = read_serializer("HomeRecheckSerializer", HomeRecheck, [
    "id", "on", "inspector", "findings", "outcome", "rectify_by", "score"])
HomeSerializer = read_serializer("HomeRatingSerializer", HomeRating, [
    "id", "org", "level", "rated_on", "issuer", "revoked_on", "recheck_on", "rectify_by", "rechecks"],
    orgs={"org": "基层工会"}, rechecks=HomeRecheckSerializer(many=True, read_only=True, help_text="回头看"))
HomeViewSet = read_viewset(
    "HomeRatingViewSet", tag=TAG, summary="职工之家评定（含回头看）",
    queryset=lambda: HomeRating.objects.select_related("org").prefetch_related("rechecks"), perm=VIEW,
    serializer_class=HomeSerializer, page_name="api.home_ratings", org_path="org__path", ordering=("-rated_on", "-pk"),
    orderings={"rated_on": ("rated_on",)},
    filters={"level": Filter("level", HomeLevel.values, description="级别代码"),
             "in_force": Filter("revoked_on__isnull", boolean=True, description="true：仅未撤销的")},
    field_labels={"org": "组织编码", "level": "级别", "in_force": "未撤销"})

TeamSerializer = read_serializer("TeamSerializer", Team, [
    "id", "org", "name", "kind", "leader", "member_count", "founded_on"], orgs={"org": "所属工会"})
TeamViewSet = read_viewset(
    "TeamViewSet", tag=TAG, summary="班组/集体",
    queryset=lambda: Team.objects.select_related("org"), perm=VIEW, serializer_class=TeamSerializer,
    page_name="api.teams", org_path="org__path", ordering=("org__path", "name", "pk"), orderings={"name": ("name",)},
    filters={"kind": Filter("kind", TeamKind.values, description="类别代码"),
             "q": Filter("name__contains", description="名称包含")},
    field_labels={"org": "组织编码", "kind": "类别", "q": "查找"})

InnovationSerializer = read_serializer("InnovationSerializer", Innovation, [
    "id", "org", "kind", "title", "proposer", "team", "submitted_on", "status", "decided_on", "benefit", "reward"],
    orgs={"org": "所属工会"})
InnovationViewSet = read_viewset(
    "InnovationViewSet", tag=TAG, summary="合理化建议与技术创新成果",
    queryset=lambda: Innovation.objects.select_related("org"), perm=VIEW, serializer_class=InnovationSerializer,
    page_name="api.innovations", org_path="org__path", ordering=("-submitted_on", "-pk"),
    orderings={"submitted_on": ("submitted_on",)},
    filters={"kind": Filter("kind", InnovationKind.values, description="类别代码"),
             "status": Filter("status", InnovationStatus.values, description="状态代码")},
    field_labels={"org": "组织编码", "kind": "类别", "status": "状态"})

EventSerializer = read_serializer("ContestEventSerializer", ContestEvent, ["id", "name"])
ContestSerializer = read_serializer("ContestSerializer", Contest, [
    "id", "org", "name", "kind", "start_on", "end_on", "events"], orgs={"org": "组织单位"},
    events=EventSerializer(many=True, read_only=True, help_text="竞赛项目"))
ContestViewSet = read_viewset(
    "ContestViewSet", tag=TAG, summary="劳动竞赛、技能竞赛和岗位练兵",
    queryset=lambda: Contest.objects.select_related("org").prefetch_related("events"), perm=VIEW,
    serializer_class=ContestSerializer, page_name="api.contests", org_path="org__path",
    ordering=("-start_on", "-pk"), orderings={"start_on": ("start_on",)},
    filters={"kind": Filter("kind", ContestKind.values, description="类别代码")},
    field_labels={"org": "组织编码", "kind": "类别"})

registry.register("titles", TitleViewSet)
registry.register("care-campaigns", CampaignViewSet)
registry.register("care-records", CareViewSet)
registry.register("home-ratings", HomeViewSet)
registry.register("teams", TeamViewSet)
registry.register("innovations", InnovationViewSet)
registry.register("contests", ContestViewSet)
