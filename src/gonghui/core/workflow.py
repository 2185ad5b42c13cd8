"""Case workflows as explicit state machines (ARCHITECTURE §4.4).

An app declares its status enum and a `Workflow` with the allowed moves; the one service
that performs a transition calls `check` first, then stamps dates, writes its history row
and the audit entry. Keeping the map as data lets the detail page show the next steps
and lets tests walk every allowed and every refused move.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ServiceError


@dataclass(frozen=True)
class Workflow:
    transitions: dict[str, frozenset[str]]
    labels: dict[str, str]

    @classmethod
    def build(cls, choices, moves: dict[str, set[str] | list[str]]) -> Workflow:
        """`choices` is a TextChoices class; `moves` maps a status to the statuses it may go to."""
        return cls({k: frozenset(v) for k, v in moves.items()}, dict(choices.choices))

    def allowed(self, current: str) -> frozenset[str]:
        return self.transitions.get(current, frozenset())

    def can(self, current: str, target: str) -> bool:
        return target in self.allowed(current)

    def check(self, current: str, target: str, action: str = "") -> None:
        if not self.can(current, target):
            what = action or f"转为“{self.labels.get(target, target)}”"
            raise ServiceError(f"当前状态为“{self.labels.get(current, current)}”，不能{what}。")
