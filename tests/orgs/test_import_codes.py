"""Orgs and employers from the sheets clerks keep (issue 17): official codes or labels in the
code-table columns, the 组织机构代码 checked, the parent union named by name."""

import datetime as dt

import pytest

from gonghui.core.errors import ServiceError
from gonghui.orgs.imports import EmployerImporter, OrgImporter
from gonghui.orgs.models import Employer, Org
from tests.core.test_excel import make_xlsx
from tests.orgs.test_imports import code, counts, errors_of

D = dt.date
EMP_HEADERS = ["单位名称", "统一社会信用代码", "属地工会编码", "单位类别", "经济类型", "行业", "组织机构代码",
               "行政区划代码", "职工人数"]
ORG_HEADERS = ["组织编码", "工会名称", "组织类型", "上级组织编码", "上级组织名称", "成立日期", "行政区划代码"]


def test_employers_take_codes_or_labels_and_store_the_codes(tree, personas):
    data = make_xlsx([
        EMP_HEADERS,
        ["甲五公司", code(5), "A", "170", "私营有限责任公司", "C1311", "D2143569-X", "430121", 120],
        ["甲六学校", None, "A", "事业单位", None, "初等教育", None, "湖南省长沙市长沙县", 40],
        ["甲七公司", code(7), "A", "私营企业", None, "1311", None, "430121000000", 10],
    ])
    result = EmployerImporter(actor=personas.town_clerk).run(data)
    assert result.ok, result.errors
    e5 = Employer.objects.get(uscc=code(5))
    assert (e5.unit_category, e5.economic_type, e5.industry, e5.org_code, e5.region_code) == (
        "170", "173", "1311", "D2143569X", "430121")
    assert e5.ownership == "private"  # 单位性质 left empty: from the 单位类别
    school = Employer.objects.get(name="甲六学校")
    assert (school.unit_category, school.economic_type, school.industry, school.ownership) == (
        "400", "", "832", "institution")
    # An enterprise's 经济类型 left empty follows its 单位类别.
    assert Employer.objects.get(uscc=code(7)).economic_type == "170"
    again = EmployerImporter(actor=personas.town_clerk).run(data)
    assert again.ok and (again.created, again.updated) == (0, 0)


def test_bad_codes_are_refused_by_row_and_column_and_nothing_is_saved(tree, personas):
    data = make_xlsx([
        EMP_HEADERS,
        ["甲五公司", code(5), "A", "国营", None, None, None, None, 10],                 # 2: no such 单位类别
        ["甲六公司", code(6), "A", None, "合资", "C9999", None, None, 10],               # 3: 经济类型, 行业
        ["甲七公司", code(7), "A", None, None, None, "D21435690", "朝阳区", 10],         # 4: check digit, ambiguous
    ])
    before = counts()
    result = EmployerImporter(actor=personas.town_clerk).run(data)
    assert errors_of(result) == {(2, "单位类别"), (3, "经济类型"), (3, "行业"), (4, "组织机构代码"),
                                 (4, "行政区划代码")}
    reasons = {e.column: e.reason for e in result.errors}
    assert "校验位" in reasons["组织机构代码"] and "GB/T 2260" in reasons["行政区划代码"]
    assert counts() == before


def test_an_org_names_its_parent_by_name_and_takes_a_region_by_name(tree, personas):
    data = make_xlsx([
        ORG_HEADERS,
        ["A7", "甲七公司工会", "基层工会委员会", None, "甲镇工会联合会", D(2024, 3, 1), "湖南省长沙市长沙县"],
        # The parent may be a new org of the same file, named as written there (full-width brackets).
        ["A7-1", "甲七公司一车间分工会", "二级工会(分工会)", None, "甲七公司工会", D(2024, 4, 1), None],
    ])
    result = OrgImporter(actor=personas.town_clerk).run(data)
    assert result.ok, result.errors
    a7 = Org.objects.get(code="A7")
    assert Org.objects.get_parent(a7) == tree.town_a and a7.region_code == "430121"
    assert Org.objects.get_parent(Org.objects.get(code="A7-1")) == a7


