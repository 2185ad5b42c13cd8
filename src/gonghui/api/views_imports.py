"""Imports as jobs: `POST /api/v1/imports/{kind}/` a sheet (multipart, field `file`), then poll
`GET /api/v1/jobs/{id}/` until it is done.

The same importer as the import page (core.excel, any registered kind: members, employers, …),
with its permission, size and row limits and its all-or-nothing validation; it always runs as a
background job (core.jobs). The page's mapping step has no counterpart here: the sheet must carry
the template's headers (or the names the page recognises), and a union code (`union`) where the
importer takes it from the upload. The options the import page offers as tick boxes (an importer's
`flags`, e.g. the attendance sheet's `skip_unknown` 只导入名册中有的人员) are form fields of the same
names: true/false, refused with a Chinese 400 naming the field when the value is no boolean, the
importer takes no such option, or the field is unknown. Row errors make a finished job whose `problem` names each row
and column; nothing is saved then. A job is seen by its owner only (like 我的任务)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework import status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from gonghui.core import excel, jobs
from gonghui.core.models_jobs import Job
from gonghui.core.params import ID_MAX, int_param

from .problems import TITLES, Problem
from .views import ERRORS, text_param

JOB = inline_serializer("ImportJob", {
    "id": drf.IntegerField(), "kind": drf.CharField(help_text="任务种类：import"),
    "importer": drf.CharField(help_text="导入种类，如 members"), "title": drf.CharField(),
    "status": drf.ChoiceField(choices=Job.Status.choices, help_text="queued 排队中、running 进行中、done 已完成、failed 失败"),
    "progress": inline_serializer("JobProgress", {"phase": drf.CharField(), "done": drf.IntegerField(),
                                                  "total": drf.IntegerField(), "percent": drf.IntegerField()}),
    "result": drf.DictField(allow_null=True, help_text="完成后：total、created、updated、unchanged、error_count"),
    "problem": drf.DictField(allow_null=True, help_text="有错误时：RFC 9457 问题详情，errors 逐条指明行号和列"),
    "created_at": drf.DateTimeField(), "finished_at": drf.DateTimeField(allow_null=True),
})


def job_json(job: Job) -> dict:
    """The job as the API shows it; its row errors as problem details naming row and column (the
    cell's value is left out: it is in the uploader's own error report)."""
    result = dict(job.result or {})
    errors = result.pop("errors", [])
    problem = None
    if job.status == Job.Status.FAILED:
        problem = {"type": "about:blank", "title": TITLES[400], "status": 400, "detail": job.error}
    elif job.status == Job.Status.DONE and result.get("error_count"):
        rows = [{"row": row, "field": where, "message": reason} for row, where, _value, reason in errors]
        shown = "；".join(f"第{e['row']}行 {e['field']}：{e['message']}" for e in rows[:3])
        problem = {"type": "about:blank", "title": TITLES[400], "status": 400, "errors": rows,
                   "detail": f"共 {result['error_count']} 处错误，未导入任何数据。{shown}"}
    return {
        "id": job.pk, "kind": job.kind, "importer": (job.params or {}).get("importer", ""), "title": job.title,
        "status": job.status, "progress": jobs.snapshot(job), "result": result if job.status == Job.Status.DONE else None,
        "problem": problem, "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


FIELDS = ("file", "union")
TRUE, FALSE = ("true", "1", "on", "yes"), ("false", "0", "off", "no", "")


def importer_flags() -> dict[str, tuple[str, list[str], str]]:
    """Every importer's options (`flags`): name -> (label, the importer kinds that take it, help)."""
    out: dict[str, tuple[str, list[str], str]] = {}
    for kind, cls in sorted(excel.IMPORTERS.items()):
        for name, label, _option, help_text in getattr(cls, "flags", ()):
            out.setdefault(name, (label, [], help_text))[1].append(kind)
    return out


def upload_options(importer, data) -> dict[str, bool]:
    """The importer's options from the upload's form fields, as the page's tick boxes give them."""
    taken = {name: label for name, label, *_ in getattr(importer, "flags", ())}
    every = importer_flags()
    options = {}
    for name in data.keys() if hasattr(data, "keys") else ():
        if name in FIELDS:
            continue
        if name not in every:
            raise Problem("不支持该字段；可用字段见接口说明。", field=name)
        if name not in taken:
            raise Problem(f"“{importer.title}”导入没有该选项（只用于：{'、'.join(every[name][1])}）。", field=name)
        value = text_param(data.get(name), 10).strip().lower()
        if value not in TRUE + FALSE:
            raise Problem("应为 true 或 false。", field=name)
        if value in TRUE:
            options[name] = True
    return options


