"""Value types below everything else: field converters, an immutable mapping, parameter values.

This module imports only :mod:`sgz_core.enums` and :mod:`sgz_core.errors` (an import-linter
contract in ``pyproject.toml`` keeps it so). The model, the casework values and the policy
profiles all build on it, so nothing here may import them.

The converters turn what a Python caller gives into the field's type or refuse it with
:class:`~sgz_core.errors.InvalidInput` naming the field: a string becomes its enum member
(``"resident"`` → :attr:`StaffRole.RESIDENT`), an unknown string is refused with the allowed
values, and a ``datetime`` given for a date is refused (as the file loader refuses it: a date
with a time is a mistake, not a date). Each tests the common case (already the right type) first.

attrs' mypy plugin accepts only named functions as converters, so each field has a one-line
named converter (``_staff_member_role`` …) that tests ``type(value) is Kind`` inline and calls
these for everything else; ``tests/unit/test_values.py`` fails for a field that has none.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from sgz_core.enums import IntervalUnit, Labelled, Milestone, ServiceDomain
from sgz_core.errors import InvalidInput, Problem

__all__ = [
    "AgeRange",
    "FrozenMap",
    "IdMask",
    "Lot",
    "TrancheSpec",
    "VisitInterval",
    "add_days",
    "add_months",
    "to_date",
    "to_enum",
    "to_enum_tuple",
    "to_optional_date",
    "to_optional_enum",
    "to_tuple",
]

E = TypeVar("E", bound=Labelled)
K = TypeVar("K")
V = TypeVar("V")


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def _problem(field: str, message: str) -> InvalidInput:
    return InvalidInput([Problem(field, message)])


def to_enum(cls: type[E], value: object, field: str) -> E:
    """``value`` as a member of ``cls`` (a member, or its value string); else :class:`InvalidInput`."""
    if type(value) is cls:
        return value
    if isinstance(value, str) and not isinstance(value, enum.Enum):  # not another enum's member
        member = cls._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
    raise _problem(field, f"expected {cls.expected()}, got {_describe(value)}")


def to_optional_enum(cls: type[E], value: object, field: str) -> E | None:
    """``None``, or ``value`` as a member of ``cls``."""
    return None if value is None else to_enum(cls, value, field)


def to_enum_tuple(cls: type[E], values: object, field: str) -> tuple[E, ...]:
    """A list or tuple of members (or value strings) of ``cls`` as a tuple of members."""
    if type(values) is tuple and all(type(v) is cls for v in values):
        return values
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise _problem(field, f"expected a list of {cls.expected()}, got {_describe(values)}")
    out: list[E] = []
    problems: list[Problem] = []
    for i, v in enumerate(values):
        try:
            out.append(to_enum(cls, v, f"{field}[{i}]"))
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidInput(problems)
    return tuple(out)


def to_date(value: object, field: str) -> dt.date:
    """``value`` if it is a date; a ``datetime`` (a date with a time) or anything else is refused."""
    if type(value) is dt.date:
        return value
    if isinstance(value, dt.datetime):
        raise _problem(
            field, f"expected a date like 2024-07-01 without a time, got {value.isoformat()}"
        )
    if isinstance(value, dt.date):  # a date subclass without a time
        return value
    raise _problem(field, f"expected a date like 2024-07-01, got {_describe(value)}")


def to_optional_date(value: object, field: str) -> dt.date | None:
    """``None``, or ``value`` as by :func:`to_date`."""
    return None if value is None else to_date(value, field)


class FrozenMap(Mapping[K, V]):
    """An immutable mapping over a private copy: hashable, and equal to any mapping with its items."""

    __slots__ = ("_hash", "_items")

    _items: dict[K, V]
    _hash: int | None

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_items", dict(items))
        object.__setattr__(self, "_hash", None)

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._items == other._items
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._items.items())))
        assert self._hash is not None
        return self._hash

    def __setattr__(self, name: str, value: object) -> None:
        raise TypeError("FrozenMap is immutable")

    def __delattr__(self, name: str) -> None:
        raise TypeError("FrozenMap is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> Any:
        return (FrozenMap, (self._items,))


def frozen_enum_map(cls: type[E], value: object, field: str) -> FrozenMap[E, Any]:
    """A mapping whose keys are members of ``cls`` (or their value strings), frozen."""
    if type(value) is FrozenMap and all(type(k) is cls for k in value):
        return value
    if not isinstance(value, Mapping):
        raise _problem(field, f"expected a table keyed by {cls.expected()}, got {_describe(value)}")
    return FrozenMap((to_enum(cls, k, f"{field}.{k}"), v) for k, v in value.items())


def frozen_map(value: object, field: str) -> FrozenMap[Any, Any]:
    """``value`` (a mapping) as a :class:`FrozenMap`."""
    if type(value) is FrozenMap:
        return value
    if not isinstance(value, Mapping):
        raise _problem(field, f"expected a table, got {_describe(value)}")
    return FrozenMap(value)


# --- Parameter value types (held by a Policy) -------------------------------------------------


def _age(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
        raise InvalidInput(f"expected an age from 0 to 150, got {value!r}")
    return value


@attrs.frozen
class AgeRange:
    """Ages ``start`` ≤ age < ``end`` (the working age: 16 to 60 by the extreme-poverty rules)."""

    start: int = attrs.field(converter=_age)
    end: int = attrs.field(converter=_age)

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise InvalidInput(f"expected end > start, got {self.start} to {self.end}")

    def __contains__(self, age: object) -> bool:
        return isinstance(age, int) and self.start <= age < self.end


def _keep(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
        raise InvalidInput(f"expected a number of characters from 0 to 6, got {value!r}")
    return value


@attrs.frozen
class IdMask:
    """How ID numbers are shown: the first ``keep_start`` and last ``keep_end`` kept, the rest ``fill``.

    GB/T 35273 asks for de-identification on display without fixing a pattern, so it is a
    profile setting (``id_number_mask``). At most 6 + 4 characters are kept, so the birth date
    (characters 7–14) is always hidden and a masked number never is the full number.
    """

    keep_start: int = attrs.field(default=4, converter=_keep)
    keep_end: int = attrs.field(default=4, converter=_keep)
    fill: str = "*"

    def __attrs_post_init__(self) -> None:
        if self.keep_end > 4:
            raise InvalidInput(f"keep_end: expected 0 to 4 characters, got {self.keep_end}")
        if len(self.fill) != 1 or self.fill.isalnum():
            raise InvalidInput(
                f"fill: expected one character that is not a letter or digit, got {self.fill!r}"
            )

    def apply(self, number: str) -> str:
        """``number`` masked; any string works (an invalid number is masked the same way)."""
        text = number.strip()
        n = len(text)
        if n <= self.keep_start + self.keep_end:
            return self.fill * n
        tail = text[n - self.keep_end :] if self.keep_end else ""
        return text[: self.keep_start] + self.fill * (n - self.keep_start - self.keep_end) + tail


def _days_in_month(year: int, month: int) -> int:
    """``calendar.monthrange(year, month)[1]``, without importing ``calendar`` and ``locale``
    (issue 12: start-up)."""
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.date(year, month, 1)).days


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months; the 31st becomes the month's last day where it has none."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    last = _days_in_month(year, month + 1)
    return dt.date(year, month + 1, min(day.day, last))


def add_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _every(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 366:
        raise InvalidInput(f"expected a whole number from 1 to 366, got {value!r}")
    return value


def _interval_domain(value: object) -> ServiceDomain:
    return to_enum(ServiceDomain, value, "domain")


def _interval_unit(value: object) -> IntervalUnit:
    return to_enum(IntervalUnit, value, "unit")


@attrs.frozen
class VisitInterval:
    """How often a category is visited: every ``every`` days, weeks or months, counted under ``domain``."""

    every: int = attrs.field(converter=_every)
    domain: ServiceDomain = attrs.field(converter=_interval_domain)
    unit: IntervalUnit = attrs.field(default=IntervalUnit.MONTH, converter=_interval_unit)

    def after(self, day: dt.date, times: int = 1) -> dt.date:
        """The day ``times`` intervals after ``day`` (months counted from ``day``, never drifting)."""
        if self.unit is IntervalUnit.MONTH:
            return add_months(day, self.every * times)
        step = self.every * (7 if self.unit is IntervalUnit.WEEK else 1)
        return add_days(day, step * times)

    def describe(self) -> str:
        return f"every {self.every} {self.unit.value}{'s' if self.every > 1 else ''}"


def _milestone(value: object) -> Milestone:
    return to_enum(Milestone, value, "milestone")


@attrs.frozen
class TrancheSpec:
    """One tranche of PAY-1: what releases it and its share of the contract value."""

    milestone: Milestone = attrs.field(converter=_milestone)
    share: Decimal


def to_tuple(values: object, field: str) -> tuple[Any, ...]:
    """A list or tuple as a tuple; a string, a mapping or a single value is refused."""
    if type(values) is tuple:
        return values
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Iterable):
        raise _problem(field, f"expected a list, got {_describe(values)}")
    return tuple(values)


def _communities(values: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(values, "communities")


@attrs.frozen
class Lot:
    """A procurement lot (LOT-1): one station on one street serving these communities."""

    lot: int
    street: str
    communities: tuple[str, ...] = attrs.field(converter=_communities)
