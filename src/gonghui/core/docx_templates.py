"""A federation's own Word template (docxtpl): checked before it is kept, kept one per node, and the
nearest one up the tree used. The summary's, the 参保单's and the 催缴通知书's templates are refused
the same way, with the same Chinese messages, so a clerk learns one set of rules."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError

from .errors import ServiceError


def check(stream, sample: dict, *, variables_hint: str, document: str = "文档") -> None:
    """Refuse a template that is not a Word document, has broken tags, uses variables `sample`
    does not have, or fails to render `sample`. `variables_hint` says where the variables are
    listed; `document` names what the template prints."""
    try:
        tpl = DocxTemplate(stream)
        tpl.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ServiceError("文件不是有效的 Word 文档（.docx），请在 Word 中另存为 .docx 后再上传。", field="file") from exc
    try:
        unknown = tpl.get_undeclared_template_variables(context=sample)
    except TemplateSyntaxError as exc:
        raise ServiceError(f"模板标签有语法错误（{exc.message}），请检查 {{{{ }}}} 与 {{% %}} 是否成对。",
                           field="file") from exc
    if unknown:
        raise ServiceError("模板使用了未定义的变量：" + "、".join(sorted(unknown)) + f"。可用变量见{variables_hint}。",
                           field="file")
    try:
        tpl.render(sample, autoescape=True)
    except Exception as exc:  # noqa: BLE001 - any failure of a user's template is a user error here
        raise ServiceError(f"模板无法生成{document}：{exc}", field="file") from exc


# --- a node's own template: one per org, the nearest up the tree serves its subtree --------------

MAX_BYTES = 10 * 1024 * 1024


def check_content(content: bytes, sample: dict, *, variables_hint: str, document: str = "文档") -> None:
    """`check` on an upload's bytes, after refusing a zip that would unpack far beyond a real
    template (a .docx is a zip: 10 MB may unpack to gigabytes, which python-docx would parse in the
    web process; a real template unpacks to a few MB)."""
    from . import sheets

    try:
        sheets.check_zip(content, part_limit=32 * 1024 * 1024, total_limit=128 * 1024 * 1024, what="模板")
    except sheets.SheetError as exc:
        raise ServiceError(str(exc), field="file") from exc
    check(io.BytesIO(content), sample, variables_hint=variables_hint, document=document)


def keep(model, *, actor, org, name: str, content: bytes, check_content, action: str):
    """Store `org`'s own template (a `model` row with org, name, content, uploaded_by), replacing
    the one it had: refused as a whole, with the reason on the file field, unless it is a .docx of
    at most 10 MB that `check_content(content)` accepts. The caller checks the permission and
    holds the transaction."""
    from . import audit

    name = (name or "").rsplit("/", 1)[-1]
    if not name.lower().endswith(".docx"):
        raise ServiceError("模板必须是 Word 文档（.docx）。", field="file")
    if len(content) > MAX_BYTES:
        raise ServiceError("模板文件超过 10 MB。", field="file")
    check_content(content)
    t = model.objects.filter(org=org).first() or model(org=org)
    t.name, t.content = name[:200], content
    t.uploaded_by = actor if getattr(actor, "pk", None) else None
    t.uploaded_at = timezone.now()
    t.save()
    audit.record(actor=actor, action=action, obj=t, changes={"name": t.name})
    return t


def nearest(model, org):
    """The `model` template of `org` or of the nearest node above it (a federation's upload serves
    its whole subtree), or None."""
    step = type(org).steplen
    prefixes = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    return model.objects.filter(org__path__in=prefixes).select_related("org").order_by("-org__depth").first()
