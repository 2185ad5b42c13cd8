"""困难帮扶的接口：困难职工档案与帮扶申请，帮扶活动（金秋助学、送温暖等）、帮扶发放、结对帮扶的帮扶单位和结对，
档案动态、困难家庭刚性支出、低保标准和申请附件（仅文件信息）（列表、详情），与页面读取同一范围、调用同一服务。

档案的身份证号、手机号和银行卡号一律脱敏；家庭收支、健康、住址等敏感信息只在详情中、且仅对
持有“查看家庭收支、子女等敏感信息”权限的用户给出，每次读取记入访问日志（与页面相同）。完整号码
只能通过“查看完整信息”动作、写明事由后取得，同样留痕。刚性支出属家庭收支，列表和详情均须有该权限，每次读取按档案
记入访问日志；申请附件只给出文件信息，下载地址（网页，查看留痕）仅对有该权限的用户给出。"""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

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

from . import selectors, services
from .models import (
    MONEY,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Archive,
    ArchiveEvent,
    ArchiveStatus,
    AssistanceType,
    Beneficiary,
    Campaign,
    Category,
    Cause,
    Expense,
    ExpenseKind,
    Helper,
    LivingStandard,
    Pairing,
    Payment,
    PayMethod,
)

SENSITIVE = "assistance.view_sensitive"


class FamilySerializer(serializers.Serializer):
    name = serializers.SerializerMethodField(help_text="姓名（无敏感信息权限时只显示姓）")
    relation = serializers.CharField(help_text="与户主关系代码")
    relation_label = serializers.CharField(source="get_relation_display", help_text="与户主关系")
    gender = serializers.IntegerField(help_text="性别：1 男，2 女")
    id_number = serializers.CharField(source="id_masked", help_text="身份证号（脱敏）")
    schooling = serializers.CharField(help_text="当前学历/就读代码")
    lives_together = serializers.BooleanField(help_text="共同生活")
    monthly_income = serializers.SerializerMethodField(help_text="月收入（元）；无敏感信息权限时为 null")

    def _full(self) -> bool:
        return bool(self.context.get("full"))

    def get_name(self, obj) -> str:
        return obj.name if self._full() else obj.name[:1] + "*" * (len(obj.name) - 1)

    def get_monthly_income(self, obj) -> str | None:
        return f"{obj.monthly_income:.2f}" if self._full() else None


SENSITIVE_OUT = ("monthly_wage", "other_income", "accident_loss", "annual_income", "rigid_expense", "per_capita",
                 "standard", "address", "health", "disability", "housing_type", "medical_insurance")


class ArchiveSerializer(serializers.ModelSerializer):
    """A hardship archive; `sensitive` holds the household's finances and health only in a detail read
    with view_sensitive (access-logged), null otherwise."""

    org = OrgRef(help_text="建档单位")
    id_number = serializers.CharField(source="id_masked", help_text="身份证号（脱敏）")
    phone = serializers.CharField(source="phone_masked", help_text="手机号码（脱敏）")
    bank_account = serializers.SerializerMethodField(help_text="银行卡号（只显示后4位）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    category_label = serializers.CharField(source="get_category_display", help_text="困难类别（中文）")
    main_cause_label = serializers.CharField(source="get_main_cause_display", help_text="主要致困原因（中文）")
    masked = serializers.SerializerMethodField(help_text="true：敏感信息未给出")
    sensitive = serializers.SerializerMethodField(help_text="家庭收支、健康、住址等（仅有权限时的详情）")
    family = serializers.SerializerMethodField(help_text="家庭成员（仅详情）")

    class Meta:
        model = Archive
        fields = ["id", "no", "org", "head_name", "gender", "birth_date", "id_number", "phone", "bank_account",
                  "work_unit", "work_status", "region_code", "category", "category_label", "proposed_category",
                  "main_cause", "main_cause_label", "household_size", "is_zero_employment", "is_single_parent",
                  "is_model_worker", "status", "status_label", "created_on", "notice_from", "notice_until",
                  "entered_on", "next_review_on", "exited_on", "exit_reason", "masked", "sensitive", "family"]
        read_only_fields = fields

    def get_bank_account(self, obj) -> str:
        return f"****{obj.bank_last4}" if obj.bank_last4 else ""

    def get_masked(self, obj) -> bool:
        return not self.context.get("full")

    def get_sensitive(self, obj) -> dict | None:
        if not self.context.get("full"):
            return None
        out = {}
        for f in SENSITIVE_OUT:
            v = getattr(obj, f)
            out[f] = f"{v:.2f}" if hasattr(v, "quantize") else v
        return out

    def get_family(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return FamilySerializer(obj.family.all(), many=True, context=self.context).data


class ArchiveCreateInput(serializers.Serializer):
    union_code = serializers.CharField(help_text="建档工会的组织编码")
    head_name = serializers.CharField(max_length=50, help_text="户主姓名")
    id_number = serializers.CharField(max_length=18, help_text="户主身份证号")
    created_on = Day(help_text="建档日期")
    region_code = serializers.CharField(max_length=6, help_text="户口所在地行政区划代码（6位）")
    main_cause = serializers.ChoiceField(choices=Cause.choices, help_text="主要致困原因代码")
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_null=True, default=None,
                                       help_text="困难类别（可不填：按系统建议）")
    monthly_wage = serializers.DecimalField(**MONEY, min_value=0, required=False, default=0,
                                            help_text="本人月平均收入（元）")
    other_income = serializers.DecimalField(**MONEY, min_value=0, required=False, default=0,
                                            help_text="家庭其他非薪资年收入（元）")
    household_size = serializers.IntegerField(min_value=1, max_value=30, required=False, allow_null=True,
                                              default=None, help_text="家庭人口数（含户主）")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="", help_text="手机号码")


