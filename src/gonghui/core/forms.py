from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates

from .params import MAX_YEAR, MIN_YEAR, date_in_range


class AccessibleBoundField(BoundField):
    """A required field says so to assistive technology as well (aria-required), not only through
    the visible word 必填 and the HTML `required` attribute, which the forms' `novalidate` turns
    off for the browser's own checks (issue 16)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.field.required and not widget.is_hidden:
            attrs.setdefault("aria-required", "true")
        return attrs


class Renderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): Django's, with AccessibleBoundField."""

    bound_field_class = AccessibleBoundField


class BootstrapMixin:
    """Give every widget Bootstrap's classes; forms keep what the user typed on error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select | forms.SelectMultiple):
                w.attrs.setdefault("class", "form-select")
            else:
                w.attrs.setdefault("class", "form-control")
            if isinstance(w, forms.DateInput):
                w.input_type = "date"
                w.format = "%Y-%m-%d"

    def add_service_error(self, err) -> None:
        field = getattr(err, "field", None)
        self.add_error(field if field in self.fields else None, err.messages)


class Form(BootstrapMixin, forms.Form):
    pass


class DateField(forms.DateField):
    """A date typed in a form or a filter, within the years any record can have (core.params)."""

    widget = forms.DateInput

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not date_in_range(day):
            raise forms.ValidationError(f"年份应在{MIN_YEAR}至{MAX_YEAR}年之间。", code="out_of_range")
        return day


class NoticeForm(Form):
    """A notice to the units under the poster's federation (core.notices)."""

    org = forms.TypedChoiceField(label="发布单位", coerce=int,
                                 help_text="通知发给该单位及其全部下级单位的用户。")
    title = forms.CharField(label="标题", max_length=100, help_text="一句话说明事项，最多100字。")
    body = forms.CharField(label="内容", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text="最多1000字；要求下级办理的，写明事项和期限。")
    valid_from = DateField(label="发布日期", help_text="不能早于今天；从这天起显示在下级用户的首页。")
    valid_until = DateField(label="有效期至", help_text="过了这天不再显示在首页；有效期最长一年。")

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
