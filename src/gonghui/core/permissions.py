"""The permission vocabulary, gathered from the work-line declarations (core.workline).

Roles are data (accounts.Role) holding a subset of these codes; a grant of a role on an
org node covers the node's whole subtree. Sensitive data (petitions, hardship) get their
own codes: seeing members does not imply seeing them. Each app declares its codes, their labels
and the built-in roles that get them in its AppConfig; nothing is listed here.
"""

from .workline import builtin_roles, codes, permissions

__all__ = ["builtin_roles", "codes", "permissions"]