class DateInput(serializers.Serializer):
    on = Day(help_text="办理日期")


class EnterInput(DateInput):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")


class PassInput(DateInput):
    category = serializers.ChoiceField(choices=Category.choices, help_text="复核后的困难类别")
    monthly_wage = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True,
                                            default=None, help_text="本人月平均收入（元）")
    other_income = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True,
                                            default=None, help_text="家庭其他非薪资年收入（元）")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")


class ExitInput(DateInput):
    status = serializers.ChoiceField(choices=[(s, ArchiveStatus(s).label) for s in ("recovered", "relieved", "exited")],
                                     help_text="出档方式：recovered 脱困，relieved 解困，exited 退出")
    reason = serializers.CharField(max_length=200, help_text="出档原因")


class RevealInput(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="查看事由（记入访问日志）")


REVEALED = inline_serializer("ArchiveRevealed", {
    "id_number": serializers.CharField(help_text="户主完整身份证号"),
    "bank_account": serializers.CharField(help_text="完整银行卡号"),
    "phone": serializers.CharField(help_text="完整手机号码"),
    "family": serializers.ListField(child=inline_serializer("FamilyIdNumber", {
        "name": serializers.CharField(), "id_number": serializers.CharField()}), help_text="家庭成员身份证号"),
})

CHANGE = "assistance.change"
ARCHIVE_LABELS = {"org": "组织编码", "q": "户主姓名", "status": "状态", "category": "困难类别", "gender": "户主性别",
                  "review_due": "复核到期", "union_code": "建档工会编码", "head_name": "户主姓名",
                  "id_number": "户主身份证号", "created_on": "建档日期", "region_code": "户口所在地行政区划",
                  "main_cause": "主要致困原因", "monthly_wage": "本人月平均收入", "other_income": "家庭其他非薪资年收入",
                  "household_size": "家庭人口数", "phone": "手机号码", "on": "办理日期", "note": "说明",
                  "reason": "原因或事由", "campaign": "帮扶活动"}


