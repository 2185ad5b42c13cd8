"""工会经费的接口：经费收入（列表、详情、登记）与经费返还（编制、审批、退回、支付），工资总额申报、会费收缴、
经费审查、经费分成比例和返还手续（列表、详情），与页面读取同一范围、调用同一服务。

返还手续的银行账号加密保存：列表中只显示后4位；详情中仅对持有“查看返还账户完整账号”权限的用户给出完整账号，
每次读取记入访问日志。"""

from __future__ import annotations

from django.db.models import Count, F, Q
from drf_spectacular.utils import OpenApiExample, extend_schema
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
    read_serializer,
    read_viewset,
)
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import audit, scope
from gonghui.core.errors import ServiceError
from gonghui.orgs.models import Employer

from . import services
from .models import (
    MONEY,
    Channel,
    Declaration,
    DuesRecord,
    FundKind,
    FundReview,
    Level,
    MatchStatus,
    Receipt,
    Refund,
    RefundFormality,
    RefundStatus,
    ReviewFinding,
    ReviewKind,
    SplitShare,
)

CHANGE = "funds.change"


class PayerRef(serializers.Serializer):
    """The paying employer with its credit code (its own schema component: democracy's EmployerRef
    has no uscc, and one name would give both the same description)."""
    id = serializers.IntegerField(help_text="用人单位编号")
    name = serializers.CharField(help_text="名称")
    uscc = serializers.CharField(allow_null=True, help_text="统一社会信用代码")


class ReceiptSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="所属工会")
    employer = PayerRef(allow_null=True, help_text="缴费单位（待匹配时为 null）")
    channel_label = serializers.CharField(source="get_channel_display", help_text="收入渠道（中文）")
    kind_label = serializers.CharField(source="get_kind_display", help_text="经费类别（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="匹配状态（中文）")
    splits = serializers.SerializerMethodField(help_text="各级分成（仅详情；金额为字符串）")

    class Meta:
        model = Receipt
        fields = ["id", "reference", "channel", "channel_label", "kind", "kind_label", "status", "status_label",
                  "employer", "raw_uscc", "raw_name", "month", "payroll_base", "amount", "received_on", "org", "note",
                  "splits"]
        read_only_fields = fields

    def get_splits(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return [{"level": sp.level, "level_label": sp.get_level_display(), "amount": f"{sp.amount:.2f}"}
                for sp in obj.splits.order_by("level")]


class ReceiptInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="收入所属工会的组织编码")
    reference = serializers.CharField(max_length=60, help_text="凭证号（唯一）")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="收入渠道")
    amount = serializers.DecimalField(**MONEY, help_text="金额（元），字符串")
    received_on = Day(help_text="入库（到账）日期")
    uscc = serializers.CharField(max_length=30, required=False, allow_blank=True, default="",
                                 help_text="缴费单位统一社会信用代码")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="缴费单位名称")
    month = Day(required=False, allow_null=True, default=None, help_text="所属期（当月任一日）")
    payroll_base = serializers.DecimalField(**MONEY, required=False, allow_null=True, default=None,
                                            help_text="计征工资总额（元）")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="备注")


