"""民主管理的接口：职代会（届次、代表、会议、议案、决议、职工董事监事）、提案（列表、详情、立案、不立案、
交办、答复）、厂务公开和会务公开（公开记录、公开制度），与页面读取同一范围、调用同一服务。

民主评议结果只在会议详情中、且仅对持有“查看民主评议结果”权限的用户给出，每次读取记入访问日志（与页面相同）。"""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import ERRORS, Day, Filter, LineViewSet, OrgRef, list_schema
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import audit, clock, scope

from . import services
from .models import (
    Category,
    Congress,
    Delegate,
    Disclosure,
    DisclosureKind,
    DisclosureSystem,
    Form,
    Gender,
    Kind,
    Proposal,
    ResultCode,
    Scope,
    Session,
    SessionKind,
    Status,
)
from .views import PROPOSAL_VIEWS

VIEW, CHANGE, SENSITIVE = "democracy.view", "democracy.change", "democracy.view_sensitive"


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
                  "result_code", "result_label", "feedback", "feedback_on", "events"]
        read_only_fields = fields

    events = serializers.SerializerMethodField(help_text="办理经过（仅详情）")

    def get_events(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return [{"on": e.on.isoformat(), "action": e.label, "status": e.status_label, "note": e.note,
                 "actor_name": e.actor_name} for e in obj.events.all()]


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
    orderings = {"filed_on": ("filed_on",)}  # "-filed_on" is the default order
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

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}

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


def _detail_only(serializer, key="detail") -> bool:
    return bool(serializer.context.get(key))


class EmployerRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="用人单位编号")
    name = serializers.CharField(help_text="名称")


def _employer(e) -> dict | None:
    return {"id": e.pk, "name": e.name} if e is not None else None


class CongressSerializer(serializers.ModelSerializer):
    """A congress; its terms, covered employers, board members and written resolutions in the detail only."""

    org = OrgRef(help_text="工作机构（工会）")
    employer = EmployerRef(allow_null=True, help_text="用人单位（区域、行业职代会为 null）")
    kind_label = serializers.CharField(source="get_kind_display", help_text="形式（中文）")
    scope_label = serializers.CharField(source="get_scope_display", help_text="范围（中文）")
    terms = serializers.SerializerMethodField(help_text="届次（仅详情），新届在前")
    covered = serializers.SerializerMethodField(help_text="区域（行业）职代会覆盖的单位（仅详情）")
    board_members = serializers.SerializerMethodField(help_text="职工董事、职工监事（仅详情）")
    written_resolutions = serializers.SerializerMethodField(help_text="闭会期间的书面决议（仅详情）")

    class Meta:
        model = Congress
        fields = ["id", "org", "name", "kind", "kind_label", "scope", "scope_label", "employer", "established_on",
                  "ended_on", "terms", "covered", "board_members", "written_resolutions"]
        read_only_fields = fields

    def get_terms(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": t.pk, "number": t.number, "started_on": t.started_on.isoformat(), "ends_on": t.ends_on.isoformat(),
                 "staff": t.staff, "women_staff": t.women_staff, "list_status": t.list_status,
                 "list_status_label": t.get_list_status_display(), "delegates": t.delegates.count()}
                for t in obj.terms.all()]

    def get_covered(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [_employer(c.employer) for c in obj.covered.select_related("employer").order_by("employer__name", "pk")]

    def get_board_members(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": b.pk, "seat": b.seat, "seat_label": b.get_seat_display(), "name": b.name,
                 "elected_on": b.elected_on.isoformat(), "ends_on": b.ends_on.isoformat() if b.ends_on else None,
                 "session_id": b.session_id} for b in obj.board_members.all()]

    def get_written_resolutions(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": r.pk, "title": r.title, "adopted_on": r.adopted_on.isoformat()}
                for r in obj.resolutions.filter(session__isnull=True)]


