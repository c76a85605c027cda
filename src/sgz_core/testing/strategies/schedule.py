"""Disbursement: weights, tranche shares and plans, schedules (PAY-1)."""

from __future__ import annotations

import functools
import itertools
from decimal import Decimal
from typing import NamedTuple

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sgz_core.enums import (
    Milestone,
)
from sgz_core.model import (
    Money,
)
from sgz_core.profiles import (
    TrancheSpec,
)
from sgz_core.testing.strategies._base import MAX_MONEY
from sgz_core.testing.strategies.codes import money

# --- disbursement: weights, shares, schedules ------------------------------------------------


def weights(*, min_size: int = 1, max_size: int = 6) -> st.SearchStrategy[list[Decimal | int]]:
    """Weights for :func:`sgz_core.money.allocate`: integers and decimals, zero or more, not all zero."""
    if not 1 <= min_size <= max_size:
        raise InvalidArgument("weights: need 1 <= min_size <= max_size")
    one = st.one_of(
        st.integers(0, 1000),
        st.decimals(min_value=0, max_value=10_000, places=4, allow_nan=False, allow_infinity=False),
        st.integers(0, 10**12),
    )
    return st.lists(one, min_size=min_size, max_size=max_size).map(
        lambda ws: ws if any(w > 0 for w in ws) else [1, *ws[1:]]
    )


def tranche_shares(
    *, min_size: int = 1, max_size: int = 5, places: int = 2
) -> st.SearchStrategy[tuple[Decimal, ...]]:
    """Shares of zero or more with ``places`` decimals that sum to exactly 1 (like 0.60/0.30/0.10)."""
    if not 1 <= min_size <= max_size or places < 0:
        raise InvalidArgument("tranche_shares: need 1 <= min_size <= max_size and places >= 0")
    return st.integers(min_size, max_size).flatmap(lambda n: _shares(n, places))


@functools.lru_cache(maxsize=64)
def _shares(n: int, places: int) -> st.SearchStrategy[tuple[Decimal, ...]]:
    whole = 10**places

    def split(cuts: list[int]) -> tuple[Decimal, ...]:
        points = [0, *sorted(cuts), whole]
        return tuple(Decimal(b - a).scaleb(-places) for a, b in itertools.pairwise(points))

    return st.lists(st.integers(0, whole), min_size=n - 1, max_size=n - 1).map(split)


def tranche_plans(*, places: int = 2) -> st.SearchStrategy[tuple[TrancheSpec, ...]]:
    """Values for the ``tranches`` parameter: one to three milestones in PAY-1 order, shares summing to 1."""
    milestones = list(Milestone)

    @st.composite
    def plan(draw: st.DrawFn) -> tuple[TrancheSpec, ...]:
        chosen = draw(st.lists(st.sampled_from(milestones), min_size=1, unique=True))
        chosen.sort(key=milestones.index)
        shares = draw(_shares(len(chosen), places))
        return tuple(TrancheSpec(m, s) for m, s in zip(chosen, shares, strict=True))

    return plan()


class Schedule(NamedTuple):
    """A contract value and the tranche shares it is split into (PAY-1)."""

    value: Money
    shares: tuple[Decimal, ...]


def schedules(
    *,
    min_value: Decimal | int | str = 0,
    max_value: Decimal | int | str = MAX_MONEY,
    max_tranches: int = 5,
) -> st.SearchStrategy[Schedule]:
    """A contract value from :func:`money` and shares from :func:`tranche_shares`."""
    return st.builds(
        Schedule,
        money(min_value, max_value),
        tranche_shares(max_size=max_tranches),
    )


__all__ = [
    "Schedule",
    "schedules",
    "tranche_plans",
    "tranche_shares",
    "weights",
]