@extend_schema(tags=["工会经费"], responses={**ERRORS})
class ReceiptViewSet(LineViewSet):
    """经费收入：列表与页面“经费收入”相同的筛选。"""

    perm = "funds.view"
    perms = {"create": CHANGE}
    serializer_class = ReceiptSerializer
    page_name = "api.receipts"
    ordering = ("-received_on", "-id")
    orderings = {"received_on": ("received_on",)}  # "-received_on" is the default order
    filters = {
        "q": Filter(("reference", "raw_uscc", "employer__uscc", "employer__name__contains", "raw_name__contains"),
                    description="单位名称、信用代码或凭证号"),
        "channel": Filter("channel", Channel.values, description="收入渠道代码"),
        "status": Filter("status", MatchStatus.values, description="匹配状态代码"),
        "kind": Filter("kind", FundKind.values, description="经费类别代码"),
    }
    field_labels = {"org": "组织编码", "q": "查找", "channel": "收入渠道", "status": "匹配状态", "kind": "经费类别",
                    "org_code": "所属工会编码", "reference": "凭证号", "amount": "金额", "received_on": "入库日期",
                    "uscc": "统一社会信用代码", "name": "单位名称", "month": "所属期", "payroll_base": "计征工资总额",
                    "note": "备注"}

    def base_queryset(self):
        return Receipt.objects.select_related("org", "employer")

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}

    @list_schema("经费收入列表", filters, ReceiptSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="经费收入详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记经费收入", ReceiptInput, ReceiptSerializer, examples=[OpenApiExample(
        "税务代收", request_only=True, value={"org_code": "A", "reference": "SW2026120001", "channel": "tax",
                                          "amount": "1200.00", "received_on": "2026-12-01",
                                          "uscc": "91430121MA4L000001"})])
    def create(self, request, *args, **kwargs):
        d = body(ReceiptInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        r = services.receipt_record(actor=request.user, org=org, **d)
        return self.respond(self.found(r), 201)


class RefundSerializer(serializers.ModelSerializer):
    union = OrgRef(help_text="基层工会")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")

    class Meta:
        model = Refund
        fields = ["id", "union", "start", "end", "amount", "status", "status_label", "prepared_on", "approved_on",
                  "paid_on", "note"]
        read_only_fields = fields


class RefundInput(serializers.Serializer):
    union_code = serializers.CharField(help_text="基层工会的组织编码")
    start = Day(help_text="期间起")
    end = Day(help_text="期间止")
    on = Day(required=False, allow_null=True, default=None, help_text="制单日期（默认今天）")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="备注")


class RefundApproveInput(serializers.Serializer):
    on = Day(help_text="审批日期")


class RefuseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="退回原因")


class RefundPayInput(serializers.Serializer):
    paid_on = Day(help_text="支付日期")


