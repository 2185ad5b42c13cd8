"""Keyset pages over core.paging: `?cursor=` from the previous page's `next`, `?size=` rows (1–200).

    {"count": 37, "count_cap": 200, "next": "https://…?cursor=…", "previous": null, "results": [...]}

`count` is null when the list holds more than `count_cap` rows (lists are never counted in full).
"""

from types import SimpleNamespace

from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from gonghui.core import paging
from gonghui.core.params import int_param

from .problems import Problem

MAX_SIZE = 200


class KeysetPagination(BasePagination):
    def paginate_queryset(self, queryset, request, view=None):
        size = int_param(request.query_params, "size", paging.SIZE, min_value=1, max_value=MAX_SIZE)
        # The pager reads GET and path only; without a messages store nothing is queued for a page.
        shim = SimpleNamespace(GET=request.query_params, path=request.path, META={})
        name = getattr(view, "page_name", None) or f"api.{getattr(view, 'basename', 'list')}"
        self.page = paging.keyset(queryset, shim, name, size=size)
        if self.page.message:
            raise Problem(self.page.message.replace("已显示第一页", "请从第一页重新读取"), field="cursor")
        self.request = request
        return self.page.items

    def _absolute(self, url: str):
        return self.request.build_absolute_uri(url) if url else None

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.total, "count_cap": self.page.count_cap,
            "next": self._absolute(self.page.next_url), "previous": self._absolute(self.page.previous_url),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object", "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": ["integer", "null"], "description": "记录数；超过 count_cap 时为 null（不全量计数）"},
                "count_cap": {"type": "integer", "example": paging.COUNT_CAP},
                "next": {"type": ["string", "null"], "format": "uri", "description": "下一页地址（含 cursor）"},
                "previous": {"type": ["string", "null"], "format": "uri", "description": "上一页地址"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
             "description": "分页游标：取自上一页返回的 next / previous 地址"},
            {"name": "size", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE, "default": paging.SIZE},
             "description": "每页条数（1–200）"},
        ]
