from django import template

register = template.Library()


@register.filter
def field_label(key, object_type=""):
    """{{ key|field_label:e.object_type }}: the entry's own model's verbose name first."""
    from gonghui.core.audit import field_label as label

    return label(key, object_type or "")


@register.filter
def action_label(code):
    from gonghui.core.audit import action_label as label

    return label(code)


@register.filter
def money(value, unit="元"):
    """{{ amount|money }} → 75,000.00元; {{ amount|money:"万元" }} → 7.50万元 (core.money)."""
    from gonghui.core.money import format_money

    return format_money(value, unit)


@register.filter
def may(user, perm):
    """{% if request.user|may:"audit.view" %}: whether to offer a link to a page the user may open
    (core.scope, the one policy; grants are cached on the user)."""
    from gonghui.core import scope

    return scope.has_perm(user, perm)


@register.simple_tag
def filters_in_force(form):
    """[(label, value shown)] of a bound filter form's valid, non-empty fields, choices by their
    labels: what a list says it is filtered by (issue 15, item 12). Invalid fields are left out
    (the form's own message says they were ignored)."""
    import datetime as dt

    if form is None or not getattr(form, "is_bound", False):
        return []
    data = getattr(form, "cleaned_data", None)
    if data is None:
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
    out = []
    for name, field in form.fields.items():
        value = data.get(name)
        if name not in data or value in (None, "", [], (), False):
            continue
        choices = dict(getattr(field, "choices", None) or ())
        if choices:
            text = str(choices.get(value, choices.get(str(value), value)))
        elif value is True:
            text = "是"
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        out.append((field.label, text))
    return out


@register.filter
def figure(value, unit=""):
    """{{ f.value.value|figure:f.metric.unit }}: a figure for a table cell whose unit stands beside it.
    元 the one way money is written (core.money: thousands separators, two decimals); the other
    units as computed; None → "—"."""
    if value is None or value == "":
        return "—"
    if unit == "元":
        from gonghui.core.money import format_money

        return format_money(value, "")
    return value