@extend_schema(tags=["工会经费"], responses={**ERRORS})
class RefundViewSet(LineViewSet):
    """经费返还：制单人编制，另一位审批人审批或退回，再登记支付。"""

    perm = "funds.view"
    perms = {"create": CHANGE, "approve": "funds.approve", "refuse": "funds.approve", "pay": CHANGE}
    serializer_class = RefundSerializer
    page_name = "api.refunds"
    ordering = ("-prepared_on", "-id")
    orderings = {"prepared_on": ("prepared_on",)}  # "-prepared_on" is the default order
    filters = {"status": Filter("status", RefundStatus.values, description="状态代码")}
    field_labels = {"org": "组织编码", "status": "状态", "union_code": "基层工会编码", "union": "基层工会",
                    "start": "期间起", "end": "期间止", "on": "日期", "note": "备注", "reason": "退回原因",
                    "paid_on": "支付日期"}

    def base_queryset(self):
        return Refund.objects.select_related("union")

    @list_schema("经费返还列表", filters, RefundSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="经费返还详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("编制经费返还", RefundInput, RefundSerializer)
    def create(self, request, *args, **kwargs):
        d = body(RefundInput, request)
        union = self.changeable_org(d.pop("union_code"), "union_code")
        r = services.refund_prepare(actor=request.user, union=union, **d)
        return self.respond(self.found(r), 201)

    approve = step(services.refund_approve, RefundApproveInput, "审批返还（不能是制单人）", "refund", RefundSerializer,
                   name="approve")
    refuse = step(services.refund_refuse, RefuseInput, "退回返还", "refund", RefundSerializer, name="refuse")
    pay = step(services.refund_pay, RefundPayInput, "登记支付", "refund", RefundSerializer, name="pay")


def _month_filters(field: str, label: str) -> dict[str, Filter]:
    """The pages' 所属期自/至 (a from-date counts from the first of its month, as selectors do)."""
    return {f"{field}_from": Filter(field, date=True, description=f"{label}自（当月任一日）",
                                    build=lambda day: Q(**{f"{field}__gte": day.replace(day=1)})),
            f"{field}_to": Filter(f"{field}__lte", date=True, description=f"{label}至")}


class DeclarationSerializer(serializers.ModelSerializer):
    employer = PayerRef(help_text="用人单位")
    org = OrgRef(help_text="所属工会（所属期当时）")
    kind_label = serializers.CharField(source="get_kind_display", help_text="经费类别（中文）")
    arrears = serializers.DecimalField(**MONEY, help_text="欠缴金额（元），字符串")

    class Meta:
        model = Declaration
        fields = ["id", "employer", "org", "month", "employees", "payroll_total", "due", "paid", "arrears", "kind",
                  "kind_label"]
        read_only_fields = fields


class DeclarationInput(serializers.Serializer):
    employer_id = serializers.IntegerField(min_value=1, max_value=2**53, help_text="用人单位编号")
    month = Day(help_text="所属期（当月任一日）")
    payroll_total = serializers.DecimalField(**MONEY, min_value=0, help_text="工资总额（元），字符串")
    employees = serializers.IntegerField(min_value=0, max_value=10**7, required=False, allow_null=True, default=None,
                                         help_text="职工人数")


@extend_schema(tags=["工会经费"], responses={**ERRORS})
class DeclarationViewSet(LineViewSet):
    """工资总额申报：列表与页面“工资总额申报”相同的筛选（单位、所属期、仅欠缴）；同一单位同月再次申报即更正。"""

    perm = "funds.view"
    perms = {"create": CHANGE}
    serializer_class = DeclarationSerializer
    page_name = "api.declarations"
    ordering = ("-month", "-id")
    orderings = {"month": ("month",)}  # "-month" is the default order
    filters = {
        "q": Filter("employer__name__contains", description="单位名称包含或统一社会信用代码（同页面）",
                    build=lambda v: Q(employer__name__contains=v) | Q(employer__uscc=v.upper())),
        **_month_filters("month", "所属期"),
        "arrears": Filter("due", boolean=True, description="true：仅欠缴",
                          build=lambda on: Q(due__gt=F("paid")) if on else None),
    }
    field_labels = {"org": "组织编码", "q": "查找", "month_from": "所属期自", "month_to": "所属期至", "arrears": "仅欠缴",
                    "employer_id": "用人单位", "employer": "用人单位", "month": "所属期", "payroll_total": "工资总额",
                    "employees": "职工人数"}

    def base_queryset(self):
        return Declaration.objects.select_related("employer", "org")

    @list_schema("工资总额申报列表", filters, DeclarationSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="工资总额申报详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记工资总额申报", DeclarationInput, DeclarationSerializer, examples=[OpenApiExample(
        "月度申报", request_only=True, value={"employer_id": 3, "month": "2026-11-01", "payroll_total": "250000.00",
                                          "employees": 40})])
    def create(self, request, *args, **kwargs):
        d = body(DeclarationInput, request)
        employer = scope.visible(Employer.objects.select_related("org").filter(pk=d.pop("employer_id")), request.user,
                                 CHANGE, "org__path").first()
        if employer is None:
            raise Problem("未找到该用人单位，或不在您的办理范围内。", field="employer_id")
        decl = services.declaration_record(actor=request.user, employer=employer, **d)
        return self.respond(self.found(decl), 201)


class DuesSerializer(serializers.ModelSerializer):
    union = OrgRef(help_text="基层工会")

    class Meta:
        model = DuesRecord
        fields = ["id", "union", "month", "members", "wage_base", "due", "paid"]
        read_only_fields = fields


class DuesInput(serializers.Serializer):
    union_code = serializers.CharField(max_length=40, help_text="基层工会的组织编码")
    month = Day(help_text="所属期（当月任一日）")
    members = serializers.IntegerField(min_value=0, max_value=10**7, help_text="缴费会员人数")
    wage_base = serializers.DecimalField(**MONEY, min_value=0, help_text="工资基数合计（元），字符串")
    paid = serializers.DecimalField(**MONEY, min_value=0, help_text="实缴会费（元），字符串")


@extend_schema(tags=["工会经费"], responses={**ERRORS})
class DuesViewSet(LineViewSet):
    """会费收缴：基层工会每月的缴费会员人数、工资基数、应缴和实缴会费；同月再次登记即更正。"""

    perm = "funds.view"
    perms = {"create": CHANGE}
    serializer_class = DuesSerializer
    page_name = "api.dues"
    ordering = ("-month", "-id")
    orderings = {"month": ("month",)}  # "-month" is the default order
    filters = _month_filters("month", "所属期")
    field_labels = {"org": "组织编码", "month_from": "所属期自", "month_to": "所属期至", "union_code": "基层工会编码",
                    "union": "基层工会", "month": "所属期", "members": "缴费会员人数", "wage_base": "工资基数合计",
                    "paid": "实缴会费"}

    def base_queryset(self):
        return DuesRecord.objects.select_related("union")

    @list_schema("会费收缴列表", filters, DuesSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="会费收缴详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记会费收缴", DuesInput, DuesSerializer)
    def create(self, request, *args, **kwargs):
        d = body(DuesInput, request)
        union = self.changeable_org(d.pop("union_code"), "union_code")
        rec = services.dues_record(actor=request.user, union=union, **d)
        return self.respond(self.found(rec), 201)


class ReviewSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="被审查工会")
    kind_label = serializers.CharField(source="get_kind_display", help_text="审查类别（中文）")
    findings_total = serializers.IntegerField(source="found", help_text="发现问题数")
    findings_open = serializers.IntegerField(source="open", help_text="未整改问题数")
    findings = serializers.SerializerMethodField(help_text="发现问题及整改（仅详情；金额为字符串）")

    class Meta:
        model = FundReview
        fields = ["id", "org", "kind", "kind_label", "period_start", "period_end", "reviewed_on", "auditor",
                  "chair_name", "conclusion", "reported_on", "findings_total", "findings_open", "findings"]
        read_only_fields = fields

    def get_findings(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return [{"id": f.pk, "description": f.description,
                 "amount": f"{f.amount:.2f}" if f.amount is not None else None, "due_on": f.due_on.isoformat(),
                 "rectified_on": f.rectified_on.isoformat() if f.rectified_on else None,
                 "rectification": f.rectification, "state": f.state} for f in obj.findings.order_by("due_on", "pk")]


class FindingInput(serializers.Serializer):
    description = serializers.CharField(max_length=300, help_text="发现问题")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True, default=None,
                                      help_text="涉及金额（元），字符串，可不填")
    due_on = Day(help_text="整改期限（不早于审查日期）")


