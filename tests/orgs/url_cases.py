"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

from gonghui.orgs.models import Coverage


def cases(tree, personas):
    cov_in = Coverage.objects.get(employer=tree.emp["a1"])
    cov_out = Coverage.objects.get(employer=tree.emp["b1"])
    org = ([tree.union_a1.pk], [tree.union_b1.pk])
    emp = ([tree.emp["a1"].pk], [tree.emp["b1"].pk])
    return {
        "orgs:tree": None, "orgs:employers": None, "orgs:employer_create": None,
        "orgs:detail": org, "orgs:children": org, "orgs:found": org, "orgs:edit": org, "orgs:rename": org,
        "orgs:move": org, "orgs:reelect": org, "orgs:change_type": org, "orgs:dissolve": org, "orgs:legal": org,
        "orgs:employer_detail": emp, "orgs:employer_edit": emp,
        "orgs:coverage_end": ([cov_in.pk], [cov_out.pk]),
        **IMPORT_CASES,
    }


# Import pages take a kind, not an object: "out of scope" is a kind this app does not import.
# An unknown error-report token shows the upload page again (200), like an expired one.
IMPORT_CASES = {
    "orgs:import": (["orgs"], ["members"]),
    "orgs:import_template": (["employers"], ["members"]),
    "orgs:import_errors": (["orgs", "unknown-token-0123456789"], ["members", "unknown-token-0123456789"]),
}
