"""互助保障的接口：理赔（列表、详情、登记、审核、审批、给付、拒付），与页面调用同一服务；互助保障项目（含给付类别和
期次）、参保批次（参保单）、参保人员、理赔材料（仅文件信息）和参保单模板（列表、详情，只读）。

诊断和给付类别是健康信息：只在详情中、且仅对持有“查看理赔诊断等健康信息”权限的用户给出，每次读取
记入访问日志；身份证号脱敏，收款账号只显示后4位。理赔材料的下载地址（网页，下载留痕）仅对有该权限的用户给出。"""

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
from gonghui.api.lines import transition as step
from gonghui.api.problems import Problem
from gonghui.core import scope

from . import services
from .models import (
    Batch,
    Benefit,
    Claim,
    ClaimDocument,
    ClaimStatus,
    DocumentKind,
    FormTemplate,
    Item,
    ItemStatus,
    Plan,
    PlanKind,
    Term,
    Treatment,
)

CHANGE = "mutual_aid.change"
SENSITIVE = "mutual_aid.view_sensitive"


class ClaimSerializer(serializers.ModelSerializer):
    """A claim; `diagnosis` and `benefit` only in a detail read with view_sensitive (access-logged)."""

    union = OrgRef(help_text="参保工会")
    item_id = serializers.IntegerField(help_text="参保记录编号")
    name = serializers.CharField(source="item.name", help_text="参保人姓名")
    id_number = serializers.CharField(source="item.id_masked", help_text="身份证号（脱敏）")
    treatment_label = serializers.CharField(source="get_treatment_display", help_text="治疗方式（中文）")
    decision_label = serializers.CharField(source="get_decision_display", help_text="给付结论（中文）")
    status_label = serializers.CharField(source="get_status_display", help_text="状态（中文）")
    account = serializers.CharField(source="account_masked", help_text="收款账号（只显示后4位）")
    masked = serializers.SerializerMethodField(help_text="true：诊断和给付类别未给出")
    diagnosis = serializers.SerializerMethodField(help_text="诊断结论（仅有权限时的详情）")
    benefit = serializers.SerializerMethodField(help_text="给付类别（仅有权限时的详情）")

    class Meta:
        model = Claim
        fields = ["id", "no", "union", "item_id", "name", "id_number", "registered_on", "diagnosed_on", "hospital",
                  "treatment", "treatment_label", "decision", "decision_label", "amount", "status", "status_label",
                  "reviewed_on", "approved_on", "paid_on", "paid_amount", "rejected_on", "reason", "payee_name",
                  "bank_name", "account", "masked", "diagnosis", "benefit"]
        read_only_fields = fields

    def _shown(self, obj) -> dict | None:
        return self.context.get("shown")

    def get_masked(self, obj) -> bool:
        return self._shown(obj) is None

    def get_diagnosis(self, obj) -> str | None:
        shown = self._shown(obj)
        return shown["diagnosis"] if shown else None

    def get_benefit(self, obj) -> str | None:
        shown = self._shown(obj)
        return shown["benefit"] if shown else None


class ClaimInput(serializers.Serializer):
    item_id = serializers.IntegerField(min_value=1, max_value=2**53, help_text="参保记录编号")
    registered_on = Day(help_text="登记日期")
    diagnosis = serializers.CharField(max_length=500, help_text="诊断结论")
    benefit_code = serializers.CharField(max_length=20, help_text="给付类别代码（项目中设定）")
    diagnosed_on = Day(help_text="确诊日期")
    hospital = serializers.CharField(max_length=100, help_text="就诊医院")
    treatment = serializers.ChoiceField(choices=Treatment.choices, help_text="治疗方式")


class OnInput(serializers.Serializer):
    on = Day(help_text="日期")


class ClaimRejectInput(OnInput):
    reason = serializers.CharField(max_length=200, help_text="拒付理由")


