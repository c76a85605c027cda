"""The money part of a stored programme, read lean and built fast (issue 11, PAY-1).

:meth:`sgz_core.storage.UnitOfWork.load_money` gives :func:`sgz_core.storage.money_part` of
the stored programme: what the schedule and the payment decisions read. Shared by the SQLite
and the PostgreSQL/MariaDB adapters, it reads only the rows and columns that part holds (the
programme's row; the stations' ids, streets and contractors; the contract years, their
funding lines and evaluations) and builds the domain objects from them directly, calling each
model class as a programme file's loader would, instead of unstructuring a dict per row
through the converter (the generic :func:`~sgz_adapters.storage._tabular.from_rows`, about
five times slower on a district).

The direct way only takes rows exactly as the encoder writes them for today's model: every
cell of the type its column holds, no payload in ``extra`` but the fields it knows (the
contract years' corrective actions and renewal reason, the evaluations' results and reason,
structured by the converter as in ``from_rows``; the fields the money part leaves out are not
read). Anything else (a row edited outside sgz, a field a later model keeps in ``extra``, a
child row without its parent) makes the whole programme go the general way,
``money_part(from_rows(...))``, which reads back the same programme or raises the
:class:`~sgz_core.errors.StorageError` naming table, row and column. Both ways give equal
programmes (``tests/integration/test_money_read.py``, on every SQL adapter).
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sgz_adapters import _gc
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage._tabular import (
    PROGRAMMES,
    TABLES,
    _decode_strings,
    _Unfit,
    entity_dict,
)
from sgz_core.enums import EvaluationKind, FundingSource, Outcome
from sgz_core.jsonvalue import from_plain, load_payload
from sgz_core.limits import INT64, MAX_DECIMAL_INTEGER_DIGITS, MAX_DECIMAL_PLACES
from sgz_core.model import ContractYear, Evaluation, Funding, Programme, Station
from sgz_core.money import FEN
from sgz_core.storage import MONEY_DROPS_STATION, MONEY_DROPS_YEAR

Execute = Callable[[str, Sequence[Any]], list[Sequence[Any]]]

COLUMNS = {
    "stations": ("pos", "id", "street", "contractor", "extra"),
    "contract_years": ("station_pos", "pos", "year", "signed", "extra"),
    "funding": ("station_pos", "year_pos", "source", "amount_fen", "purposes", "extra"),
    "evaluations": ("station_pos", "year_pos", "kind", "date", "score", "outcome", "extra"),
}
"""The columns the money part is built from, per table (in key order)."""

for _table, _names in COLUMNS.items():  # the schema names them all (a typo fails at import)
    assert set(_names) <= {c.name for c in TABLES[_table].all_columns}, _table

_YEAR_HINTS = typing.get_type_hints(ContractYear)
_EVALUATION_HINTS = typing.get_type_hints(Evaluation)
_YEAR_EXTRA = ("actions", "renewal_reason")
"""Contract-year fields kept in ``extra`` that the money part holds (structured as stored)."""
_EVALUATION_EXTRA = ("results", "reason")
_NO_YEAR_EXTRA = '{"targets":[],"actions":[]}'
"""What the encoder writes for a contract year without targets and actions: nothing to read."""
_NO_EVALUATION_EXTRA = '{"results":[]}'
_SOURCES = FundingSource._value2member_map_
_KINDS = EvaluationKind._value2member_map_
_OUTCOMES = Outcome._value2member_map_


def rows(execute: Execute, prefix: str, dialect: str, programme_id: str) -> dict[str, Any]:
    """The rows the money part is built from, each table's in key order."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    out: dict[str, Any] = {
        PROGRAMMES.name: execute(sql.select(PROGRAMMES, prefix, dialect, ("id",)), [programme_id])
    }
    for name, columns in COLUMNS.items():
        keys = [c.name for c in TABLES[name].keys[1:]]
        out[name] = execute(
            f"SELECT {', '.join(q(c) for c in columns)} FROM {q(prefix + name)} "
            f"WHERE {q('programme_id')} = {mark} ORDER BY {', '.join(q(k) for k in keys)}",
            [programme_id],
        )
    return out


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _Unfit
    return value


def _date(value: Any) -> dt.date:
    """A date cell as the encoder writes it: a date, or YYYY-MM-DD text (SQLite)."""
    if type(value) is dt.date:
        return value
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        day = dt.date.fromisoformat(value)
        if day.isoformat() == value:
            return day
    raise _Unfit


def _score(value: Any) -> Decimal | None:
    """A ``decimal`` cell as the encoder writes it (``str(d)``), within the converter's limits."""
    if value is None:
        return None
    number = Decimal(_text(value))
    exponent = number.as_tuple().exponent
    if (
        not number.is_finite()
        or str(number) != value
        or not isinstance(exponent, int)
        or exponent < -MAX_DECIMAL_PLACES
        or (number and number.adjusted() >= MAX_DECIMAL_INTEGER_DIGITS)
    ):
        raise _Unfit
    return number


