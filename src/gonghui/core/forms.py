from django import forms

from .params import MAX_YEAR, MIN_YEAR, date_in_range


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
