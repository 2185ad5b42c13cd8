"""The employer registry in the import's columns (`gonghui export employers`), so it can be edited
and imported back. Code-table columns (单位类别, 经济类型, 行业, 行政区划代码) are written as labels by
default and as codes with `codes=1`, like the members export (issue 17); the import takes either."""

from __future__ import annotations

from gonghui.core import codes, exports, scope

from .imports import EmployerImporter
from .models import Coverage, Employer, Ownership

CODES_PARAM = "codes"
# column field -> code table, for the code-or-label columns.
CODE_COLUMNS = {"unit_category": "unit_category", "economic_type": "economic_type", "industry": "industry",
                "region_code": "region"}
FIELDS = [c.field for c in EmployerImporter.columns]
HEADERS = [c.header for c in EmployerImporter.columns]


def wants_codes(params) -> bool:
    return str(params.get(CODES_PARAM) or "").strip().lower() in ("1", "on", "true", "yes", "是")


def _yes_no(value) -> str:
    return "" if value is None else "是" if value else "否"


def registry_rows(qs, *, with_codes: bool = False):
    ownership = dict(Ownership.choices)
    tables = {field: codes.get(key) for field, key in CODE_COLUMNS.items()}
    # The current coverage of every employer in one query, not one per row.
    covered = {employer_id: (code, valid_from) for employer_id, code, valid_from in Coverage.objects.filter(
        employer__in=qs, valid_to__isnull=True).values_list("employer_id", "union__code", "valid_from")}
    for e in qs.select_related("org").order_by("org__path", "name", "pk").iterator(chunk_size=2000):
        union_code, since = covered.get(e.pk, ("", None))
        values = {
            "name": e.name, "uscc": e.uscc or "", "org_code": e.org.code, "ownership": ownership.get(e.ownership, ""),
            "organization_code": e.org_code, "headcount": e.headcount, "women_count": e.women_count,
            "migrant_count": e.migrant_count, "is_fortune500": _yes_no(e.is_fortune500),
            "is_above_scale": _yes_no(e.is_above_scale), "required_override": _yes_no(e.required_override),
            "registered_on": e.registered_on, "address": e.address, "contact_person": e.contact_person,
            "contact_phone": e.contact_phone, "union_code": union_code, "coverage_from": since,
        }
        for field, table in tables.items():
            code = getattr(e, field)
            # A free-text 行业 from before the codes stays as written (the import will ask for a code).
            # A region by its full name: a county's own name may repeat elsewhere (朝阳区) and would not import back.
            label = table.full_name(code) if field == "region_code" else table.label(code)
            values[field] = code if with_codes or code not in table.by_code else label
        yield [values.get(f, "") for f in FIELDS]


@exports.register
class EmployerRegistry(exports.Exporter):
    key = "employers"
    title = "用人单位"
    permission = "employers.view"
    headers = HEADERS
    text_columns = tuple(i for i, f in enumerate(FIELDS) if f in (
        "uscc", "org_code", "organization_code", "contact_phone", "union_code", *CODE_COLUMNS))
    params_help = {CODES_PARAM: "值为1时，单位类别、经济类型、行业、行政区划写代码"}

    def rows(self):
        qs = scope.visible(Employer.objects.all(), self.user, self.permission, "org__path")
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("org__path", self.org.path))
        return registry_rows(qs, with_codes=wants_codes(self.params))
