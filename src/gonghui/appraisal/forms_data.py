"""The form of a data-collection round as data: its fields' definitions and the checking of
what a unit fills in. Pure functions; messages name the field by its label."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from gonghui.core.errors import ServiceError
from gonghui.core.metrics import REGISTRY

KINDS = {"number": "数字", "text": "文字", "choice": "单选", "date": "日期", "file": "文件"}
KEY = re.compile(r"^[a-z][a-z0-9_]{0,29}$")
MAX_FIELDS = 60
MAX_TEXT = 2000


def clean_fields(fields) -> list[dict]:
    """[{"key", "label", "kind", "required", "choices", "min", "max", "metric"}] checked: unique keys
    and labels, a known kind, choices for a choice field, min ≤ max, a registered metric (number only)."""
    out, keys, labels = [], set(), set()
    for i, f in enumerate(fields or [], 1):
        label = str(f.get("label", "")).strip()
        where = f"第{i}个字段" + (f"“{label}”" if label else "")
        if not label:
            raise ServiceError(f"{where}缺少名称。", field="fields")
        key = str(f.get("key") or f"f{i}").strip()
        if not KEY.match(key):
            raise ServiceError(f"{where}的代码“{key}”只能用小写字母、数字和下划线，以字母开头。", field="fields")
        if key in keys or label in labels:
            raise ServiceError(f"{where}与前面的字段重名。", field="fields")
        kind = f.get("kind")
        if kind not in KINDS:
            raise ServiceError(f"{where}的类型“{kind}”无效，应为数字、文字、单选、日期或文件。", field="fields")
        item = {"key": key, "label": label, "kind": kind, "required": bool(f.get("required"))}
        if kind == "choice":
            choices = [str(c).strip() for c in (f.get("choices") or []) if str(c).strip()]
            if len(choices) < 2 or len(set(choices)) != len(choices):
                raise ServiceError(f"{where}为单选，请列出至少两个互不相同的选项。", field="fields")
            item["choices"] = choices
        if kind == "file":
            from .uploads import MAX_MB

            raw_mb = str(f.get("max_mb") or MAX_MB).strip().upper().removesuffix("MB").strip()
            try:
                max_mb = int(raw_mb)
            except ValueError:
                raise ServiceError(f"{where}的大小上限“{f.get('max_mb')}”应为 1～{MAX_MB} 的整数（MB）。",
                                   field="fields") from None
            if not 1 <= max_mb <= MAX_MB:
                raise ServiceError(f"{where}的大小上限应为 1～{MAX_MB} MB。", field="fields")
            item["max_mb"] = max_mb
        if kind == "number":
            for bound in ("min", "max"):
                if f.get(bound) not in (None, ""):
                    item[bound] = str(_number(f[bound], f"{where}的{'最小值' if bound == 'min' else '最大值'}"))
            if "min" in item and "max" in item and Decimal(item["min"]) > Decimal(item["max"]):
                raise ServiceError(f"{where}的最小值大于最大值。", field="fields")
            metric = str(f.get("metric") or "").strip()
            if metric:
                if metric not in REGISTRY:
                    raise ServiceError(f"{where}的预填指标“{metric}”不存在。", field="fields")
                item["metric"] = metric
        keys.add(key)
        labels.add(label)
        out.append(item)
    if not out:
        raise ServiceError("表单至少需要一个字段。", field="fields")
    if len(out) > MAX_FIELDS:
        raise ServiceError(f"表单最多{MAX_FIELDS}个字段。", field="fields")
    return out


def _number(value, what: str) -> Decimal:
    try:
        d = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ServiceError(f"{what}“{value}”不是数字。", field="fields") from None
    if not d.is_finite():
        raise ServiceError(f"{what}“{value}”不是数字。", field="fields")
    return d


def clean_data(fields: list[dict], data: dict, *, complete: bool) -> dict:
    """The values filled in, as JSON-ready strings; every problem named by the field's label. A draft
    (complete=False) may leave required fields empty; a submission may not."""
    out, errors = {}, []
    for f in fields:
        raw = data.get(f["key"])
        raw = "" if raw is None else str(raw).strip()
        label = f["label"]
        if raw == "":
            if complete and f.get("required"):
                errors.append(f"“{label}”为必填项")
            continue
        kind = f["kind"]
        if kind == "number":
            try:
                d = Decimal(raw.replace(",", ""))
                if not d.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(f"“{label}”应填数字，填的是“{raw[:20]}”")
                continue
            if "min" in f and d < Decimal(f["min"]):
                errors.append(f"“{label}”不能小于 {f['min']}")
                continue
            if "max" in f and d > Decimal(f["max"]):
                errors.append(f"“{label}”不能大于 {f['max']}")
                continue
            out[f["key"]] = str(d)
        elif kind == "date":
            try:
                out[f["key"]] = dt.date.fromisoformat(raw).isoformat()
            except ValueError:
                errors.append(f"“{label}”应填日期（如 2026-03-31），填的是“{raw[:20]}”")
        elif kind == "file":
            out[f["key"]] = raw[:200]  # the stored file's name, put there by the service
        elif kind == "choice":
            if raw not in f["choices"]:
                errors.append(f"“{label}”只能选{'、'.join(f['choices'])}")
            else:
                out[f["key"]] = raw
        else:
            if len(raw) > MAX_TEXT:
                errors.append(f"“{label}”最多{MAX_TEXT}个字")
            else:
                out[f["key"]] = raw
    if errors:
        raise ServiceError("；".join(errors) + "。", field="data")
    return out
