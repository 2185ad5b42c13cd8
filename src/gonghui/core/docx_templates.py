"""Checking a federation's own Word template (docxtpl) before it is kept: the summary's and the
参保单's templates are refused the same way, with the same Chinese messages, so a clerk learns one
set of rules."""

from __future__ import annotations

import zipfile

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
