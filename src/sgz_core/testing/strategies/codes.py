"""Money amounts, ids and unified social credit codes."""

from __future__ import annotations

import functools
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from stdnum.cn import uscc

from sgz_core.errors import InvalidInput
from sgz_core.model import (
    Money,
)
from sgz_core.money import to_money
from sgz_core.testing.strategies._base import (
    _DIGITS,
    _FORBIDDEN_USCC,
    _ID_HEAD,
    _ID_TAIL,
    MAX_MONEY,
    USCC_ALPHABET,
    _fen_amounts,
)

# --- money, ids, codes -----------------------------------------------------------------------


def money(
    min_value: Decimal | int | str = 0, max_value: Decimal | int | str = MAX_MONEY
) -> st.SearchStrategy[Money]:
    """Yuan as ``Decimal`` with exactly two places, from ``min_value`` to ``max_value``.

    Whole yuan come up as often as amounts with fen; shrinks towards ``min_value``.
    """
    try:
        low = to_money(min_value, what="min_value")
        high = to_money(max_value, what="max_value")
    except InvalidInput as exc:
        raise InvalidArgument(str(exc)) from None
    if low > high:
        raise InvalidArgument(f"money: min_value={low} is more than max_value={high}")
    return _fen_amounts(int(low.scaleb(2)), int(high.scaleb(2)))


@functools.lru_cache(maxsize=1)
def ids() -> st.SearchStrategy[str]:
    """Short ids such as ``hexin`` or ``s-2``: a lowercase letter, then letters, digits, ``-``, ``_``."""
    return st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(_ID_HEAD),
        st.text(_ID_TAIL, max_size=9),
    )


def uscc_codes(*, valid: bool = True, prefix: str = "52") -> st.SearchStrategy[str]:
    """Unified social credit codes (GB 32100) that start with ``prefix``.

    ``prefix`` is the registration authority and kind (``52``: a social service organisation
    registered by civil affairs, what FUND-9 expects; ``91``: a company). With ``valid=True`` the
    check character is computed with ``stdnum.cn.uscc``; with ``valid=False`` every code is
    malformed (wrong check character, a forbidden letter I/O/Z/S/V, a letter among the first
    eight digits, or the wrong length), so FUND-9 rejects it.
    """
    if not (1 <= len(prefix) <= 8 and prefix.isdigit() and prefix.isascii()):
        raise InvalidArgument(f"uscc_codes: prefix must be 1 to 8 digits, got {prefix!r}")
    return _uscc_codes(valid, prefix)


@functools.lru_cache(maxsize=16)
def _uscc_codes(valid: bool, prefix: str) -> st.SearchStrategy[str]:
    return _uscc_composite(valid, prefix)


@st.composite
def _uscc_composite(draw: st.DrawFn, valid: bool, prefix: str) -> str:
    division = draw(st.text(_DIGITS, min_size=8 - len(prefix), max_size=8 - len(prefix)))
    organisation = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    body = prefix + division + organisation
    code = body + uscc.calc_check_digit(body)
    if valid:
        return code
    how = draw(st.sampled_from(("check", "letter", "head", "short", "long")))
    if how == "check":
        shift = draw(st.integers(1, len(USCC_ALPHABET) - 1))
        wrong = USCC_ALPHABET[(USCC_ALPHABET.index(code[-1]) + shift) % len(USCC_ALPHABET)]
        return code[:-1] + wrong
    if how == "letter":
        at = draw(st.integers(8, 16))
        return code[:at] + draw(st.sampled_from(_FORBIDDEN_USCC)) + code[at + 1 :]
    if how == "head":
        at = draw(st.integers(0, 7))
        return code[:at] + draw(st.sampled_from(USCC_ALPHABET[10:])) + code[at + 1 :]
    if how == "short":
        return code[: draw(st.integers(1, 17))]
    return code + draw(st.text(USCC_ALPHABET, min_size=1, max_size=3))


__all__ = [
    "ids",
    "money",
    "uscc_codes",
]
