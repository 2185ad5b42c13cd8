"""This app's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

from gonghui.accounts.models import Grant


def cases(tree, personas):
    grant_in = Grant.objects.get(user=personas.union_clerk)
    grant_out = Grant.objects.get(user=personas.leader)
    return {
        "accounts:login": None, "accounts:logout": None, "accounts:password_change": None,
        "accounts:users": None, "accounts:user_create": None, "accounts:roles": None,
        "accounts:user_detail": ([personas.union_clerk.pk], [personas.leader.pk]),
        "accounts:user_toggle": ([personas.union_clerk.pk], [personas.leader.pk]),
        "accounts:grant_revoke": ([grant_in.pk], [grant_out.pk]),
    }
