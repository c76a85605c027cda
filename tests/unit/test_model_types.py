"""A model value given a value of the wrong type refuses it at once (found by reviewing the
Python API, 2026-12-03): a caller building or ``attrs.evolve``-ing a programme in Python gets
an ``InvalidInput`` naming the field, not a value that fails later, deep inside a rule, a
reporter or a storage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core.errors import InvalidInput
from sgz_core.model import Contractor, ContractYear, Programme, Station

not_an_int = st.one_of(
    st.floats(allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=3),
    st.fractions(),
)


@given(value=not_an_int)
def test_a_contract_year_number_must_be_an_int(value: object) -> None:
    with pytest.raises(InvalidInput, match=r"^year: expected a contract year number"):
        ContractYear(value)  # type: ignore[arg-type]


def test_an_integral_float_year_is_refused_too() -> None:
    # 1.0 == 1 found the year, then the schedule's JSON said "year": 1.0 or a range() failed
    with pytest.raises(InvalidInput, match=r"got 1\.0"):
        ContractYear(1.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="got Decimal"):
        ContractYear(Decimal(1))  # type: ignore[arg-type]
    assert ContractYear(1).year == 1


not_a_text = st.one_of(
    st.integers(), st.none(), st.floats(), st.binary(max_size=3), st.lists(st.text(), max_size=1)
)


@given(value=not_a_text, field=st.sampled_from(["id", "profile"]))
def test_a_programme_id_or_profile_must_be_a_text(value: object, field: str) -> None:
    programme = Programme("p", "项目", dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match=rf"^{field}: expected a text"):
        attrs.evolve(programme, **{field: value})


@given(value=not_a_text, field=st.sampled_from(["id", "contractor"]))
def test_a_station_id_or_contractor_must_be_a_text(value: object, field: str) -> None:
    station = Station("s", "街道", "c")
    with pytest.raises(InvalidInput, match=rf"^{field}: expected a text"):
        attrs.evolve(station, **{field: value})


@given(value=not_a_text)
def test_a_contractor_id_must_be_a_text(value: object) -> None:
    with pytest.raises(InvalidInput, match=r"^id: expected a text"):
        Contractor(value, "机构", "52620102MJA000010R")  # type: ignore[arg-type]


not_a_list = st.one_of(
    st.none(),
    st.integers(),
    st.text(min_size=1),
    st.binary(min_size=1),
    st.dictionaries(st.text(), st.integers(), min_size=1),
)


@given(value=not_a_list, field=st.sampled_from(["stations", "contractors", "records"]))
def test_a_programme_s_lists_must_be_lists(value: object, field: str) -> None:
    # stations="abc" was kept as ("a", "b", "c") and failed in a rule; None with a TypeError
    programme = Programme("p", "项目", dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match=r"expected a list"):
        attrs.evolve(programme, **{field: value})


def test_any_iterable_of_values_is_a_list() -> None:
    station = Station("s", "街道", "c")
    programme = Programme("p", "项目", dt.date(2025, 1, 1), stations=(s for s in [station]))
    assert programme.stations == (station,)


@given(value=not_a_text)
def test_a_station_s_street_must_be_a_text(value: object) -> None:
    # street=None was kept: the SIGN-1 plaque said "兰州市城关区None社会工作服务站"
    with pytest.raises(InvalidInput, match=r"^street: expected a text"):
        Station("s", value, "c")  # type: ignore[arg-type]


@given(value=not_a_text, field=st.sampled_from(["name", "uscc"]))
def test_a_contractor_s_name_and_uscc_must_be_texts(value: object, field: str) -> None:
    contractor = Contractor("c", "机构", "52620102MJA000010R")
    with pytest.raises(InvalidInput, match=rf"^{field}: expected a text"):
        attrs.evolve(contractor, **{field: value})


@given(value=not_a_text)
def test_a_programme_s_name_must_be_a_text(value: object) -> None:
    with pytest.raises(InvalidInput, match=r"^name: expected a text"):
        Programme("p", value, dt.date(2025, 1, 1))  # type: ignore[arg-type]
