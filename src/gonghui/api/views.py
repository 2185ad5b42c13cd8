"""The API's resources: thin views over the same selectors, scope and services as the pages.

Each view names the permission code of each action (`perm`, `perms`); the queryset is scoped
with core.scope, so an object out of the user's scope is "not found" (404) like a missing one.
Writes call the services the pages call (validation, scope check and audit entry in one
transaction); no serializer saves a model.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers as drf
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core import clock, crypto, scope, tree
from gonghui.core.errors import ServiceError
from gonghui.core.params import ID_MAX, int_param
from gonghui.core.scope import subtree_q
from gonghui.members import forms as member_forms
from gonghui.members import selectors as member_selectors
from gonghui.members import services as member_services
from gonghui.members.models import Membership
from gonghui.orgs import conf as org_conf
from gonghui.orgs import selectors as org_selectors
from gonghui.orgs.models import Coverage, Employer, Org, required_q
from gonghui.orgs.selectors import employers_for
from gonghui.petitions import forms as petition_forms
from gonghui.petitions import selectors as petition_selectors
from gonghui.petitions import services as petition_services
from gonghui.petitions.models import Channel, Extension, Petition
from gonghui.petitions.models import Status as PetitionStatus

from . import serializers as s
from .pagination import KeysetPagination
from .problems import Problem
from .stats import breakdown_json, records_of, stats_json

PROBLEM = inline_serializer("Problem", {
    "type": drf.CharField(), "title": drf.CharField(help_text="错误类别"), "status": drf.IntegerField(),
    "detail": drf.CharField(help_text="中文说明，指明字段"),
    "errors": drf.ListField(child=inline_serializer("FieldError", {"field": drf.CharField(),
                                                                   "message": drf.CharField()}), required=False),
})
ERRORS = {400: PROBLEM, 401: PROBLEM, 403: PROBLEM, 404: PROBLEM, 429: PROBLEM}


def etagged(request, data) -> Response:
    """A detail with its ETag; `If-None-Match` with the same tag gets 304 and no body."""
    body = JSONRenderer().render(data)
    tag = '"' + crypto.digest(getattr(settings, "CRYPTO_PROFILE", "intl"), body).hex()[:32] + '"'
    given = [t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")]
    if tag in given or "*" in given:
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
    return Response(data, headers={"ETag": tag})


def text_param(value, length: int) -> str:
    """A query parameter as text for a filter: at most `length` characters, no NUL (PostgreSQL refuses it)."""
    return str(value or "").replace("\x00", "")[:length]


def visible_org(user, perm: str, code: str, field: str) -> Org:
    """The org with this code if the user holds `perm` over it; a Chinese 400 naming the field otherwise."""
    code = text_param(code, 40)
    org = scope.visible(Org.objects.filter(code=code), user, perm, "path").first() if code else None
    if org is None:
        raise Problem(f"未找到编码为“{code}”的组织，或不在您的范围内。", field=field)
    return org


def page_filters(form_class, params, view) -> dict:
    """The list's filters, validated by the page's own filter form: a value the page would refuse
    is a 400 naming the field (the page shows the error and ignores the filter); blanks are left out."""
    form = form_class({k: text_param(v, 200) for k, v in params.items() if k not in ("cursor", "size")})
    if not form.is_valid():
        errors = [{"field": f, "message": str(m)} for f, msgs in form.errors.items() for m in msgs]
        from .problems import detail_of

        raise Problem(detail_of(view, errors), field=errors[0]["field"])
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "", False)}


def flag(params, name: str) -> bool:
    return str(params.get(name, "")).lower() in ("1", "true")


def ordering_values(orderings: dict) -> list[str]:
    """The `ordering` parameter's values: each order by its name, and reversed with a leading "-"."""
    return [v for name in orderings for v in (name, f"-{name}")]