@extend_schema(tags=["困难帮扶"], responses={**ERRORS})
class ArchiveViewSet(LineViewSet):
    """困难职工档案：列表与页面“困难职工档案”相同的筛选；号码脱敏，敏感信息仅有权限的详情给出并留痕。"""

    perm = "assistance.view"
    perms = {"create": CHANGE, "notice": CHANGE, "enter": CHANGE, "start_review": CHANGE, "pass_review": CHANGE,
             "exit": CHANGE, "reveal": SENSITIVE}
    serializer_class = ArchiveSerializer
    page_name = "api.archives"
    ordering = ("-created_on", "-id")
    orderings = {"created_on": ("created_on",)}  # "-created_on" is the default order
    filters = {
        "q": Filter(("head_name__startswith", "no"), description="户主姓名开头或档案编号"),
        "status": Filter("status", ArchiveStatus.values, description="状态代码"),
        "category": Filter("category", Category.values, description="困难类别代码"),
        "gender": Filter("gender", ("1", "2"), description="户主性别：1 男，2 女"),
        "review_due": Filter("status", boolean=True, description="true：在档且复核已到期", build=lambda due: Q(
            status=ArchiveStatus.ACTIVE, next_review_on__lte=clock.today()) if due else None),
        "campaign": Filter("campaigntarget__campaign_id", integer=True, description="帮扶活动编号：只列该活动的帮扶对象"),
    }
    field_labels = ARCHIVE_LABELS

    def base_queryset(self):
        return Archive.objects.select_related("org")

    def detail_context(self, obj):
        ctx = {**self.get_serializer_context(), "detail": True}
        if scope.has_perm(self.request.user, SENSITIVE, obj.org.path):
            services.archive_view_full(user=self.request.user, archive=obj)  # every full view is access-logged
            ctx["full"] = True
        return ctx

    @list_schema("困难职工档案列表（号码脱敏，不含收支）", filters, ArchiveSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="档案详情（带 ETag；有敏感信息权限时含家庭收支并留痕）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("困难职工建档", ArchiveCreateInput, ArchiveSerializer, examples=[OpenApiExample(
        "建档", request_only=True, value={"union_code": "A1", "head_name": "赵六", "id_number": "430121198001011234",
                                        "created_on": "2026-12-01", "region_code": "430121", "main_cause": "06",
                                        "monthly_wage": "800.00"})])
    def create(self, request, *args, **kwargs):
        d = body(ArchiveCreateInput, request)
        org = self.changeable_org(d.pop("union_code"), "union_code")
        a = services.archive_create(actor=request.user, org=org, **d)
        return self.respond(self.found(a), 201)

    notice = step(services.archive_start_notice, DateInput, "提交公示", "archive", ArchiveSerializer, name="notice")
    enter = step(services.archive_enter, EnterInput, "公示期满，入档", "archive", ArchiveSerializer, name="enter")
    start_review = step(services.archive_start_review, DateInput, "开始年度复核", "archive", ArchiveSerializer,
                        name="start_review")
    pass_review = step(services.archive_pass_review, PassInput, "年度复核通过", "archive", ArchiveSerializer,
                       name="pass_review")
    exit = step(services.archive_exit, ExitInput, "出档（脱困、解困、退出）", "archive", ArchiveSerializer, name="exit")

    @extend_schema(summary="查看完整号码（须写明事由，记入访问日志）", request=RevealInput,
                   responses={200: REVEALED, **ERRORS})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        a = self.get_object_from(self.scoped(SENSITIVE), pk_of(pk))
        d = body(RevealInput, request)
        shown = services.archive_reveal(user=request.user, archive=a, reason=d["reason"])
        shown["family"] = [{"name": n, "id_number": i} for n, i in shown["family"]]
        return Response(shown)



class ArchiveRef(serializers.Serializer):
    id = serializers.IntegerField(help_text="档案编号（主键）")
    no = serializers.CharField(help_text="档案编号")
    head_name = serializers.CharField(help_text="户主姓名")