class FundReviewInput(serializers.Serializer):
    org_code = serializers.CharField(max_length=40, help_text="被审查工会的组织编码")
    kind = serializers.ChoiceField(choices=ReviewKind.choices, help_text="审查类别")
    period_start = Day(help_text="审查期间起")
    period_end = Day(help_text="审查期间止")
    reviewed_on = Day(help_text="审查日期")
    auditor = serializers.CharField(max_length=100, help_text="审查组织，如“本会经费审查委员会”")
    chair_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="",
                                       help_text="离任主席（任期经济责任审计必填）")
    conclusion = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="",
                                       help_text="审查结论")
    reported_on = Day(required=False, allow_null=True, default=None, help_text="向会员（代表）大会报告日期")
    findings = FindingInput(many=True, required=False, default=list, help_text="发现的问题（也可事后逐条登记）")


class RectifyInput(serializers.Serializer):
    finding_id = serializers.IntegerField(min_value=1, max_value=2**53, help_text="发现问题编号（该审查下的）")
    rectified_on = Day(help_text="整改完成日期")
    rectification = serializers.CharField(max_length=300, help_text="整改情况")


@extend_schema(tags=["工会经费"], responses={**ERRORS})
class ReviewViewSet(LineViewSet):
    """经费审查（经审）：列表与页面“经费审查”相同的筛选；详情含发现问题和整改情况。"""

    perm = "funds.view"
    perms = {"create": CHANGE, "findings": CHANGE, "rectify": CHANGE}
    serializer_class = ReviewSerializer
    page_name = "api.fund_reviews"
    ordering = ("-reviewed_on", "-id")
    orderings = {"reviewed_on": ("reviewed_on",)}  # "-reviewed_on" is the default order
    filters = {
        "kind": Filter("kind", ReviewKind.values, description="审查类别代码"),
        "open_only": Filter("kind", boolean=True, description="true：仅有未整改问题的", build=lambda on: Q(
            pk__in=ReviewFinding.objects.filter(rectified_on__isnull=True).values("review_id")) if on else None),
        "reviewed_from": Filter("reviewed_on__gte", date=True, description="审查日期自"),
        "reviewed_to": Filter("reviewed_on__lte", date=True, description="审查日期至"),
    }
    field_labels = {"org": "组织编码", "kind": "审查类别", "open_only": "仅有未整改问题", "reviewed_from": "审查日期自",
                    "reviewed_to": "审查日期至", "org_code": "被审查工会编码", "period_start": "审查期间起",
                    "period_end": "审查期间止", "reviewed_on": "审查日期", "auditor": "审查组织", "chair_name": "离任主席",
                    "conclusion": "审查结论", "reported_on": "报告日期", "findings": "发现问题",
                    "description": "发现问题", "amount": "涉及金额", "due_on": "整改期限", "finding_id": "发现问题",
                    "rectified_on": "整改完成日期", "rectification": "整改情况"}

    def base_queryset(self):
        return FundReview.objects.select_related("org").annotate(
            found=Count("findings"), open=Count("findings", filter=Q(findings__rectified_on__isnull=True)))

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}

    @list_schema("经费审查列表", filters, ReviewSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="经费审查详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记经费审查（经审）或任期经济责任审计", FundReviewInput, ReviewSerializer, examples=[OpenApiExample(
        "年度经费审查", request_only=True, value={
            "org_code": "A1", "kind": "review", "period_start": "2025-01-01", "period_end": "2025-12-31",
            "reviewed_on": "2026-02-10", "auditor": "本会经费审查委员会",
            "findings": [{"description": "部分票据不全", "amount": "1200.00", "due_on": "2026-04-30"}]})])
    def create(self, request, *args, **kwargs):
        d = body(FundReviewInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        findings = [(f["description"], f["amount"], f["due_on"]) for f in d.pop("findings")]
        r = services.review_record(actor=request.user, org=org, findings=findings, **d)
        return self.respond(self.found(r), 201)

    @extend_schema(summary="登记发现的问题", request=FindingInput, responses={200: ReviewSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        r = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(FindingInput, request)
        try:
            services.finding_add(actor=request.user, review=r, **d)
        except ServiceError as err:  # the service names the page's list of findings; here it is one
            if err.field == "findings":
                err.field = "due_on" if "期限" in err.messages[0] else (
                    "amount" if "金额" in err.messages[0] else "description")
            raise
        return self.respond(self.found(r))

    @extend_schema(summary="登记整改（整改完成日期和整改情况）", request=RectifyInput,
                   responses={200: ReviewSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def rectify(self, request, pk=None):
        r = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        d = body(RectifyInput, request)
        finding = r.findings.filter(pk=d.pop("finding_id")).first()
        if finding is None:
            raise Problem("未找到该审查下的这个问题。", field="finding_id")
        services.finding_rectify(actor=request.user, finding=finding, **d)
        return self.respond(self.found(r))


registry.register("receipts", ReceiptViewSet)
registry.register("refunds", RefundViewSet)
registry.register("declarations", DeclarationViewSet)
registry.register("dues", DuesViewSet)
registry.register("fund-reviews", ReviewViewSet)

TAG, VIEW, SENSITIVE = "工会经费", "funds.view", "funds.view_sensitive"

ShareSerializer = read_serializer("SplitShareSerializer", SplitShare, [
    "id", "level", "percent", "valid_from", "takes_remainder"],
    percent=serializers.DecimalField(max_digits=6, decimal_places=3, help_text="比例（%），字符串"))
# One table for the whole system (set by the system administrator), as its page shows it to every reader.
ShareViewSet = read_viewset(
    "SplitShareViewSet", tag=TAG, summary="经费分成比例（各级比例及起始日期）",
    queryset=lambda: SplitShare.objects.all(), perm=VIEW, serializer_class=ShareSerializer,
    page_name="api.fund_shares", shared=True, by_org=False,
    ordering=("-valid_from", "level", "pk"), orderings={"valid_from": ("valid_from", "level")},
    filters={"level": Filter("level", Level.values, description="层级代码"),
             "on": Filter("valid_from", date=True, description="该日适用的比例表",
                          build=lambda day: Q(valid_from=SplitShare.objects.filter(valid_from__lte=day).order_by(
                              "-valid_from").values("valid_from")[:1]))},
    field_labels={"level": "层级", "on": "日期"})


class FormalitySerializer(serializers.ModelSerializer):
    """A union's 返还手续; `account` is masked but in a detail read with view_sensitive (access-logged)."""

    union = OrgRef(help_text="基层工会")
    account = serializers.SerializerMethodField(help_text="银行账号（只显示后4位；有权限的详情中为完整账号）")
    masked = serializers.SerializerMethodField(help_text="true：账号未完整给出")
    missing = serializers.ListField(child=serializers.CharField(), help_text="尚缺的手续")

    class Meta:
        model = RefundFormality
        fields = ["id", "union", "bank_name", "account_name", "account", "masked", "certificate_no", "agreement_on",
                  "completed_on", "missing"]
        read_only_fields = fields

    def get_account(self, obj) -> str:
        return obj.account_number if self.context.get("full") else obj.account_masked

    def get_masked(self, obj) -> bool:
        return not self.context.get("full")


class LoggedFormalities(LineViewSet):
    def detail_context(self, obj):
        ctx = self.get_serializer_context()
        if obj.account_cipher and scope.has_perm(self.request.user, SENSITIVE, obj.union.path):
            audit.log_access(user=self.request.user, kind="view", object_type="funds.refundformality",
                             object_id=str(obj.pk), fields=["account"], reason="接口读取详情", org_path=obj.union.path)
            ctx["full"] = True
        return ctx


FormalityViewSet = read_viewset(
    "RefundFormalityViewSet", base=LoggedFormalities, tag=TAG,
    summary="返还手续（账号脱敏；有权限时详情为完整账号并留痕）",
    queryset=lambda: RefundFormality.objects.select_related("union"), perm=VIEW,
    serializer_class=FormalitySerializer, page_name="api.refund_formalities", org_path="union__path",
    ordering=("union__path", "pk"), orderings={"union": ("union__path",)},
    filters={"complete": Filter("completed_on", boolean=True, description="true：手续已完善，false：未完善",
                                build=lambda on: Q(completed_on__isnull=not on)),
             "q": Filter(("union__name__contains", "union__code"), description="工会名称包含或组织编码")},
    field_labels={"org": "组织编码", "complete": "手续已完善", "q": "查找"})

registry.register("fund-shares", ShareViewSet)
registry.register("refund-formalities", FormalityViewSet)
