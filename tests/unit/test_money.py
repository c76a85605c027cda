"""Money: exact yuan to the fen, and splits that always add up (PAY-1, FUND-2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sgz_core.errors import InvalidInput
from sgz_core.money import FEN, ZERO, allocate, to_money


def D(text: str) -> Decimal:
    return Decimal(text)


# --- to_money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0.00"),
        (5, "5.00"),
        (150000, "150000.00"),
        (D("6800.5"), "6800.50"),
        (D("0.01"), "0.01"),
        (D("1E+3"), "1000.00"),
        (D("12.3000"), "12.30"),
        (D("-0"), "0.00"),  # never a negative zero
        (D("-0.000"), "0.00"),
        ("12.3", "12.30"),
        (" 7 ", "7.00"),
        ("1e2", "100.00"),
    ],
)
def test_to_money_gives_two_decimals(value: object, expected: str) -> None:
    got = to_money(value)
    assert got == D(expected)
    assert str(got) == expected
    assert got.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.5, "binary float"),
        (0.0, "binary float"),
        (True, "boolean"),
        (False, "boolean"),
        (-1, "zero or more"),
        (D("-0.01"), "zero or more"),
        ("-3", "zero or more"),
        (D("0.001"), "exact to the fen"),
        (D("12000.005"), "exact to the fen"),
        ("0.001", "exact to the fen"),
        ("abc", "expected an amount in yuan"),
        ("", "expected an amount in yuan"),
        (None, "expected an amount in yuan"),
        ([1], "expected an amount in yuan"),
        (D("NaN"), "finite"),
        (D("Infinity"), "finite"),
        ("inf", "finite"),
        (D("1E+40"), "less than"),
    ],
)
def test_to_money_refuses(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        to_money(value)


def test_to_money_names_what_it_checks() -> None:
    with pytest.raises(InvalidInput) as info:
        to_money(-1, what="total")
    assert str(info.value).startswith("total: ")


def test_invalid_input_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        to_money(1.5)


def test_constants() -> None:
    assert D("0.01") == FEN
    assert ZERO == 0 and ZERO.as_tuple().exponent == -2


# --- allocate ---------------------------------------------------------------------------------


def test_allocate_the_seed_tranches() -> None:
    shares = [D("0.60"), D("0.30"), D("0.10")]
    assert allocate(D("150000"), shares) == [D("90000.00"), D("45000.00"), D("15000.00")]
    assert allocate(D("150000.01"), shares) == [D("90000.01"), D("45000.00"), D("15000.00")]


def test_allocate_largest_remainder_not_the_earlier_part() -> None:
    # 100 fen by 1 : 2 -> 33.33 and 66.67: the leftover fen goes to the larger remainder
    assert allocate(D("1.00"), [1, 2]) == [D("0.33"), D("0.67")]
    # 0.60 / 0.30 / 0.10 of 0.09: 5.4, 2.7, 0.9 fen -> floors 5, 2, 0; remainders .4, .7, .9
    assert allocate(D("0.09"), shares := [D("0.6"), D("0.3"), D("0.1")]) == [
        D("0.05"),
        D("0.03"),
        D("0.01"),
    ]
    assert sum(allocate(D("0.09"), shares)) == D("0.09")


def test_allocate_ties_go_to_the_earlier_part() -> None:
    assert allocate(D("0.01"), [1, 1]) == [D("0.01"), D("0.00")]
    assert allocate(D("0.02"), [1, 1, 1]) == [D("0.01"), D("0.01"), D("0.00")]
    assert allocate(D("1"), [1, 1, 1]) == [D("0.34"), D("0.33"), D("0.33")]
    assert allocate(D("150000.02"), [1, 1, 1]) == [D("50000.01"), D("50000.01"), D("50000.00")]


def test_allocate_zero_total() -> None:
    assert allocate(D("0"), [D("0.6"), D("0.3"), D("0.1")]) == [ZERO, ZERO, ZERO]
    assert allocate(0, [1]) == [ZERO]


def test_allocate_single_part_and_zero_weights() -> None:
    assert allocate(D("123.45"), [7]) == [D("123.45")]
    assert allocate(D("10"), [0, 1, 0]) == [ZERO, D("10.00"), ZERO]


def test_allocate_mixed_integer_and_decimal_weights() -> None:
    # 1000 fen by 1 : 0.5 : 0.25 -> 571.43, 285.71, 142.86: two leftover fen, largest remainders
    assert allocate(D("10"), [1, D("0.5"), D("0.25")]) == [D("5.71"), D("2.86"), D("1.43")]
    assert sum(allocate(D("10"), [1, D("0.5"), D("0.25")])) == D("10")


@pytest.mark.parametrize("total", ["0.01", "0.07", "1", "99999.99", "150000.01", "1000000.03"])
@pytest.mark.parametrize(
    "weights",
    [
        [D("0.6"), D("0.3"), D("0.1")],
        [1, 1, 1],
        [3, 0, 7],
        [D("0.333"), D("0.333"), D("0.334")],
        [1],
    ],
)
def test_allocate_always_sums_exactly_and_stays_within_a_fen(
    total: str, weights: list[Decimal | int]
) -> None:
    parts = allocate(D(total), weights)
    assert sum(parts, ZERO) == D(total)
    assert len(parts) == len(weights)
    weight_sum = sum((Decimal(w) for w in weights), Decimal(0))
    for part, weight in zip(parts, weights, strict=True):
        assert part >= 0 and part.as_tuple().exponent == -2
        assert abs(part - D(total) * Decimal(weight) / weight_sum) < FEN


def test_allocate_returns_a_new_list_of_money() -> None:
    parts = allocate(D("1"), (1, 1))
    assert isinstance(parts, list)
    assert all(isinstance(p, Decimal) for p in parts)


@pytest.mark.parametrize(
    ("total", "weights", "message"),
    [
        (D("1"), [], "at least one weight"),
        (D("1"), [1, -1, 1], "zero or more"),
        (D("1"), [0, 0], "not all equal zero"),
        (D("1"), [D("0"), D("0.00")], "not all equal zero"),
        (D("-1"), [1], "zero or more yuan"),
        (D("0.001"), [1], "exact to the fen"),
        (1.5, [1], "binary float"),
    ],
)
def test_allocate_refuses(total: object, weights: list[Decimal | int], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        allocate(total, weights)  # type: ignore[arg-type]
