"""Every registered exporter runs from `gonghui export KIND`, scoped by --user, and an unknown kind
or parameter is refused in Chinese."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.core import excel, exports
from gonghui.core.tables import TABLES

# Exporters that need a parameter to know what to write.
PARAMS = {"table": lambda: [f"table={next(iter(TABLES))}"]}


def test_every_exporter_writes_a_workbook_from_the_command_line(tree, tmp_path):
    assert {"tables", "members", "contracts", "petitions", "assistance_archives"} <= set(exports.REGISTRY)
    for key, cls in sorted(exports.REGISTRY.items()):
        if cls.params_help and key not in PARAMS and any(p for p in cls.params_help if p == "campaign"):
            continue  # needs a campaign: covered below
        out = tmp_path / f"{key}.xlsx"
        args = [f"--param={p}" for p in PARAMS.get(key, list)()]
        call_command("export_data", key, "--org", tree.root.code, "--to", "2026-06-30", "--out", str(out), *args)
        name, rows = excel.read_table(out.read_bytes())
        assert rows, key


def test_a_campaign_ledger_needs_a_visible_campaign(tree, tmp_path):
    with pytest.raises(CommandError, match="未找到该帮扶活动"):
        call_command("export_data", "assistance_campaign", "--org", tree.root.code, "--out", str(tmp_path / "c.xlsx"))


def test_unknown_kinds_and_parameters_are_refused(tree, tmp_path):
    with pytest.raises(CommandError, match="未知的导出内容"):
        call_command("export_data", "nope", "--out", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="不是会员名册的导出条件"):
        call_command("export_data", "members", "--param", "colour=red", "--out", str(tmp_path / "x.xlsx"))


def test_with_a_user_the_export_is_that_users_scope(tree, personas, tmp_path):
    from gonghui.members import services
    from tests.members.conftest import make_id

    services.member_join(actor=None, union=tree.union_a1, name="甲会员", id_number=make_id(seq=401),
                         joined_on=tree.union_a1.founded_on)
    services.member_join(actor=None, union=tree.union_b1, name="乙会员", id_number=make_id(seq=402),
                         joined_on=tree.union_b1.founded_on)
    out = tmp_path / "m.xlsx"
    call_command("export_data", "members", "--org", tree.town_a.code, "--user", "town_clerk", "--out", str(out))
    names = [r[0] for r in excel.read_table(out.read_bytes())[1][1:]]
    assert names == ["甲会员"]
    with pytest.raises(CommandError, match="没有导出权限"):
        call_command("export_data", "members", "--org", tree.town_b.code, "--user", "town_clerk", "--out", str(out))


def test_a_bad_date_is_refused_and_nothing_is_written(tree, tmp_path):
    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("export_data", "members", "--to", "2025-13-01", "--out", str(out))
    assert not out.exists()
