from django import template

register = template.Library()


@register.filter
def change(value):
    """Render an audit change: [old, new] as "old → new", anything else as it is."""
    if isinstance(value, list) and len(value) == 2:
        old, new = ("（空）" if v in (None, "") else v for v in value)
        return f"{old} → {new}"
    return value


@register.filter
def field_label(key):
    from gonghui.core.audit import field_label as label

    return label(key)


@register.filter
def action_label(code):
    from gonghui.core.audit import action_label as label

    return label(code)


@register.filter
def money(value, unit="元"):
    """{{ amount|money }} → 75,000.00元; {{ amount|money:"万元" }} → 7.50万元 (core.money)."""
    from gonghui.core.money import format_money

    return format_money(value, unit)
