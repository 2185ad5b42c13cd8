"""劳模与荣誉的接口：劳模名册（身份证号、联系电话一律脱敏）与荣誉（申报、评审各步），与页面调用同一服务；劳模称号、
关爱活动和关爱服务、职工之家评定（含回头看）、班组/集体、合理化建议与技术创新、竞赛（列表、详情，只读）；荣誉的办理记录、
回头看和评分，职工之家回头看，指标体系，会员评家及其问卷，参赛记录，称号待遇级别的变动（列表、详情，只读）。"""

from __future__ import annotations

from django.db.models import Count, Q, Sum
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
    Entry,
    HomeLevel,
    HomeRating,
    HomeRecheck,
    HomeSurvey,
    Honour,
    HonourLevel,
    HonourScore,
    HonourStatus,
    HonourStep,
    HonourType,
    Indicator,
    IndicatorSystem,
    Innovation,
    InnovationKind,
    InnovationStatus,
    Level,
    ModelWorker,
    Recheck,
    RecheckOutcome,
    Recipient,
    ScoreStage,
    SurveyResponse,
    Team,
    TeamKind,
    Title,
    TitleLevel,
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

# --- the rows the honour, 职工之家, survey, contest and worker pages show inside their parent ---------

HONOUR_PATH = "honour__org__path"  # an honour's rows are seen where the honour is

StepSerializer = read_serializer("HonourStepSerializer", HonourStep, [
    "id", "honour", "status", "on", "note", "actor_name"])