class DetailViewSet(LineViewSet):
    """A read resource whose detail adds the nested rows the detail page shows."""

    perm = VIEW

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class CongressViewSet(DetailViewSet):
    """职工代表大会：列表与页面“职代会”相同的筛选；详情含届次、覆盖单位、职工董事监事和书面决议。"""

    serializer_class = CongressSerializer
    page_name = "api.congresses"
    ordering = ("-established_on", "-pk")
    orderings = {"established_on": ("established_on",)}  # "-established_on" is the default order
    filters = {
        "scope": Filter("scope", Scope.values, description="范围代码"),
        "kind": Filter("kind", Kind.values, description="形式代码"),
        "q": Filter(("name__contains", "org__name__contains"), description="职代会名称或工会名称包含"),
    }
    field_labels = {"org": "组织编码", "scope": "范围", "kind": "形式", "q": "查找"}

    def base_queryset(self):
        return Congress.objects.select_related("org", "employer")

    @list_schema("职代会列表", filters, CongressSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="职代会详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class DelegateSerializer(serializers.ModelSerializer):
    congress_id = serializers.IntegerField(source="term.congress_id", help_text="职代会编号")
    org = OrgRef(source="term.congress.org", help_text="工会")
    term_id = serializers.IntegerField(help_text="届次编号")
    term_number = serializers.IntegerField(source="term.number", help_text="届次")
    gender_label = serializers.CharField(source="get_gender_display", help_text="性别（中文）")
    employer = EmployerRef(allow_null=True, help_text="所在单位（区域、行业职代会的代表）")

    class Meta:
        model = Delegate
        fields = ["id", "congress_id", "org", "term_id", "term_number", "name", "gender", "gender_label",
                  "constituency", "is_manager", "is_frontline", "employer"]
        read_only_fields = fields


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class DelegateViewSet(LineViewSet):
    """职工代表：按职代会或届次列出（与职代会页面的代表名单相同）。"""

    perm = VIEW
    serializer_class = DelegateSerializer
    page_name = "api.delegates"
    org_path = "term__congress__org__path"
    ordering = ("-pk",)
    orderings = {"constituency": ("term__number", "constituency")}  # the congress page's order
    filters = {
        "congress": Filter("term__congress_id", integer=True, description="职代会编号"),
        "term": Filter("term_id", integer=True, description="届次编号"),
        "gender": Filter("gender", Gender.values, description="性别：M 男，F 女"),
        "q": Filter(("name__startswith", "constituency__contains"), description="姓名开头或选区包含"),
    }
    field_labels = {"org": "组织编码", "congress": "职代会", "term": "届次", "gender": "性别", "q": "查找"}

    def base_queryset(self):
        return Delegate.objects.select_related("term__congress__org", "employer")

    @list_schema("职工代表列表", filters, DelegateSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="职工代表详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class SessionSerializer(serializers.ModelSerializer):
    """A congress session; motions and resolutions in the detail, 民主评议 results only with
    view_sensitive (access-logged, as on the congress page)."""

    org = OrgRef(help_text="工会")
    congress_id = serializers.IntegerField(help_text="职代会编号")
    congress_name = serializers.CharField(source="congress.name", help_text="职代会名称")
    term_number = serializers.IntegerField(source="term.number", help_text="届次")
    kind_label = serializers.CharField(source="get_kind_display", help_text="会议类型（中文）")
    has_quorum = serializers.BooleanField(help_text="到会代表达到法定人数")
    motions = serializers.SerializerMethodField(help_text="议案表决（仅详情）")
    resolutions = serializers.SerializerMethodField(help_text="决议（仅详情）")
    evaluations = serializers.SerializerMethodField(
        help_text="民主评议（仅详情，且仅有“查看民主评议结果”权限时；否则为 null）")

    class Meta:
        model = Session
        fields = ["id", "org", "congress_id", "congress_name", "term_id", "term_number", "number", "kind",
                  "kind_label", "held_on", "delegates_total", "delegates_present", "has_quorum", "note", "motions",
                  "resolutions", "evaluations"]
        read_only_fields = fields

    def get_motions(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": m.pk, "title": m.title, "held_on": m.held_on.isoformat(), "secret_ballot": m.secret_ballot,
                 "votes_for": m.votes_for, "votes_against": m.votes_against, "abstentions": m.abstentions,
                 "passed": m.passed} for m in obj.motions.all()]

    def get_resolutions(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": r.pk, "title": r.title, "adopted_on": r.adopted_on.isoformat(), "written": r.written}
                for r in obj.resolutions.all()]

    def get_evaluations(self, obj) -> list[dict] | None:
        if not _detail_only(self, "sensitive"):
            return None
        return [{"id": e.pk, "name": e.name, "position": e.position, "level": e.level,
                 "level_label": e.get_level_display(), "held_on": e.held_on.isoformat(), "excellent": e.excellent,
                 "competent": e.competent, "basic": e.basic, "incompetent": e.incompetent}
                for e in obj.evaluations.order_by("held_on", "level", "pk")]


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class SessionViewSet(DetailViewSet):
    """职代会会议：详情含议案表决和决议；民主评议结果仅对有权限者给出并留痕。"""

    serializer_class = SessionSerializer
    page_name = "api.congress_sessions"
    ordering = ("-held_on", "-pk")
    orderings = {"held_on": ("held_on",)}  # "-held_on" is the default order
    filters = {
        "congress": Filter("congress_id", integer=True, description="职代会编号"),
        "kind": Filter("kind", SessionKind.values, description="会议类型代码"),
        "held_from": Filter("held_on__gte", date=True, description="召开日期自"),
        "held_to": Filter("held_on__lte", date=True, description="召开日期至"),
    }
    field_labels = {"org": "组织编码", "congress": "职代会", "kind": "会议类型", "held_from": "召开日期自",
                    "held_to": "召开日期至"}

    def base_queryset(self):
        return Session.objects.select_related("org", "congress", "term")

    def detail_context(self, obj):
        ctx = super().detail_context(obj)
        if scope.has_perm(self.request.user, SENSITIVE, obj.org.path):
            ctx["sensitive"] = True
            if obj.evaluations.exists():  # the persons evaluated and their results: a full view, logged
                audit.log_access(user=self.request.user, kind="view", object_type="democracy.evaluation",
                                 object_id=str(obj.congress_id), fields=["name", "results"], org_path=obj.org.path)
        return ctx

    @list_schema("职代会会议列表", filters, SessionSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="职代会会议详情（带 ETag；有权限时含民主评议结果并留痕）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class DisclosureSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="工会")
    employer = EmployerRef(allow_null=True, help_text="用人单位")
    kind_label = serializers.CharField(source="get_kind_display", help_text="类别（中文）")
    form_label = serializers.CharField(source="get_form_display", help_text="公开形式（中文）")
    items = serializers.SerializerMethodField(help_text="公开事项（仅详情）")
    opinions = serializers.SerializerMethodField(help_text="职工意见及答复（仅详情）")

    class Meta:
        model = Disclosure
        fields = ["id", "org", "employer", "kind", "kind_label", "form", "form_label", "issue_no", "disclosed_on",
                  "title", "item_count", "items", "opinions"]
        read_only_fields = fields

    def get_items(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": i.pk, "category": i.category, "category_label": i.get_category_display(), "title": i.title}
                for i in obj.items.all()]

    def get_opinions(self, obj) -> list[dict] | None:
        if not _detail_only(self):
            return None
        return [{"id": o.pk, "raised_on": o.raised_on.isoformat(), "raised_by": o.raised_by, "content": o.content,
                 "due_on": o.due_on.isoformat(), "answered_on": o.answered_on.isoformat() if o.answered_on else None,
                 "answer": o.answer} for o in obj.opinions.all()]


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class DisclosureViewSet(DetailViewSet):
    """厂务公开、会务公开记录：列表与页面“公开记录”相同的筛选；详情含公开事项和意见。"""

    serializer_class = DisclosureSerializer
    page_name = "api.disclosures"
    ordering = ("-disclosed_on", "-pk")
    orderings = {"disclosed_on": ("disclosed_on",)}  # "-disclosed_on" is the default order
    filters = {
        "kind": Filter("kind", DisclosureKind.values, description="类别：workplace 厂务公开，union 会务公开"),
        "form": Filter("form", Form.values, description="公开形式代码"),
        "q": Filter(("title__contains", "org__name__contains", "employer__name__contains"),
                    description="标题、工会或单位名称包含"),
    }
    field_labels = {"org": "组织编码", "kind": "类别", "form": "公开形式", "q": "查找"}

    def base_queryset(self):
        return Disclosure.objects.select_related("org", "employer")

    @list_schema("公开记录列表", filters, DisclosureSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="公开记录详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class DisclosureSystemSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="工会")
    employer = EmployerRef(help_text="用人单位")

    class Meta:
        model = DisclosureSystem
        fields = ["id", "org", "employer", "established_on", "ended_on", "leader"]
        read_only_fields = fields


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class DisclosureSystemViewSet(LineViewSet):
    """厂务公开制度：各用人单位建立（及停止）厂务公开制度的记录。"""

    perm = VIEW
    serializer_class = DisclosureSystemSerializer
    page_name = "api.disclosure_systems"
    ordering = ("-established_on", "-pk")
    orderings = {"established_on": ("established_on",)}  # "-established_on" is the default order
    filters = {
        "employer": Filter("employer_id", integer=True, description="用人单位编号"),
        "current": Filter("ended_on", boolean=True, description="true：未停止的制度",
                          build=lambda on: Q(ended_on__isnull=True) if on else Q(ended_on__isnull=False)),
    }
    field_labels = {"org": "组织编码", "employer": "用人单位", "current": "未停止"}

    def base_queryset(self):
        return DisclosureSystem.objects.select_related("org", "employer")

    @list_schema("厂务公开制度列表", filters, DisclosureSystemSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="厂务公开制度详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


registry.register("proposals", ProposalViewSet)
registry.register("congresses", CongressViewSet)
registry.register("delegates", DelegateViewSet)
registry.register("congress-sessions", SessionViewSet)
registry.register("disclosures", DisclosureViewSet)
registry.register("disclosure-systems", DisclosureSystemViewSet)
