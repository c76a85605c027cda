"""A model value given a value of the wrong type refuses it at once (found by reviewing the
Python API, 2026-12-03): a caller building or ``attrs.evolve``-ing a programme in Python gets
an ``InvalidInput`` naming the field, not a value that fails later, deep inside a rule, a
reporter or a storage."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core.errors import InvalidInput
from sgz_core.model import ContractYear

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
