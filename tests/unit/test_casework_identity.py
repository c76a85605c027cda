"""Resident ID numbers (PII-1): validation with stdnum, masking, birth date, sex and age."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from sgz_core.casework import identity
from sgz_core.casework.identity import IdMask, mask, validate
from sgz_core.casework.vocabulary import Sex
from sgz_core.errors import InvalidInput
from sgz_core.testing import strategies as s

ELDERLY_WOMAN = "620102194205160246"  # examples/chengguan.toml, fictitious


def test_a_valid_number_is_kept_in_compact_upper_case() -> None:
    assert validate(ELDERLY_WOMAN) == ELDERLY_WOMAN
    assert validate(" 62010219460130028x ") == "62010219460130028X"


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("62010219420516024", "18-character"),
        ("6201021942051602A6", "18-character"),
        ("620102194213160246", "no valid birth date"),
        ("620102194202300246", "no valid birth date"),
        ("620102187001010010", "before 1880"),
        ("620102194205160247", "wrong check character"),
    ],
)
def test_invalid_numbers_are_refused_without_showing_them(number: str, expected: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        validate(number)
    assert expected in str(exc.value)
    assert number not in str(exc.value)


def test_old_address_codes_of_the_elderly_are_accepted() -> None:
    # stdnum's place table says 620102 did not exist in 1930; the number may still be genuine
    number = identity.with_check_digit("62010219300101123")
    assert not ric.is_valid(number)
    assert validate(number) == number


def test_birth_date_sex_and_age() -> None:
    assert identity.birth_date(ELDERLY_WOMAN) == dt.date(1942, 5, 16)
    assert identity.sex(ELDERLY_WOMAN) is Sex.FEMALE
    assert identity.sex("620102193811020118") is Sex.MALE
    assert identity.age_on(dt.date(1942, 5, 16), dt.date(2025, 5, 15)) == 82
    assert identity.age_on(dt.date(1942, 5, 16), dt.date(2025, 5, 16)) == 83
    assert identity.age_on(dt.date(2012, 2, 29), dt.date(2025, 2, 28)) == 12
    assert identity.age_on(dt.date(2012, 2, 29), dt.date(2025, 3, 1)) == 13


def test_default_mask_keeps_four_and_four() -> None:
    assert mask(ELDERLY_WOMAN) == "6201**********0246"
    assert mask(None) == ""
    assert IdMask(6, 2, "#").apply(ELDERLY_WOMAN) == "620102##########46"
    assert IdMask(0, 0).apply("abc") == "***"


@pytest.mark.parametrize(
    "kwargs",
    [{"keep_start": 7}, {"keep_end": 5}, {"fill": "0"}, {"fill": "**"}, {"keep_start": -1}],
)
def test_a_mask_that_could_show_the_birth_date_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        IdMask(**kwargs)  # type: ignore[arg-type]


@given(number=s.id_numbers(), start=st.integers(0, 6), end=st.integers(0, 4))
def test_a_masked_number_never_contains_the_full_number_or_its_birth_date(
    number: str, start: int, end: int
) -> None:
    shown = IdMask(start, end).apply(number)
    assert number not in shown
    assert number[6:14] not in shown
    assert len(shown) == len(number)


@given(
    born=st.dates(dt.date(1900, 1, 1), dt.date(2029, 12, 31)),
    sex=st.sampled_from(list(Sex)),
    data=st.data(),
)
def test_generated_numbers_hold_what_they_were_made_with(
    born: dt.date, sex: Sex, data: st.DataObject
) -> None:
    number = data.draw(s.id_numbers(born=born, sex=sex))
    assert identity.is_valid(number)
    assert identity.birth_date(number) == born
    assert identity.sex(number) is sex
    assert ric.calc_check_digit(number) == number[-1]
