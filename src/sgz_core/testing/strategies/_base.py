"""Shared helpers of the strategies: cached building blocks and draw helpers."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from sgz_core.model import (
    Money,
    add_years,
)
from sgz_core.profiles import (
    ALWAYS,
    Policy,
    builtin,
)

T = TypeVar("T")

MAX_MONEY = Money(Decimal("1000000.00"))
"""Default upper bound of :func:`money`: a million yuan, well above any station-year."""
DEFAULT_START = dt.date(2024, 7, 1)
"""Programme start used by :func:`contract_years` and :func:`stations` when none is given."""
LAST_START = dt.date(2060, 12, 31)
"""Latest programme start :func:`programmes` draws (the built-in profile starts at ``ALWAYS``)."""
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""Characters of a unified social credit code (GB 32100): no I, O, Z, S or V."""

_DIGITS = "0123456789"
_ID_HEAD = "abcdefghijklmnopqrstuvwxyz"
_ID_TAIL = _ID_HEAD + _DIGITS + "-_"
_FORBIDDEN_USCC = "IOZSV"
_DAY = dt.timedelta(days=1)


# --- small helpers ---------------------------------------------------------------------------
# Strategies built inside a draw must be validated on every draw, which made nested programmes
# slow; so the composites below share cached strategies and draw helpers (``_draw_*``) that
# take plain values, and only the public functions build new strategies.


def _strategy(value: T | st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """``value`` itself if it is a strategy, else a strategy that always gives it."""
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _policy(policy: Policy | None) -> Policy:
    return policy if policy is not None else builtin().at(ALWAYS)


@functools.lru_cache(maxsize=32)
def _cjk(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
        min_size=min_size,
        max_size=max_size,
    )


def _from_fen(fen: int) -> Money:
    return Money(Decimal(fen).scaleb(-2))


@functools.lru_cache(maxsize=256)
def _fen_amounts(lo_fen: int, hi_fen: int) -> st.SearchStrategy[Money]:
    lo_yuan, hi_yuan = -(-lo_fen // 100), hi_fen // 100
    fen = st.integers(lo_fen, hi_fen)
    if lo_yuan <= hi_yuan:
        fen = st.one_of(st.integers(lo_yuan, hi_yuan).map(lambda y: y * 100), fen)
    return fen.map(_from_fen)


@functools.lru_cache(maxsize=64)
def _tenths(low: Decimal, high: Decimal) -> st.SearchStrategy[Decimal]:
    """Decimals from ``low`` to ``high`` with at most one decimal place (whole numbers first)."""
    lo, hi = math.ceil(low * 10), math.floor(high * 10)
    tenths = st.integers(lo, hi).map(lambda n: Decimal(n).scaleb(-1))
    whole_lo, whole_hi = math.ceil(low), math.floor(high)
    if whole_lo > whole_hi:
        return tenths
    return st.one_of(st.integers(whole_lo, whole_hi).map(Decimal), tenths)


def _window(start: dt.date, year: int) -> tuple[dt.date, dt.date]:
    """First and last day of contract year ``year`` of a programme starting on ``start``."""
    return add_years(start, year - 1), add_years(start, year) - _DAY


def _draw_day(draw: st.DrawFn, low: dt.date, high: dt.date) -> dt.date:
    return low + _DAY * draw(st.integers(0, (high - low).days))


def _draw_amount(draw: st.DrawFn, high: Decimal) -> Money:
    """An amount from 0 to ``high`` (whole yuan as often as not)."""
    return draw(_fen_amounts(0, int(high.scaleb(2))))


def _draw_subset(draw: st.DrawFn, items: Sequence[T]) -> list[T]:
    """Some of ``items``, each at most once, in a drawn order."""
    return _draw_shuffled(draw, [item for item in items if draw(st.booleans())])


def _draw_shuffled(draw: st.DrawFn, items: Sequence[T]) -> list[T]:
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        j = draw(st.integers(0, i))
        out[i], out[j] = out[j], out[i]
    return out


streets = _cjk(2, 3).map(lambda s: s + "街道")
"""Street names such as ``白银路街道`` (made of random CJK characters)."""
communities = _cjk(2, 4).map(lambda s: s + "社区")
"""Community names such as ``正宁路社区``."""
person_names = _cjk(2, 3)
"""People's names of two or three CJK characters."""
_OPTIONAL_NOTE = st.one_of(st.just(""), _cjk(1, 10))
_OTHER_CATEGORIES = ("banquet", "gifts", "car_purchase", "investment")
