"""This work line's rows of the URL permission matrix (tests/core/test_url_permissions.py)."""

from gonghui.core.tables import TABLES


def cases(tree, personas):
    org = ([tree.town_a.code], [tree.town_b.code])

    def with_metric(code):
        return ([tree.town_a.code, code], [tree.town_b.code, code])

    return {
        "reports:index": None,
        "reports:dashboard": org,
        "reports:dashboard_group": org,
        "reports:dashboard_chart": org,
        "reports:figure": with_metric("members.total"),
        "reports:records": with_metric("orgs.unions_total"),
        "reports:targets": org,
        "reports:lock": org,
        "reports:unlock": org,
        "reports:tables": org,
        "reports:summary": org,
        "reports:template": org,
        "reports:template_download": org,
        "reports:annual": org,
        "reports:annual_xlsx": org,
        # The work lines' standard tables: ?org=CODE, scoped inside (tests/reports/test_standard_tables.py).
        **{f"reports:table_{key}": None for key in TABLES},
    }
