"""How the OpenAPI description is made, for every line's resources alike.

- `problem_responses` (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]): every operation may be
  refused, so an error response is described once here for every operation (400, 401, 403, 404,
  429 as application/problem+json, the type it is sent with); a view describes its successes.
- `AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): corrections where drf-spectacular's
  description and what the views send differ, and the `ordering` parameter of every list that has
  `orderings`.

The schemathesis run (tests/api/test_fuzz.py) checks every response against this description."""

from __future__ import annotations

import types
import typing

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import append_meta
from drf_spectacular.utils import OpenApiParameter
from rest_framework.fields import ChoiceField, SerializerMethodField

from .problems import CONTENT_TYPE, TITLES

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 问题详情（application/problem+json）",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string", "description": "错误类别"},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "中文说明，指明字段"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}, "required": ["field", "message"]}},
    },
    "required": ["type", "title", "status", "detail"],
}
REFUSALS = ("400", "401", "403", "404", "429")


def problem_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                content = response.get("content")
                if str(code).startswith("4") and content and "application/json" in content:
                    content[CONTENT_TYPE] = content.pop("application/json")
            for code in REFUSALS:
                responses.setdefault(code, {"description": TITLES[int(code)],
                                            "content": {CONTENT_TYPE: {"schema": ref}}})
    return result


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with two corrections that every line's viewsets get:

    - an `extend_schema(responses=…)` naming only error codes (a viewset's class-level decorator)
      keeps the action's own success response (the viewset's serializer);
    - a read-only choice field of a model field that may be blank or null is described with "" or
      null among its values (DRF drops allow_blank/allow_null from read-only fields, but the stored
      value is sent as it is);
    - a method field whose method may return None (`-> dict | None`) is nullable, also when
      `extend_schema_field` names its type."""

    def get_override_parameters(self):
        """A list with `orderings` takes `?ordering=` (api.views.ordered): described here once for
        every line's lists, with its values and the default order."""
        params = super().get_override_parameters()
        orderings = getattr(self.view, "orderings", None)
        if orderings and self.method == "GET" and getattr(self.view, "action", "") == "list":
            from .views import ordering_values

            default = [t for t in getattr(self.view, "ordering", ()) if isinstance(t, str) and t.lstrip("-") != "pk"]
            said = f"不给时为 {','.join(default)}；" if default else ""
            params = [*params, OpenApiParameter(
                "ordering", str, enum=ordering_values(orderings),
                description=f"排序：字段名为升序，前加“-”为降序；{said}同值时按编号排。换排序后从第一页读起"
                            "（分页游标只对它所属的排序有效）")]
        return params

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        if self.method != "DELETE" and not any(str(code).startswith(("2", "3")) for code in bodies):
            code = "201" if self._is_create_operation() else "200"
            bodies = {code: self._get_response_for_code(self._get_serializer(), code, direction=direction), **bodies}
        return bodies

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, ChoiceField) and field.read_only:
            model = getattr(getattr(field.parent, "Meta", None), "model", None)
            try:
                model_field = model._meta.get_field(field.source) if model and field.source else None
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None:
                field.allow_blank = field.allow_blank or bool(model_field.blank and not model_field.null)
                field.allow_null = field.allow_null or bool(model_field.null)
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        nullable = "null" in str(schema.get("type", "")) or {"type": "null"} in schema.get("oneOf", [])
        if (isinstance(field, SerializerMethodField) and not nullable
                and _may_return_none(getattr(field.parent, field.method_name, None))):
            schema = append_meta(schema, {"nullable": True})
        return schema


def _may_return_none(method) -> bool:
    """The method's return annotation admits None (`-> dict | None`), whatever type an
    `extend_schema_field` gives the field."""
    try:
        hint = typing.get_type_hints(method).get("return") if method is not None else None
    except Exception:  # noqa: BLE001 an annotation that does not resolve says nothing
        return False
    return typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in typing.get_args(hint)
