"""Resident ID numbers (GB 11643-1999): validation, masking, and the birth date and sex they hold (PII-1).

An ID number is 18 characters: a 6-digit address code, the 8-digit birth date, a 3-digit
sequence number (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
Validation uses ``stdnum.cn.ric`` for the checksum and the birth date. The birth-place table is
not consulted: an address code is the one in force when the number was issued, often decades
after the birth, and ``stdnum`` compares it with the birth year, which would refuse the
genuine numbers of many elderly people.

Full numbers never leave the core: :func:`mask` (``6201**********123X`` by default, the pattern
a profile setting) is what reports, tables, JSON, ``repr`` and error messages show.
"""

from __future__ import annotations

import datetime as dt

from sgz_core.casework.vocabulary import Sex
from sgz_core.errors import InvalidInput
from sgz_core.values import IdMask as IdMask  # moved to the leaf values module

LENGTH = 18
EARLIEST_BIRTH = dt.date(1880, 1, 1)
"""No living person, and no valid record, was born before this."""


DEFAULT_MASK = IdMask()


def mask(number: str | None, pattern: IdMask = DEFAULT_MASK) -> str:
    """The number as it may be shown (``""`` for none)."""
    return "" if number is None else pattern.apply(number)


def validate(number: str) -> str:
    """The ID number in its compact form (upper-case ``X``), or :class:`InvalidInput`.

    Checks the length, the digits, the birth date (a real day from 1880 on) and the check
    character. The message shows the number masked, never in full.
    """
    if not isinstance(number, str):
        raise InvalidInput(
            f"expected an 18-character resident ID number as a string, got {type(number).__name__}"
        )
    # stdnum is imported when a number is first validated: it imports ssl and pydoc, which a
    # command that meets no ID number need not pay for (issue 12)
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    compact = ric.compact(number)
    shown = mask(compact)
    if len(compact) != LENGTH or not compact[:-1].isdigit() or compact[-1] not in "0123456789X":
        raise InvalidInput(
            f"expected an 18-character resident ID number (17 digits and a check digit or X), got {shown!r}"
        )
    try:
        born = ric.get_birth_date(compact)
    except ValidationError:
        raise InvalidInput(f"the ID number {shown} holds no valid birth date") from None
    if born < EARLIEST_BIRTH:
        raise InvalidInput(f"the ID number {shown} holds a birth year before {EARLIEST_BIRTH.year}")
    if compact[-1] != ric.calc_check_digit(compact):
        raise InvalidInput(f"the ID number {shown} has a wrong check character (a typing error?)")
    return compact


def is_valid(number: str) -> bool:
    try:
        validate(number)
    except InvalidInput:
        return False
    return True


def birth_date(number: str) -> dt.date:
    """The birth date held in a valid ID number."""
    from stdnum.cn import ric

    return ric.get_birth_date(validate(number))


def sex(number: str) -> Sex:
    """The sex held in a valid ID number: odd sequence number male, even female."""
    return Sex.MALE if int(validate(number)[16]) % 2 else Sex.FEMALE


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day`` (a 29 February birthday counts from 1 March in other years)."""
    years = day.year - born.year
    if (day.month, day.day) < (born.month, born.day):
        years -= 1
    return years


def with_check_digit(first17: str) -> str:
    """The 17 digits with their check character: how fictitious example numbers are made."""
    if len(first17) != LENGTH - 1 or not first17.isdigit():
        raise InvalidInput(f"expected 17 digits, got {len(first17)} characters")
    from stdnum.cn import ric

    return first17 + ric.calc_check_digit(first17 + "0")


__all__ = [
    "DEFAULT_MASK",
    "EARLIEST_BIRTH",
    "LENGTH",
    "IdMask",
    "age_on",
    "birth_date",
    "is_valid",
    "mask",
    "sex",
    "validate",
    "with_check_digit",
]
