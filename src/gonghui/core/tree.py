"""The organisation tree as the platform sees it, without importing the app that keeps it.

Core's pages and commands (the figures page, the audit filter, `gonghui stats`, `gonghui demo`)
need "the node with this code" and "the top nodes this user may see". The orgs app provides
both at start-up (its declaration's `connect`), so core depends on an interface, not on orgs.
Nodes have `code`, `name`, `path` (materialised path, the scope key) and `depth`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TreeProvider:
    model: type  # the node model
    roots_for: Callable  # (user, perm) -> queryset of the highest nodes where the user holds perm


_provider: TreeProvider | None = None


def register(provider: TreeProvider) -> None:
    global _provider
    _provider = provider


def provider() -> TreeProvider:
    if _provider is None:
        raise RuntimeError("No app provides the organisation tree (is gonghui.orgs installed?).")
    return _provider


def nodes():
    """The manager of the node model."""
    return provider().model.objects


def root():
    """The first root node, or None on an empty database."""
    return nodes().filter(depth=1).order_by("path").first()


def top_node(user, perm: str):
    """The highest node where the user holds `perm` (None without such a grant)."""
    return provider().roots_for(user, perm).first()
