"""Field helpers shared by the casework values: converters that report the field's key path."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sgz_core.errors import InvalidInput, Problem
from sgz_core.money import to_money


def tuple_of(values: Iterable[Any]) -> tuple[Any, ...]:
    # ``converter=tuple`` would type the field as ``Iterable[_T_co]`` for mypy
    return tuple(values)


def problem(field: str, message: str) -> InvalidInput:
    """An error about one field; the loader prefixes the path of the enclosing value."""
    return InvalidInput([Problem(field, message)])


MAX_HOURS = 10**6
"""The most hours one record may give (a sanity bound, not a policy figure)."""
MAX_COUNT = 10**9
"""The largest head count a record may give."""


def hours(value: object, field: str) -> Decimal:
    """``value`` as a number of hours: exact, finite, 0 to 1,000,000 (never a binary float)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise problem(
            field,
            f"expected a number of hours (integer or decimal), got {type(value).__name__} {value!r}",
        )
    try:
        number = value if isinstance(value, Decimal) else Decimal(value)
    except ArithmeticError:
        raise problem(field, f"expected a number of hours, got {value!r}") from None
    if not number.is_finite() or number < 0 or number > MAX_HOURS:
        raise problem(field, f"expected hours from 0 to 1000000, got {value!r}")
    return number


def money(value: object, field: str) -> Decimal:
    """``value`` as yuan exact to the fen (:func:`sgz_core.money.to_money`), floats refused."""
    try:
        return to_money(value, what=field)
    except InvalidInput as exc:
        message = exc.problems[0].message.removeprefix(f"{field}: ")
        raise problem(field, message) from None


def count(value: object, field: str, maximum: int = MAX_COUNT) -> int:
    """``value`` as a whole number of people or items, 0 to ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= maximum:
        raise problem(field, f"expected a whole number from 0 to {maximum}, got {value!r}")
    return value
