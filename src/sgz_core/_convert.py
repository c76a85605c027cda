"""The one private cattrs converter, and the translation of its errors into key paths.

Every structure hook here is strict: TOML gives exact types, so a string is never turned into a
number, nor a number into a string, nor a float into money. Errors become
:class:`~sgz_core.errors.InvalidInput` with paths such as ``stations[1].staff[0].qualification``.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn

from sgz_core.casework.identity import mask
from sgz_core.enums import Labelled
from sgz_core.errors import InvalidInput, Problem
from sgz_core.limits import INT64, MAX_DECIMAL_INTEGER_DIGITS, MAX_DECIMAL_PLACES
from sgz_core.model import Money, Score, SquareMetres, _area, _money, _score
from sgz_core.money import FEN
from sgz_core.values import FrozenMap

_ID_LIKE = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
"""What could be a resident ID number (18 characters), valid or not."""


def mask_ids(text: str) -> str:
    """``text`` with every 18-character run that could be a resident ID number masked."""
    return _ID_LIKE.sub(lambda m: mask(m[0]), text)


def describe(value: object) -> str:
    """A short, safe description of a value for an error message."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    text = mask_ids(repr(value))  # PII-1, even for a number in the wrong place
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def expectation(t: Any) -> str:
    """What a value of type ``t`` looks like, in words."""
    if t is Money:
        return "an amount in yuan (an integer or decimal, zero or more, exact to the fen)"
    if t is SquareMetres:
        return "an area in m² (a number, zero or more)"
    if t is Score:
        return "a score from 0 to 100"
    if t is str:
        return "a string"
    if t is bool:
        return "true or false"
    if t is int:
        return "an integer"
    if t is Decimal:
        return "a number (integer or decimal)"
    if t is dt.date:
        return "a date like 2024-07-01"
    if isinstance(t, type) and issubclass(t, Labelled):
        return t.expected()
    if isinstance(t, type) and attrs.has(t):
        return "a table"
    origin = typing.get_origin(t)
    if origin is tuple or origin is list:
        return "a list"
    if origin is dict or origin is FrozenMap:
        return "a table"
    args = typing.get_args(t)
    if args and type(None) in args:
        inner = [a for a in args if a is not type(None)]
        return expectation(inner[0]) if len(inner) == 1 else "a value"
    return f"a value of type {getattr(t, '__name__', t)}"


MAX_INTEGER = INT64
"""Integers (years, lots, counts) fit in a signed 64-bit column, as every backend stores them."""


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def _bounded_int(value: int) -> int:
    if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
        raise InvalidInput(
            "expected an integer from -2**63 to 2**63-1, "
            f"got one near {'-' if value < 0 else ''}10**{int(value.bit_length() * 0.30103)}"
        )
    return value


def _bounded_decimal(value: Decimal) -> Decimal:
    """``value`` if it is finite and within the decimal limits, else InvalidInput."""
    if not value.is_finite():
        return value  # the type's own check names what is expected instead
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_DECIMAL_PLACES or (value and value.adjusted() >= MAX_DECIMAL_INTEGER_DIGITS):
        raise InvalidInput(
            f"expected a number with at most {MAX_DECIMAL_INTEGER_DIGITS} digits before the point "
            f"and {MAX_DECIMAL_PLACES} after it, got {_short(str(value))}"
        )
    return value


def _fail(t: Any, value: object) -> InvalidInput:
    return InvalidInput(f"expected {expectation(t)}, got {describe(value)}")


def _strict(t: Any, accept: Callable[[object], bool]) -> Callable[[object, Any], Any]:
    def hook(value: object, _: Any) -> Any:
        if not accept(value):
            raise _fail(t, value)
        return value

    return hook


