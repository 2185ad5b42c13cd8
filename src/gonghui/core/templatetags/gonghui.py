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
