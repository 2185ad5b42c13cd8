"""Forms of the appraisal pages: shape here, rules in `scoring`, `forms_data` and the services."""

from __future__ import annotations

from django import forms

from gonghui.core.errors import ServiceError
from gonghui.core.forms import DateField, Form
from gonghui.core.metrics import REGISTRY
from gonghui.core.pickers import PickerInput

from . import forms_data, scoring, uploads
from .models import Recurrence, TargetKind


def date_field(label, required=True, **kw):
    return DateField(label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}), **kw)


def metric_choices() -> list[tuple[str, str]]:
    """Every registered figure by its group and label (never a typed code)."""
    groups: dict[str, list] = {}
    for m in REGISTRY.values():
        groups.setdefault(m.group, []).append((m.code, f"{m.label}（{m.unit}）"))
    return [("", "—（不从统计数据取数）"), *((g, sorted(items, key=lambda x: x[1])) for g, items in groups.items())]


def org_field(label: str, types: str = "federation"):
    return forms.CharField(label=label, max_length=40,
                           widget=PickerInput("orgs:pick", {"perm": "appraisal.change", "types": types}))


class SchemeForm(Form):
    org = org_field("发布单位")
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="方案名称", max_length=200)
    target_type = forms.ChoiceField(label="考核对象", choices=TargetKind.choices)
    total_score = forms.DecimalField(label="总分", max_digits=7, decimal_places=2, min_value=0)
    grades = forms.CharField(label="等次", widget=forms.Textarea(attrs={"rows": 4}),
                             initial="优秀 90\n良好 80\n合格 60\n不合格 0")

    def clean_grades(self):
        rows = []
        for i, line in enumerate(self.cleaned_data["grades"].splitlines(), 1):
            if not line.strip():
                continue
            parts = line.replace("，", " ").replace(",", " ").split()
            if len(parts) != 2:
                raise forms.ValidationError(f"第{i}行应为“等次名称 最低分”，如“优秀 90”。")
            rows.append(parts)
        try:
            return scoring.clean_grades(rows)
        except ServiceError as err:
            raise forms.ValidationError(err.messages) from None


class SchemeEditForm(SchemeForm):
    """The scheme's own fields until it is issued (its unit stays; indicators are changed below)."""

    tie_break = forms.CharField(label="同分时比较的指标", max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["org"]


def grades_text(grades) -> str:
    return "\n".join(f"{name} {scoring.fmt(lo)}" for name, lo in grades)


class EvidenceForm(Form):
    file = forms.FileField(label="佐证材料文件")


class RecurrenceForm(Form):
    recurrence = forms.ChoiceField(label="自动下发", choices=Recurrence.choices, required=False)


def parse_params(rule_type: str, text: str) -> dict:
    """The parameters as the form takes them: steps "80:4, 75:3"; one number otherwise."""
    text = (text or "").strip().replace("：", ":").replace("，", ",")
    if rule_type == scoring.STEP:
        steps = []
        for part in [p for p in text.replace("\n", ",").split(",") if p.strip()]:
            if ":" not in part:
                raise ServiceError(f"阶梯“{part.strip()}”应写作“下限:得分”，如 80:4。", field="params")
            lo, sc = part.split(":", 1)
            steps.append([lo.strip(), sc.strip()])
        return {"steps": steps}
    key = {scoring.THRESHOLD: "min", scoring.DEDUCT: "per", scoring.BONUS: "per", scoring.RATIO: "target",
           scoring.VETO: "limit"}.get(rule_type)
    return {key: text} if key and text else {}


def params_text(rule_type: str, params: dict) -> str:
    if rule_type == scoring.STEP:
        return ", ".join(f"{scoring.fmt(lo)}:{scoring.fmt(sc)}" for lo, sc in params.get("steps", []))
    for key in ("min", "per", "target", "limit"):
        if key in params:
            return scoring.fmt(params[key])
    return ""


class IndicatorForm(Form):
    parent = forms.ChoiceField(label="上级指标", required=False)
    code = forms.CharField(label="指标编号", max_length=40)
    name = forms.CharField(label="指标名称", max_length=200)
    max_score = forms.DecimalField(label="分值", max_digits=7, decimal_places=2, min_value=0)
    rule_type = forms.ChoiceField(label="计分方式", choices=list(scoring.RULE_LABELS.items()))
    params = forms.CharField(label="计分参数", required=False, max_length=500)
    metric_code = forms.ChoiceField(label="取数指标", required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "—（一级指标）"), *((str(i.pk), str(i)) for i in indicators)]
        self.fields["metric_code"].choices = metric_choices()


FIELD_HELP = ("每行一个字段：名称|类型|必填|选项或范围|预填指标，类型为 数字、文字、单选、日期、文件；"
              "文件字段的第四项是大小上限，如 5MB（最大 10MB）。")
