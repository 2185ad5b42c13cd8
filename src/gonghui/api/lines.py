"""What every work line's API module (`<line>/api.py`, declared as `api_module`) is built from.

A line's viewset names its base queryset, the path lookup that scopes it, the filters of its list
page and its ordering; its actions call the line's services through `transition`, which finds the
object within the scope of the action's own permission (out of scope = 404), validates the body
with an input serializer (a Chinese 400 naming the field) and returns the object as the detail
shows it. No serializer saves a model.

    class ContractViewSet(LineViewSet):
        perm = "bargaining.view"
        perms = {"offer": "bargaining.change"}
        serializer_class = ContractSerializer
        filters = {"status": Filter("status", Status.values), "q": Filter(("title__contains",), 50)}

        def base_queryset(self):
            return Contract.objects.select_related("org")

        offer = transition(services.contract_offer, OfferInput, "发出协商要约", "contract", ContractSerializer)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from gonghui.core import scope
from gonghui.core.params import ID_MAX, int_param
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Org

from .permissions import required_perm
from .problems import Problem
from .serializers import OrgRef
from .views import ERRORS, ApiViewSet, text_param, visible_org

__all__ = ["ERRORS", "Day", "Filter", "LineViewSet", "OrgRef", "body", "create_schema", "list_schema", "org_param",
           "page_link", "pk_of",
           "read_serializer", "read_viewset", "transition"]


@dataclass(frozen=True)
class Filter:
    """A list filter as the line's list page offers it: `?<name>=value` filters `lookups` (several
    lookups are OR-ed, e.g. a search over title and party); `choices` limits the value to those
    codes (another value is a 400 naming the parameter), `length` cuts free text."""

    lookups: str | tuple[str, ...]
    choices: tuple | list | None = None
    length: int = 50
    description: str = ""
    boolean: bool = False
    date: bool = False  # an ISO date (YYYY-MM-DD)
    integer: bool = False  # an id or a number
    build: Callable[[object], Q | None] | None = None  # the condition for a value, when not `lookups`

    def q(self, name: str, raw) -> Q | None:
        value = text_param(raw, self.length).strip()
        if not value:
            return None
        if self.boolean:
            if value.lower() not in ("1", "0", "true", "false"):
                raise Problem("应为 true 或 false。", field=name)
            value = value.lower() in ("1", "true")
        elif self.integer:
            if not value.isdigit() or len(value) > 15:
                raise Problem("应为正整数。", field=name)
            value = int(value)
        elif self.date:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise Problem("日期格式应为 YYYY-MM-DD。", field=name) from None
        elif self.choices is not None:
            allowed = [str(c) for c in self.choices]
            if value not in allowed:
                raise Problem(f"可选值为：{'、'.join(allowed)}。", field=name)
        if self.build is not None:
            return self.build(value)
        lookups = (self.lookups,) if isinstance(self.lookups, str) else self.lookups
        q = Q()
        for lookup in lookups:
            q |= Q(**{lookup: value})
        return q

    def parameter(self, name: str) -> OpenApiParameter:
        if self.boolean:
            return OpenApiParameter(name, bool, description=self.description)
        if self.integer:
            return OpenApiParameter(name, int, description=self.description)
        if self.date:
            return OpenApiParameter(name, OpenApiTypes.DATE, description=self.description)
        return OpenApiParameter(name, str, description=self.description,
                                enum=[str(c) for c in self.choices] if self.choices is not None else None)


class Day(serializers.DateField):
    """A date in a write's body: ISO, and within 1900–2100 (a service adding a term to 9999-12-31 would
    overflow; no union record is dated outside these years)."""

    FIRST, LAST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not self.FIRST <= day <= self.LAST:
            raise serializers.ValidationError("日期应在 1900-01-01 至 2100-12-31 之间。")
        return day


def org_param() -> OpenApiParameter:
    return OpenApiParameter("org", str, description="只列出该组织编码及其下级的记录（子树）")


class LineViewSet(ApiViewSet):
    """List and detail of one entity of a line, scoped by `perm` over `org_path`."""

    org_path = ""  # the lookup to the org path that scopes the rows; default: the model's scope_path_field
    ordering: tuple[str, ...] = ("-pk",)
    filters: dict[str, Filter] = {}
    # Rows every holder of `perm` sees, whatever his scope, as the line's page shows them (a
    # federation's mutual-aid plans, which its unions enrol in).
    shared = False
    # False for reference data of the whole system (低保标准, 分成比例): no org, so no `org` filter.
    by_org = True

    def base_queryset(self):
        raise NotImplementedError

    def path_field(self) -> str:
        return self.org_path or getattr(self.base_queryset().model, "scope_path_field", "org__path")

    def get_queryset(self):
        return self.scoped(self.perm).order_by(*self.ordering)

    def scoped(self, perm: str):
        """The objects within the scope of `perm` (an action's own permission)."""
        if self.shared:
            return self.base_queryset() if scope.has_perm(self.request.user, perm) else self.base_queryset().none()
        return scope.visible(self.base_queryset(), self.request.user, perm, self.path_field())

    def filter_list(self, qs):
        params = self.request.query_params
        code = params.get("org") if self.by_org else None
        if code:
            qs = qs.filter(subtree_q(self.path_field(), visible_org(self.request.user, self.perm, code, "org").path))
        for name, f in self.filters.items():
            q = f.q(name, params.get(name))
            if q is not None:
                qs = qs.filter(q)
        return qs

    def found(self, obj):
        """The object again as the detail reads it (after a write)."""
        return self.get_queryset().get(pk=obj.pk)

    def respond(self, obj, code=status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(obj, context=self.detail_context(obj)).data, status=code)

    def changeable_org(self, code: str, field: str, perm: str | None = None) -> Org:
        """The org named by code in a write's body, within the scope of the action's permission."""
        return visible_org(self.request.user, perm or required_perm(self), code, field)

    def before_transition(self, obj, data: dict) -> None:
        """A hook: checks of the body that need the object (none by default)."""



def pk_of(pk) -> int:
    """The id in an action's URL (0, i.e. not found, when it is no id)."""
    return int_param({"pk": pk}, "pk", 0, min_value=1, max_value=ID_MAX)


def body(input_class, request) -> dict:
    """The request body validated by `input_class` (DRF's errors become a problem naming the field)."""
    if not isinstance(request.data, dict):
        raise Problem("请求体应为 JSON 对象。")
    ser = input_class(data=request.data)
    ser.is_valid(raise_exception=True)
    return dict(ser.validated_data)


def transition(service, input_class, summary: str, obj_arg: str, output, *, name: str = "", argmap=None,
               url_path: str = ""):
    """An action endpoint `POST /<prefix>/{id}/<name>/`: the object within the scope of the action's
    permission (`perms[name]`), the body checked by `input_class`, then `service(actor=…, <obj_arg>=obj,
    **body)`; answers with the object as its detail shows it."""
    argmap = argmap or {}
    input_class = input_class or serializers.Serializer

    def view(self, request, pk=None):
        obj = self.get_object_from(self.scoped(required_perm(self)), pk_of(pk))
        data = body(input_class, request)
        self.before_transition(obj, data)
        service(actor=request.user, **{obj_arg: obj}, **{argmap.get(k, k): v for k, v in data.items()})
        return self.respond(self.found(obj))

    view.__name__ = name or service.__name__.split("_", 1)[-1]
    # extend_schema outside action(), as `@extend_schema` above `@action`: applied first, the body
    # was described as the viewset's read serializer, not `input_class`.
    view = action(detail=True, methods=["post"], url_path=url_path or view.__name__)(view)
    return extend_schema(summary=summary, request=input_class, responses={200: output, **ERRORS})(view)


def create_schema(summary: str, input_class, output, examples=()):
    return extend_schema(summary=summary, request=input_class, responses={201: output, **ERRORS},
                         examples=list(examples))


def list_schema(summary: str, filters: dict[str, Filter], output, extra=(), *, by_org: bool = True):
    """The list's description: `org` (unless the rows have no org) and the viewset's filters (pass
    the class body's `filters`)."""
    orgs = [org_param()] if by_org else []
    return extend_schema(summary=summary, parameters=[*orgs, *[f.parameter(n) for n, f in filters.items()], *extra],
                         responses={200: output(many=True), **ERRORS})


def page_link(serializer, url_name: str, pk, *, perm: str = "", path: str = "") -> str | None:
    """A file's `download_url` as its page gives it, absolute (the page's view checks again and logs
    the download): None when `perm` is named and the user lacks it on `path`, as the page offers
    the link to no one else."""
    request = serializer.context.get("request")
    if perm and (request is None or not scope.has_perm(request.user, perm, path)):
        return None
    url = reverse(url_name, args=[pk])
    return request.build_absolute_uri(url) if request is not None else url


def read_serializer(name: str, model, fields: list[str], /, *, orgs: dict[str, str] | None = None, **declared):
    """A read-only serializer of a line's entity: `fields` in that order, each org foreign key in
    `orgs` as {id, code, name} (value: its Chinese help text), a `<field>_label` with the Chinese of
    each choice field beside it, `declared` fields as given. Money is a string and dates are ISO (the
    API's settings); a foreign key to another entity is its id."""
    orgs = orgs or {}
    attrs: dict = dict(declared)
    names: list[str] = []
    for f in fields:
        names.append(f)
        if f in orgs:
            attrs[f] = OrgRef(help_text=orgs[f])
            continue
        if f in declared:
            continue
        field = model._meta.get_field(f)
        if field.choices and not field.is_relation:
            attrs[f"{f}_label"] = serializers.CharField(source=f"get_{f}_display", help_text=f"{field.verbose_name}（中文）")
            names.append(f"{f}_label")
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": names, "read_only_fields": names})
    attrs["__module__"] = f"{model._meta.app_config.name}.api"  # the line's, as a class written there
    return type(name, (serializers.ModelSerializer,), attrs)


def read_viewset(name: str, *, tag: str, summary: str, queryset: Callable, base: type | None = None,
                 extra_parameters=(), **attrs) -> type:
    """A read resource (list and detail) of a line's entity that the pages show but that has no
    write through the API: `queryset()` the base rows, `attrs` the LineViewSet's (perm,
    serializer_class, page_name, org_path, ordering, orderings, filters, field_labels, shared,
    by_org). The list takes `org` (unless by_org is False), the filters and `ordering`; the detail
    has an ETag; out of scope is 404."""
    base = base or LineViewSet
    filters = attrs.get("filters", {})
    serializer = attrs["serializer_class"]

    def base_queryset(self):
        return queryset()

    def list_(self, request, *args, **kwargs):
        return base.list(self, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return base.retrieve(self, request, *args, **kwargs)

    list_.__name__ = "list"
    body_ = {"base_queryset": base_queryset, "__doc__": summary, "__module__": serializer.__module__,
             "list": list_schema(f"{summary}列表", filters, serializer, extra_parameters,
                                 by_org=attrs.get("by_org", True))(list_),
             "retrieve": extend_schema(summary=f"{summary}详情（带 ETag）")(retrieve), **attrs}
    return extend_schema(tags=[tag], responses={**ERRORS})(type(name, (base,), body_))
