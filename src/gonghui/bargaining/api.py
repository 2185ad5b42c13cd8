"""集体协商的接口：集体合同（列表、详情、启动协商、协商代表的增删与各步骤的动作、主要条款、签字文本扫描件的上传与下载地址、续订），
协商代表、办理经过、协商会议、职代会审议和履约检查（列表、详情），与页面读取同一范围、调用同一服务。"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser

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
    pk_of,
    read_serializer,
    read_viewset,
)
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import clock, scope
from gonghui.core.errors import ServiceError
from gonghui.democracy.models import Session
from gonghui.orgs.selectors import employers_for

from . import services
from .models import (
    Contract,
    ContractEvent,
    ContractType,
    Inspection,
    Meeting,
    Representative,
    Scope,
    Side,
    Status,
    Vote,
)
from .views import VIEWS


class PartySerializer(serializers.Serializer):
    employer_id = serializers.IntegerField(help_text="用人单位编号")
    name = serializers.CharField(source="employer.name", help_text="用人单位名称")
    employees = serializers.IntegerField(help_text="职工人数")
    women = serializers.IntegerField(help_text="女职工人数")
    migrants = serializers.IntegerField(help_text="农民工人数")


class ContractSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="所属工会")
    contract_type_label = serializers.CharField(source="get_contract_type_display", help_text="合同类型（中文）")
    scope_label = serializers.CharField(source="get_scope_display", help_text="合同范围（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    parties = PartySerializer(many=True, help_text="合同覆盖的用人单位")
    previous_id = serializers.IntegerField(allow_null=True, help_text="续订前的上一份合同编号")
    has_attachment = serializers.SerializerMethodField(help_text="已上传签字文本扫描件")
    download_url = serializers.SerializerMethodField(help_text="签字文本扫描件的下载地址（页面的链接，需登录系统）；"
                                                               "未上传时为 null")
    representatives = serializers.SerializerMethodField(help_text="协商代表（仅详情）")
    events = serializers.SerializerMethodField(help_text="办理经过（仅详情）")

    class Meta:
        model = Contract
        fields = ["id", "org", "contract_type", "contract_type_label", "scope", "scope_label", "title", "year",
                  "employer_party", "worker_party", "status", "status_label", "opened_on", "next_due_on",
                  "offer_side", "offered_on", "reply_due_on", "replied_on", "prepared_on", "draft_agreed_on",
                  "signed_on", "filing_due_on", "filed_on", "department", "effective_on", "publish_due_on",
                  "published_on", "start_on", "end_on", "terminated_on", "termination_reason",
                  "employees_covered", "women_covered", "migrants_covered", "wage_increase_pct", "lowest_wage",
                  "avg_wage", "women_clauses", "terms_note", "previous_id", "has_attachment", "download_url", "parties",
                  "representatives", "events"]
        read_only_fields = fields

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment)

    def get_download_url(self, obj) -> str | None:
        if not obj.attachment:
            return None
        return page_link(self, "bargaining:attachment", obj.pk, perm="bargaining.view", path=obj.org.path)

    def get_representatives(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return [{"id": r.pk, "side": r.side, "side_label": r.get_side_display(), "name": r.name,
                 "position": r.position, "is_chief": r.is_chief, "is_external": r.is_external, "method": r.method,
                 "method_label": r.get_method_display()} for r in obj.representatives.all()]

    def get_events(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return [{"on": e.on.isoformat(), "action": e.label, "from_status": e.from_status, "to_status": e.to_status,
                 "note": e.note, "actor_name": e.actor_name} for e in obj.events.all()]


class OpenInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="主持协商的工会（或区域、行业工会）的组织编码")
    contract_type = serializers.ChoiceField(choices=ContractType.choices, help_text="合同类型")
    scope_kind = serializers.ChoiceField(choices=Scope.choices, required=False, default=Scope.ENTERPRISE,
                                         help_text="合同范围")
    title = serializers.CharField(max_length=200, help_text="合同名称")
    opened_on = Day(help_text="启动日期")
    employer_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**53),
                                         min_length=1, max_length=500, help_text="合同覆盖的用人单位编号")


class RepresentativeInput(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices, help_text="一方：workers 职工方，employer 企业方")
    name = serializers.CharField(max_length=50, help_text="姓名")
    position = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="职务")
    is_chief = serializers.BooleanField(required=False, default=False, help_text="首席代表")
    is_external = serializers.BooleanField(required=False, default=False, help_text="外聘人员")


class OfferInput(serializers.Serializer):
    side = serializers.ChoiceField(choices=Side.choices, help_text="要约方")
    offered_on = Day(help_text="要约日期")
    topics = serializers.CharField(max_length=2000, help_text="协商议题")


class ContractReplyInput(serializers.Serializer):
    replied_on = Day(help_text="回应日期")
    accepted = serializers.BooleanField(help_text="是否接受协商")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                 help_text="说明（拒绝时必填理由）")


class SignInput(serializers.Serializer):
    signed_on = Day(help_text="签字日期")
    start_on = Day(help_text="期限起")
    end_on = Day(help_text="期限止")


class FileInput(serializers.Serializer):
    filed_on = Day(help_text="报送日期")
    department = serializers.CharField(max_length=100, help_text="审查机关")
    accepted_no = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                        help_text="受理编号")
    accepted_on = Day(required=False, allow_null=True, default=None, help_text="受理日期")


class ContractApproveInput(serializers.Serializer):
    approved_on = Day(help_text="生效日期")
    review_no = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                      help_text="审查意见书编号")


class PublishInput(serializers.Serializer):
    published_on = Day(help_text="公布日期")
    method = serializers.CharField(max_length=100, help_text="公布方式")
    upper_filed_on = Day(required=False, allow_null=True, default=None,
                                           help_text="上级工会备案日期")


class PrepareInput(serializers.Serializer):
    prepared_on = Day(help_text="准备完成日期")
    recorder = serializers.CharField(max_length=50, help_text="记录员（双方共同指定的非协商代表）")
    topics = serializers.CharField(max_length=2000, help_text="协商议题")
    prev_revenue = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                            default=None, help_text="上年营业收入（万元），字符串")
    prev_profit = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                           default=None, help_text="上年净利润（万元），字符串")
    prev_wage_total = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                               default=None, help_text="上年职工工资总额（万元），字符串")
    prev_avg_wage = serializers.DecimalField(max_digits=10, decimal_places=2, required=False, allow_null=True,
                                             default=None, help_text="上年职工平均工资（元/月），字符串")


class MeetingInput(serializers.Serializer):
    held_on = Day(help_text="会议日期")
    chair_side = serializers.ChoiceField(choices=Side.choices, help_text="主持方：双方首席代表轮流主持，首次由要约方主持")
    attendees = serializers.CharField(max_length=2000, help_text="出席人员")
    minutes = serializers.CharField(max_length=20000, help_text="会议记录")
    outcome = serializers.ChoiceField(choices=Meeting.Outcome.choices, help_text="结果")
    next_on = Day(required=False, allow_null=True, default=None, help_text="下次协商日期（中止协商时必填）")


class VoteInput(serializers.Serializer):
    session_id = serializers.IntegerField(min_value=1, max_value=2**53, required=False, allow_null=True, default=None,
                                          help_text="职代会会议编号（民主管理中登记的、合同所涉单位的会议；给出时日期和人数取自会议）")
    held_on = Day(required=False, allow_null=True, default=None, help_text="审议日期（无会议编号时必填）")
    body = serializers.ChoiceField(choices=Vote.Body.choices, required=False, default=Vote.Body.CONGRESS,
                                   help_text="审议机构")
    total = serializers.IntegerField(min_value=1, max_value=10**6, required=False, allow_null=True, default=None,
                                     help_text="应到代表（职工）人数")
    present = serializers.IntegerField(min_value=0, max_value=10**6, required=False, allow_null=True, default=None,
                                       help_text="实到人数")
    votes_for = serializers.IntegerField(min_value=0, max_value=10**6, help_text="赞成")
    votes_against = serializers.IntegerField(min_value=0, max_value=10**6, required=False, default=0, help_text="反对")
    abstentions = serializers.IntegerField(min_value=0, max_value=10**6, required=False, default=0, help_text="弃权")


class ObjectInput(serializers.Serializer):
    objection_on = Day(help_text="异议日期（审查意见书的日期）")
    note = serializers.CharField(max_length=2000, help_text="审查意见")
    review_no = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                      help_text="审查意见书编号")


class InspectInput(serializers.Serializer):
    checked_on = Day(help_text="检查日期")
    items_checked = serializers.IntegerField(min_value=1, max_value=10**4, help_text="检查条款数")
    items_fulfilled = serializers.IntegerField(min_value=0, max_value=10**4, help_text="已兑现条款数")
    findings = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                     help_text="检查情况")


class TerminateInput(serializers.Serializer):
    terminated_on = Day(help_text="终止日期")
    reason = serializers.CharField(max_length=200, help_text="终止原因")


class AbandonInput(serializers.Serializer):
    on = Day(help_text="终止协商日期")
    reason = serializers.CharField(max_length=200, help_text="终止协商的原因")


class TermsInput(serializers.Serializer):
    """The key terms as the page's form takes them: the whole set at once (a blank money field clears it)."""

    wage_increase_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True,
                                                 default=None, help_text="工资增长幅度（%，-50 至 200）")
    lowest_wage = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False,
                                           allow_null=True, default=None, help_text="最低工资（元/月）")
    avg_wage = serializers.DecimalField(max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True,
                                        default=None, help_text="平均工资水平（元/月）")
    employees_covered = serializers.IntegerField(min_value=0, max_value=10**7, help_text="覆盖职工人数")
    women_covered = serializers.IntegerField(min_value=0, max_value=10**7, help_text="覆盖女职工人数")
    migrants_covered = serializers.IntegerField(min_value=0, max_value=10**7, help_text="覆盖农民工人数")
    women_clauses = serializers.ListField(child=serializers.CharField(max_length=50), max_length=50, required=False,
                                          default=list, help_text="女职工条款（设置中的条款名称）")
    terms_note = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="",
                                       help_text="其他主要条款")


