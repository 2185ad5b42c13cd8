"""`{{ employer.industry|code_label:"industry" }}` → "1311 稻谷加工": a stored code with its
label from its national table (core.codes); text that is no code of the table shows as written."""

from django import template

from gonghui.core import codes

register = template.Library()


@register.filter
def code_label(value, table: str) -> str:
    if not value:
        return "—"
    found = codes.get(table)
    if value not in found.by_code:
        return value
    if table == "region":
        return f"{value} {found.full_name(value)}"
    return f"{value} {found.label(value)}"