class ApplicationSerializer(serializers.ModelSerializer):
    archive = ArchiveRef(help_text="困难职工档案")
    org = OrgRef(help_text="建档单位")
    type_label = serializers.CharField(source="get_type_display", help_text="帮扶类型（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    beneficiary_label = serializers.CharField(source="get_beneficiary_display", help_text="受助对象类别（中文）")
    campaign_id = serializers.IntegerField(allow_null=True, help_text="帮扶活动编号")

    class Meta:
        model = Application
        fields = ["id", "archive", "org", "type", "type_label", "campaign_id", "amount_requested", "reason",
                  "status", "status_label", "applied_on", "applied_by_name", "screened_on", "screen_note",
                  "eligible_on", "reviewed_on", "reviewed_by_name", "review_note", "approved_on", "approved_by_name",
                  "approve_note", "amount_approved", "beneficiary", "beneficiary_label", "school_level"]
        read_only_fields = fields


class ApplicationInput(serializers.Serializer):
    archive_id = serializers.IntegerField(min_value=1, max_value=2**53, help_text="在档的困难职工档案编号")
    type = serializers.ChoiceField(choices=AssistanceType.choices, help_text="帮扶类型")
    amount_requested = serializers.DecimalField(**MONEY, min_value=0, help_text="申请金额（元），字符串")
    reason = serializers.CharField(max_length=500, help_text="申请理由")
    applied_on = Day(help_text="申请日期")
    beneficiary = serializers.ChoiceField(choices=Beneficiary.choices, required=False, default="",
                                          help_text="受助对象类别（默认困难职工）")
    student_id = serializers.IntegerField(min_value=1, max_value=2**53, required=False, allow_null=True,
                                          default=None, help_text="金秋助学：受助子女（家庭成员编号）")


class ScreenInput(serializers.Serializer):
    eligible = serializers.BooleanField(help_text="初审是否符合条件")
    on = Day(help_text="初审日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="初审意见（不符合时必填）")


class DecideInput(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true 通过，false 不通过")
    on = Day(help_text="日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                 help_text="意见（不通过时必填）")


class ApproveInput(DecideInput):
    amount_approved = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True,
                                               default=None, help_text="批准金额（元，默认申请金额）")


class PayInput(serializers.Serializer):
    paid_on = Day(help_text="发放日期")
    method = serializers.ChoiceField(choices=PayMethod.choices, help_text="发放方式")
    fund_source = serializers.CharField(max_length=20, help_text="资金来源代码（见帮扶设置）")
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False, allow_null=True, default=None,
                                      help_text="发放金额（元，默认批准金额）")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="备注")


@extend_schema(tags=["困难帮扶"], responses={**ERRORS})
class ApplicationViewSet(LineViewSet):
    """帮扶申请：经办申请 → 初审 → 审核 → 审批 → 发放，三人不同（与页面相同的服务校验）。"""

    perm = "assistance.view"
    perms = {"create": CHANGE, "screen": CHANGE, "review": "assistance.review", "approve": "assistance.approve",
             "pay": CHANGE}
    serializer_class = ApplicationSerializer
    page_name = "api.applications"
    ordering = ("-applied_on", "-id")
    orderings = {"applied_on": ("applied_on",)}  # "-applied_on" is the default order
    filters = {
        "status": Filter("status", ApplicationStatus.values, description="状态代码"),
        "type": Filter("type", AssistanceType.values, description="帮扶类型代码"),
    }
    field_labels = {"org": "组织编码", "status": "状态", "type": "帮扶类型", "archive_id": "档案",
                    "amount_requested": "申请金额", "reason": "申请理由", "applied_on": "申请日期",
                    "beneficiary": "受助对象类别", "student_id": "受助学生", "student": "受助学生", "eligible": "初审结论",
                    "on": "日期", "note": "意见", "approve": "结论", "amount_approved": "批准金额",
                    "paid_on": "发放日期", "method": "发放方式", "fund_source": "资金来源", "amount": "发放金额",
                    "campaign": "帮扶活动", "school_level": "就读阶段"}

    def base_queryset(self):
        return Application.objects.select_related("archive", "org")

    @list_schema("帮扶申请列表", filters, ApplicationSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="帮扶申请详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("为在档困难家庭申请帮扶", ApplicationInput, ApplicationSerializer, examples=[OpenApiExample(
        "生活救助", request_only=True, value={"archive_id": 12, "type": "living", "amount_requested": "500.00",
                                          "reason": "患病住院，生活困难", "applied_on": "2026-12-01"})])
    def create(self, request, *args, **kwargs):
        d = body(ApplicationInput, request)
        archive = scope.visible(Archive.objects.select_related("org").filter(pk=d.pop("archive_id")), request.user,
                                CHANGE).first()
        if archive is None:
            raise Problem("未找到该档案，或不在您的办理范围内。", field="archive_id")
        student_id = d.pop("student_id")
        student = archive.family.filter(pk=student_id).first() if student_id else None
        if student_id and student is None:
            raise Problem("受助学生须是本档案中登记的家庭成员。", field="student_id")
        app = services.application_submit(actor=request.user, archive=archive, student=student, **d)
        return self.respond(self.found(app), 201)

    screen = step(services.application_screen, ScreenInput, "初审", "application", ApplicationSerializer,
                  name="screen")
    review = step(services.application_review, DecideInput, "审核（不能是经办人本人）", "application",
                  ApplicationSerializer, name="review")
    approve = step(services.application_approve, ApproveInput, "审批（不能是经办人或审核人）", "application",
                   ApplicationSerializer, name="approve")
    pay = step(services.payment_record, PayInput, "登记发放", "application", ApplicationSerializer, name="pay")


class CampaignSerializer(serializers.ModelSerializer):
    """A campaign; its progress against budget and target list in the detail only (one pass each)."""

    org = OrgRef(help_text="组织单位")
    type_label = serializers.CharField(source="get_type_display", help_text="帮扶类型（中文）")
    progress = serializers.SerializerMethodField(help_text="进度（仅详情）：户数、人次、金额（字符串）、预算余额、对象完成率")

    class Meta:
        model = Campaign
        fields = ["id", "org", "name", "type", "type_label", "start_on", "end_on", "budget", "note", "progress"]
        read_only_fields = fields

    def get_progress(self, obj) -> dict | None:
        if not self.context.get("detail"):
            return None
        p = selectors.campaign_progress(obj)
        return {k: (f"{v:.2f}" if hasattr(v, "quantize") else v) for k, v in p.items()}


