"""民主管理的接口：职代会（建立、撤销、届次、代表、代表名单确认、会议、议案表决、决议、职工董事监事、民主评议）、
提案（登记、立案、不立案、交办、答复、提案人反馈）、厂务公开和会务公开（公开记录、职工意见及答复、公开制度），
与页面读取同一范围、调用同一服务。

民主评议结果只在会议详情中、且仅对持有“查看民主评议结果”权限的用户给出，每次读取记入访问日志（与页面相同）。"""

from __future__ import annotations

from contextlib import contextmanager

from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

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
    pk_of,
)
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import audit, clock, scope
from gonghui.core.errors import ServiceError

from . import services
from .models import (
    BoardSeat,
    Category,
    Congress,
    Delegate,
    Disclosure,
    DisclosureKind,
    DisclosureSystem,
    EvalLevel,
    Feedback,
    Form,
    Gender,
    ItemCategory,
    Kind,
    Opinion,
    Proposal,
    ResultCode,
    Scope,
    Session,
    SessionKind,
    Status,
)
from .views import PROPOSAL_VIEWS, allowed_employers

VIEW, CHANGE, SENSITIVE = "democracy.view", "democracy.change", "democracy.view_sensitive"
ID = {"min_value": 1, "max_value": 2**53}


@contextmanager
def api_fields(**names):
    """A service's refusal naming the body's field: the services name a picked object (`session`),
    the API body its id (`session_id`)."""
    try:
        yield
    except ServiceError as err:
        err.field = names.get(err.field or "", err.field)
        raise


def picked(qs, pk, field: str, what: str):
    """The object the body names by id among `qs` (the rows the page's form offers), or a 400 naming the field."""
    if pk is None:
        return None
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Problem(f"未找到该{what}，或不在可选范围内。", field=field)
    return obj


def _text_field(max_length: int, help_text: str, **kw):
    return serializers.CharField(max_length=max_length, help_text=help_text, **kw)


def _optional_text(max_length: int, help_text: str):
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, default="",
                                 help_text=help_text)


def _optional_id(help_text: str):
    return serializers.IntegerField(**ID, required=False, allow_null=True, default=None, help_text=help_text)


def _count(help_text: str, **kw):
    return serializers.IntegerField(min_value=0, max_value=10**6, help_text=help_text, **kw)


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


class ProposalAcceptInput(serializers.Serializer):
    decided_on = Day(help_text="审查（立案）日期")


class ProposalRejectInput(ProposalAcceptInput):
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


class ProposalFileInput(serializers.Serializer):
    congress_id = serializers.IntegerField(**ID, help_text="职代会编号（您可办理的职代会）")
    title = _text_field(200, "案由")
    content = _text_field(5000, "理由和建议")
    category = serializers.ChoiceField(choices=Category.choices, help_text="类别")
    proposer_id = serializers.IntegerField(**ID, help_text="提案人（本职代会职工代表的编号）")
    cosigner_ids = serializers.ListField(child=serializers.IntegerField(**ID), max_length=200, required=False,
                                         default=list, help_text="附议人（本职代会职工代表的编号）")
    filed_on = Day(help_text="提出日期")
    session_id = _optional_id("提出提案的会议编号（可不填）")


