"""Model values as exact, tagged JSON text, and back: for adapters that store documents.

Pure (no I/O). Decimal and dates survive exactly, because they are tagged:
``{"$decimal": "12.50"}``, ``{"$date": "2024-07-01"}``, ``{"$datetime": "…"}``; a user's one-key
dict whose key starts with ``$`` is escaped as ``{"$dict": [[k, v]]}``. Values are first
unstructured by the library's one converter, so :func:`load_value` checks them as strictly as a
programme file::

    line = dump_value(programme)
    assert load_value(line, Programme) == programme
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from sgz_core._convert import structure, unstructure
from sgz_core.errors import InvalidInput, StorageError

T = TypeVar("T")


def _enc(value: Any) -> Any:
    if isinstance(value, str | bool | int) or value is None:
        return value
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        if len(value) == 1 and str(next(iter(value))).startswith("$"):
            return {"$dict": [[k, _enc(v)] for k, v in value.items()]}
        return {k: _enc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_enc(v) for v in value]
    if isinstance(value, float):
        raise InvalidInput(f"cannot store the binary float {value!r} exactly; use Decimal")
    raise InvalidInput(f"cannot store a value of type {type(value).__name__}")


def _tagged(key: str, inner: Any) -> Any:
    if key == "$dict":
        if not isinstance(inner, list) or not all(
            isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in inner
        ):
            raise ValueError("$dict: expected a list of [key, value] pairs")
        return {k: _dec(v) for k, v in inner}
    if not isinstance(inner, str):
        raise ValueError(f"{key}: expected text, got {type(inner).__name__}")
    value: Decimal | dt.date
    if key == "$decimal":
        value = Decimal(inner)
    elif key == "$date":
        value = dt.date.fromisoformat(inner)
    else:
        value = dt.datetime.fromisoformat(inner)
    written = str(value) if isinstance(value, Decimal) else value.isoformat()
    if written != inner:  # only what dump_payload writes: never a silently different value
        raise ValueError(f"{key}: expected {written!r} as sgz writes it, got {inner!r}")
    return value


def _dec(value: Any) -> Any:
    if isinstance(value, list):
        return [_dec(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            key, inner = next(iter(value.items()))
            if key in ("$decimal", "$date", "$datetime", "$dict"):
                return _tagged(key, inner)
        return {k: _dec(v) for k, v in value.items()}
    if isinstance(value, float):
        raise ValueError(f"the binary float {value!r} (exact numbers are tagged $decimal)")
    return value


def dump_payload(value: Any) -> str:
    """Plain data (as the converter unstructures it) as exact, tagged JSON text."""
    return json.dumps(_enc(value), ensure_ascii=False, separators=(",", ":"))


def load_payload(text: str) -> Any:
    """The inverse of :func:`dump_payload`; text that it could not have written is
    :class:`~sgz_core.errors.InvalidInput` (bad JSON, a bad tag, a binary float)."""
    if not isinstance(text, str):
        raise InvalidInput(f"expected JSON text, got {type(text).__name__}")
    try:
        return _dec(json.loads(text))
    except RecursionError:
        raise InvalidInput("JSON nested too deeply") from None
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise InvalidInput(f"not exact tagged JSON ({exc})") from None


def to_plain(value: Any) -> Any:
    """A model value as plain dicts, lists, strings, Decimals and dates (``None`` values left out)."""
    return unstructure(value)


def from_plain(data: Any, cls: type[T]) -> T:
    """The inverse of :func:`to_plain`, as strict as a programme file (:class:`InvalidInput`)."""
    result: T = structure(data, cls)
    return result


def dump_value(value: Any) -> str:
    """A programme, a record or any model value as one line of exact, tagged JSON."""
    return dump_payload(to_plain(value))


def load_value(text: str, cls: type[T]) -> T:
    """The inverse of :func:`dump_value`; data that does not fit ``cls`` is a :class:`StorageError`."""
    try:
        return from_plain(load_payload(text), cls)
    except InvalidInput as exc:
        raise StorageError(f"a stored {cls.__name__} cannot be read back: {exc}") from None


__all__ = ["dump_payload", "dump_value", "from_plain", "load_payload", "load_value", "to_plain"]
