"""Lifecycle services: the rules of DOMAIN §1.3-§1.5, their bad inputs, history and audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from stdnum.cn import uscc as uscc_mod

from gonghui.core.errors import ServiceError
from gonghui.core.models import AuditEvent
from gonghui.orgs import services
from gonghui.orgs.models import Coverage, Employer, Org, OrgEvent, OrgPlacement, OrgStatus, OrgTerm, OrgType

D = dt.date


def make_uscc(first16="91430121MA4L0000"):
    body = first16 + "1"
    return body + uscc_mod.calc_check_digit(body)


def broken_uscc(first16="81430121MA4L0000"):
    """A USCC whose check character is wrong."""
    good = make_uscc(first16)
    return good[:-1] + ("1" if good[-1] != "1" else "2")


def counts():
    return (Org.objects.count(), OrgEvent.objects.count(), OrgPlacement.objects.count(), AuditEvent.objects.count(),
            Employer.objects.count(), Coverage.objects.count(), OrgTerm.objects.count())


def test_found_writes_history_placement_term_and_audit(tree, personas):
    org = services.org_found(actor=personas.town_clerk, parent=tree.town_a, name="甲五公司工会",
                             org_type=OrgType.GRASSROOTS, founded_on=D(2025, 5, 1), elected_on=D(2025, 5, 1),
                             term_years=5, chair_name="张三")
    assert org.code == "A-003"
    assert Org.objects.get_parent(org) == tree.town_a
    assert org.term_ends_on == D(2030, 5, 1) and org.term_number == 1
    assert org.events.get().kind == OrgEvent.Kind.FOUNDED
    assert org.placements.get().path == org.path
    entry = AuditEvent.objects.get(action="orgs.org.founded", object_id=str(org.pk))
    assert entry.actor_name == "town_clerk" and entry.org_path == org.path
    assert org.name_initials == "jwgsgh"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "请填写工会名称"),
        ({"name": "甲一公司工会"}, "已有同名组织"),
        ({"founded_on": None}, "请填写成立"),
        ({"founded_on": "future"}, "不能晚于今天"),
        ({"term_years": 4, "elected_on": D(2025, 1, 1)}, "任期应为3年或5年"),
        ({"elected_on": D(2024, 1, 1), "term_years": 3}, "选举日期不能早于成立日期"),
        ({"code": "A1"}, "已被使用"),
        ({"org_type": "nonsense"}, "不存在"),
        ({"founded_on": D(1985, 1, 1)}, "不能早于上级工会“甲镇工会联合会”的成立日期 1990-01-01"),
    ],
)
def test_found_refuses_bad_input_and_saves_nothing(tree, kwargs, message):
    args = {"name": "新工会", "org_type": OrgType.GRASSROOTS, "founded_on": D(2024, 6, 1)}
    args.update(kwargs)
    if args["founded_on"] == "future":
        args["founded_on"] = timezone.localdate() + dt.timedelta(days=1)
    before = counts()
    with pytest.raises(ServiceError, match=message):
        services.org_found(actor=None, parent=tree.town_a, **args)
    assert counts() == before


def test_a_grassroots_union_only_takes_sub_units(tree):
    with pytest.raises(ServiceError, match="只能设二级工会\\(分工会\\)、工会小组"):
        services.org_found(actor=None, parent=tree.union_a1, name="X", org_type=OrgType.GRASSROOTS,
                           founded_on=D(2024, 1, 1))
    sub = services.org_found(actor=None, parent=tree.union_a1, name="一车间分工会", org_type=OrgType.SUB_UNION,
                             founded_on=D(2024, 1, 1))
    assert sub.depth == tree.union_a1.depth + 1


def test_county_terms_are_five_years(tree):
    with pytest.raises(ServiceError, match="任期应为5年"):
        services.org_reelect(actor=None, org=tree.root, elected_on=D(2024, 1, 1), term_years=3)


def test_found_outside_the_actors_scope_is_refused(tree, personas):
    with pytest.raises(PermissionDenied):
        services.org_found(actor=personas.town_clerk, parent=tree.town_b, name="X", org_type=OrgType.GRASSROOTS,
                           founded_on=D(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        services.org_found(actor=personas.leader, parent=tree.town_a, name="X", org_type=OrgType.GRASSROOTS,
                           founded_on=D(2024, 1, 1))


def test_rename_keeps_the_old_name_in_history(tree, personas):
    services.org_rename(actor=personas.county_admin, org=tree.union_a1, new_name="甲一集团工会",
                        effective_on=D(2025, 1, 1))
    tree.union_a1.refresh_from_db()
    event = tree.union_a1.events.get(kind=OrgEvent.Kind.RENAMED)
    assert event.data == {"old": "甲一公司工会", "new": "甲一集团工会"}
    assert AuditEvent.objects.get(action="orgs.org.renamed").changes["name"] == ["甲一公司工会", "甲一集团工会"]
    with pytest.raises(ServiceError, match="相同"):
        services.org_rename(actor=None, org=tree.union_a1, new_name="甲一集团工会", effective_on=D(2025, 1, 2))
    with pytest.raises(ServiceError, match="同名"):
        services.org_rename(actor=None, org=tree.union_a1, new_name="甲二公司工会", effective_on=D(2025, 1, 2))


def test_move_rewrites_the_subtree_paths_and_placements(tree, personas):
    sub = services.org_found(actor=None, parent=tree.union_a1, name="车间分工会", org_type=OrgType.SUB_UNION,
                             founded_on=D(2023, 1, 1))
    services.org_move(actor=personas.county_admin, org=tree.union_a1, new_parent=tree.town_b,
                      effective_on=D(2024, 7, 1))
    tree.union_a1.refresh_from_db()
    sub.refresh_from_db()
    assert tree.union_a1.path.startswith(tree.town_b.path)
    assert sub.path.startswith(tree.union_a1.path)
    assert Org.objects.find_problems() == ([], [], [], [], [])
    old, new = tree.union_a1.placements.order_by("valid_from")
    assert (old.valid_to, new.valid_from, new.prev_path) == (D(2024, 7, 1), D(2024, 7, 1), old.path)
    assert sub.placements.filter(valid_to__isnull=True).get().path == sub.path


@pytest.mark.parametrize("case", ["self", "descendant", "same_parent", "earlier_than_last", "root", "out_of_scope"])
def test_move_refuses_impossible_moves(tree, personas, case):
    actor, org, target, when = None, tree.union_a1, tree.town_b, D(2024, 7, 1)
    if case == "self":
        target = org
    elif case == "descendant":
        org, target = tree.town_a, tree.union_a1
    elif case == "same_parent":
        target = tree.town_a
    elif case == "earlier_than_last":
        when = D(2019, 1, 1)
    elif case == "root":
        org = tree.root
    elif case == "out_of_scope":
        actor = personas.town_clerk
    before = counts()
    with pytest.raises((ServiceError, PermissionDenied)):
        services.org_move(actor=actor, org=org, new_parent=target, effective_on=when)
    assert counts() == before


def test_reelection_starts_a_new_term(tree):
    term = services.org_reelect(actor=None, org=tree.union_a1, elected_on=D(2023, 4, 1), term_years=5,
                                chair_name="李四")
    tree.union_a1.refresh_from_db()
    assert (term.number, tree.union_a1.term_ends_on, tree.union_a1.chair_name) == (2, D(2028, 4, 1), "李四")
    event = tree.union_a1.events.get(kind=OrgEvent.Kind.REELECTED)
    assert event.data["on_time"] is False  # the first term ended on 2023-03-01
    with pytest.raises(ServiceError, match="应晚于本届选举日期"):
        services.org_reelect(actor=None, org=tree.union_a1, elected_on=D(2023, 4, 1), term_years=5)


def test_type_change_upgrades_and_refuses_when_children_would_be_orphaned(tree):
    services.org_change_type(actor=None, org=tree.town_a, new_type=OrgType.TOWNSHIP_GEN, effective_on=D(2025, 1, 1))
    assert tree.town_a.events.filter(kind=OrgEvent.Kind.TYPE_CHANGED).exists()
    with pytest.raises(ServiceError, match="须先转出"):
        services.org_change_type(actor=None, org=tree.town_a, new_type=OrgType.GRASSROOTS,
                                 effective_on=D(2025, 2, 1))


def test_dissolve_is_refused_while_subordinates_remain(tree):
    before = counts()
    with pytest.raises(ServiceError, match="未注销的下级组织"):
        services.org_dissolve(actor=None, org=tree.town_b, dissolved_on=D(2025, 1, 1), reason="撤并")
    assert counts() == before
    tree.town_b.refresh_from_db()
    assert tree.town_b.status == OrgStatus.ACTIVE


def test_dissolve_ends_coverage_and_runs_registered_checks(tree, monkeypatch):
    monkeypatch.setattr(services, "DISSOLUTION_CHECKS",
                        [*services.DISSOLUTION_CHECKS, lambda org: "还有会员12人" if org.code == "B1" else None])
    with pytest.raises(ServiceError, match="还有会员12人"):
        services.org_dissolve(actor=None, org=tree.union_b1, dissolved_on=D(2025, 1, 1), reason="企业关闭")
    services.org_dissolve(actor=None, org=tree.union_a1, dissolved_on=D(2025, 1, 1), reason="企业关闭")
    assert Coverage.objects.get(union=tree.union_a1).valid_to == D(2025, 1, 1)
    with pytest.raises(ServiceError, match="已注销"):
        services.org_dissolve(actor=None, org=tree.union_a1, dissolved_on=D(2025, 1, 2), reason="x")
    with pytest.raises(ServiceError, match="请填写注销原因"):
        services.org_dissolve(actor=None, org=tree.union_a2, dissolved_on=D(2025, 3, 1), reason=" ")


def test_legal_person_registration_validates_the_uscc(tree):
    with pytest.raises(ServiceError, match="校验位"):
        services.org_register_legal_person(actor=None, org=tree.union_a1, uscc=broken_uscc(),
                                           cert_no="1", issued_on=D(2024, 1, 1))
    with pytest.raises(ServiceError, match="应为18位"):
        services.org_register_legal_person(actor=None, org=tree.union_a1, uscc="8143", cert_no="1",
                                           issued_on=D(2024, 1, 1))
    code = make_uscc("81430121MA4L0000")
    services.org_register_legal_person(actor=None, org=tree.union_a1, uscc=code.lower(), cert_no="工法1",
                                       issued_on=D(2024, 1, 1))
    tree.union_a1.refresh_from_db()
    assert tree.union_a1.uscc == code
    with pytest.raises(ServiceError, match="已登记在其他工会"):
        services.org_register_legal_person(actor=None, org=tree.union_a2, uscc=code, cert_no="工法2",
                                           issued_on=D(2025, 3, 1))


def test_update_records_the_changed_fields(tree):
    services.org_update(actor=None, org=tree.union_a1, address="长沙县星沙街道1号", contact_phone="13800001111")
    entry = AuditEvent.objects.get(action="orgs.org.updated")
    assert entry.changes["address"] == ["", "长沙县星沙街道1号"]
    assert entry.changes["contact_phone"] == ["***", "***"]  # phones never reach the log in clear
    with pytest.raises(ServiceError, match="注销请使用"):
        services.org_update(actor=None, org=tree.union_a1, status=OrgStatus.DISSOLVED)


def test_employer_rules(tree):
    before = counts()
    for kwargs, message in [
        ({"name": ""}, "请填写单位名称"),
        ({"uscc": broken_uscc("91430121MA4L0000")}, "校验位"),
        ({"headcount": 10, "women_count": 11}, "不能大于职工人数"),
        ({"registered_on": D(2020, 1, 1), "closed_on": D(2019, 1, 1)}, "关闭日期不能早于成立日期"),
    ]:
        with pytest.raises(ServiceError, match=message):
            services.employer_create(actor=None, org=tree.town_a, **{"name": "某公司", **kwargs})
    assert counts() == before
    code = make_uscc()
    services.employer_create(actor=None, org=tree.town_a, name="丙公司", uscc=code)
    with pytest.raises(ServiceError, match="已登记为“丙公司”"):
        services.employer_create(actor=None, org=tree.town_a, name="丁公司", uscc=code)


def test_coverage_rules(tree):
    with pytest.raises(ServiceError, match="已由“甲一公司工会”覆盖"):
        services.coverage_start(actor=None, union=tree.union_a2, employer=tree.emp["a1"], valid_from=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="只有基层工会才能覆盖"):
        services.coverage_start(actor=None, union=tree.town_a, employer=tree.emp["a3"], valid_from=D(2025, 3, 1))
    with pytest.raises(ServiceError, match="不能早于工会成立日期"):
        services.coverage_start(actor=None, union=tree.union_a2, employer=tree.emp["a3"], valid_from=D(2020, 1, 1))
    cov = Coverage.objects.get(employer=tree.emp["a1"])
    with pytest.raises(ServiceError, match="应晚于起始日期"):
        services.coverage_end(actor=None, coverage=cov, valid_to=D(2019, 1, 1))
    services.coverage_end(actor=None, coverage=cov, valid_to=D(2024, 1, 1))
    with pytest.raises(ServiceError, match="重叠"):
        services.coverage_start(actor=None, union=tree.union_b1, employer=tree.emp["a1"], valid_from=D(2023, 6, 1))
    services.coverage_start(actor=None, union=tree.union_a2, employer=tree.emp["a1"], valid_from=D(2025, 3, 1))


def test_a_failure_half_way_leaves_no_half_record(tree, monkeypatch):
    """A crash after the org row is written must roll back the org, its history and its audit entry."""
    before = counts()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_start_term", boom)
    with pytest.raises(RuntimeError):
        services.org_found(actor=None, parent=tree.town_a, name="半途工会", org_type=OrgType.GRASSROOTS,
                           founded_on=D(2024, 1, 1), elected_on=D(2024, 1, 1), term_years=3)
    assert counts() == before
    assert not Org.objects.filter(name="半途工会").exists()
