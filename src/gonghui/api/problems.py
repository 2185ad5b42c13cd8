"""Errors as RFC 9457 problem details (application/problem+json), in Chinese, naming the field.

    {"type": "about:blank", "title": "数据有误", "status": 400,
     "detail": "入会日期（joined_on）：不能晚于今天。", "errors": [{"field": "joined_on", "message": "…"}]}
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

from gonghui.core.errors import ServiceError, join_messages

CONTENT_TYPE = "application/problem+json"
TITLES = {
    400: "数据有误", 401: "未认证", 403: "无权操作", 404: "未找到", 405: "不支持该方法",
    406: "无法提供所要求的格式", 409: "状态冲突", 412: "数据已被修改", 415: "不支持的数据格式", 429: "请求过于频繁",
}
NOT_FOUND = "未找到该记录，或您无权查看。"


class Problem(exceptions.APIException):
    """A refusal with its own status and, optionally, the field it is about."""

    def __init__(self, detail: str, status_code: int = 400, field: str | None = None):
        super().__init__(detail)
        self.status_code = status_code
        self.field = field


def problem(status_code: int, detail: str, errors: list[dict] | None = None, headers=None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status_code, "错误"), "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)
    return response


def _flatten(detail, prefix="") -> list[dict]:
    """DRF's nested error detail as [{"field": "a.b", "message": "…"}]."""
    out = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            out += _flatten(value, f"{prefix}.{name}" if prefix and name else (name or prefix))
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                out += _flatten(value, f"{prefix}[{i}]" if isinstance(value, dict) else prefix)
            else:
                out.append({"field": prefix, "message": str(value)})
    else:
        out.append({"field": prefix, "message": str(detail)})
    return out


# The parameters every list takes, named alike in every view's messages.
COMMON_LABELS = {"ordering": "排序", "cursor": "分页游标", "size": "每页条数"}


def label_of(view, field: str) -> str:
    """The Chinese name of a field of the view's input, for the message ("入会日期（joined_on）")."""
    labels = getattr(view, "field_labels", {}) if view is not None else {}
    top = field.split(".")[0].split("[")[0]
    label = labels.get(top, "") or COMMON_LABELS.get(top, "")
    return f"{label}（{field}）" if label else f"“{field}”"


def detail_of(view, errors: list[dict]) -> str:
    return join_messages(f"{label_of(view, e['field'])}：{e['message']}" if e["field"] else e["message"]
                         for e in errors)


def exception_handler(exc, context):
    view = context.get("view")
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem(404, NOT_FOUND)
    if isinstance(exc, ServiceError):
        errors = [{"field": exc.field or "", "message": m} for m in exc.messages]
        return problem(400, detail_of(view, errors), errors)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = [{"field": f, "message": m} for f, msgs in exc.message_dict.items() for m in msgs]
        else:
            errors = [{"field": "", "message": m} for m in exc.messages]
        return problem(400, detail_of(view, errors), errors)
    if isinstance(exc, DjangoPermissionDenied):
        return problem(403, str(exc) or "您没有此项权限。")
    if isinstance(exc, Problem):
        errors = [{"field": exc.field, "message": str(exc.detail)}] if exc.field else None
        text = detail_of(view, errors) if errors else str(exc.detail)
        return problem(exc.status_code, text, errors)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        return problem(400, detail_of(view, errors), errors)
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        return problem(429, f"请求过于频繁，请在 {wait} 秒后重试。", headers={"Retry-After": str(wait)})
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        detail = str(exc.detail) if isinstance(exc.detail, str) else "请提供有效的接口令牌。"
        if "credentials were not provided" in detail or "身份认证信息未提供" in detail:
            detail = "请提供有效的接口令牌（Authorization: Bearer …）或先登录。"
        return problem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="api"'})
    if isinstance(exc, exceptions.PermissionDenied):
        return problem(403, str(exc.detail))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return problem(405, f"该地址不支持 {context['request'].method} 方法。",
                       headers={"Allow": ", ".join(view.allowed_methods)} if view is not None else None)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return problem(415, "请以 JSON 提交（Content-Type: application/json）。")
    if isinstance(exc, exceptions.ParseError):
        return problem(400, "请求体不是有效的 JSON。")
    if isinstance(exc, exceptions.NotAcceptable):
        return problem(406, "只提供 JSON（application/json）。")
    if isinstance(exc, exceptions.APIException):
        return problem(exc.status_code, str(exc.detail))
    return None  # a server error: Django's handler (logged, the 500 page)


__all__ = ["CONTENT_TYPE", "Problem", "exception_handler", "problem", "status"]
