"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

from gonghui.orgs import services as org_services
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
        "orgs:employer_detail": emp, "orgs:employer_edit": emp, "orgs:employer_aliases": emp,
        "orgs:employer_alias_remove": (
            [org_services.employer_alias_add(actor=None, employer=tree.emp["a1"], name="甲一厂").pk],
            [org_services.employer_alias_add(actor=None, employer=tree.emp["b1"], name="乙一厂").pk]),
        "orgs:coverage_end": ([cov_in.pk], [cov_out.pk]),
        "orgs:pick": None, "orgs:pick_employers": None,  # scoped inside: tests/orgs/test_pickers.py
    }
    # The import pages of orgs and employers are core's (core:import, tests/core/url_cases.py).