class FeedbackInput(serializers.Serializer):
    delegate_id = serializers.IntegerField(**ID, help_text="反馈人（提案人本人，职工代表编号）")
    feedback = serializers.ChoiceField(choices=Feedback.choices, help_text="提案人意见")
    feedback_on = Day(help_text="反馈日期")
    note = _optional_text(500, "反馈说明")


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class ProposalViewSet(LineViewSet):
    """职代会提案：列表与页面“提案”相同的视图和筛选；审查、交办、答复为动作接口。"""

    perm = "democracy.view"
    perms = {a: CHANGE for a in ("create", "accept", "reject", "assign", "answer", "feedback")}
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
                    "result_code": "办理结果", "congress_id": "职代会", "title": "案由", "content": "理由和建议",
                    "proposer_id": "提案人", "cosigner_ids": "附议人", "filed_on": "提出日期", "session_id": "会议",
                    "number": "提案编号", "delegate_id": "反馈人", "feedback": "提案人意见", "feedback_on": "反馈日期",
                    "note": "反馈说明"}

    def base_queryset(self):
        return Proposal.objects.select_related("org", "congress", "proposer")

    @create_schema("登记提案（编号按年自动编排）", ProposalFileInput, ProposalSerializer, examples=[OpenApiExample(
        "工资提案", request_only=True, value={"congress_id": 1, "title": "关于提高夜班津贴的提案", "content": "夜班津贴多年未调整。",
                                        "category": "pay", "proposer_id": 3, "cosigner_ids": [4, 5],
                                        "filed_on": "2026-03-02"})])
    def create(self, request, *args, **kwargs):
        d = body(ProposalFileInput, request)
        congress = picked(scope.visible(Congress.objects.select_related("org"), request.user, CHANGE),
                          d.pop("congress_id"), "congress_id", "职代会")
        delegates = Delegate.objects.filter(term__congress=congress).select_related("term")  # the page's choices
        proposer = picked(delegates, d.pop("proposer_id"), "proposer_id", "职工代表")
        ids = list(dict.fromkeys(d.pop("cosigner_ids")))
        cosigners = list(delegates.filter(pk__in=ids))
        if len(cosigners) != len(ids):
            raise Problem("有附议人不是本职代会的职工代表。", field="cosigner_ids")
        session = picked(congress.sessions.all(), d.pop("session_id"), "session_id", "会议")
        with api_fields(proposer="proposer_id", cosigners="cosigner_ids", session="session_id"):
            p = services.proposal_file(actor=request.user, congress=congress, proposer=proposer, cosigners=cosigners,
                                       session=session, **d)
        return self.respond(self.found(p), 201)

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

    accept = step(services.proposal_accept, ProposalAcceptInput, "立案", "proposal", ProposalSerializer, name="accept")
    reject = step(services.proposal_reject, ProposalRejectInput, "不立案（转为意见建议）", "proposal", ProposalSerializer,
                  name="reject")
    assign = step(services.proposal_assign, AssignInput, "交办", "proposal", ProposalSerializer, name="assign")
    answer = step(services.proposal_answer, AnswerInput, "书面答复", "proposal", ProposalSerializer, name="answer")

    @extend_schema(summary="提案人对答复的意见（办结）", request=FeedbackInput, responses={200: ProposalSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        p = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(FeedbackInput, request)
        delegate = picked(Delegate.objects.filter(term__congress_id=p.congress_id), d.pop("delegate_id"),
                          "delegate_id", "职工代表")
        with api_fields(delegate="delegate_id"):
            services.proposal_feedback(actor=request.user, proposal=p, delegate=delegate, **d)
        return self.respond(self.found(p))


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
                 "list_status_label": t.get_list_status_display(), "delegates": t.delegates.count(),
                 "violations": t.violations}
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


class CongressCreateInput(serializers.Serializer):
    org_code = _text_field(40, "工作机构（工会）编码，您可办理的组织")
    name = _text_field(200, "名称，如：某公司第三届职工代表大会")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, default=Kind.CONGRESS, help_text="形式")
    scope_kind = serializers.ChoiceField(choices=Scope.choices, required=False, default=Scope.ENTERPRISE,
                                         help_text="范围")
    established_on = Day(help_text="建立日期")
    employer_id = _optional_id("用人单位编号（单个企业的职代会；该工会覆盖或其区域内登记的单位）")
    employer_ids = serializers.ListField(child=serializers.IntegerField(**ID), max_length=500, required=False,
                                         default=list, help_text="覆盖单位编号（区域性、行业性职代会）")


class CongressEndInput(serializers.Serializer):
    ended_on = Day(help_text="撤销日期")


class TermOpenInput(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=1000, help_text="届次")
    started_on = Day(help_text="本届起始日期")
    ends_on = Day(help_text="届满日期")
    staff = serializers.IntegerField(min_value=1, max_value=10**7, help_text="职工人数")
    women_staff = serializers.IntegerField(min_value=0, max_value=10**7, required=False, default=0,
                                           help_text="女职工人数")


class DelegateAddInput(serializers.Serializer):
    name = _text_field(50, "姓名")
    gender = serializers.ChoiceField(choices=Gender.choices, help_text="性别：M 男，F 女")
    constituency = _text_field(100, "选区")
    is_manager = serializers.BooleanField(required=False, default=False, help_text="中高级管理人员")
    is_frontline = serializers.BooleanField(required=False, default=False, help_text="一线职工")


class DelegateRemoveInput(serializers.Serializer):
    delegate_id = serializers.IntegerField(**ID, help_text="要删除的职工代表编号（职工代表接口的 id）")


class TermConfirmInput(serializers.Serializer):
    term_id = serializers.IntegerField(**ID, help_text="届次编号（最新一届；确认的是它的代表名单）")


