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