KIND_BY_LABEL = {label: kind for kind, label in forms_data.KINDS.items()}


def parse_fields(text: str) -> list[dict]:
    """Lines "名称|类型|必填|选项或范围|预填指标名称" → field definitions for forms_data.clean_fields."""
    by_label = {m.label: m.code for m in REGISTRY.values()}
    out = []
    for i, line in enumerate([x for x in text.splitlines() if x.strip()], 1):
        parts = [p.strip() for p in line.replace("｜", "|").split("|")] + [""] * 5
        label, kind, required, extra, metric = parts[:5]
        f = {"key": f"f{i}", "label": label, "kind": KIND_BY_LABEL.get(kind, kind or "text"),
             "required": required in ("必填", "是", "1")}
        if f["kind"] == "choice":
            f["choices"] = [c for c in extra.replace("，", "、").replace(",", "、").split("、")]
        elif f["kind"] == "number" and extra:
            lo, _, hi = extra.replace("～", "-").replace("~", "-").partition("-")
            f["min"], f["max"] = lo.strip(), hi.strip()
        elif f["kind"] == "file" and extra:
            f["max_mb"] = extra
        if metric:
            if metric not in by_label and metric not in REGISTRY:
                raise ServiceError(f"第{i}行的预填指标“{metric}”不存在。", field="fields")
            f["metric"] = by_label.get(metric, metric)
        out.append(f)
    return out


def fields_text(fields: list[dict]) -> str:
    lines = []
    for f in fields:
        extra = "、".join(f.get("choices", [])) if f["kind"] == "choice" else (
            f"{f.get('min', '')}-{f.get('max', '')}" if ("min" in f or "max" in f) else (
                f"{f['max_mb']}MB" if f["kind"] == "file" else ""))
        metric = REGISTRY[f["metric"]].label if f.get("metric") in REGISTRY else ""
        lines.append("|".join([f["label"], forms_data.KINDS[f["kind"]], "必填" if f.get("required") else "",
                               extra, metric]).rstrip("|"))
    return "\n".join(lines)


class RoundForm(Form):
    org = org_field("发起单位")
    title = forms.CharField(label="任务名称", max_length=200)
    instructions = forms.CharField(label="填报说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    fields_spec = forms.CharField(label="表单字段", widget=forms.Textarea(attrs={"rows": 6}), help_text=FIELD_HELP,
                                  initial="新建工会数|数字|必填|0-10000\n工作进展|文字|必填\n是否召开职代会|单选||是、否")
    period_start = date_field("统计期间开始")
    period_end = date_field("统计期间截止")
    deadline = date_field("截止日期")
    target_type = forms.ChoiceField(label="填报单位", choices=TargetKind.choices)
    recurrence = forms.ChoiceField(label="自动下发", choices=Recurrence.choices, required=False)


class CopyForm(Form):
    title = forms.CharField(label="任务名称", max_length=200)
    period_start = date_field("统计期间开始")
    period_end = date_field("统计期间截止")
    deadline = date_field("截止日期")


def fill_form(fields: list[dict], data=None, initial=None) -> Form:
    """The round's form as a Django form: one field per definition; rules in forms_data."""
    f = Form(data, initial=initial)
    for d in fields:
        help_text = ""
        if d["kind"] == "number":
            widget = forms.TextInput(attrs={"inputmode": "decimal"})
            rng = [d.get("min"), d.get("max")]
            if any(rng):
                help_text = f"范围 {rng[0] or '—'} 至 {rng[1] or '—'}。"
            if d.get("metric") in REGISTRY:
                help_text += f"已按统计数据“{REGISTRY[d['metric']].label}”预填，可修改。"
            field = forms.CharField(label=d["label"], required=False, widget=widget, help_text=help_text)
        elif d["kind"] == "choice":
            field = forms.ChoiceField(label=d["label"], required=False, choices=[("", "—"), *((c, c) for c in d["choices"])])
        elif d["kind"] == "date":
            field = forms.CharField(label=d["label"], required=False, widget=forms.DateInput(attrs={"type": "date"}))
        elif d["kind"] == "file":
            kept = (initial or {}).get(d["key"])
            field = forms.FileField(label=d["label"], required=False, help_text=(
                f"{uploads.TYPES_TEXT}，不超过 {d.get('max_mb', uploads.MAX_MB)} MB。"
                + (f"已上传“{kept}”，重新选择文件即替换。" if kept else "")))
        else:
            field = forms.CharField(label=d["label"], required=False, widget=forms.Textarea(attrs={"rows": 2}))
        f.fields[d["key"]] = field
    for field in f.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return f