class AttachInput(serializers.Serializer):
    upload = serializers.FileField(help_text="签字文本扫描件：PDF 或 JPG、PNG，不超过 20 MB（multipart/form-data）")


class RepresentativeRemoveInput(serializers.Serializer):
    representative_id = serializers.IntegerField(min_value=1, max_value=2**53,
                                                 help_text="要删除的协商代表编号（协商代表接口的 id）")


class RenewInput(serializers.Serializer):
    opened_on = Day(help_text="续订协商的启动日期")


CHANGE = "bargaining.change"
ACTIONS = ("create", "representatives", "remove_representative", "offer", "reply", "prepare", "meetings", "vote", "sign", "file", "object",
           "approve", "publish", "inspections", "terminate", "abandon", "terms", "attach", "renew")


@extend_schema(tags=["集体协商"], responses={**ERRORS})
class ContractViewSet(LineViewSet):
    """集体合同：列表与页面“集体协商”相同的视图和筛选；协商各步骤为动作接口。"""

    perm = "bargaining.view"
    perms = {a: CHANGE for a in ACTIONS}
    serializer_class = ContractSerializer
    page_name = "api.contracts"
    orderings = {"opened_on": ("opened_on",)}  # else each view's own order (newest first for "all")
    filters = {
        "type": Filter("contract_type", ContractType.values, description="合同类型代码"),
        "status": Filter("status", Status.values, description="状态代码"),
        "q": Filter(("title__contains", "employer_party__contains", "org__name__contains"),
                    description="合同名称、企业方或工会名称包含"),
    }
    field_labels = {"org": "组织编码", "view": "视图", "type": "合同类型", "status": "状态", "q": "查找",
                    "org_code": "工会编码", "contract_type": "合同类型", "scope_kind": "合同范围", "title": "合同名称",
                    "opened_on": "启动日期", "employer_ids": "用人单位", "employers": "用人单位", "side": "一方",
                    "name": "姓名", "position": "职务", "is_chief": "首席代表", "is_external": "外聘人员",
                    "offered_on": "要约日期", "topics": "协商议题", "replied_on": "回应日期", "accepted": "接受协商",
                    "note": "说明", "signed_on": "签字日期", "start_on": "期限起", "end_on": "期限止",
                    "filed_on": "报送日期", "department": "审查机关", "accepted_no": "受理编号",
                    "accepted_on": "受理日期", "approved_on": "生效日期", "review_no": "审查意见书编号",
                    "published_on": "公布日期", "method": "公布方式", "upper_filed_on": "上级工会备案日期",
                    "terminated_on": "终止日期", "reason": "原因", "on": "日期", "prepared_on": "准备完成日期",
                    "recorder": "记录员", "prev_revenue": "上年营业收入", "prev_profit": "上年净利润",
                    "prev_wage_total": "上年职工工资总额", "prev_avg_wage": "上年职工平均工资", "held_on": "日期",
                    "chair_side": "主持方", "attendees": "出席人员", "minutes": "会议记录", "outcome": "结果",
                    "next_on": "下次协商日期", "session_id": "职代会会议", "session": "职代会会议",
                    "body": "审议机构", "total": "应到人数", "present": "实到人数", "votes_for": "赞成",
                    "votes_against": "反对", "abstentions": "弃权", "objection_on": "异议日期",
                    "checked_on": "检查日期", "items_checked": "检查条款数", "items_fulfilled": "已兑现条款数",
                    "findings": "检查情况", "wage_increase_pct": "工资增长幅度", "lowest_wage": "最低工资",
                    "avg_wage": "平均工资水平", "employees_covered": "覆盖职工人数", "women_covered": "覆盖女职工人数",
                    "migrants_covered": "覆盖农民工人数", "women_clauses": "女职工条款", "terms_note": "其他主要条款",
                    "upload": "签字文本扫描件", "representative_id": "协商代表"}

    def base_queryset(self):
        return Contract.objects.select_related("org")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("parties__employer")

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}

    def filter_list(self, qs):
        view = self.request.query_params.get("view") or "all"
        if view not in VIEWS:
            raise Problem(f"可选值为：{'、'.join(VIEWS)}。", field="view")
        today = clock.today()
        qs = super().filter_list(qs).filter(VIEWS[view][1](today))
        order = ("next_due_on", "pk") if view in ("overdue", "negotiating") else (
            ("end_on", "pk") if view == "expiring" else ("-opened_on", "-pk"))
        return qs.order_by(*order)

    @list_schema("集体合同列表", filters, ContractSerializer, [OpenApiParameter(
        "view", str, enum=list(VIEWS), description="视图：negotiating 协商中，overdue 步骤逾期，in_force 有效合同，"
                                                   "expiring 三个月内到期，all 全部")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="集体合同详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("启动集体协商", OpenInput, ContractSerializer, examples=[OpenApiExample("工资专项", request_only=True, value={
        "org_code": "A1", "contract_type": "wage", "title": "2027年度工资专项集体协议", "opened_on": "2026-12-01",
        "employer_ids": [3]})])
    def create(self, request, *args, **kwargs):
        d = body(OpenInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        ids = list(dict.fromkeys(d.pop("employer_ids")))
        employers = list(employers_for(request.user, "employers.view").filter(pk__in=ids))
        if len(employers) != len(ids):
            raise Problem("有用人单位未找到，或不在您的查看范围内。", field="employer_ids")
        c = services.contract_open(actor=request.user, org=org, employers=employers, **d)
        return self.respond(self.found(c), 201)

    representatives = step(services.representative_add, RepresentativeInput, "增加协商代表", "contract",
                                 ContractSerializer, name="representatives")
    offer = step(services.contract_offer, OfferInput, "发出协商要约", "contract", ContractSerializer)
    reply = step(services.contract_reply, ContractReplyInput, "记录要约回应", "contract", ContractSerializer)
    prepare = step(services.contract_prepare, PrepareInput, "记录协商准备", "contract", ContractSerializer)
    meetings = step(services.meeting_add, MeetingInput, "记录协商会议（轮次自动编号）", "contract", ContractSerializer,
                    name="meetings")

    @extend_schema(summary="记录职代会（职工大会）审议表决", request=VoteInput,
                   responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        c = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(VoteInput, request)
        session = None
        if (session_id := d.pop("session_id")) is not None:
            # As the page offers them: sessions the user may record in 民主管理 (the service checks the employers).
            session = scope.visible(Session.objects.filter(pk=session_id), request.user, "democracy.change").first()
            if session is None:
                raise Problem("未找到该职代会会议，或不在您的办理范围内。", field="session_id")
        services.vote_record(actor=request.user, contract=c, session=session, **d)
        return self.respond(self.found(c))

    sign = step(services.contract_sign, SignInput, "集体合同签字", "contract", ContractSerializer)
    file = step(services.contract_file, FileInput, "报送人社部门审查", "contract", ContractSerializer)
    object = step(services.contract_object, ObjectInput, "审查机关提出异议（重新协商）", "contract", ContractSerializer,
                  name="object")
    approve = step(services.contract_approve, ContractApproveInput, "确认合同生效", "contract", ContractSerializer)
    publish = step(services.contract_publish, PublishInput, "向职工公布", "contract", ContractSerializer)
    inspections = step(services.inspection_record, InspectInput, "登记履约检查", "contract", ContractSerializer,
                       name="inspections")
    terminate = step(services.contract_terminate, TerminateInput, "终止集体合同", "contract", ContractSerializer)
    terms = step(services.contract_update_terms, TermsInput, "填写主要条款（公布后的更正留痕）", "contract",
                 ContractSerializer, name="terms")

    @extend_schema(summary="删除协商代表（要约发出前；与页面的删除按钮相同）", request=RepresentativeRemoveInput,
                   responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="remove_representative")
    def remove_representative(self, request, pk=None):
        c = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(RepresentativeRemoveInput, request)
        rep = c.representatives.filter(pk=d["representative_id"]).first()
        if rep is None:
            raise Problem("该合同没有这名协商代表。", field="representative_id")
        try:
            services.representative_remove(actor=request.user, rep=rep)
        except ServiceError as err:  # the service's refusals are about the representative named
            err.field = err.field or "representative_id"
            raise
        return self.respond(self.found(c))

    @extend_schema(summary="上传签字文本扫描件（multipart/form-data 的 upload 字段；替换已有的）",
                   request={"multipart/form-data": AttachInput}, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, JSONParser])
    def attach(self, request, pk=None):
        c = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        if c.signed_on is None:  # the page offers the upload once the contract is signed
            raise Problem("合同签字后才能上传签字文本扫描件。", field="upload")
        d = body(AttachInput, request)
        services.contract_attach(actor=request.user, contract=c, **d)
        return self.respond(self.found(c))

    @extend_schema(summary="启动续订协商（同一工会、类型和单位；答复新合同）", request=RenewInput,
                   responses={201: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        c = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(RenewInput, request)
        new = services.contract_renew(actor=request.user, contract=c, **d)
        return self.respond(self.found(new), 201)
    abandon = step(services.contract_abandon, AbandonInput, "终止协商", "contract", ContractSerializer)


class ContractRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="集体合同编号")
    title = serializers.CharField(help_text="合同名称")


class MeetingSerializer(serializers.ModelSerializer):
    contract = ContractRef(help_text="集体合同")
    org = OrgRef(source="contract.org", help_text="所属工会")
    chair_side_label = serializers.CharField(source="get_chair_side_display", help_text="主持方（中文）")
    outcome_label = serializers.CharField(source="get_outcome_display", help_text="结果（中文）")

    class Meta:
        model = Meeting
        fields = ["id", "contract", "org", "round", "held_on", "chair_side", "chair_side_label", "attendees",
                  "minutes", "outcome", "outcome_label", "next_on"]
        read_only_fields = fields


class VoteSerializer(serializers.ModelSerializer):
    contract = ContractRef(help_text="集体合同")
    org = OrgRef(source="contract.org", help_text="所属工会")
    body_label = serializers.CharField(source="get_body_display", help_text="审议机构（中文）")
    session_id = serializers.IntegerField(allow_null=True, help_text="职代会会议编号（民主管理中登记的会议）")

    class Meta:
        model = Vote
        fields = ["id", "contract", "org", "held_on", "body", "body_label", "total", "present", "votes_for",
                  "votes_against", "abstentions", "passed", "session_id"]
        read_only_fields = fields


class InspectionSerializer(serializers.ModelSerializer):
    contract = ContractRef(help_text="集体合同")
    org = OrgRef(source="contract.org", help_text="所属工会")

    class Meta:
        model = Inspection
        fields = ["id", "contract", "org", "checked_on", "items_checked", "items_fulfilled", "findings"]
        read_only_fields = fields


class ContractPartViewSet(LineViewSet):
    """A record of a contract's negotiation or performance, scoped by the contract's union."""

    perm = "bargaining.view"
    org_path = "contract__org__path"
    model = None
    date_field = ""

    def base_queryset(self):
        return self.model.objects.select_related("contract__org")


def _contract_filters(date_field: str, label: str, **extra) -> dict[str, Filter]:
    return {"contract": Filter("contract_id", integer=True, description="集体合同编号"), **extra,
            "from": Filter(f"{date_field}__gte", date=True, description=f"{label}自"),
            "to": Filter(f"{date_field}__lte", date=True, description=f"{label}至")}


@extend_schema(tags=["集体协商"], responses={**ERRORS})
class MeetingViewSet(ContractPartViewSet):
    """协商会议：各轮协商的日期、主持方、出席人员、记录和结果。"""

    model = Meeting
    serializer_class = MeetingSerializer
    page_name = "api.contract_meetings"
    ordering = ("-held_on", "-pk")
    orderings = {"held_on": ("held_on",)}  # "-held_on" is the default order
    filters = _contract_filters("held_on", "协商日期", outcome=Filter("outcome", Meeting.Outcome.values,
                                                                     description="结果代码"))
    field_labels = {"org": "组织编码", "contract": "集体合同", "outcome": "结果", "from": "协商日期自",
                    "to": "协商日期至"}

    @list_schema("协商会议列表", filters, MeetingSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="协商会议详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["集体协商"], responses={**ERRORS})
class VoteViewSet(ContractPartViewSet):
    """职代会（职工大会）对合同草案的审议表决。"""

    model = Vote
    serializer_class = VoteSerializer
    page_name = "api.contract_votes"
    ordering = ("-held_on", "-pk")
    orderings = {"held_on": ("held_on",)}  # "-held_on" is the default order
    filters = _contract_filters("held_on", "审议日期", passed=Filter("passed", boolean=True, description="是否通过"))
    field_labels = {"org": "组织编码", "contract": "集体合同", "passed": "通过", "from": "审议日期自", "to": "审议日期至"}

    @list_schema("职代会审议列表", filters, VoteSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="职代会审议详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["集体协商"], responses={**ERRORS})
class InspectionViewSet(ContractPartViewSet):
    """履约检查：检查条款数与已兑现条款数。"""

    model = Inspection
    serializer_class = InspectionSerializer
    page_name = "api.contract_inspections"
    ordering = ("-checked_on", "-pk")
    orderings = {"checked_on": ("checked_on",)}  # "-checked_on" is the default order
    filters = _contract_filters("checked_on", "检查日期")
    field_labels = {"org": "组织编码", "contract": "集体合同", "from": "检查日期自", "to": "检查日期至"}

    @list_schema("履约检查列表", filters, InspectionSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="履约检查详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


registry.register("contracts", ContractViewSet)
registry.register("contract-meetings", MeetingViewSet)
registry.register("contract-votes", VoteViewSet)
registry.register("contract-inspections", InspectionViewSet)


# --- a contract's representatives and history -----------------------------------------------------

class _ContractRow(LineViewSet):
    """Rows the contract page shows, read by whoever reads the contract (bargaining.view over its union)."""

    org_path = "contract__org__path"


def _contract_ref():
    return ContractRef(help_text="集体合同")


RepresentativeSerializer = read_serializer(
    "RepresentativeSerializer", Representative, [
        "id", "contract", "org", "side", "name", "position", "is_chief", "is_external", "method"],
    contract=_contract_ref(), org=OrgRef(source="contract.org", help_text="所属工会"))
RepresentativeViewSet = read_viewset(
    "RepresentativeViewSet", base=_ContractRow, tag="集体协商", summary="协商代表（双方代表名单，与合同页面相同）",
    queryset=lambda: Representative.objects.select_related("contract__org"), perm="bargaining.view",
    serializer_class=RepresentativeSerializer, page_name="api.contract_representatives",
    ordering=("-contract_id", "id"), orderings={"contract": ("contract_id", "id")},
    filters={"contract": Filter("contract_id", integer=True, description="集体合同编号"),
             "side": Filter("side", Side.values, description="一方：workers 职工方，employer 企业方"),
             "chief": Filter("is_chief", boolean=True, description="true：仅首席代表")},
    field_labels={"org": "组织编码", "contract": "集体合同", "side": "一方", "chief": "仅首席代表"})


class ContractEventSerializer(serializers.ModelSerializer):
    """A row of the contract page's 办理经过: the step, its date and the status it moved to."""

    contract = _contract_ref()
    org = OrgRef(source="contract.org", help_text="所属工会")
    action_label = serializers.CharField(source="label", help_text="事项（中文）")
    status_label = serializers.CharField(help_text="办理后的状态（中文）；状态未变时为空")

    class Meta:
        model = ContractEvent
        fields = ["id", "contract", "org", "on", "action", "action_label", "from_status", "to_status", "status_label",
                  "note", "actor_name"]
        read_only_fields = fields


ContractEventViewSet = read_viewset(
    "ContractEventViewSet", base=_ContractRow, tag="集体协商", summary="集体合同办理经过（每一步的日期、事项和状态）",
    queryset=lambda: ContractEvent.objects.select_related("contract__org"), perm="bargaining.view",
    serializer_class=ContractEventSerializer, page_name="api.contract_events",
    ordering=("-on", "-id"), orderings={"on": ("on", "id")},
    filters=_contract_filters("on", "日期"),
    field_labels={"org": "组织编码", "contract": "集体合同", "from": "日期自", "to": "日期至"})

registry.register("contract-representatives", RepresentativeViewSet)
registry.register("contract-events", ContractEventViewSet)