@extend_schema(tags=["互助保障"], responses={**ERRORS})
class ClaimViewSet(LineViewSet):
    """理赔：列表与页面“理赔”相同的筛选；审核、审批由不同的人办理。"""

    perm = "mutual_aid.view"
    perms = {"create": CHANGE, "review": "mutual_aid.review", "approve": "mutual_aid.approve",
             "pay": "mutual_aid.approve", "reject": "mutual_aid.review"}
    serializer_class = ClaimSerializer
    page_name = "api.claims"
    org_path = "union__path"
    ordering = ("-registered_on", "-pk")
    orderings = {"registered_on": ("registered_on",)}
    filters = {
        "status": Filter("status", ClaimStatus.values, description="状态代码"),
        "q": Filter(("no__contains", "item__name__contains", "union__name__contains"),
                    description="理赔编号、参保人姓名或工会名称包含"),
    }
    field_labels = {"org": "组织编码", "status": "状态", "q": "查找", "item_id": "参保记录", "item": "参保记录",
                    "registered_on": "登记日期", "diagnosis": "诊断结论", "benefit_code": "给付类别",
                    "diagnosed_on": "确诊日期", "hospital": "就诊医院", "treatment": "治疗方式", "on": "日期",
                    "reason": "拒付理由"}

    def base_queryset(self):
        return Claim.objects.select_related("union", "item")

    def detail_context(self, obj):
        ctx = self.get_serializer_context()
        if scope.has_perm(self.request.user, SENSITIVE, obj.union.path):
            ctx["shown"] = services.claim_reveal(user=self.request.user, claim=obj, reason="接口读取详情")
        return ctx

    @list_schema("理赔列表（不含诊断）", filters, ClaimSerializer)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="理赔详情（带 ETag；有权限时含诊断并留痕）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @create_schema("登记理赔", ClaimInput, ClaimSerializer, examples=[OpenApiExample("住院", request_only=True, value={
        "item_id": 101, "registered_on": "2026-12-01", "diagnosis": "急性阑尾炎", "benefit_code": "A",
        "diagnosed_on": "2026-11-20", "hospital": "长沙县人民医院", "treatment": "surgery"})])
    def create(self, request, *args, **kwargs):
        d = body(ClaimInput, request)
        item = scope.visible(Item.objects.select_related("plan", "union").filter(pk=d.pop("item_id")), request.user,
                             CHANGE, "union__path").first()
        if item is None:
            raise Problem("未找到该参保记录，或不在您的办理范围内。", field="item_id")
        c = services.claim_register(actor=request.user, item=item, **d)
        return self.respond(self.found(c), 201)

    review = step(services.claim_review, OnInput, "审核理赔", "claim", ClaimSerializer, name="review")
    approve = step(services.claim_approve, OnInput, "审批理赔（不能是审核人）", "claim", ClaimSerializer,
                   name="approve")
    pay = step(services.claim_pay, OnInput, "登记给付", "claim", ClaimSerializer, name="pay")
    reject = step(services.claim_reject, ClaimRejectInput, "拒付", "claim", ClaimSerializer, name="reject")


registry.register("claims", ClaimViewSet)

TAG, VIEW = "互助保障", "mutual_aid.view"

BenefitSerializer = read_serializer("PlanBenefitSerializer", Benefit, ["code", "name", "amount_per_unit"])
TermSerializer = read_serializer("PlanTermSerializer", Term, ["id", "name", "opens_on", "closes_on"])
PlanSerializer = read_serializer("PlanSerializer", Plan, [
    "id", "org", "code", "name", "kind", "sex", "max_age_female", "max_age_male", "in_service_only", "unit_premium",
    "term_months", "max_units", "min_coverage", "waiting_days", "condolence_after_days", "condolence_amount",
    "renewal_grace_days", "payout_ends_cover", "active", "note", "benefits", "terms"], orgs={"org": "主办工会"},
    benefits=BenefitSerializer(many=True, read_only=True, help_text="给付类别及每份给付金额"),
    terms=TermSerializer(many=True, read_only=True, help_text="参保期次"))
# The plans page shows every plan to every reader: a federation's plan is what its unions enrol in.
PlanViewSet = read_viewset(
    "PlanViewSet", tag=TAG, summary="互助保障项目（含给付类别和期次）",
    queryset=lambda: Plan.objects.select_related("org").prefetch_related("benefits", "terms"), perm=VIEW,
    serializer_class=PlanSerializer, page_name="api.plans", org_path="org__path", shared=True,
    ordering=("code", "pk"), orderings={"code": ("code",)},
    filters={"kind": Filter("kind", PlanKind.values, description="项目类别代码"),
             "active": Filter("active", boolean=True, description="true：仅接受参保的项目")},
    field_labels={"org": "组织编码", "kind": "项目类别", "active": "接受参保"})

BatchSerializer = read_serializer("BatchSerializer", Batch, [
    "id", "no", "union", "term", "plan_id", "plan_name", "term_name", "enrolled_on", "eligible_count", "enrolled_count",
    "units_total", "premium_total", "sum_insured_total", "coverage_rate"], orgs={"union": "参保单位"},
    plan_id=serializers.IntegerField(source="term.plan_id", help_text="项目编号"),
    plan_name=serializers.CharField(source="term.plan.name", help_text="项目名称"),
    term_name=serializers.CharField(source="term.name", help_text="期次"),
    coverage_rate=serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True,
                                           help_text="参保率（%），字符串"))
