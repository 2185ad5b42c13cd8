"""The API's resources: thin views over the same selectors, scope and services as the pages.

Each view names the permission code of each action (`perm`, `perms`); the queryset is scoped
with core.scope, so an object out of the user's scope is "not found" (404) like a missing one.
Writes call the services the pages call (validation, scope check and audit entry in one
transaction); no serializer saves a model.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core import crypto, scope, tree
from gonghui.core.errors import ServiceError
from gonghui.core.params import ID_MAX, int_param
from gonghui.core.scope import subtree_q
from gonghui.members import forms as member_forms
from gonghui.members import selectors as member_selectors
from gonghui.members import services as member_services
from gonghui.members.models import Membership
from gonghui.orgs.models import Employer, Org
from gonghui.orgs.selectors import employers_for
from gonghui.petitions import services as petition_services
from gonghui.petitions.models import Petition

from . import serializers as s
from .problems import Problem
from .stats import stats_json

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


class ApiViewSet(viewsets.GenericViewSet):
    perm = ""
    perms: dict[str, str] = {}
    field_labels: dict[str, str] = {}

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
        page = self.paginate_queryset(self.filter_list(self.get_queryset()))
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
        return qs

    def page_context(self, items):
        parents = {o.path[: -Org.steplen] for o in items if o.depth > 1}
        found = dict(self.get_queryset().filter(path__in=parents).values_list("path", "pk")) if parents else {}
        return {**self.get_serializer_context(), "parents": found}

    def detail_context(self, obj):
        return self.page_context([obj])

    @extend_schema(summary="组织列表", parameters=_org_params([OpenApiParameter("type", str, description="组织类型代码")]),
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
        return scope.visible(Employer.objects.select_related("org"), self.request.user, self.perm).order_by("name", "pk")

    def filter_list(self, qs):
        code = self.request.query_params.get("org")
        if code:
            qs = qs.filter(subtree_q("org__path", visible_org(self.request.user, self.perm, code, "org").path))
        return qs

    @extend_schema(summary="用人单位列表", parameters=_org_params(), responses={200: s.EmployerSerializer(many=True),
                                                                          **ERRORS})
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
        name: str(f.label) for name, f in member_forms.JoinForm.base_fields.items()}}

    def get_queryset(self):
        qs = Membership.objects.select_related("person", "union")
        return scope.visible(qs, self.request.user, self.perm, "union__path")

    def list(self, request, *args, **kwargs):
        params = request.query_params
        code, org = params.get("org"), None
        if code:
            org = visible_org(request.user, self.perm, code, "org")
        status_ = params.get("status", "")
        qs = member_selectors.roster(request.user, org=org, q=text_param(params.get("q"), 50),
                                     status=status_ if status_ in ("active", "retained") else "")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    list = extend_schema(summary="会员名册（当前会员，脱敏）", parameters=_org_params([
        OpenApiParameter("q", str, description="姓名、拼音或身份证号后4位"),
        OpenApiParameter("status", str, enum=["active", "retained"], description="会籍状态")]),
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


def _transition(service, input_class, summary: str, **argmap):
    """An action endpoint: POST its input, the service moves the case; returns the case."""

    @extend_schema(summary=summary, request=input_class, responses={200: s.PetitionSerializer, **ERRORS})
    def view(self, request, pk=None):
        p = self.get_object_from(self.changeable(), int_param({"pk": pk}, "pk", 0, min_value=1, max_value=ID_MAX))
        data = self.validated(input_class, request)
        p = service(actor=request.user, petition=p, **{argmap.get(k, k): v for k, v in data.items()})
        return Response(self.get_serializer(self.get_queryset().get(pk=p.pk)).data)

    view.__name__ = service.__name__.removeprefix("petition_")
    return action(detail=True, methods=["post"])(view)


@extend_schema(tags=["信访"], responses={**ERRORS})
class PetitionViewSet(ApiViewSet):
    """信访案件：状态变化为动作接口（受理、不予受理、办理、答复、办结），与页面调用同一服务。"""

    perm = "petitions.view"
    perms = {"create": "petitions.change", "accept": "petitions.change", "reject": "petitions.change",
             "progress": "petitions.change", "reply": "petitions.change", "close": "petitions.change"}
    serializer_class = s.PetitionSerializer
    page_name = "api.petitions"
    field_labels = {"org": "组织编码", "org_code": "承办单位编码", "channel": "渠道", "received_on": "收到日期",
                    "title": "事由", "category": "诉求类别", "kind": "类型", "content": "信访内容",
                    "people_count": "涉及人数", "petitioners": "信访人", "amount_claimed": "诉求金额",
                    "employer_name": "所涉单位名称", "notice_on": "告知日期", "note": "说明", "reason": "理由",
                    "on": "办理日期", "replied_on": "答复日期", "result": "处理结果", "summary": "答复意见",
                    "amount_recovered": "追回金额", "closed_on": "办结日期", "satisfaction": "满意度",
                    "status": "状态"}

    def get_queryset(self):
        qs = Petition.objects.select_related("org")
        return qs.filter(petition_services.visible_q(self.request.user)).order_by("-received_on", "-id")

    def changeable(self):
        return scope.visible(Petition.objects.select_related("org"), self.request.user, "petitions.change")

    def validated(self, input_class, request) -> dict:
        if not isinstance(request.data, dict):
            raise Problem("请求体应为 JSON 对象。")
        ser = input_class(data=request.data)
        ser.is_valid(raise_exception=True)
        return dict(ser.validated_data)

    def filter_list(self, qs):
        params = self.request.query_params
        code = params.get("org")
        if code:
            qs = qs.filter(subtree_q("org__path", visible_org(self.request.user, self.perm, code, "org").path))
        if params.get("status"):
            qs = qs.filter(status=text_param(params["status"], 12))
        return qs

    @extend_schema(summary="信访案件列表", parameters=_org_params([OpenApiParameter("status", str, description="状态代码")]),
                   responses={200: s.PetitionSerializer(many=True), **ERRORS})
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

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