def test_an_ambiguous_or_unknown_parent_name_is_refused_naming_the_candidates(tree, personas):
    from gonghui.orgs import services

    # A second 甲镇工会联合会 would be odd; two 工会小组-level namesakes are not: take the sub-union case.
    services.org_found(actor=None, parent=tree.union_a1, name="一车间分工会", org_type="sub_union",
                       founded_on=D(2021, 1, 1), code="A1-1")
    services.org_found(actor=None, parent=tree.union_a2, name="一车间分工会", org_type="sub_union",
                       founded_on=D(2025, 3, 1), code="A2-1")
    data = make_xlsx([
        ORG_HEADERS,
        ["A1-1-1", "一车间第一工会小组", "工会小组", None, "一车间分工会", D(2025, 4, 1), None],    # 2: two
        ["A8", "甲八公司工会", "基层工会委员会", None, "乙街道总工会", D(2025, 4, 1), None],        # 3: not his
        ["A9", "甲九公司工会", "基层工会委员会", None, None, D(2025, 4, 1), None],                  # 4: none
    ])
    before = Org.objects.count()
    result = OrgImporter(actor=personas.town_clerk).run(data)
    assert errors_of(result) == {(2, "上级组织名称"), (3, "上级组织名称"), (4, "上级组织编码")}
    reason = next(e.reason for e in result.errors if e.row == 2)
    assert "A1-1" in reason and "A2-1" in reason
    assert Org.objects.count() == before


def test_the_employer_form_takes_names_shows_labels_and_refuses_unknown_codes(client, tree, personas):
    from django.urls import reverse

    client.force_login(personas.town_clerk)
    base = {"org": tree.town_a.pk, "name": "甲十公司", "ownership": "private", "headcount": "10", "women_count": "2",
            "migrant_count": "0", "uscc": ""}
    bad = client.post(reverse("orgs:employer_create"), {**base, "industry": "造飞船", "org_code": "D21435690"})
    page = bad.content.decode()
    assert "不是国民经济行业分类的代码或名称" in page and "校验位不正确" in page and 'value="造飞船"' in page
    assert not Employer.objects.filter(name="甲十公司").exists()
    client.post(reverse("orgs:employer_create"), {
        **base, "unit_category": "170", "economic_type": "173", "industry": "稻谷加工", "org_code": "D2143569-X",
        "region_code": "长沙市长沙县"})
    employer = Employer.objects.get(name="甲十公司")
    assert (employer.unit_category, employer.economic_type, employer.industry, employer.org_code,
            employer.region_code) == ("170", "173", "1311", "D2143569X", "430121")
    detail = client.get(reverse("orgs:employer_detail", args=[employer.pk])).content.decode()
    for text in ("170 私营企业", "173 私营有限责任公司", "1311 稻谷加工", "430121 湖南省长沙市长沙县", "D2143569X"):
        assert text in detail
    edit = client.get(reverse("orgs:employer_edit", args=[employer.pk])).content.decode()
    assert 'value="1311 稻谷加工"' in edit


def test_the_employer_export_writes_labels_or_codes_and_either_imports_back_unchanged(tree, personas):
    import io

    from python_calamine import CalamineWorkbook

    from gonghui.orgs.exports import EmployerRegistry

    data = make_xlsx([
        EMP_HEADERS,
        ["甲五公司", code(5), "A", "170", "私营有限责任公司", "C1311", "D2143569-X", "430121", 120],
    ])
    assert EmployerImporter(actor=personas.town_clerk).run(data).ok
    before = list(Employer.objects.order_by("pk").values())
    for params, expected in (({}, ["私营企业", "私营有限责任公司", "稻谷加工", "湖南省长沙市长沙县"]),
                             ({"codes": "1"}, ["170", "173", "1311", "430121"])):
        out = io.BytesIO()
        EmployerRegistry(personas.town_clerk, params=params).write(out)
        rows = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()
        header = rows[0]
        line = dict(zip(header, next(r for r in rows if r[0] == "甲五公司"), strict=False))
        assert [line[h] for h in ("单位类别", "经济类型", "行业", "行政区划代码")] == expected
        assert line["组织机构代码"] == "D2143569X"
        again = EmployerImporter(actor=personas.town_clerk).run(out.getvalue())
        assert again.ok, again.errors
        assert (again.created, again.updated) == (0, 0)
        assert list(Employer.objects.order_by("pk").values()) == before


def test_founding_offers_the_parents_region_and_takes_a_name(client, tree, personas):
    from django.urls import reverse

    from gonghui.orgs import services

    services.org_update(actor=None, org=tree.town_a, region_code="430121")
    client.force_login(personas.town_clerk)
    url = reverse("orgs:found", args=[tree.town_a.pk])
    assert 'value="430121 长沙县"' in client.get(url).content.decode()
    client.post(url, {"name": "甲十一公司工会", "org_type": "grassroots", "founded_on": "2025-05-01",
                      "region_code": "湖南省长沙市长沙县"})
    assert Org.objects.get(name="甲十一公司工会").region_code == "430121"
    with pytest.raises(ServiceError, match="行政区划"):
        services.org_update(actor=None, org=tree.town_a, region_code="999999")
