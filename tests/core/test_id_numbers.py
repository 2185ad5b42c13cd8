"""公民身份号码 (GB 11643-1999): exact rules, test vectors and property tests."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import id_check_char, parse_id_number

TODAY = dt.date(2026, 11, 21)
areas = st.sampled_from(["110105", "430121", "440524", "330281", "620201", "999999"])
births = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


def build(area, birth, seq):
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


def test_the_published_vectors():
    a = parse_id_number("11010519491231002X", TODAY)
    assert (a.birth_date, a.gender) == (dt.date(1949, 12, 31), 2)
    b = parse_id_number("440524188001010014", TODAY)
    assert (b.birth_date, b.gender) == (dt.date(1880, 1, 1), 1)
    assert b.warnings  # 146 years old: plausible-age warning, not a rejection


@given(areas, births, sequences)
def test_every_well_formed_number_is_accepted_with_its_birth_date_and_gender(area, birth, seq):
    info = parse_id_number(build(area, birth, seq), TODAY)
    assert info.birth_date == birth
    assert info.gender == (1 if seq % 2 else 2)


@given(areas, births, sequences, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_caught(area, birth, seq, position, delta):
    number = build(area, birth, seq)
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1:]
    try:
        info = parse_id_number(changed, TODAY)
    except ServiceError:
        return
    # MOD 11-2 detects every single-digit substitution, so only a re-derived date could pass.
    raise AssertionError(f"{changed} accepted as {info}")


@given(areas, st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)), sequences)
def test_fifteen_digit_numbers_are_upgraded(area, birth, seq):
    old = f"{area}{birth:%y%m%d}{seq:03d}"
    assert parse_id_number(old, TODAY).number == build(area, birth, seq)


def test_lower_case_x_is_accepted_and_stored_upper_case():
    assert parse_id_number("11010519491231002x", TODAY).number.endswith("X")


@pytest.mark.parametrize(("value", "message"), [
    ("", "请填写"),
    (110105194912310020, "须以文本录入"),
    (1.1010519491231002e17, "须以文本录入"),
    ("1101051949123100", "应为18位"),
    ("11010519491231002A", "最后一位为数字或X"),
    (build("110105", dt.date(1990, 1, 1), 1)[:10] + "0230" + "0011", "不是有效日期"),
    (build("110105", dt.date(2026, 12, 1), 1), "晚于今天"),
    ("110105194912310021", "校验位不正确"),
])
def test_rejections_say_why(value, message):
    with pytest.raises(ServiceError, match=message):
        parse_id_number(value, TODAY)


def test_an_unknown_area_code_is_only_a_warning():
    info = parse_id_number(build("999999", dt.date(1990, 5, 5), 12), TODAY)
    assert any("999999" in w for w in info.warnings)