class TargetsInput(serializers.Serializer):
    archive_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**53), min_length=1,
                                        max_length=2000, help_text="列为帮扶对象的档案编号（主键）；已在名单中的跳过")


class CampaignInput(serializers.Serializer):
    org_code = serializers.CharField(max_length=40, help_text="组织单位（工会）的组织编码")
    name = serializers.CharField(max_length=100, help_text="活动名称")
    type = serializers.ChoiceField(choices=AssistanceType.choices, help_text="帮扶类型")
    start_on = Day(help_text="开始日期")
    end_on = Day(help_text="结束日期")
    budget = serializers.DecimalField(**MONEY, min_value=0, help_text="预算（元），字符串")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")


@extend_schema(tags=["困难帮扶"], responses={**ERRORS})
class CampaignViewSet(LineViewSet):
    """帮扶活动（送温暖、金秋助学等）：详情含预算执行和帮扶对象完成情况；对象名单见 archives?campaign=，
    发放见 assistance-payments?campaign=。"""

    perm = "assistance.view"
    perms = {"create": CHANGE, "targets": CHANGE}
    serializer_class = CampaignSerializer
    page_name = "api.campaigns"
    ordering = ("-start_on", "-id")
    orderings = {"start_on": ("start_on",)}  # "-start_on" is the default order
    filters = {
        "type": Filter("type", AssistanceType.values, description="帮扶类型代码"),
        "q": Filter("name__contains", description="活动名称包含"),
        "on": Filter("start_on", date=True, description="该日进行中的活动",
                     build=lambda day: Q(start_on__lte=day, end_on__gte=day)),
    }
    field_labels = {"org": "组织编码", "type": "帮扶类型", "q": "活动名称", "on": "日期", "org_code": "组织单位编码",
                    "name": "活动名称", "start_on": "开始日期", "end_on": "结束日期", "budget": "预算", "note": "说明",
                    "archive_ids": "帮扶对象"}

    def base_queryset(self):
        return Campaign.objects.select_related("org")

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}

    @list_schema("帮扶活动列表", filters, CampaignSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="帮扶活动详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("新建帮扶活动", CampaignInput, CampaignSerializer, examples=[OpenApiExample(
        "金秋助学", request_only=True, value={"org_code": "A", "name": "2026年金秋助学", "type": "golden_autumn",
                                          "start_on": "2026-07-01", "end_on": "2026-09-30", "budget": "50000.00"})])
    def create(self, request, *args, **kwargs):
        d = body(CampaignInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        c = services.campaign_create(actor=request.user, org=org, **d)
        return self.respond(self.found(c), 201)

    @extend_schema(summary="添加帮扶对象（在档的困难家庭；全部可添加才保存）", request=TargetsInput,
                   responses={200: CampaignSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def targets(self, request, pk=None):
        c = self.get_object_from(self.scoped(CHANGE), pk_of(pk))
        ids = list(dict.fromkeys(body(TargetsInput, request)["archive_ids"]))
        # As the page finds them: archives the user may see (the service checks the campaign's subtree).
        archives = list(scope.visible(Archive.objects.filter(pk__in=ids).select_related("org"), request.user,
                                      "assistance.view"))
        if len(archives) != len(ids):
            raise Problem("有档案未找到，或不在您的范围内；未添加任何对象。", field="archive_ids")
        try:
            services.campaign_add_targets(actor=request.user, campaign=c, archives=archives)
        except ServiceError as err:
            err.field = err.field or "archive_ids"
            raise
        return self.respond(self.found(c))


class PaymentSerializer(serializers.ModelSerializer):
    archive = ArchiveRef(help_text="困难职工档案")
    org = OrgRef(help_text="建档单位")
    application_id = serializers.IntegerField(help_text="帮扶申请编号")
    campaign_id = serializers.IntegerField(allow_null=True, help_text="帮扶活动编号")
    type_label = serializers.CharField(source="get_type_display", help_text="帮扶类型（中文）")
    method_label = serializers.CharField(source="get_method_display", help_text="发放方式（中文）")
    fund_source_label = serializers.CharField(help_text="资金来源（中文）")

    class Meta:
        model = Payment
        fields = ["id", "application_id", "archive", "org", "campaign_id", "type", "type_label", "amount", "paid_on",
                  "method", "method_label", "fund_source", "fund_source_label", "recorded_by_name", "note"]
        read_only_fields = fields


@extend_schema(tags=["困难帮扶"], responses={**ERRORS})
class PaymentViewSet(LineViewSet):
    """帮扶发放：每笔发放的金额、日期、方式和资金来源（登记发放见 applications/{id}/pay/）。"""

    perm = "assistance.view"
    serializer_class = PaymentSerializer
    page_name = "api.assistance_payments"
    ordering = ("-paid_on", "-id")
    orderings = {"paid_on": ("paid_on",)}  # "-paid_on" is the default order
    filters = {
        "campaign": Filter("campaign_id", integer=True, description="帮扶活动编号"),
        "type": Filter("type", AssistanceType.values, description="帮扶类型代码"),
        "method": Filter("method", PayMethod.values, description="发放方式代码"),
        "paid_from": Filter("paid_on__gte", date=True, description="发放日期自"),
        "paid_to": Filter("paid_on__lte", date=True, description="发放日期至"),
    }
    field_labels = {"org": "组织编码", "campaign": "帮扶活动", "type": "帮扶类型", "method": "发放方式",
                    "paid_from": "发放日期自", "paid_to": "发放日期至"}

    def base_queryset(self):
        return Payment.objects.select_related("archive", "org")

    @list_schema("帮扶发放列表", filters, PaymentSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="帮扶发放详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class HelperSerializer(serializers.ModelSerializer):
    org = OrgRef(help_text="所属组织")
    kind_label = serializers.CharField(source="get_kind_display", help_text="类型（中文）")

    class Meta:
        model = Helper
        fields = ["id", "org", "name", "kind", "kind_label", "contact"]
        read_only_fields = fields


class HelperInput(serializers.Serializer):
    org_code = serializers.CharField(max_length=40, help_text="所属组织（工会）的组织编码")
    name = serializers.CharField(max_length=100, help_text="帮扶单位或干部")
    kind = serializers.ChoiceField(choices=Helper.Kind.choices, help_text="类型：unit 单位，cadre 干部")
    contact = serializers.CharField(max_length=50, required=False, allow_blank=True, default="", help_text="联系人")


@extend_schema(tags=["困难帮扶"], responses={**ERRORS})
class HelperViewSet(LineViewSet):
    """一对一结对帮扶的帮扶单位和帮扶干部。"""

    perm = "assistance.view"
    perms = {"create": CHANGE}
    serializer_class = HelperSerializer
    page_name = "api.helpers"
    ordering = ("-id",)
    orderings = {"name": ("org__path", "name")}  # the helpers page's order
    filters = {
        "kind": Filter("kind", Helper.Kind.values, description="类型：unit 单位，cadre 干部"),
        "q": Filter("name__contains", description="名称包含"),
    }
    field_labels = {"org": "组织编码", "kind": "类型", "q": "名称", "org_code": "所属组织编码", "name": "帮扶单位或干部",
                    "contact": "联系人"}

    def base_queryset(self):
        return Helper.objects.select_related("org")

    @create_schema("登记帮扶单位或干部", HelperInput, HelperSerializer)
    def create(self, request, *args, **kwargs):
        d = body(HelperInput, request)
        org = self.changeable_org(d.pop("org_code"), "org_code")
        h = services.helper_create(actor=request.user, org=org, **d)
        return self.respond(self.found(h), 201)

    @list_schema("帮扶单位列表", filters, HelperSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="帮扶单位详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class PairingSerializer(serializers.ModelSerializer):
    helper = HelperSerializer(help_text="帮扶单位（干部）")
    archive = ArchiveRef(help_text="困难家庭（档案）")
    visits = serializers.SerializerMethodField(help_text="走访记录（仅详情；金额为字符串）")

    class Meta:
        model = Pairing
        fields = ["id", "helper", "archive", "pledged_on", "commitment", "ended_on", "visits"]
        read_only_fields = fields

    def get_visits(self, obj) -> list[dict] | None:
        if not self.context.get("detail"):
            return None
        return [{"id": v.pk, "visited_on": v.visited_on.isoformat(), "visitors": v.visitors,
                 "amount": f"{v.amount:.2f}", "goods": v.goods, "note": v.note} for v in obj.visits.all()]


class PairingInput(serializers.Serializer):
    helper_id = serializers.IntegerField(min_value=1, max_value=2**53, help_text="帮扶单位（干部）编号")
    archive_id = serializers.IntegerField(min_value=1, max_value=2**53, help_text="困难家庭档案编号（主键）")
    pledged_on = Day(help_text="结对日期")
    commitment = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                       help_text="帮扶承诺")


class PairingEndInput(serializers.Serializer):
    on = Day(help_text="结束日期")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="结束原因")


class VisitInput(serializers.Serializer):
    visited_on = Day(help_text="走访日期")
    visitors = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="走访人")
    amount = serializers.DecimalField(**MONEY, min_value=0, required=False, default=0, help_text="帮扶资金（元），字符串")
    goods = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="物资/服务")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="解决的问题")


