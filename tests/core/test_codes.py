"""The person code tables (core.codes.person, issue 17): every code, label and alias reads as its
code, whatever the brackets' width, the spaces or a number cell; the official lists are complete;
our own codes are marked as extensions; the 户口类型 table says which registrations are rural."""

import pytest

from gonghui.core import codes
from gonghui.core.codes import person
from gonghui.core.excel import CellError

PERSON_TABLES = ("gender", "ethnicity", "political", "education", "hukou", "employment")


def spellings(key):
    for entry in codes.get(key).entries:
        for text in (entry.code, entry.label, *entry.aliases):
            yield entry.code, text


@pytest.mark.parametrize("key", PERSON_TABLES)
def test_every_code_label_and_alias_reads_as_its_code(key):
    table = codes.get(key)
    for code, text in spellings(key):
        assert table.code_of(text) == code, (key, text)
        # Full-width letters, digits and brackets, and spaces around and inside, change nothing.
        wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
        assert table.code_of(f" {wide} ") == code, (key, wide)
        assert table.code_of(" ".join(text)) == code, (key, text)


@pytest.mark.parametrize("key", PERSON_TABLES)
def test_no_spelling_means_two_codes(key):
    seen: dict[str, str] = {}
    for code, text in spellings(key):
        assert seen.setdefault(codes.norm(text), code) == code, (key, text, seen[codes.norm(text)], code)


def test_full_width_and_half_width_brackets_are_one_value():
    employment = codes.get("employment")
    assert employment.code_of("待（下）岗") == employment.code_of("待(下)岗") == "2"
    assert employment.code_of("下（待）岗") == employment.code_of("下(待)岗") == "2"  # our old spelling
    assert employment.code_of("退养（内退）") == employment.code_of("退养(内退)") == employment.code_of("内退") == "7"
    assert employment.code_of("失（无）业") == "3"


@pytest.mark.parametrize(("key", "cell", "code"), [
    ("ethnicity", 1.0, "01"), ("ethnicity", 1, "01"), ("ethnicity", "1", "01"), ("ethnicity", 56.0, "56"),
    ("political", 4.0, "04"), ("political", 13.0, "13"), ("education", 21.0, "21"),
    ("gender", 2.0, "2"), ("hukou", 2.0, "2"), ("hukou", 0.0, "0"), ("employment", 7.0, "7"),
])
def test_a_code_typed_as_a_number_reads_as_the_code(key, cell, code):
    assert codes.get(key).code_of(cell) == code


@pytest.mark.parametrize(("key", "cell"), [
    ("ethnicity", "火星族"), ("ethnicity", 99), ("political", "党外人士"), ("political", 14.0),
    ("education", "博士后"), ("hukou", "城里"), ("hukou", 9), ("employment", "上班"), ("employment", 10),
    ("gender", "3"), ("political", 1.5),
])
def test_anything_else_reads_as_nothing(key, cell):
    assert codes.get(key).code_of(cell) is None


def test_an_empty_cell_is_empty():
    for key in PERSON_TABLES:
        assert codes.get(key).code_of(None) == codes.get(key).code_of("  ") == ""


def test_the_official_lists_are_complete_and_ours_are_extensions():
    official = {key: [e.code for e in codes.get(key).entries if not e.extension] for key in PERSON_TABLES}
    ours = {key: [e.code for e in codes.get(key).entries if e.extension] for key in PERSON_TABLES}
    assert official["political"] == [f"{n:02d}" for n in range(1, 14)]  # GB/T 4762: all 13
    assert ours["political"] == ["X1"] and codes.get("political").label("X1") == "民主党派（未注明党派）"
    assert [codes.get("hukou").label(c) for c in official["hukou"]] == [
        "未落常住户口", "非农业家庭户口", "农业家庭户口", "非农业集体户口", "农业集体户口", "自理口粮户口", "寄住户口",
        "暂住户口", "其他户口"]
    assert [codes.get("employment").label(c) for c in official["employment"]] == [
        "在岗", "待（下）岗", "失业", "退休", "离休", "退职", "退养（内退）", "病休", "其他"]
    assert ours["employment"] == [person.EMPLOYMENT_FLEXIBLE] and codes.get("employment").label("X1") == "灵活就业"
    assert len(official["ethnicity"]) == 58 and not ours["ethnicity"] and not ours["education"]


def test_the_hukou_table_says_which_registrations_are_rural():
    hukou = codes.get("hukou")
    assert [e.code for e in hukou.entries if person.is_rural(e.code)] == ["2", "4"]  # 农业家庭户口, 农业集体户口
    assert hukou.code_of("农村") == hukou.code_of("农业") == "2" and person.is_rural(hukou.code_of("农村户口"))
    assert hukou.code_of("城镇") == hukou.code_of("非农业") == "1" and not person.is_rural("1")
    assert hukou.code_of("集体户口") == "3" and hukou.code_of("农村集体户口") == "4"
    # Misspellings seen in official drop-down lists and messages.
    assert (hukou.code_of("寄住人口"), hukou.code_of("暂住人口"), hukou.code_of("赞助户口")) == ("6", "7", "7")
    assert not person.is_rural("X1") and not person.is_rural("") and not person.is_rural("rural")


def test_education_rolls_up_to_its_group_and_takes_the_usual_spellings():
    education = codes.get("education")
    assert [education.top(c) for c in ("11", "14", "21", "28", "31", "47", "61", "73", "83", "90", "20")] == [
        "10", "10", "20", "20", "30", "40", "60", "70", "80", "90", "20"]
    assert (education.code_of("本科"), education.code_of("大学毕业"), education.code_of("大专")) == ("20", "21", "30")
    assert (education.code_of("硕士"), education.code_of("技校"), education.code_of("高中毕业")) == ("14", "40", "61")


def test_political_takes_the_parties_by_their_names():
    political = codes.get("political")
    assert [political.code_of(n) for n in ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟")] == [
        f"{n:02d}" for n in range(4, 12)]
    assert political.code_of("民主党派") == "X1" and political.code_of("中共党员") == "01"


def test_the_parser_stores_the_code_and_names_the_table_when_it_cannot():
    parse = codes.parser("employment")
    assert parse("待（下）岗") == "2" and parse(4.0) == "4" and parse("") is None and parse(None) is None
    with pytest.raises(CellError) as exc:
        parse("上班")
    assert "“上班”不是就业状况的代码或名称" in str(exc.value)
    assert codes.parser("hukou").choices[:3] == ("未落常住户口", "非农业家庭户口", "农业家庭户口")