BatchViewSet = read_viewset(
    "BatchViewSet", tag=TAG, summary="参保批次（参保单）",
    queryset=lambda: Batch.objects.select_related("union", "term__plan"), perm=VIEW, serializer_class=BatchSerializer,
    page_name="api.batches", org_path="union__path", ordering=("-enrolled_on", "-pk"),
    orderings={"enrolled_on": ("enrolled_on",)},
    filters={"plan": Filter("term__plan_id", integer=True, description="项目编号"),
             "q": Filter(("no__contains", "union__name__contains"), description="参保单号或工会名称包含")},
    field_labels={"org": "组织编码", "plan": "项目", "q": "查找"})

ItemSerializer = read_serializer("InsuredItemSerializer", Item, [
    "id", "batch", "union", "plan", "term", "row_no", "name", "id_number", "units", "premium", "sum_insured",
    "enrolled_on", "start_on", "end_on", "waiting_until", "is_renewal", "status", "ended_on"],
    orgs={"union": "参保单位"}, id_number=serializers.CharField(source="id_masked", help_text="公民身份号码（脱敏）"))
ItemViewSet = read_viewset(
    "InsuredItemViewSet", tag=TAG, summary="参保人员（身份证号脱敏）",
    queryset=lambda: Item.objects.select_related("union"), perm=VIEW, serializer_class=ItemSerializer,
    page_name="api.insured", org_path="union__path", ordering=("-pk",), orderings={"row_no": ("batch_id", "row_no")},
    filters={"batch": Filter("batch_id", integer=True, description="参保批次编号（参保单的人员，按序号排时用）"),
             "status": Filter("status", ItemStatus.values, description="状态代码"),
             "q": Filter("name__contains", length=50, description="姓名包含")},
    field_labels={"org": "组织编码", "batch": "参保批次", "status": "状态", "q": "查找"})

registry.register("mutual-aid-plans", PlanViewSet)
registry.register("enrolment-batches", BatchViewSet)
registry.register("insured", ItemViewSet)


class ClaimDocumentSerializer(serializers.ModelSerializer):
    """A claim paper's metadata; `download_url` is the page's link (access-logged) for whoever may open it."""

    claim_id = serializers.IntegerField(help_text="理赔编号")
    claim_no = serializers.CharField(source="claim.no", help_text="理赔编号（业务）")
    union = OrgRef(source="claim.union", help_text="参保工会")
    kind_label = serializers.CharField(source="get_kind_display", help_text="材料类别（中文）")
    download_url = serializers.SerializerMethodField(help_text="下载地址（网页，下载留痕）；无健康信息权限时为 null")

    class Meta:
        model = ClaimDocument
        fields = ["id", "claim_id", "claim_no", "union", "kind", "kind_label", "name", "size", "uploaded_at",
                  "download_url"]
        read_only_fields = fields

    def get_download_url(self, obj) -> str | None:
        return page_link(self, "mutual_aid:claim_document", obj.pk, perm=SENSITIVE, path=obj.claim.union.path)


ClaimDocumentViewSet = read_viewset(
    "ClaimDocumentViewSet", tag=TAG, summary="理赔材料（仅文件信息）",
    queryset=lambda: ClaimDocument.objects.select_related("claim__union"), perm=VIEW,
    serializer_class=ClaimDocumentSerializer, page_name="api.claim_documents", org_path="claim__union__path",
    ordering=("-uploaded_at", "-pk"), orderings={"uploaded_at": ("uploaded_at",)},
    filters={"claim": Filter("claim_id", integer=True, description="理赔编号（主键）"),
             "kind": Filter("kind", DocumentKind.values, description="材料类别代码")},
    field_labels={"org": "组织编码", "claim": "理赔", "kind": "材料类别"})

FormTemplateSerializer = read_serializer("EnrolmentFormTemplateSerializer", FormTemplate, [
    "id", "org", "name", "uploaded_at"], orgs={"org": "上传模板的单位（用于其下级各工会）"})
FormTemplateViewSet = read_viewset(
    "FormTemplateViewSet", tag=TAG, summary="参保单模板（仅文件信息；下载见网页）",
    queryset=lambda: FormTemplate.objects.select_related("org").defer("content"), perm="mutual_aid.plan",
    serializer_class=FormTemplateSerializer, page_name="api.enrolment_form_templates", org_path="org__path",
    ordering=("-uploaded_at", "-pk"), orderings={"uploaded_at": ("uploaded_at",)},
    field_labels={"org": "组织编码"})

registry.register("claim-documents", ClaimDocumentViewSet)
registry.register("enrolment-form-templates", FormTemplateViewSet)
