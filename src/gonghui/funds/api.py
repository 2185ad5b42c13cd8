"""工会经费的接口：经费收入（列表、详情、登记）与经费返还（编制、审批、退回、支付），与页面调用同一服务。
返还账户号码不在接口中给出。"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers

from gonghui.api import registry
from gonghui.api.lines import ERRORS, Day, Filter, LineViewSet, OrgRef, body, create_schema, list_schema
from gonghui.api.lines import transition as step

from . import services
from .models import MONEY, Channel, FundKind, MatchStatus, Receipt, Refund, RefundStatus

CHANGE = "funds.change"
MONEY_FIELD = {"max_digits": MONEY["max_digits"], "decimal_places": MONEY["decimal_places"]}


class EmployerRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="用人单位编号")
    name = serializers.CharField(help_text="名称")
    uscc = serializers.CharField(allow_null=True, help_text="统一社会信用代码")


class ReceiptSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="所属工会")
    employer = EmployerRef(allow_null=True, help_text="缴费单位（待匹配时为 null）")
    channel_label = serializers.CharField(source="get_channel_display", help_text="收入渠道（中文）")
    kind_label = serializers.CharField(source="get_kind_display", help_text="经费类别（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="匹配状态（中文）")

    class Meta:
        model = Receipt
        fields = ["id", "reference", "channel", "channel_label", "kind", "kind_label", "status", "status_label",
                  "employer", "raw_uscc", "raw_name", "month", "payroll_base", "amount", "received_on", "org", "note"]
        read_only_fields = fields


class ReceiptInput(serializers.Serializer):
    org_code = serializers.CharField(help_text="收入所属工会的组织编码")
    reference = serializers.CharField(max_length=60, help_text="凭证号（唯一）")
    channel = serializers.ChoiceField(choices=Channel.choices, help_text="收入渠道")
    amount = serializers.DecimalField(**MONEY_FIELD, help_text="金额（元），字符串")
    received_on = Day(help_text="入库（到账）日期")
    uscc = serializers.CharField(max_length=30, required=False, allow_blank=True, default="",
                                 help_text="缴费单位统一社会信用代码")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="缴费单位名称")
    month = Day(required=False, allow_null=True, default=None, help_text="所属期（当月任一日）")
    payroll_base = serializers.DecimalField(**MONEY_FIELD, required=False, allow_null=True, default=None,
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


class ApproveInput(serializers.Serializer):
    on = Day(help_text="审批日期")


class RefuseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="退回原因")


class PayInput(serializers.Serializer):
    paid_on = Day(help_text="支付日期")


@extend_schema(tags=["工会经费"], responses={**ERRORS})
class RefundViewSet(LineViewSet):
    """经费返还：制单人编制，另一位审批人审批或退回，再登记支付。"""

    perm = "funds.view"
    perms = {"create": CHANGE, "approve": "funds.approve", "refuse": "funds.approve", "pay": CHANGE}
    serializer_class = RefundSerializer
    page_name = "api.refunds"
    ordering = ("-prepared_on", "-id")
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

    approve = step(services.refund_approve, ApproveInput, "审批返还（不能是制单人）", "refund", RefundSerializer,
                   name="approve")
    refuse = step(services.refund_refuse, RefuseInput, "退回返还", "refund", RefundSerializer, name="refuse")
    pay = step(services.refund_pay, PayInput, "登记支付", "refund", RefundSerializer, name="pay")


registry.register("receipts", ReceiptViewSet)
registry.register("refunds", RefundViewSet)
