"""Money: Decimal yuan exact to the fen (分). Floats are refused; splits sum exactly."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from contextlib import AbstractContextManager
from decimal import Context, Decimal, InvalidOperation, getcontext, localcontext

from sgz_core.errors import InvalidInput

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
EXACT_DIGITS = 100
"""Digits that sums and products of money are worked to where they may pass Decimal's default
precision of 28: an amount may be up to 10**26 yuan (a station-year's sums are bounded by the
programme file), which with the fen is 28 digits already, so a sum over station-years or an
amount times a ratio's weight has more, and would be rounded (to the yuan, then the ten yuan …)."""


def exact() -> AbstractContextManager[Context]:
    """A decimal context of :data:`EXACT_DIGITS` digits for a sum or product of money:
    ``with exact(): total = sum(amounts, ZERO)``. Every other setting is the caller's."""
    return localcontext(prec=EXACT_DIGITS)


def to_money(value: object, *, what: str = "amount") -> Decimal:
    """``value`` as yuan with exactly two decimals.

    Accepts ``Decimal``, ``int`` and decimal strings. Refuses floats (binary floats cannot
    hold most fen amounts exactly), booleans, negative amounts and fractions of a fen.
    """
    if type(value) is Decimal:  # the common case first (issue 12); then as below
        amount = value
    elif isinstance(value, bool | float):
        kind = "a boolean" if isinstance(value, bool) else f"the binary float {value!r}"
        raise InvalidInput(
            f"{what}: expected an exact amount in yuan (Decimal, integer or decimal string), "
            f"got {kind}; write Decimal('{value}') in Python"
        )
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidInput(f"{what}: expected an amount in yuan, got {value!r}") from None
    else:
        raise InvalidInput(
            f"{what}: expected an amount in yuan (Decimal or integer), "
            f"got {type(value).__name__} {value!r}"
        )
    if not amount.is_finite():
        raise InvalidInput(f"{what}: expected a finite amount, got {value!r}")
    if amount < 0:
        raise InvalidInput(f"{what}: expected zero or more yuan, got {amount}")
    try:
        quantized = amount.quantize(FEN)
    except InvalidOperation:  # more digits than the decimal context holds
        raise InvalidInput(f"{what}: expected less than 10**26 yuan, got {amount}") from None
    if quantized != amount:
        raise InvalidInput(f"{what}: expected an amount exact to the fen (0.01), got {amount}")
    return quantized.copy_abs()  # never Decimal("-0.00"), which would print as a negative amount


def allocate(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split ``total`` into parts proportional to ``weights``, exact to the fen.

    Largest remainder: every part gets its share rounded down to the fen, then the fen left
    over go one each to the parts with the largest remainders, ties to the earlier part. The
    parts always sum to ``total`` and are never negative (PAY-1, FUND-2).
    """
    if type(total) is Decimal and all(type(w) is Decimal or type(w) is int for w in weights):
        # a schedule splits the same few contract values by the same shares thousands of times
        # (issue 12). The key is the exact text of each argument (Decimal's str round-trips,
        # exponent and sign included) and the context's precision and rounding, so a hit gives
        # what the call would give; refusals are raised by the call itself, never memoised.
        context = getcontext()
        key = (str(total), tuple(map(str, weights)), context.prec, context.rounding)
        return list(_allocate_memo(key))
    return _allocate(total, weights)


@functools.lru_cache(maxsize=4096)
def _allocate_memo(key: tuple[str, tuple[str, ...], int, str]) -> tuple[Decimal, ...]:
    total, weights, _, _ = key
    return tuple(_allocate(Decimal(total), [Decimal(w) for w in weights]))


def _allocate(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    total = to_money(total, what="total")
    for w in weights:  # weights are exact too: a float 0.3 is 0.29999999999999998889…
        if isinstance(w, bool) or not isinstance(w, Decimal | int):
            kind = "a boolean" if isinstance(w, bool) else f"{type(w).__name__} {w!r}"
            raise InvalidInput(f"weights: expected Decimal or integer weights, got {kind}")
    ws = [Decimal(w) for w in weights]
    if not ws:
        raise InvalidInput("weights: expected at least one weight")
    if not all(w.is_finite() for w in ws):  # NaN and infinity (found by the memo's test)
        raise InvalidInput(f"weights: expected finite weights, got {ws}")
    if any(w < 0 for w in ws):
        raise InvalidInput(f"weights: expected weights of zero or more, got {ws}")
    weight_sum = sum(ws, Decimal(0))
    if weight_sum == 0:
        raise InvalidInput("weights: expected weights that do not all equal zero")
    fen_total = int(total / FEN)
    # Exact integer arithmetic: scale the weights to integers, then floor and remainder.
    places = max(max(0, -int(w.as_tuple().exponent)) for w in ws)
    scale = 10**places
    ints = [int(w * scale) for w in ws]
    denominator = sum(ints)
    floors = [fen_total * w // denominator for w in ints]
    remainders = [fen_total * w % denominator for w in ints]
    left = fen_total - sum(floors)
    order = sorted(range(len(ints)), key=lambda i: (-remainders[i], i))
    for i in order[:left]:
        floors[i] += 1
    return [(Decimal(f) * FEN).quantize(FEN) for f in floors]


__all__ = [
    "EXACT_DIGITS",
    "FEN",
    "ZERO",
    "allocate",
    "exact",
    "to_money",
]