class ImportUpload(drf.Serializer):
    """The upload's form: the file, the union, and every importer's options (read when the schema is
    made, so an importer registered by a later line is described too)."""

    file = drf.FileField(help_text="Excel 文件（.xlsx、.xls），表头同导入模板")
    union = drf.CharField(required=False, help_text="表中没有“所在工会”列时：所在工会的组织编码")

    def get_fields(self):
        fields = super().get_fields()
        for name, (label, kinds, help_text) in importer_flags().items():
            fields[name] = drf.BooleanField(required=False, default=False,
                                            help_text=f"{label}（仅用于 {'、'.join(kinds)} 导入）：{help_text}")
        return fields


class ImportView(APIView):
    """导入：上传 Excel 文件，后台任务执行（与导入页面相同的校验，全部正确才保存）。"""

    parser_classes = [MultiPartParser, JSONParser]
    field_labels = {"file": "Excel 文件", "union": "所在工会编码"}

    def get_exception_handler_context(self):
        # The options' Chinese names in messages ("只导入名册中有的人员（skip_unknown）：…").
        self.field_labels = {**type(self).field_labels, **{n: v[0] for n, v in importer_flags().items()}}
        return super().get_exception_handler_context()

    @property
    def perm(self) -> str:
        importer = excel.get_importer(str(self.kwargs.get("kind", "")))
        if importer is None:
            raise Http404
        return importer.permission or ""

    @extend_schema(tags=["导入"], summary="上传文件导入（返回任务，轮询 /api/v1/jobs/{id}/）", parameters=[
        OpenApiParameter("kind", str, OpenApiParameter.PATH, description="导入种类，如 members（会员名册）、employers")],
        request={"multipart/form-data": ImportUpload},
        responses={202: JOB, **ERRORS},
        examples=[OpenApiExample("已排队", response_only=True, status_codes=["202"], value={
            "id": 12, "kind": "import", "importer": "members", "title": "导入会员名册", "status": "queued",
            "progress": {"phase": "", "done": 0, "total": 0, "percent": 0}, "result": None, "problem": None,
            "created_at": "2026-12-07T10:00:00+08:00", "finished_at": None})])
    def post(self, request, kind):
        importer = excel.get_importer(str(kind))
        if importer is None:
            raise Http404
        upload = request.FILES.get("file") if hasattr(request, "FILES") else None
        if upload is None:
            raise Problem("请上传 Excel 文件（multipart/form-data 的 file 字段）。", field="file")
        if upload.size > importer.max_mb * 1024 * 1024:
            raise Problem(f"文件超过 {importer.max_mb} MB。", field="file")
        data = excel.file_bytes(upload)
        union = text_param(request.data.get("union") if hasattr(request.data, "get") else "", 40).strip()
        options = upload_options(importer, request.data)
        try:
            count = excel.data_rows(data, max_rows=importer.max_rows)
            layout = importer(actor=request.user, union=union).inspect(data)
        except excel.ImportFileError as exc:
            raise Problem(str(exc), field="file") from None
        union_header = next((c.header for c in importer.columns if c.field == importer.upload_union_field), "")
        if union_header and not layout.union_column and not union:
            raise Problem(f"表中没有“{union_header}”列，请在 union 中给出所在工会的组织编码。", field="union")
        if not layout.complete:
            unknown = "、".join(f"{c.letter}列“{c.short}”" for c in layout.unknown[:8])
            detail = layout.problem() or f"表中有未识别的列：{unknown}。请使用导入模板的表头（接口不提供页面上的列对应步骤）。"
            raise Problem(detail, field="file")
        params = {"importer": importer.kind, "options": options, "rows": count, "union": union}
        job = jobs.create(user=request.user, kind="import", title=f"导入{importer.title}", params=params,
                          input_bytes=data)
        job = jobs.enqueue(job)
        location = request.build_absolute_uri(f"/api/v1/jobs/{job.pk}/")
        return Response(job_json(job), status=status.HTTP_202_ACCEPTED, headers={"Location": location})


class JobView(APIView):
    """后台任务：只能查看本人发起的任务。"""

    perm = ""  # any signed-in user; the job itself is its owner's alone

    @extend_schema(tags=["导入"], summary="任务状态和结果（仅本人的任务）", parameters=[
        OpenApiParameter("id", int, OpenApiParameter.PATH, description="任务编号")],
        responses={200: JOB, **ERRORS})
    def get(self, request, id):  # noqa: A002 the path's name
        pk = int_param({"pk": id}, "pk", None, min_value=1, max_value=ID_MAX)
        qs = Job.objects.filter(pk=pk, user=request.user) if pk else Job.objects.none()
        jobs.reap_stale(queryset=qs)
        job = qs.first()
        if job is None:
            raise Http404
        return Response(job_json(job))