def ordered(qs, orderings: dict[str, tuple[str, ...]], params):
    """The list in the order `?ordering=` names (one of `orderings`, "-" in front reverses every
    term), else as it is. The keyset pager appends the primary key when the terms do not end with a
    unique field and salts its cursors with the terms, so a cursor of another order is refused."""
    raw = text_param(params.get("ordering"), 60).strip()
    if not raw:
        return qs
    name = raw.removeprefix("-")
    if name not in orderings:
        allowed = "、".join(ordering_values(orderings)) or "（无）"
        raise Problem(f"不支持按“{raw}”排序，可选值为：{allowed}。", field="ordering")
    terms = orderings[name]
    if raw.startswith("-"):
        terms = tuple(t.removeprefix("-") if t.startswith("-") else f"-{t}" for t in terms)
    return qs.order_by(*terms)


class ApiViewSet(viewsets.GenericViewSet):
    perm = ""
    perms: dict[str, str] = {}
    field_labels: dict[str, str] = {}
    # `?ordering=` on the list: name -> its order_by terms, ascending ("-name" reverses them). Only
    # the orders the list's page uses (each served by an index at city size); described in the
    # schema by api.schema.AutoSchema.
    orderings: dict[str, tuple[str, ...]] = {}

    def get_object(self):
        pk = int_param(self.kwargs, "pk", None, min_value=1, max_value=ID_MAX)
        if pk is None:
            raise Http404
        return self.get_object_from(self.get_queryset(), pk)

    def get_object_from(self, qs, pk):
        obj = qs.filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(ordered(self.filter_list(self.get_queryset()), self.orderings,
                                              request.query_params))
        return self.get_paginated_response(self.get_serializer(page, many=True, context=self.page_context(page)).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return etagged(request, self.get_serializer(obj, context=self.detail_context(obj)).data)

    def filter_list(self, qs):
        return qs

    def page_context(self, items) -> dict:
        return self.get_serializer_context()

    def detail_context(self, obj) -> dict:
        return self.get_serializer_context()


def _org_params(extra=()):
    return [OpenApiParameter("org", str, description="只列出该组织编码及其下级的记录（子树）", examples=[
        OpenApiExample("甲镇", value="A")]), *extra]


@extend_schema(tags=["组织"], responses={**ERRORS})
class OrgViewSet(ApiViewSet):
    """组织树：列表按树的顺序（先上级后下级），`children` 为直接下级。"""

    perm = "orgs.view"
    serializer_class = s.OrgSerializer
    page_name = "api.orgs"
    field_labels = {"org": "组织编码"}

    def get_queryset(self):
        return scope.visible(Org.objects.all(), self.request.user, self.perm, "path").order_by("path")

    def filter_list(self, qs):
        code = self.request.query_params.get("org")
        if code:
            qs = qs.filter(subtree_q("path", visible_org(self.request.user, self.perm, code, "org").path))
        org_type = self.request.query_params.get("type")
        if org_type:
            qs = qs.filter(org_type=text_param(org_type, 20))
        text = text_param(self.request.query_params.get("q"), 50).strip()
        if text:  # the tree page's search: name, code, full pinyin or initials, upper levels first
            qs = qs.filter(pk__in=org_selectors.search(self.request.user, text).values("pk")).order_by("depth", "path")
        return qs

    def page_context(self, items):
        parents = {o.path[: -Org.steplen] for o in items if o.depth > 1}
        found = dict(self.get_queryset().filter(path__in=parents).values_list("path", "pk")) if parents else {}
        return {**self.get_serializer_context(), "parents": found}

    def detail_context(self, obj):
        return self.page_context([obj])

    @extend_schema(summary="组织列表（树的顺序；查找时先上级后下级）", parameters=_org_params([
        OpenApiParameter("type", str, description="组织类型代码"),
        OpenApiParameter("q", str, description="查找：名称、编码、全拼或拼音首字母（同组织树页面）")]),
                   responses={200: s.OrgSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="组织详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="直接下级组织", responses={200: s.OrgSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def children(self, request, pk=None):
        org = self.get_object()
        qs = self.get_queryset().filter(subtree_q("path", org.path), depth=org.depth + 1)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True, context=self.page_context(page)).data)


@extend_schema(tags=["用人单位"], responses={**ERRORS})
class EmployerViewSet(ApiViewSet):
    perm = "employers.view"
    serializer_class = s.EmployerSerializer
    page_name = "api.employers"
    field_labels = {"org": "组织编码"}

    def get_queryset(self):
        return scope.visible(Employer.objects.select_related("org"), self.request.user, self.perm)

    def filter_list(self, qs):
        """The employers page's filters, in its order (by union, then name)."""
        params = self.request.query_params
        code = params.get("org")
        if code:
            qs = qs.filter(subtree_q("org__path", visible_org(self.request.user, self.perm, code, "org").path))
        text = text_param(params.get("q"), 50).strip()
        if text:
            cond = Q(name__contains=text) | Q(uscc=text.upper())
            if text.isascii():
                cond |= Q(name_initials__startswith=text.lower())
            qs = qs.filter(cond)
        if flag(params, "required"):
            qs = qs.filter(required_q(org_conf.get("REQUIRED_HEADCOUNT")))
        if flag(params, "pending"):
            qs = qs.filter(Q(uscc__isnull=True) | Q(uscc=""))
        if flag(params, "uncovered"):
            qs = qs.filter(~Exists(Coverage.objects.filter(employer=OuterRef("pk"), valid_to__isnull=True)))
        return qs.order_by("org__path", "name", "pk")

    @extend_schema(summary="用人单位列表（按属地工会、名称排序）", parameters=_org_params([
        OpenApiParameter("q", str, description="查找：名称、统一社会信用代码或拼音首字母"),
        OpenApiParameter("required", bool, description="true：仅应建会（职工人数达到标准）"),
        OpenApiParameter("uncovered", bool, description="true：仅未建会"),
        OpenApiParameter("pending", bool, description="true：仅待补充信用代码")]),
        responses={200: s.EmployerSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="用人单位详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


@extend_schema(tags=["会员"], responses={**ERRORS})
class MemberViewSet(ApiViewSet):
    """会员：列表一律脱敏；持有“查看完整身份证号和手机号”权限的用户读取详情时得到完整号码，并记入访问日志。"""

    perm = "members.view"
    perms = {"create": "members.change"}
    serializer_class = s.MemberSerializer
    page_name = "api.members"
    field_labels = {"org": "组织编码", "status": "会籍状态", "q": "搜索", **{
        name: str(f.label) for name, f in member_forms.JoinForm.base_fields.items()}, **{
        name: str(f.label) for name, f in member_forms.RosterFilterForm.base_fields.items() if name != "org"}}

    def get_queryset(self):
        qs = Membership.objects.select_related("person", "union")
        return scope.visible(qs, self.request.user, self.perm, "union__path")

    def list(self, request, *args, **kwargs):
        """The roster page's filters (members.forms.RosterFilterForm), in its order (by name)."""
        filters = page_filters(member_forms.RosterFilterForm, request.query_params, self)
        code, org = filters.pop("org", ""), None
        if code:
            org = visible_org(request.user, self.perm, code, "org")
        qs = member_selectors.roster(request.user, org=org, **filters)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    list = extend_schema(summary="会员名册（当前会员，脱敏，按姓名排序）", parameters=_org_params([
        OpenApiParameter("q", str, description="姓名、拼音、会员证号、身份证号或后4位"),
        OpenApiParameter("status", str, enum=["active", "retained"], description="会籍状态"),
        OpenApiParameter("gender", str, enum=["1", "2"], description="性别：1 男，2 女"),
        OpenApiParameter("migrant", str, enum=["1", "0"], description="农民工：1 是，0 否"),
        OpenApiParameter("age_min", int, description="年龄自（0–120）"),
        OpenApiParameter("age_max", int, description="年龄至（0–120）"),
        OpenApiParameter("joined_from", OpenApiTypes.DATE, description="入会日期自"),
        OpenApiParameter("joined_to", OpenApiTypes.DATE, description="入会日期至")]),
        responses={200: s.MemberSerializer(many=True), **ERRORS})(list)

    @extend_schema(summary="会员详情（带 ETag；有权限时为完整号码并留痕）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def detail_context(self, obj):
        ctx = self.get_serializer_context()
        if scope.has_perm(self.request.user, "members.view_sensitive", obj.union.path):
            shown = member_services.person_reveal(user=self.request.user, person=obj.person, reason="接口读取详情")
            ctx["full"] = {obj.person_id: shown}
        return ctx

    @extend_schema(summary="登记入会", request=s.JoinInput, responses={201: s.MemberSerializer, **ERRORS},
                   examples=[OpenApiExample("入会", request_only=True, value={
                       "union_code": "A1", "name": "李四", "id_number": "430121199001011234",
                       "joined_on": "2026-12-01", "phone": "13800138000"})])
    def create(self, request, *args, **kwargs):
        if not isinstance(request.data, dict):
            raise Problem("请求体应为 JSON 对象。")
        # A field left out takes the page's default (民族 汉族, 就业状态 在岗…), as the page's form shows it.
        data = {name: f.initial for name, f in member_forms.JoinForm.base_fields.items() if f.initial is not None}
        form = member_forms.JoinForm(data={**data, **request.data})
        if form.is_valid():
            d = form.cleaned_data
            union = scope.visible(Org.objects.filter(code=d["union_code"]), request.user, "members.change",
                                  "path").first()
            if union is None:
                form.add_error("union_code", f"未找到编码为“{d['union_code']}”的工会，或不在您的办理范围内。")
            employer = None
            if d.get("employer_uscc"):
                uscc = d["employer_uscc"].strip().upper()
                employer = employers_for(request.user, member_services.EMPLOYER_PERM).filter(uscc=uscc).first()
                if employer is None:
                    form.add_error("employer_uscc", member_services.EMPLOYER_UNKNOWN.format(uscc))
            if not form.errors:
                fields = {f: d[f] for f in member_services.PERSON_FIELDS if f in d and f != "employer"}
                m = member_services.member_join(actor=request.user, union=union, id_number=d["id_number"],
                                                joined_on=d["joined_on"], card_no=d["card_no"], gender=d["gender"],
                                                employer=employer, **fields)
                m = self.get_queryset().get(pk=m.pk)
                return Response(self.get_serializer(m).data, status=status.HTTP_201_CREATED)
        errors = [{"field": f if f != "__all__" else "", "message": str(msg)}
                  for f, msgs in form.errors.items() for msg in msgs]
        from .problems import detail_of, problem

        return problem(400, detail_of(self, errors), errors)


def _transition(service, input_class, summary: str, name: str = "", perm: str = "petitions.change", **argmap):
    """An action endpoint: POST its input, the service moves the case; returns the case (204 when
    the step moved it out of the user's scope, e.g. 异议退回 to the federation that forwarded it)."""

    def view(self, request, pk=None):
        p = self.get_object_from(self.changeable(perm), int_param({"pk": pk}, "pk", 0, min_value=1, max_value=ID_MAX))
        data = self.validated(input_class, request)
        self.run(service, request.user, p, {argmap.get(k, k): v for k, v in data.items()})
        p = self.get_queryset().filter(pk=p.pk).first()
        if p is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(self.get_serializer(p).data)

    view.__name__ = name or service.__name__.removeprefix("petition_")
    # extend_schema outside action() (as lines.transition): inside, the body was described as the case.
    view = action(detail=True, methods=["post"], url_path=view.__name__.rstrip("_"))(view)
    return extend_schema(summary=summary, request=input_class,
                         responses={200: s.PetitionSerializer, 204: OpenApiResponse(description="案件已移出您的范围"),
                                    **ERRORS})(view)


@extend_schema(tags=["信访"], responses={**ERRORS})
class PetitionViewSet(ApiViewSet):
    """信访案件：状态变化为动作接口（受理、不予受理、转办、上报、异议退回、办理、延期及其审批、答复、办结、
    复查/复核及其答复、重新办理），与页面调用同一服务。"""

    perm = "petitions.view"
    perms = {"create": "petitions.change", **{a: "petitions.change" for a in (
        "accept", "reject", "forward", "report", "object_", "progress", "extend", "reply", "close", "review",
        "review_reply", "reopen")}, "decide_extension": "petitions.approve"}
    serializer_class = s.PetitionSerializer
    page_name = "api.petitions"
    ordering = ("-received_on", "-id")  # the cases page's order
    orderings = {"received_on": ("received_on",)}
    field_labels = {"org": "组织编码", "org_code": "承办单位编码", "channel": "渠道", "received_on": "收到日期",
                    "title": "事由", "category": "诉求类别", "kind": "类型", "content": "信访内容",
                    "people_count": "涉及人数", "petitioners": "信访人", "amount_claimed": "诉求金额",
                    "employer_name": "所涉单位名称", "notice_on": "告知日期", "note": "说明", "reason": "理由",
                    "on": "日期", "replied_on": "答复日期", "result": "处理结果", "summary": "答复意见",
                    "amount_recovered": "追回金额", "closed_on": "办结日期", "satisfaction": "满意度",
                    "status": "状态", "to_code": "转办至（下级单位编码）", "to_org": "转办至",
                    "requested_on": "申请日期", "approve": "审批结果", "decided_on": "审批日期", "q": "编号或事由",
                    "received_from": "收到日期自", "received_to": "收到日期至", "overdue": "仅逾期", "mine": "我承办的"}

    def get_queryset(self):
        qs = Petition.objects.select_related("org")
        return qs.filter(petition_services.visible_q(self.request.user)).order_by("-received_on", "-id")

    def changeable(self, perm="petitions.change"):
        return scope.visible(Petition.objects.select_related("org"), self.request.user, perm)

    def run(self, service, user, petition, data):
        if "to_code" in data:  # 转办: the receiving union by its code, within the user's scope
            data["to_org"] = visible_org(user, "petitions.change", data.pop("to_code"), "to_code")
        if service is petition_services.extension_decide:
            extension = petition.extensions.filter(state=Extension.State.PENDING).first()
            if extension is None:
                raise Problem("该案件没有待审批的延期申请。")
            return service(actor=user, extension=extension, **data)
        return service(actor=user, petition=petition, **data)

    def validated(self, input_class, request) -> dict:
        if not isinstance(request.data, dict):
            raise Problem("请求体应为 JSON 对象。")
        ser = input_class(data=request.data)
        ser.is_valid(raise_exception=True)
        return dict(ser.validated_data)

    def list(self, request, *args, **kwargs):
        """The cases page's filters (petitions.forms.FilterForm), in its order (newest first)."""
        filters = page_filters(petition_forms.FilterForm, request.query_params, self)
        code, org = filters.pop("org", ""), None
        if code:
            org = visible_org(request.user, self.perm, code, "org")
        qs = petition_selectors.petitions(request.user, org=org, today=clock.today(), **filters)
        page = self.paginate_queryset(ordered(qs, self.orderings, request.query_params))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    list = extend_schema(summary="信访案件列表（按收到日期，新的在前）", parameters=_org_params([
        OpenApiParameter("q", str, description="编号或事由"),
        OpenApiParameter("status", str, enum=[c for c, _ in PetitionStatus.choices], description="状态"),
        OpenApiParameter("channel", str, enum=[c for c, _ in Channel.choices], description="渠道"),
        OpenApiParameter("received_from", OpenApiTypes.DATE, description="收到日期自"),
        OpenApiParameter("received_to", OpenApiTypes.DATE, description="收到日期至"),
        OpenApiParameter("overdue", bool, description="true：仅逾期"),
        OpenApiParameter("mine", bool, description="true：我承办的")]),
        responses={200: s.PetitionSerializer(many=True), **ERRORS})(list)

    @extend_schema(summary="信访案件详情（带 ETag）")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="登记信访案件", request=s.PetitionRegisterInput, responses={201: s.PetitionSerializer, **ERRORS},
                   examples=[OpenApiExample("来访", request_only=True, value={
                       "org_code": "A", "channel": "visit", "received_on": "2026-12-01", "title": "拖欠工资",
                       "category": "wages", "petitioners": [{"name": "王五", "phone": "13900139000"}]})])
    def create(self, request, *args, **kwargs):
        d = self.validated(s.PetitionRegisterInput, request)
        org = visible_org(request.user, "petitions.change", d.pop("org_code"), "org_code")
        petitioners = [dict(p) for p in d.pop("petitioners")]
        p = petition_services.petition_register(actor=request.user, org=org, petitioners=petitioners, **d)
        return Response(self.get_serializer(self.get_queryset().get(pk=p.pk)).data, status=status.HTTP_201_CREATED)

    accept = _transition(petition_services.petition_accept, s.AcceptInput, "受理并告知")
    reject = _transition(petition_services.petition_reject, s.RejectInput, "不予受理")
    progress = _transition(petition_services.petition_progress, s.ProgressInput, "登记办理情况")
    reply = _transition(petition_services.petition_reply, s.ReplyInput, "答复")
    close = _transition(petition_services.petition_close, s.CloseInput, "办结")
    forward = _transition(petition_services.petition_forward, s.ForwardInput, "转办下级")
    report = _transition(petition_services.petition_report_up, s.DateNoteInput, "上报上级", name="report")
    object_ = _transition(petition_services.petition_object, s.ReasonInput, "异议退回（退回转办单位）", name="object_")
    extend = _transition(petition_services.extension_request, s.ExtendInput, "申请延期", name="extend")
    decide_extension = _transition(petition_services.extension_decide, s.DecideExtensionInput, "审批延期申请",
                                   name="decide_extension", perm="petitions.approve")
    review = _transition(petition_services.petition_review_request, s.ReviewInput, "申请复查/复核", name="review")
    review_reply = _transition(petition_services.petition_review_reply, s.ReviewReplyInput, "复查/复核答复")
    reopen = _transition(petition_services.petition_reopen, s.ReasonInput, "重新办理")


class StatsView(APIView):
    """统计指标：与命令 `gonghui stats --json` 输出相同的 JSON（来自指标注册表）。"""

    perm = "stats.view"
    field_labels = {"org": "组织编码", "from": "开始日期", "to": "截止日期", "own_level": "仅本级"}

    @extend_schema(tags=["统计"], summary="某组织某期间的全部统计指标", parameters=[
        OpenApiParameter("org", str, description="组织编码（默认：您范围内的顶级组织）"),
        OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（默认：截止日期所在年的1月1日）"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期（默认：当年12月31日）"),
        OpenApiParameter("own_level", bool, description="true：仅本级（不含下级）")],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        examples=[OpenApiExample("甲镇", response_only=True, value={
            "org": {"code": "A", "name": "甲镇工会联合会"}, "from": "2026-01-01", "to": "2026-12-31",
            "include_subordinates": True, "filters": {},
            "metrics": {"members.count": {"label": "会员人数", "unit": "人", "value": 90}}})])
    def get(self, request):
        params = request.query_params
        if params.get("org"):  # the org is what is read here: out of scope is "not found", like a detail
            org = scope.visible(Org.objects.filter(code=text_param(params["org"], 40)), request.user, self.perm,
                                "path").first()
            if org is None:
                raise Http404
        else:
            org = tree.top_node(request.user, self.perm)
            if org is None:
                raise Http404
        own = str(params.get("own_level", "")).lower() in ("1", "true", "yes")
        try:
            return Response(stats_json(org, params.get("from"), params.get("to"), not own))
        except ServiceError as err:
            raise Problem(err.messages[0], field=err.field) from None


RECORD = inline_serializer("FigureRecord", {
    "label": drf.CharField(help_text="记录（与记录清单页面相同，个人信息脱敏）"),
    "date": drf.CharField(allow_null=True, help_text="日期（ISO 8601）"), "org_name": drf.CharField(help_text="所属单位"),
    "url": drf.CharField(help_text="记录所在页面的地址（相对地址；无页面时为空）")})
FIGURE_PARAMS = [
    OpenApiParameter("key", str, OpenApiParameter.PATH, description="指标代码（见 /api/v1/stats/ 的 metrics）"),
    OpenApiParameter("org", str, description="组织编码（默认：您范围内的顶级组织）"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（默认：截止日期所在年的1月1日）"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="截止日期（默认：当年12月31日）"),
]


class StatsBreakdownView(APIView):
    """一个指标的分解：本级和每个直接下级各自的数值（与指标页面相同；期间已锁定时为发布的数字）。"""

    perm = "stats.view"
    field_labels = {"org": "组织编码", "from": "开始日期", "to": "截止日期"}

    @extend_schema(tags=["统计"], summary="指标分解（本级和各直接下级）", parameters=FIGURE_PARAMS,
                   responses={200: OpenApiTypes.OBJECT, **ERRORS},
                   examples=[OpenApiExample("会员人数", response_only=True, value={
                       "metric": {"key": "members.count", "label": "会员人数", "unit": "人"},
                       "org": {"id": 2, "code": "A", "name": "甲镇工会联合会"}, "from": "2026-01-01",
                       "to": "2026-12-31", "filters": {}, "total": {"value": 90}, "adds_up": True,
                       "parts": [{"org": {"id": 2, "code": "A", "name": "甲镇工会联合会"}, "label": "本级",
                                  "own": True, "value": 0},
                                 {"org": {"id": 4, "code": "A1", "name": "甲一公司工会"}, "label": "甲一公司工会",
                                  "own": False, "value": 30}]})])
    def get(self, request, key):
        return Response(breakdown_json(request, key))


class StatsRecordsView(APIView):
    """一个指标背后的记录清单（与记录清单页面相同：同样的权限、范围和脱敏）；比率分未达标（gap）和达标（met）两方。"""

    perm = "stats.view"
    field_labels = {"org": "组织编码", "from": "开始日期", "to": "截止日期", "part": "清单", "cursor": "分页游标"}
    pagination_class = KeysetPagination

    @extend_schema(tags=["统计"], summary="指标的记录清单（键集分页）", parameters=[
        *FIGURE_PARAMS, OpenApiParameter("own_level", bool, description="true：仅本级（不含下级）"),
        OpenApiParameter("part", str, enum=["gap", "met"], description="比率指标：gap 未达标的一方（默认），met 达标的一方"),
        *KeysetPagination().get_schema_operation_parameters(None)],
        responses={200: inline_serializer("FigureRecordPage", {
            "metric": drf.CharField(), "part": drf.CharField(help_text="all、gap 或 met"),
            "part_label": drf.CharField(), "count": drf.IntegerField(allow_null=True),
            "count_cap": drf.IntegerField(), "next": drf.CharField(allow_null=True),
            "previous": drf.CharField(allow_null=True), "results": drf.ListField(child=RECORD)}), **ERRORS})
    def get(self, request, key):
        m, qs, row, part, label = records_of(request, key)
        paginator = KeysetPagination()
        self.page_name = f"api.records:{m.code}:{part}"
        items = paginator.paginate_queryset(qs, request, view=self)
        rows = [row(obj) for obj in items]
        body = paginator.get_paginated_response([
            {"label": r.label, "date": r.date.isoformat() if r.date else None, "org_name": r.org_name, "url": r.url}
            for r in rows]).data
        return Response({"metric": m.code, "part": part, "part_label": label, **body})