def _fen(value: Any) -> Decimal:
    if type(value) is not int or abs(value) > INT64:
        raise _Unfit
    return (Decimal(value) * FEN).quantize(FEN)


def _extra(text: Any, known: tuple[str, ...], left_out: tuple[str, ...]) -> dict[str, Any]:
    """The fields of an ``extra`` payload that the money part holds; any other field is
    :class:`_Unfit` (the general way decides what it is)."""
    if text is None:
        return {}
    payload = load_payload(_text(text))
    if type(payload) is not dict:
        raise _Unfit
    kept = {}
    for key, value in payload.items():
        if key in known:
            kept[key] = value
        elif key not in left_out:
            raise _Unfit
    return kept


def build(found: dict[str, Any], source: str) -> Programme:
    """The money part from :func:`rows`, directly; :class:`_Unfit` (or the error a model class
    raises) when a row is not as the encoder writes it: then the caller goes the general way."""
    heads = found[PROGRAMMES.name]
    if len(heads) != 1:
        raise _Unfit
    head = heads[0]
    data = entity_dict(PROGRAMMES, head, source)
    if set(data) - {"name", "start", "profile"}:
        raise _Unfit
    # Rows with the same cells give equal (frozen) values: each is built once (a district's
    # lines of one level, its evaluation rounds, are mostly alike).
    made: dict[tuple[Any, ...], Any] = {}
    funding: dict[tuple[int, int], list[Funding]] = {}
    for station_pos, year_pos, *cells in found["funding"]:
        key = ("f", *cells)
        line = made.get(key)
        if line is None:
            source_, fen, purposes, extra = cells
            if extra is not None:
                raise _Unfit
            line = made[key] = Funding(
                source=_SOURCES[_text(source_)],
                amount=_fen(fen),
                purposes=None if purposes is None else _decode_strings(_text(purposes)),
            )
        funding.setdefault((station_pos, year_pos), []).append(line)
    evaluations: dict[tuple[int, int], list[Evaluation]] = {}
    for station_pos, year_pos, *cells in found["evaluations"]:
        key = ("e", *cells)
        evaluation = made.get(key)
        if evaluation is None:
            kind, day, score, outcome, extra = cells
            more = {} if extra == _NO_EVALUATION_EXTRA else _extra(extra, _EVALUATION_EXTRA, ())
            evaluation = made[key] = Evaluation(
                kind=_KINDS[_text(kind)],
                date=_date(day),
                score=_score(score),
                outcome=None if outcome is None else _OUTCOMES[_text(outcome)],
                **{k: from_plain(v, _EVALUATION_HINTS[k]) for k, v in more.items()},
            )
        evaluations.setdefault((station_pos, year_pos), []).append(evaluation)
    years: dict[int, list[ContractYear]] = {}
    used = 0
    for station_pos, pos, number, signed, extra in found["contract_years"]:
        more = {} if extra == _NO_YEAR_EXTRA else _extra(extra, _YEAR_EXTRA, MONEY_DROPS_YEAR)
        key = (station_pos, pos)
        lines = funding.get(key, ())
        checks = evaluations.get(key, ())
        used += bool(lines) + bool(checks)
        if type(number) is not int:
            raise _Unfit
        year = ContractYear(
            year=number,
            signed=None if signed is None else _date(signed),
            funding=tuple(lines),
            evaluations=tuple(checks),
            **{k: from_plain(v, _YEAR_HINTS[k]) for k, v in more.items()},
        )
        years.setdefault(station_pos, []).append(year)
    if used != len(funding) + len(evaluations):
        raise _Unfit  # a funding line or evaluation without its contract year
    stations = []
    for pos, id_, street, contractor, extra in found["stations"]:
        if extra is not None:
            _extra(extra, (), MONEY_DROPS_STATION)
        stations.append(
            Station(
                id=_text(id_),
                street=_text(street),
                contractor=_text(contractor),
                years=tuple(years.pop(pos, ())),
            )
        )
    if years:
        raise _Unfit  # a contract year without its station
    programme_id = _text(head[0])
    return Programme(id=programme_id, stations=tuple(stations), **data)


def load_money(
    execute: Execute,
    prefix: str,
    dialect: str,
    programme_id: str,
    source: str,
    general: Callable[[], Programme],
) -> Programme:
    """The money part of a stored programme (:func:`sgz_core.storage.money_part`): built
    directly from its rows, or ``general()`` (the general way) when a row is not as expected."""
    found = rows(execute, prefix, dialect, programme_id)
    try:
        with _gc.paused():
            return build(found, source)
    except Exception:  # not as the encoder writes it: the general way reads it or names why
        return general()