@extend_schema(tags=["困难帮扶"], responses={**ERRORS})
class PairingViewSet(LineViewSet):
    """结对帮扶：帮扶单位与困难家庭一对一结对；详情含走访记录。范围按帮扶单位所属组织（与页面相同）。"""

    perm = "assistance.view"
    perms = {"create": CHANGE, "end": CHANGE, "visits": CHANGE}
    serializer_class = PairingSerializer
    page_name = "api.pairings"
    ordering = ("-pledged_on", "-id")
    orderings = {"pledged_on": ("pledged_on",)}  # "-pledged_on" is the default order
    filters = {
        "helper": Filter("helper_id", integer=True, description="帮扶单位编号"),
        "archive": Filter("archive_id", integer=True, description="档案编号（主键）"),
        "open": Filter("ended_on", boolean=True, description="true：未结束的结对",
                       build=lambda on: Q(ended_on__isnull=True) if on else Q(ended_on__isnull=False)),
    }
    field_labels = {"org": "组织编码", "helper": "帮扶单位", "archive": "档案", "open": "未结束",
                    "helper_id": "帮扶单位", "archive_id": "困难家庭档案", "pledged_on": "结对日期",
                    "commitment": "帮扶承诺", "on": "结束日期", "reason": "结束原因", "visited_on": "走访日期",
                    "visitors": "走访人", "amount": "帮扶资金", "goods": "物资/服务", "note": "解决的问题"}

    def base_queryset(self):
        return Pairing.objects.select_related("helper__org", "archive")

    def detail_context(self, obj):
        return {**self.get_serializer_context(), "detail": True}

    @list_schema("结对帮扶列表", filters, PairingSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="结对帮扶详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("结对（一对一帮扶）", PairingInput, PairingSerializer)
    def create(self, request, *args, **kwargs):
        d = body(PairingInput, request)
        # As the page offers them: helpers in the scope of assistance.change, archives the user may see.
        helper = scope.visible(Helper.objects.select_related("org"), request.user, CHANGE).filter(
            pk=d.pop("helper_id")).first()
        if helper is None:
            raise Problem("未找到该帮扶单位，或不在您的办理范围内。", field="helper_id")
        archive = scope.visible(Archive.objects.select_related("org"), request.user, "assistance.view").filter(
            pk=d.pop("archive_id")).first()
        if archive is None:
            raise Problem("未找到该档案，或不在您的范围内。", field="archive_id")
        try:
            p = services.pairing_create(actor=request.user, helper=helper, archive=archive, **d)
        except ServiceError as err:
            err.field = {"archive": "archive_id"}.get(err.field or "", err.field)
            raise
        return self.respond(self.found(p), 201)

    end = step(services.pairing_end, PairingEndInput, "结束结对", "pairing", PairingSerializer, name="end")
    visits = step(services.visit_record, VisitInput, "登记走访", "pairing", PairingSerializer, name="visits")


registry.register("archives", ArchiveViewSet)
registry.register("applications", ApplicationViewSet)
registry.register("campaigns", CampaignViewSet)
registry.register("assistance-payments", PaymentViewSet)
registry.register("helpers", HelperViewSet)
registry.register("pairings", PairingViewSet)


TAG, VIEW = "困难帮扶", "assistance.view"


class LoggedExpenses(LineViewSet):
    """The household's rigid expenses are its finances: read with view_sensitive only (the archive
    page shows them to no one else), each read access-logged per archive."""

    def page_context(self, items):
        services.expenses_view_full(user=self.request.user, archives=[e.archive for e in items])
        return super().page_context(items)

    def detail_context(self, obj):
        services.expenses_view_full(user=self.request.user, archives=[obj.archive])
        return super().detail_context(obj)


ExpenseSerializer = read_serializer("ArchiveExpenseSerializer", Expense, [
    "id", "archive", "org", "kind", "annual_amount", "note"],
    archive=ArchiveRef(help_text="困难职工档案"),
    org=OrgRef(source="archive.org", help_text="建档单位"))
ExpenseViewSet = read_viewset(
    "ExpenseViewSet", base=LoggedExpenses, tag=TAG, summary="困难家庭刚性支出（需敏感信息权限，读取留痕）",
    queryset=lambda: Expense.objects.select_related("archive__org"), perm=SENSITIVE,
    serializer_class=ExpenseSerializer, page_name="api.archive_expenses", org_path="archive__org__path",
    ordering=("-pk",), orderings={"archive": ("archive_id", "id")},
    filters={"archive": Filter("archive_id", integer=True, description="档案编号（主键）"),
             "kind": Filter("kind", ExpenseKind.values, description="支出类型代码")},
    field_labels={"org": "组织编码", "archive": "档案", "kind": "支出类型"})

EventSerializer = read_serializer("ArchiveEventSerializer", ArchiveEvent, [
    "id", "archive", "org", "kind", "from_status", "to_status", "category", "effective_on", "note", "actor_name"],
    archive=ArchiveRef(help_text="困难职工档案"),
    org=OrgRef(source="archive.org", help_text="建档单位"))
EventViewSet = read_viewset(
    "ArchiveEventViewSet", tag=TAG, summary="档案动态（建档、公示、入档、复核、出档等）",
    queryset=lambda: ArchiveEvent.objects.select_related("archive__org"), perm=VIEW,
    serializer_class=EventSerializer, page_name="api.archive_events", org_path="archive__org__path",
    ordering=("-effective_on", "-id"), orderings={"effective_on": ("effective_on",)},
    filters={"archive": Filter("archive_id", integer=True, description="档案编号（主键）"),
             "kind": Filter("kind", ArchiveEvent.Kind.values, description="事项代码"),
             "from": Filter("effective_on__gte", date=True, description="日期自"),
             "to": Filter("effective_on__lte", date=True, description="日期至")},
    field_labels={"org": "组织编码", "archive": "档案", "kind": "事项", "from": "日期自", "to": "日期至"})

StandardSerializer = read_serializer("LivingStandardSerializer", LivingStandard, [
    "id", "region_code", "region_name", "year", "monthly"])
# One table for the whole system, as its page shows it to every reader of the line.
StandardViewSet = read_viewset(
    "LivingStandardViewSet", tag=TAG, summary="低保标准（元/人·月）",
    queryset=lambda: LivingStandard.objects.all(), perm=VIEW, serializer_class=StandardSerializer,
    page_name="api.living_standards", shared=True, by_org=False,
    ordering=("-year", "region_code", "pk"), orderings={"year": ("year", "region_code")},
    filters={"year": Filter("year", integer=True, description="年度"),
             "region": Filter("region_code", length=6, description="行政区划代码（6位）")},
    field_labels={"year": "年度", "region": "行政区划代码"})


class DocumentSerializer(serializers.ModelSerializer):
    """An attachment's metadata; `download_url` is the page's link (access-logged) for whoever may open it."""

    application_id = serializers.IntegerField(help_text="帮扶申请编号")
    org = OrgRef(source="application.org", help_text="建档单位")
    download_url = serializers.SerializerMethodField(help_text="下载地址（网页，查看留痕）；无敏感信息权限时为 null")

    class Meta:
        model = ApplicationDocument
        fields = ["id", "application_id", "org", "name", "uploaded_at", "uploaded_by_name", "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        return page_link(self, "assistance:document_open", obj.pk, perm=SENSITIVE, path=obj.application.org.path)


DocumentViewSet = read_viewset(
    "ApplicationDocumentViewSet", tag=TAG, summary="帮扶申请附件（仅文件信息）",
    queryset=lambda: ApplicationDocument.objects.select_related("application__org"), perm=VIEW,
    serializer_class=DocumentSerializer, page_name="api.application_documents",
    org_path="application__org__path", ordering=("-uploaded_at", "-id"), orderings={"uploaded_at": ("uploaded_at",)},
    filters={"application": Filter("application_id", integer=True, description="帮扶申请编号")},
    field_labels={"org": "组织编码", "application": "帮扶申请"})

registry.register("archive-expenses", ExpenseViewSet)
registry.register("archive-events", EventViewSet)
registry.register("living-standards", StandardViewSet)
registry.register("application-documents", DocumentViewSet)
