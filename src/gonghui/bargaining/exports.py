"""The contract registry (台账) in the import's columns, so it can be edited and re-imported."""

from __future__ import annotations

from gonghui.core import exports, scope

from .imports import EXPORT_ONLY, ContractImporter
from .models import Contract, ContractEmployer, ContractType, Representative, Scope, Side, Status, Vote

REGISTRY_HEADERS = (*(c.header for c in ContractImporter.columns), *EXPORT_ONLY)


def registry_rows(qs):
    types, scopes, statuses = dict(ContractType.choices), dict(Scope.choices), dict(Status.choices)
    parties: dict[int, list[str]] = {}
    for contract_id, uscc in (ContractEmployer.objects.filter(contract__in=qs)
                              .values_list("contract_id", "employer__uscc")):
        parties.setdefault(contract_id, []).append(uscc or "")
    # One query each for the chiefs and the last congress vote, not one per contract.
    chiefs: dict[tuple[int, str], str] = {}
    for contract_id, side, name in (Representative.objects.filter(contract__in=qs, is_chief=True)
                                    .values_list("contract_id", "side", "name")):
        chiefs[(contract_id, side)] = name
    votes: dict[int, tuple] = {}
    for contract_id, *vote in (Vote.objects.filter(contract__in=qs, passed=True).order_by("held_on", "pk")
                               .values_list("contract_id", "held_on", "total", "present", "votes_for")):
        votes[contract_id] = tuple(vote)
    for c in qs.select_related("org").order_by("org__path", "-start_on", "pk"):
        vote = votes.get(c.pk, (None, None, None, None))
        yield (c.org.code, c.title, types[c.contract_type], scopes[c.scope], "、".join(parties.get(c.pk, [])),
               c.signed_on, c.start_on, c.end_on, c.filed_on, c.effective_on, c.published_on, c.wage_increase_pct,
               c.lowest_wage, c.employees_covered, c.women_covered, c.migrants_covered, "、".join(c.women_clauses),
               c.prev_avg_wage, chiefs.get((c.pk, Side.WORKERS), ""), chiefs.get((c.pk, Side.EMPLOYER), ""), *vote,
               c.department, c.accepted_no, c.accepted_on, c.review_no, c.review_on,
               statuses[c.status], c.next_due_on, c.org.name)


@exports.register
class ContractRegistry(exports.Exporter):
    """`gonghui export contracts`: every contract under the org (the page exports its tab's filter)."""

    key = "contracts"
    title = "集体合同台账"
    permission = "bargaining.view"
    headers = REGISTRY_HEADERS
    text_columns = (0, 4, 25, 27)  # codes and the review papers' numbers stay text
    params_help = {"type": "合同类型代码"}

    def rows(self):
        qs = scope.visible(Contract.objects.all(), self.user, self.permission, "org__path")
        if self.org is not None:
            qs = qs.filter(scope.subtree_q("org__path", self.org.path))
        if self.params.get("type") in ContractType.values:
            qs = qs.filter(contract_type=self.params["type"])
        return registry_rows(qs)
