"""The big national tables (GB/T 2260, GB/T 4754-2017) and the statistics report's unit tables,
read from their CSV files: lookup by code and by name, the hierarchy, and the 组织机构代码 check."""

import pytest

from gonghui.core import codes
from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import clean_org_code, org_code_check_char


def test_regions_roll_a_county_up_to_its_prefecture_and_province():
    region = codes.get("region")
    assert region.label("430121") == "长沙县"
    assert region.by_code["430121"].parent == "430100"
    assert region.by_code["430100"].parent == "430000"
    assert region.top("430121") == "430000"
    assert region.full_name("430121") == "湖南省长沙市长沙县"
    assert sum(1 for c in region.entries if not c.parent) == 31  # provinces, regions and municipalities


@pytest.mark.parametrize("cell, expected", [
    ("430121", "430121"), ("湖南省长沙市长沙县", "430121"), ("长沙市长沙县", "430121"), ("长沙县", "430121"),
    (" 长沙县 ", "430121"), ("430121000000", "430121"), ("43", "430000"), ("4301", "430100"),
    ("北京市朝阳区", "110105"), ("吉林省长春市朝阳区", "220104"),
    ("朝阳区", None),  # in Beijing and in Changchun: a bare name that repeats is not guessed
    ("999999", None), ("长沙", None),
])
def test_a_region_is_found_by_code_or_unambiguous_name(cell, expected):
    assert codes.get("region").code_of(cell) == expected


def test_industries_have_four_levels_and_take_the_letter_prefixed_codes():
    industry = codes.get("industry")
    levels = {n: sum(1 for c in industry.entries if (len(c.code) if c.code.isdigit() else 1) == n)
              for n in (1, 2, 3, 4)}
    assert levels[1] == 20 and levels[2] == 97 and levels[3] == 473 and levels[4] >= 1380
    assert industry.label("1311") == "稻谷加工"
    assert (industry.by_code["1311"].parent, industry.by_code["131"].parent, industry.by_code["13"].parent) == (
        "131", "13", "C")
    assert industry.top("1311") == "C"
    assert industry.code_of("C1311") == industry.code_of("c1311") == industry.code_of("稻谷加工") == "1311"
    assert industry.code_of("C13") == "13" and industry.code_of("B13") is None
    assert industry.code_of("3741") == "3741"  # restored: lost in the source
    assert industry.label("019") == industry.label("0190") == "其他农业"


def test_unit_categories_and_economic_types_roll_up_for_the_annual_report():
    category = codes.get("unit_category")
    assert len(category.entries) == 17
    assert category.code_of("事业单位") == "400" and category.code_of("民办非企业单位") == "700"
    assert category.code_of("台港澳商投资企业") == "200"
    economic = codes.get("economic_type")
    assert economic.code_of("私营有限责任公司") == "173"
    assert {economic.top(c) for c in ("173", "110", "151")} == {"100"}
    assert economic.top("230") == "200" and economic.top("330") == "300"
    assert economic.label("100") == "内资企业"


def test_the_parser_reports_an_unknown_value_with_the_tables_name():
    from gonghui.core.excel import CellError

    parse = codes.parser("industry")
    assert parse("C1311") == "1311"
    with pytest.raises(CellError, match="国民经济行业分类"):
        parse("造飞船")


def test_organisation_codes_are_checked_as_gb_11714_says():
    assert org_code_check_char("D2143569") == "X"  # the standard's example
    assert clean_org_code("d2143569-x") == "D2143569X"
    assert clean_org_code("") == "" and clean_org_code(None) == ""
    # Characters 9-17 of a valid USCC are a valid 组织机构代码.
    assert clean_org_code("91110000600037341L"[8:17]) == "600037341"
    for bad, why in (("D21435690", "校验位"), ("D2143569", "9位"), ("D2143569-*", "格式")):
        with pytest.raises(ServiceError, match=why):
            clean_org_code(bad)