StepViewSet = read_viewset(
    "HonourStepViewSet", tag=TAG, summary="荣誉办理记录（申报、评审、公示、命名、复查各步）",
    queryset=lambda: HonourStep.objects.all(), perm=VIEW, serializer_class=StepSerializer,
    page_name="api.honour_steps", org_path=HONOUR_PATH, ordering=("-on", "-pk"), orderings={"on": ("on",)},
    filters={"honour": Filter("honour_id", integer=True, description="荣誉编号"),
             "status": Filter("status", HonourStatus.values, description="状态代码"),
             "from": Filter("on__gte", date=True, description="日期自"),
             "to": Filter("on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "honour": "荣誉", "status": "状态", "from": "日期自", "to": "日期至"})

RecheckSerializer = read_serializer("HonourRecheckSerializer", Recheck, [
    "id", "honour", "on", "inspector", "findings", "outcome", "rectify_by", "score"])
RecheckViewSet = read_viewset(
    "HonourRecheckViewSet", tag=TAG, summary="荣誉回头看（复查情况和结论）",
    queryset=lambda: Recheck.objects.all(), perm=VIEW, serializer_class=RecheckSerializer,
    page_name="api.honour_rechecks", org_path=HONOUR_PATH, ordering=("-on", "-pk"), orderings={"on": ("on",)},
    filters={"honour": Filter("honour_id", integer=True, description="荣誉编号"),
             "outcome": Filter("outcome", RecheckOutcome.values, description="结论代码")},
    field_labels={"org": "组织编码", "honour": "荣誉", "outcome": "结论"})

HomeCheckSerializer = read_serializer("HomeRatingRecheckSerializer", HomeRecheck, [
    "id", "rating", "on", "inspector", "findings", "outcome", "rectify_by", "score"])
HomeCheckViewSet = read_viewset(
    "HomeRecheckViewSet", tag=TAG, summary="职工之家回头看",
    queryset=lambda: HomeRecheck.objects.all(), perm=VIEW, serializer_class=HomeCheckSerializer,
    page_name="api.home_rechecks", org_path="rating__org__path", ordering=("-on", "-pk"), orderings={"on": ("on",)},
    filters={"rating": Filter("rating_id", integer=True, description="职工之家评定编号"),
             "outcome": Filter("outcome", RecheckOutcome.values, description="结论代码")},
    field_labels={"org": "组织编码", "rating": "职工之家评定", "outcome": "结论"})

IndicatorSerializer = read_serializer("HonourIndicatorSerializer", Indicator, [
    "id", "parent", "name", "weight", "depth", "order"])
SystemSerializer = read_serializer("IndicatorSystemSerializer", IndicatorSystem, [
    "id", "org", "name", "honour_type", "total", "indicators"], orgs={"org": "制定单位"},
    indicators=IndicatorSerializer(many=True, read_only=True, help_text="指标（按层级、顺序；parent 为上级指标编号）"))
SystemViewSet = read_viewset(
    "IndicatorSystemViewSet", tag=TAG, summary="指标体系（含各级指标及分值）",
    queryset=lambda: IndicatorSystem.objects.select_related("org").prefetch_related("indicators"), perm=VIEW,
    serializer_class=SystemSerializer, page_name="api.indicator_systems", org_path="org__path",
    ordering=("-pk",), orderings={"name": ("name",)},
    filters={"honour_type": Filter("honour_type", HonourType.values, description="荣誉类别代码")},
    field_labels={"org": "组织编码", "honour_type": "荣誉类别"})

ScoreSerializer = read_serializer("HonourScoreSerializer", HonourScore, [
    "id", "honour", "indicator", "indicator_name", "stage", "score"],
    indicator_name=serializers.CharField(source="indicator.name", help_text="指标"))
ScoreViewSet = read_viewset(
    "HonourScoreViewSet", tag=TAG, summary="荣誉评分（自评、评审打分，按末级指标）",
    queryset=lambda: HonourScore.objects.select_related("indicator"), perm=VIEW, serializer_class=ScoreSerializer,
    page_name="api.honour_scores", org_path=HONOUR_PATH, ordering=("-pk",),
    orderings={"honour": ("honour_id", "stage", "indicator_id")},
    filters={"honour": Filter("honour_id", integer=True, description="荣誉编号"),
             "stage": Filter("stage", ScoreStage.values, description="环节代码")},
    field_labels={"org": "组织编码", "honour": "荣誉", "stage": "环节"})


class SurveySerializer(serializers.ModelSerializer):
    """会员评家: its items and the result the survey page shows (满意率 over the valid answers); one
    member's questionnaire is never shown there, nor here (survey-responses/ counts the forms only)."""

    org = OrgRef(help_text="基层工会")
    items = serializers.ListField(child=serializers.CharField(), help_text="测评项目")
    forms = serializers.IntegerField(source="n_forms", help_text="已录入问卷（份）")
    good = serializers.SerializerMethodField(help_text="满意+基本满意（个回答）")
    valid = serializers.SerializerMethodField(help_text="有效回答（个）")
    rate = serializers.SerializerMethodField(help_text="满意率（%），字符串；无有效回答时为 null")
    passed = serializers.SerializerMethodField(help_text="true：满意率达到合格满意率")

    class Meta:
        model = HomeSurvey
        fields = ["id", "org", "name", "held_on", "items", "threshold", "forms", "good", "valid", "rate", "passed"]
        read_only_fields = fields

    def get_good(self, obj) -> int:
        return (obj.n_satisfied or 0) + (obj.n_basic or 0)

    def get_valid(self, obj) -> int:
        return self.get_good(obj) + (obj.n_unsatisfied or 0)

    def get_rate(self, obj) -> str | None:
        from gonghui.core.metrics import percent

        rate = percent(self.get_good(obj), self.get_valid(obj))
        return None if rate is None else str(rate)

    def get_passed(self, obj) -> bool:
        from gonghui.core.metrics import percent

        rate = percent(self.get_good(obj), self.get_valid(obj))
        return rate is not None and rate >= obj.threshold


SurveyViewSet = read_viewset(
    "HomeSurveyViewSet", tag=TAG, summary="会员评家（测评项目和满意率）",
    queryset=lambda: HomeSurvey.objects.select_related("org").annotate(
        n_forms=Count("responses"), n_satisfied=Sum("responses__satisfied"), n_basic=Sum("responses__basic"),
        n_unsatisfied=Sum("responses__unsatisfied")),
    perm=VIEW, serializer_class=SurveySerializer, page_name="api.surveys", org_path="org__path",
    ordering=("-held_on", "-pk"), orderings={"held_on": ("held_on",)},
    filters={"from": Filter("held_on__gte", date=True, description="测评日期自"),
             "to": Filter("held_on__lte", date=True, description="测评日期至")},
    field_labels={"org": "组织编码", "from": "测评日期自", "to": "测评日期至"})

# One member's answers are his opinion: the survey page shows only the result over all forms, so a
# questionnaire here says which survey it belongs to and how it was filled in, never its answers.
ResponseSerializer = read_serializer("SurveyResponseSerializer", SurveyResponse, ["id", "survey", "online"])
ResponseViewSet = read_viewset(
    "SurveyResponseViewSet", tag=TAG, summary="会员评家问卷（不含回答，满意率见会员评家）",
    queryset=lambda: SurveyResponse.objects.all(), perm=VIEW, serializer_class=ResponseSerializer,
    page_name="api.survey_responses", org_path="survey__org__path", ordering=("-pk",),
    orderings={"survey": ("survey_id",)},
    filters={"survey": Filter("survey_id", integer=True, description="会员评家编号"),
             "online": Filter("online", boolean=True, description="true：网上填写，false：纸质问卷")},
    field_labels={"org": "组织编码", "survey": "会员评家", "online": "网上填写"})

EntrySerializer = read_serializer("ContestEntrySerializer", Entry, [
    "id", "contest", "event", "event_name", "org", "name", "team", "team_ref", "rank", "score", "award",
    "title_earned", "prize"], orgs={"org": "参赛单位"},
    contest=serializers.IntegerField(source="event.contest_id", help_text="竞赛编号"),
    event_name=serializers.CharField(source="event.name", help_text="项目"))
EntryViewSet = read_viewset(
    "ContestEntryViewSet", tag=TAG, summary="参赛记录与成绩（不含身份证号）",
    queryset=lambda: Entry.objects.select_related("event", "org"), perm=VIEW, serializer_class=EntrySerializer,
    page_name="api.contest_entries", org_path="event__contest__org__path", ordering=("-pk",),
    orderings={"event": ("event_id", "pk")},
    filters={"contest": Filter("event__contest_id", integer=True, description="竞赛编号"),
             "event": Filter("event_id", integer=True, description="竞赛项目编号"),
             "q": Filter("name__startswith", description="参赛者姓名开头")},
    field_labels={"org": "组织编码", "contest": "竞赛", "event": "竞赛项目", "q": "参赛者"})

TitleLevelSerializer = read_serializer("TitleLevelSerializer", TitleLevel, [
    "id", "title", "worker", "treatment", "rank", "valid_from", "valid_to", "note"],
    worker=serializers.IntegerField(source="title.worker_id", help_text="劳模编号"))
TitleLevelViewSet = read_viewset(
    "TitleLevelViewSet", tag=TAG, summary="称号待遇级别的变动（自何日起、至何日止）",
    queryset=lambda: TitleLevel.objects.select_related("title"), perm=VIEW, serializer_class=TitleLevelSerializer,
    page_name="api.title_levels", org_path="title__worker__org__path", ordering=("-valid_from", "-pk"),
    orderings={"valid_from": ("valid_from",)},
    filters={"title": Filter("title_id", integer=True, description="劳模称号编号"),
             "worker": Filter("title__worker_id", integer=True, description="劳模编号"),
             "treatment": Filter("treatment", Treatment.values, description="待遇级别代码")},
    field_labels={"org": "组织编码", "title": "劳模称号", "worker": "劳模", "treatment": "待遇级别"})

registry.register("honour-steps", StepViewSet)
registry.register("honour-rechecks", RecheckViewSet)
registry.register("home-rechecks", HomeCheckViewSet)
registry.register("indicator-systems", SystemViewSet)
registry.register("honour-scores", ScoreViewSet)
registry.register("surveys", SurveyViewSet)
registry.register("survey-responses", ResponseViewSet)
registry.register("contest-entries", EntryViewSet)
registry.register("title-levels", TitleLevelViewSet)
