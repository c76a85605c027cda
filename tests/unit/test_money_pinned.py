"""Money, pinned: the whole error text of every refusal (issue 13, mutation testing).

``test_money.py`` says what ``to_money`` and ``allocate`` do; these tests pin the words a user
reads when they refuse, so that a changed message or a lost ``what=`` fails a test. The
mutants they kill and the equivalent ones are listed in docs/testing.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import money
from sgz_core.errors import InvalidInput
from sgz_core.money import FEN, allocate, to_money


@pytest.fixture(autouse=True)
def _fresh_splits() -> Iterator[None]:
    """``allocate`` memoises its splits; each test here computes them itself, so that a mutant
    of the arithmetic cannot hide behind a split the unmutated code left in the memo."""
    money._allocate_memo.cache_clear()
    yield
    money._allocate_memo.cache_clear()


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            True,
            "amount: expected an exact amount in yuan (Decimal, integer or decimal string), "
            "got a boolean; write Decimal('True') in Python",
        ),
        (
            0.1,
            "amount: expected an exact amount in yuan (Decimal, integer or decimal string), "
            "got the binary float 0.1; write Decimal('0.1') in Python",
        ),
        ("12 yuan", "amount: expected an amount in yuan, got '12 yuan'"),
        (
            [1],
            "amount: expected an amount in yuan (Decimal or integer), got list [1]",
        ),
        (Decimal("NaN"), "amount: expected a finite amount, got Decimal('NaN')"),
        (-1, "amount: expected zero or more yuan, got -1"),
        (Decimal("1E+30"), "amount: expected less than 10**26 yuan, got 1E+30"),
        ("0.001", "amount: expected an amount exact to the fen (0.01), got 0.001"),
    ],
)
def test_to_money_refusals_word_for_word(value: object, message: str) -> None:
    """With no ``what``, every message names ``amount``."""
    assert refusal(to_money, value) == message


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        ("-0.01", [1], "total: expected zero or more yuan, got -0.01"),
        (
            0.5,
            [1],
            "total: expected an exact amount in yuan (Decimal, integer or decimal string), "
            "got the binary float 0.5; write Decimal('0.5') in Python",
        ),
        ("1.00", [], "weights: expected at least one weight"),
        (
            "1.00",
            [1, -1],
            "weights: expected weights of zero or more, got [Decimal('1'), Decimal('-1')]",
        ),
        ("1.00", [0, Decimal("0.0")], "weights: expected weights that do not all equal zero"),
    ],
)
def test_allocate_refusals_word_for_word(
    total: object, weights: list[Decimal | int], message: str
) -> None:
    assert refusal(allocate, total, weights) == message


def test_allocate_one_fen_goes_to_the_largest_remainder() -> None:
    # 0.60 / 0.30 / 0.10 of 150,000.01: 9,000,000.6 / 4,500,000.3 / 1,500,000.1 fen
    assert allocate(Decimal("150000.01"), [Decimal("0.60"), Decimal("0.30"), Decimal("0.10")]) == [
        Decimal("90000.01"),
        Decimal("45000.00"),
        Decimal("15000.00"),
    ]


def test_allocate_two_fen_left_over_go_to_the_two_largest_remainders() -> None:
    # 0.05 in thirds: 1.67 fen each, two fen left over go to the first two (ties: earlier part)
    assert allocate(Decimal("0.05"), [1, 1, 1]) == [
        Decimal("0.02"),
        Decimal("0.02"),
        Decimal("0.01"),
    ]
    # remainders 0.2 / 0.5 / 0.3 of a fen (weights 2, 5, 3 of 0.10 + 0.01): the fen goes to the 2nd
    assert allocate(Decimal("0.11"), [Decimal("0.2"), Decimal("0.5"), Decimal("0.3")]) == [
        Decimal("0.02"),
        Decimal("0.06"),
        Decimal("0.03"),
    ]


def test_allocate_weights_with_different_decimal_places() -> None:
    # 1 : 0.5 : 0.25 scaled to integers 100 : 50 : 25
    assert allocate(Decimal("7.00"), [1, Decimal("0.5"), Decimal("0.25")]) == [
        Decimal("4.00"),
        Decimal("2.00"),
        Decimal("1.00"),
    ]


@given(
    fen=st.integers(0, 10**12),
    weights=st.lists(st.integers(0, 1000), min_size=1, max_size=6).filter(any),
)
def test_allocate_parts_are_the_floor_or_one_fen_more(fen: int, weights: list[int]) -> None:
    """Every part is its exact share rounded down to the fen, or that plus one fen."""
    total = Decimal(fen) * FEN
    parts = allocate(total, weights)
    assert sum(parts) == total
    for part, w in zip(parts, weights, strict=True):
        floor = Decimal(fen * w // sum(weights)) * FEN
        assert part in (floor, floor + FEN)
        assert part.as_tuple().exponent == -2


def test_allocate_the_fen_left_over_go_by_remainder_not_by_share() -> None:
    # 0.04 as 21 : 19 is 2.1 and 1.9 fen: the fen left over goes to the larger remainder (0.9),
    # not to the larger share
    assert allocate(Decimal("0.04"), [21, 19]) == [Decimal("0.02"), Decimal("0.02")]
    assert allocate(Decimal("0.04"), [19, 21]) == [Decimal("0.02"), Decimal("0.02")]
    assert allocate(Decimal("0.05"), [21, 19]) == [Decimal("0.03"), Decimal("0.02")]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.3, 0.5], "weights: expected Decimal or integer weights, got float 0.3"),
        ([Decimal(1), 0.5], "weights: expected Decimal or integer weights, got float 0.5"),
        ([True, 1], "weights: expected Decimal or integer weights, got a boolean"),
        ([1, False], "weights: expected Decimal or integer weights, got a boolean"),
        (["1", 1], "weights: expected Decimal or integer weights, got str '1'"),
    ],
)
def test_allocate_refuses_weights_that_are_not_exact(weights: list[object], message: str) -> None:
    assert refusal(allocate, Decimal("1.00"), weights) == message
    # the same refusal whether or not the split would have been memoised
    assert refusal(allocate, "1.00", weights) == message


def test_allocate_refuses_weights_that_are_not_finite() -> None:
    assert refusal(allocate, Decimal("1.00"), [1, Decimal("NaN")]) == (
        "weights: expected finite weights, got [Decimal('1'), Decimal('NaN')]"
    )
    assert refusal(allocate, Decimal("1.00"), [Decimal("Infinity")]) == (
        "weights: expected finite weights, got [Decimal('Infinity')]"
    )