def _decimal(value: object, _: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        if isinstance(value, float):
            raise InvalidInput(
                f"expected an exact number (integer or decimal), got the binary float {value!r}"
            )
        raise _fail(Decimal, value)
    return _bounded_decimal(Decimal(value))


def _int(value: object, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(int, value)
    return _bounded_int(value)


def _date(value: object, _: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidInput(
            f"expected a date like 2024-07-01 without a time, got {value.isoformat()}"
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raise InvalidInput(
            f"expected a TOML date like 2024-07-01 (without quotes), got the string {value!r}"
        )
    raise _fail(dt.date, value)


def _labelled(value: object, t: type[Labelled]) -> Labelled:
    if isinstance(value, t):
        return value
    if type(value) is str:  # the value→member dict: what ``t(value)`` looks up, without the call
        member = t._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]
    elif isinstance(value, str):
        try:
            return t(value)
        except ValueError:
            pass
    raise InvalidInput(f"expected {t.expected()}, got {describe(value)}")


def _wrap_value_hook(t: Any, fn: Callable[[object], Any]) -> Callable[[object, Any], Any]:
    def hook(value: object, _: Any) -> Any:
        # the model's converters also take decimal strings (Python callers); data never does
        if isinstance(value, dict | list | str):
            raise _fail(t, value)
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)  # exact, however long; bounded as a decimal below
        if isinstance(value, Decimal) and t is not Money:  # money has its own bound: 10**26
            _bounded_decimal(value)
        try:
            return fn(value)
        except InvalidInput as exc:
            # drop the "what:" prefix the model's converters use; the path says where
            message = exc.problems[0].message
            message = message.split(": ", 1)[1] if ": " in message else message
            raise InvalidInput(mask_ids(message)) from None

    return hook


def _is_homogeneous_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_frozen_map(t: Any) -> bool:
    return bool(t is FrozenMap or typing.get_origin(t) is FrozenMap)


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """The strict converter; ``detailed=False`` stops at the first error (the fast path)."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)

    conv.register_structure_hook(str, _strict(str, lambda v: isinstance(v, str)))
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(bool, _strict(bool, lambda v: isinstance(v, bool)))
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_structure_hook(dt.date, _date)
    conv.register_structure_hook(Money, _wrap_value_hook(Money, _money))
    conv.register_structure_hook(SquareMetres, _wrap_value_hook(SquareMetres, _area))
    conv.register_structure_hook(Score, _wrap_value_hook(Score, _score))
    conv.register_structure_hook(Labelled, _labelled)  # more specific than the str hook

    def tuple_hook(value: object, t: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _fail(t, value)
        inner = typing.get_args(t)[0]
        if not detailed:  # the fast path: any error sends the whole input to the detailed pass
            return tuple([conv.structure(item, inner) for item in value])
        out: list[Any] = []
        problems: list[Problem] = []
        for i, item in enumerate(value):
            try:
                out.append(conv.structure(item, inner))
            except Exception as exc:
                problems.extend(problems_of(exc, f"[{i}]"))
        if problems:
            raise InvalidInput(problems)
        return tuple(out)

    conv.register_structure_hook_func(_is_homogeneous_tuple, tuple_hook)

    def frozen_map_hook(value: object, t: Any) -> FrozenMap[Any, Any]:
        # structured as the plain dict it stands for, then frozen (Policy holds no mutable dict)
        if not isinstance(value, dict):
            raise _fail(t, value)
        key, item = typing.get_args(t) or (Any, Any)
        plain: Any = dict[key, item]  # type: ignore[valid-type]
        return FrozenMap(conv.structure(value, plain))

    conv.register_structure_hook_func(_is_frozen_map, frozen_map_hook)

    def attrs_factory(cl: Any) -> Callable[[object, Any], Any]:
        inner = make_dict_structure_fn(
            cl, conv, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=detailed
        )

        def hook(value: object, t: Any) -> Any:
            if not isinstance(value, dict):
                raise InvalidInput(f"expected a table, got {describe(value)}")
            return inner(value, t)

        return hook

    conv.register_structure_hook_factory(attrs.has, attrs_factory)

    conv.register_unstructure_hook(Decimal, lambda d: d)
    conv.register_unstructure_hook(Money, lambda d: d.quantize(FEN))
    conv.register_unstructure_hook(dt.date, lambda d: d)
    conv.register_unstructure_hook(Labelled, lambda e: e.value)
    conv.register_unstructure_hook_func(
        _is_frozen_map,
        lambda m: {conv.unstructure(k): conv.unstructure(v) for k, v in m.items()},
    )
    return conv


def _join(prefix: str, path: str) -> str:
    if not path:
        return prefix
    if path.startswith("["):
        return prefix + path
    return f"{prefix}.{path}" if prefix else path


def problems_of(exc: BaseException, path: str = "") -> list[Problem]:
    """Flatten a (possibly nested) structuring error into problems with key paths."""
    if isinstance(exc, InvalidInput):
        return [Problem(_join(path, p.path), p.message, zh=p.zh) for p in exc.problems]
    if isinstance(exc, ForbiddenExtraKeysError):
        allowed = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        return [
            Problem(_join(path, key), f"unknown key; expected one of {', '.join(allowed)}")
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, ClassValidationError):
        out: list[Problem] = []
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            sub_path = _join(path, note.name)
            if isinstance(sub, KeyError) and not isinstance(sub, InvalidInput):
                out.append(Problem(sub_path, f"missing required key ({expectation(note.type)})"))
            else:
                out.extend(problems_of(sub, sub_path))
        for sub in without:
            out.extend(problems_of(sub, path))
        return out
    if isinstance(exc, IterableValidationError):
        items: list[Problem] = []
        indexed, loose = exc.group_exceptions()
        for sub, inote in indexed:
            items.extend(problems_of(sub, _join(path, f"[{inote.index!r}]")))
        for sub in loose:
            items.extend(problems_of(sub, path))
        return items
    if isinstance(exc, ExceptionGroup):
        return [p for sub in exc.exceptions for p in problems_of(sub, path)]
    return [Problem(path, f"invalid value ({type(exc).__name__}: {exc})")]


CONVERTER = make_converter()
_FAST = make_converter(detailed=False)
"""Structures valid input faster; on any error :func:`structure` runs the detailed converter,
so the errors and their messages are the detailed ones (issue 12)."""


def structure(data: object, cl: type[Any], source: str | None = None) -> Any:
    """Structure ``data`` as ``cl`` or raise :class:`InvalidInput` naming every problem."""
    try:
        return _FAST.structure(data, cl)
    except Exception:  # the detailed pass below says what was wrong
        pass
    return structure_detailed(data, cl, source)


def structure_detailed(data: object, cl: type[Any], source: str | None = None) -> Any:
    """:func:`structure` through the detailed converter only (what the fast path falls back to)."""
    try:
        return CONVERTER.structure(data, cl)
    except Exception as exc:
        raise InvalidInput(problems_of(exc), source) from None


def unstructure(obj: object) -> Any:
    """``obj`` as plain dicts, lists, strings, Decimals and dates, without ``None`` values."""
    return _drop_none(CONVERTER.unstructure(obj))


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_drop_none(v) for v in value]
    return value