class SessionRecordInput(serializers.Serializer):
    held_on = Day(help_text="召开日期（应在某一届的任期内）")
    kind = serializers.ChoiceField(choices=SessionKind.choices, required=False, default=SessionKind.REGULAR,
                                   help_text="会议类型")
    delegates_present = _count("实到代表人数")
    note = _optional_text(5000, "会议议程")


class ResolutionInput(serializers.Serializer):
    title = _text_field(200, "决议名称")
    adopted_on = Day(help_text="通过日期")
    session_id = _optional_id("通过决议的会议编号（会议期间的决议）")
    written = serializers.BooleanField(required=False, default=False, help_text="书面决议（闭会期间，不填会议）")


class BoardMemberInput(serializers.Serializer):
    seat = serializers.ChoiceField(choices=BoardSeat.choices, help_text="职务")
    name = _text_field(50, "姓名")
    elected_on = Day(help_text="当选日期")
    session_id = _optional_id("选举会议编号（可不填）")
    ends_on = Day(required=False, allow_null=True, default=None, help_text="任期届满日期")


CONGRESS_ACTIONS = ("create", "end", "terms", "delegates", "remove_delegate", "confirm", "sessions", "resolutions", "board_members")


class DetailViewSet(LineViewSet):
    """A read resource whose detail adds the nested rows the detail page shows."""

    perm = VIEW

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class CongressViewSet(DetailViewSet):
    """职工代表大会：列表与页面“职代会”相同的筛选；详情含届次、覆盖单位、职工董事监事和书面决议。"""

    serializer_class = CongressSerializer
    perms = {a: CHANGE for a in CONGRESS_ACTIONS}
    page_name = "api.congresses"
    ordering = ("-established_on", "-pk")
    orderings = {"established_on": ("established_on",)}  # "-established_on" is the default order
    filters = {
        "scope": Filter("scope", Scope.values, description="范围代码"),
        "kind": Filter("kind", Kind.values, description="形式代码"),
        "q": Filter(("name__contains", "org__name__contains"), description="职代会名称或工会名称包含"),
    }
    field_labels = {"org": "组织编码", "scope": "范围", "kind": "形式", "q": "查找", "org_code": "工会编码",
                    "name": "名称", "scope_kind": "范围", "established_on": "建立日期", "employer_id": "用人单位",
                    "employer_ids": "覆盖单位", "ended_on": "撤销日期", "number": "届次", "started_on": "本届起始日期",
                    "ends_on": "届满日期", "staff": "职工人数", "women_staff": "女职工人数", "gender": "性别",
                    "constituency": "选区", "is_manager": "中高级管理人员", "is_frontline": "一线职工",
                    "term_id": "届次", "held_on": "召开日期", "delegates_present": "实到代表", "note": "会议议程",
                    "title": "名称", "adopted_on": "通过日期", "session_id": "会议", "written": "书面决议",
                    "seat": "职务", "elected_on": "当选日期", "delegate_id": "职工代表"}

    def base_queryset(self):
        return Congress.objects.select_related("org", "employer")

    def _congress(self, pk) -> Congress:
        return self.get_object_from(self.scoped(CHANGE), pk_of(pk))

    def _done(self, c: Congress):
        return self.respond(self.found(c))

    @create_schema("建立职代会（职工大会）", CongressCreateInput, CongressSerializer, examples=[OpenApiExample(
        "单个企业", request_only=True, value={"org_code": "A1", "name": "甲一公司第一届职工代表大会", "kind": "congress",
                                          "scope_kind": "enterprise", "established_on": "2026-01-10",
                                          "employer_id": 3})])
    def create(self, request, *args, **kwargs):
        d = body(CongressCreateInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        employers = allowed_employers(org, clock.today())  # as the page's form offers them
        employer = picked(employers, d.pop("employer_id"), "employer_id", "用人单位")
        ids = list(dict.fromkeys(d.pop("employer_ids")))
        covered = list(employers.filter(pk__in=ids))
        if len(covered) != len(ids):
            raise Problem("有覆盖单位未找到，或不是该工会覆盖（或其区域内登记）的单位。", field="employer_ids")
        with api_fields(employer="employer_id", employers="employer_ids"):
            c = services.congress_create(actor=request.user, org=org, employer=employer, employers=covered, **d)
        return self.respond(self.found(c), 201)

    end = step(services.congress_end, CongressEndInput, "撤销职代会", "congress", CongressSerializer, name="end")
    terms = step(services.term_open, TermOpenInput, "登记新一届", "congress", CongressSerializer, name="terms")

    @extend_schema(summary="增加职工代表（最新一届；代表名单回到草稿，需重新确认）", request=DelegateAddInput,
                   responses={200: CongressSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def delegates(self, request, pk=None):
        c = self._congress(pk)
        d = body(DelegateAddInput, request)
        term = c.terms.order_by("-number").first()  # the page adds to the newest term
        if term is None:
            raise Problem("该职代会尚未登记届次，请先登记届次。")
        services.delegate_add(actor=request.user, term=term, **d)
        return self._done(c)

    @extend_schema(summary="删除职工代表（已提出提案的不能删除；代表名单回到草稿，需重新确认）", request=DelegateRemoveInput,
                   responses={200: CongressSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="remove_delegate")
    def remove_delegate(self, request, pk=None):
        c = self._congress(pk)
        d = body(DelegateRemoveInput, request)
        delegate = picked(Delegate.objects.filter(term__congress=c).select_related("term__congress__org"),
                          d["delegate_id"], "delegate_id", "职工代表")
        with api_fields(delegate="delegate_id"):
            services.delegate_remove(actor=request.user, delegate=delegate)
        return self._done(c)

    @extend_schema(summary="核对并确认代表名单（不符合规定时存为草稿，届次中列出违反的规定）", request=TermConfirmInput,
                   responses={200: CongressSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        c = self._congress(pk)
        d = body(TermConfirmInput, request)
        term = c.terms.order_by("-number").first()
        if term is None or term.pk != d["term_id"]:
            raise Problem("只能确认该职代会最新一届的代表名单。", field="term_id")
        services.delegates_confirm(actor=request.user, term=term)
        return self._done(c)

    sessions = step(services.session_record, SessionRecordInput, "登记会议（应到代表取自该届代表名单）", "congress",
                    CongressSerializer, name="sessions")

    @extend_schema(summary="登记决议（会议期间的，或闭会期间的书面决议）", request=ResolutionInput,
                   responses={200: CongressSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resolutions(self, request, pk=None):
        c = self._congress(pk)
        d = body(ResolutionInput, request)
        session = picked(c.sessions.all(), d.pop("session_id"), "session_id", "会议")
        with api_fields(session="session_id"):
            services.resolution_adopt(actor=request.user, congress=c, session=session, **d)
        return self._done(c)

    @extend_schema(summary="登记职工董事、职工监事", request=BoardMemberInput,
                   responses={200: CongressSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="board_members")
    def board_members(self, request, pk=None):
        c = self._congress(pk)
        d = body(BoardMemberInput, request)
        session = picked(c.sessions.all(), d.pop("session_id"), "session_id", "会议")
        with api_fields(session="session_id"):
            services.board_member_elect(actor=request.user, congress=c, session=session, **d)
        return self._done(c)

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


class MotionInput(serializers.Serializer):
    title = _text_field(200, "议案名称")
    votes_for = _count("赞成（通过须超过全体代表的半数）")
    votes_against = _count("反对", required=False, default=0)
    abstentions = _count("弃权", required=False, default=0)
    secret_ballot = serializers.BooleanField(required=False, default=False, help_text="无记名投票")


class EvaluationInput(serializers.Serializer):
    name = _text_field(50, "被评议人")
    position = _text_field(100, "职务")
    level = serializers.ChoiceField(choices=EvalLevel.choices, help_text="层级")
    excellent = _count("优秀（票）", required=False, default=0)
    competent = _count("称职（票）", required=False, default=0)
    basic = _count("基本称职（票）", required=False, default=0)
    incompetent = _count("不称职（票）", required=False, default=0)


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class SessionViewSet(DetailViewSet):
    """职代会会议：详情含议案表决和决议；民主评议结果仅对有权限者给出并留痕。"""

    serializer_class = SessionSerializer
    perms = {"motions": CHANGE, "evaluations": CHANGE}
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
                    "held_to": "召开日期至", "title": "议案名称", "votes_for": "赞成", "votes_against": "反对",
                    "abstentions": "弃权", "secret_ballot": "无记名投票", "session": "会议", "name": "被评议人",
                    "position": "职务", "level": "层级", "excellent": "优秀", "competent": "称职", "basic": "基本称职",
                    "incompetent": "不称职"}

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

    motions = step(services.motion_vote, MotionInput, "登记议案表决（须达到法定人数）", "session", SessionSerializer,
                   name="motions")
    evaluations = step(services.evaluation_record, EvaluationInput, "登记民主评议（结果仅对有权限者给出）", "session",
                       SessionSerializer, name="evaluations")


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


class DisclosureItemInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=ItemCategory.choices, help_text="内容类别")
    title = _text_field(200, "事项")


class DisclosureRecordInput(serializers.Serializer):
    org_code = _text_field(40, "工会编码，您可办理的组织")
    kind = serializers.ChoiceField(choices=DisclosureKind.choices, help_text="类别：workplace 厂务公开，union 会务公开")
    employer_id = _optional_id("用人单位编号（厂务公开必填；该工会覆盖或其区域内登记的单位）")
    form = serializers.ChoiceField(choices=Form.choices, help_text="公开形式")
    issue_no = serializers.IntegerField(min_value=1, max_value=10**4, help_text="期号（每年按形式编排）")
    disclosed_on = Day(help_text="公开日期")
    title = _text_field(200, "标题")
    items = DisclosureItemInput(many=True, help_text="公开事项（至少一项）")


class OpinionInput(serializers.Serializer):
    raised_on = Day(help_text="提出日期")
    raised_by = _text_field(100, "提出人")
    content = _text_field(5000, "意见内容")


class OpinionAnswerInput(serializers.Serializer):
    opinion_id = serializers.IntegerField(**ID, help_text="意见编号（该公开记录下未答复的意见）")
    answered_on = Day(help_text="答复日期")
    answer = _text_field(5000, "答复")


@extend_schema(tags=["民主管理"], responses={**ERRORS})
class DisclosureViewSet(DetailViewSet):
    """厂务公开、会务公开记录：列表与页面“公开记录”相同的筛选；详情含公开事项和意见。"""

    serializer_class = DisclosureSerializer
    perms = {"create": CHANGE, "opinions": CHANGE, "reply": CHANGE}
    page_name = "api.disclosures"
    ordering = ("-disclosed_on", "-pk")
    orderings = {"disclosed_on": ("disclosed_on",)}  # "-disclosed_on" is the default order
    filters = {
        "kind": Filter("kind", DisclosureKind.values, description="类别：workplace 厂务公开，union 会务公开"),
        "form": Filter("form", Form.values, description="公开形式代码"),
        "q": Filter(("title__contains", "org__name__contains", "employer__name__contains"),
                    description="标题、工会或单位名称包含"),
    }
    field_labels = {"org": "组织编码", "kind": "类别", "form": "公开形式", "q": "查找", "org_code": "工会编码",
                    "employer_id": "用人单位", "issue_no": "期号", "disclosed_on": "公开日期", "title": "标题",
                    "items": "公开事项", "raised_on": "提出日期", "raised_by": "提出人", "content": "意见内容",
                    "opinion_id": "意见", "answered_on": "答复日期", "answer": "答复"}

    def base_queryset(self):
        return Disclosure.objects.select_related("org", "employer")

    @create_schema("登记厂务公开或会务公开（一期及其公开事项）", DisclosureRecordInput, DisclosureSerializer,
                   examples=[OpenApiExample("季度厂务公开", request_only=True, value={
                       "org_code": "A1", "kind": "workplace", "employer_id": 3, "form": "board", "issue_no": 1,
                       "disclosed_on": "2026-04-01", "title": "2026年第一季度厂务公开",
                       "items": [{"category": "operations", "title": "生产经营情况"}]})])
    def create(self, request, *args, **kwargs):
        d = body(DisclosureRecordInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        employer = picked(allowed_employers(org, clock.today()), d.pop("employer_id"), "employer_id", "用人单位")
        items = [(i["category"], i["title"]) for i in d.pop("items")]
        with api_fields(employer="employer_id"):
            rec = services.disclosure_record(actor=request.user, org=org, employer=employer, items=items, **d)
        return self.respond(self.found(rec), 201)

    opinions = step(services.opinion_raise, OpinionInput, "登记职工意见（答复期限按设置）", "disclosure",
                    DisclosureSerializer, name="opinions")

    @extend_schema(summary="答复职工意见", request=OpinionAnswerInput, responses={200: DisclosureSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        rec = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(OpinionAnswerInput, request)
        opinion = picked(Opinion.objects.filter(disclosure=rec, answered_on__isnull=True).select_related("org"),
                         d.pop("opinion_id"), "opinion_id", "未答复的意见")
        services.opinion_answer(actor=request.user, opinion=opinion, **d)
        return self.respond(self.found(rec))

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
