"""USCC (统一社会信用代码) validation: property tests over generated codes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from gonghui.core.errors import ServiceError
from gonghui.core.identifiers import clean_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Positions 1-8 (registration department, type, region) are digits; the rest use the alphabet.
bodies = st.builds(lambda a, b: a + b, st.text(alphabet="0123456789", min_size=8, max_size=8),
                   st.text(alphabet=ALPHABET, min_size=9, max_size=9))


@given(bodies)
def test_every_code_with_the_right_check_character_is_accepted(body):
    code = body + uscc.calc_check_digit(body)
    assert clean_uscc(code) == code
    assert clean_uscc(f" {code.lower()} ") == code


@given(bodies, st.sampled_from(ALPHABET))
def test_a_wrong_check_character_is_refused(body, wrong):
    right = uscc.calc_check_digit(body)
    if wrong == right:
        return
    with pytest.raises(ServiceError, match="校验位"):
        clean_uscc(body + wrong)


@pytest.mark.parametrize("value", ["", None, "   "])
def test_empty_means_not_given(value):
    assert clean_uscc(value) is None


def test_wrong_length_names_the_length():
    with pytest.raises(ServiceError, match="实际为5位"):
        clean_uscc("91430")


def test_letters_that_are_not_in_the_alphabet_are_a_format_error():
    with pytest.raises(ServiceError, match="格式不正确"):
        clean_uscc("91430121MA4L0000O1")
