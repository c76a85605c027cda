"""A programme as rows of the storage schema, and back: the layout every SQL adapter stores.

Persistence mapping, so it lives with the adapters (issue 9); it does no I/O itself. The layout is generic over the model: each entity is first unstructured by the
library's one converter; the keys named in a :class:`Table`'s columns go to typed columns (money
as integer fen, dates as dates, exact decimals as text) and whatever the table does not know yet
(a field added to the model later) stays in the row's ``extra`` payload. Programme sections with
no table of their own (beneficiaries, cases, referrals …) are kept whole in ``sections``. Loading
merges columns and payloads and structures the result with the same strict converter, so
``from_rows(to_rows(p)) == p`` for every programme the converter can represent. Reading is
strict: a cell that the encoder could not have written (a database edited outside sgz) is a
:class:`~sgz_core.errors.StorageError` naming table, programme, row and column.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Any

import attrs

from sgz_core.casework.ledger import ServiceRecord
from sgz_core.errors import InvalidInput, Problem, StorageError
from sgz_core.jsonvalue import dump_payload, from_plain, load_payload, to_plain
from sgz_core.limits import INT64, MAX_DECIMAL_TEXT, MAX_KEY_LENGTH
from sgz_core.model import Programme
from sgz_core.money import FEN
from sgz_core.payments import Payment
from sgz_core.programme_file import payment_problem

# --- the logical schema ------------------------------------------------------------------------

KINDS = ("key", "text", "int", "bool", "date", "money", "decimal", "json")
"""Column kinds: ``key`` is a short indexed string (an id, at most 255 characters); ``money`` is
integer fen; ``decimal`` is an exact decimal as text; ``json`` is a :func:`dump_payload` text."""


@attrs.frozen
class Column:
    name: str
    kind: str
    path: tuple[str, ...] = ()
    """Where the value lives in the entity's unstructured dict; empty for key columns."""
    since: int = 1
    """The schema version that added the column (a later one is ``ALTER TABLE … ADD COLUMN``)."""


@attrs.frozen
class Table:
    """One table: key columns, typed value columns, and (where ``extra``) a leftover payload."""

    name: str
    keys: tuple[Column, ...]
    columns: tuple[Column, ...]
    field: str = ""
    """The list field of the parent entity whose items this table holds (``stations``)."""
    children: tuple[Table, ...] = ()
    extra: bool = True
    indexes: tuple[tuple[str, ...], ...] = ()
    since: int = 1
    """The schema version that introduced the table."""

    @property
    def all_columns(self) -> tuple[Column, ...]:
        tail = (Column("extra", "json"),) if self.extra else ()
        return self.keys + self.columns + tail

    @property
    def parent_keys(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.keys[:-1])


def _c(name: str, kind: str, *path: str, since: int = 1) -> Column:
    return Column(name, kind, path or (name,), since)


PID = Column("programme_id", "key")
POS = Column("pos", "int")
STATION_POS = Column("station_pos", "int")
YEAR_POS = Column("year_pos", "int")

YEAR_CHILDREN = (
    Table(
        "funding",
        (PID, STATION_POS, YEAR_POS, POS),
        (
            _c("source", "key"),
            _c("amount_fen", "money", "amount"),
            _c("purposes", "json", since=3),
        ),
        field="funding",
    ),
    Table(
        "evaluations",
        (PID, STATION_POS, YEAR_POS, POS),
        (_c("kind", "key"), _c("date", "date"), _c("score", "decimal"), _c("outcome", "key")),
        field="evaluations",
    ),
    Table(
        "expenses",
        (PID, STATION_POS, YEAR_POS, POS),
        (
            _c("date", "date"),
            _c("category", "text"),
            _c("fund", "key"),
            _c("amount_fen", "money", "amount"),
            _c("note", "text"),
            _c("reason", "text", since=3),
        ),
        field="expenses",
    ),
    Table(
        "receipts",
        (PID, STATION_POS, YEAR_POS, POS),
        (
            _c("date", "date"),
            _c("source", "key"),
            _c("amount_fen", "money", "amount"),
            _c("note", "text"),
        ),
        field="receipts",
        since=3,
    ),
)

STATION_CHILDREN = (
    Table(
        "staff",
        (PID, STATION_POS, POS),
        (
            _c("name", "text"),
            _c("role", "key"),
            _c("employer", "key"),
            _c("qualification", "key"),
            _c("social_work_degree", "bool"),
        ),
        field="staff",
    ),
    Table(
        "contract_years",
        (PID, STATION_POS, POS),
        (_c("year", "int"), _c("signed", "date")),
        field="years",
        children=YEAR_CHILDREN,
    ),
)

RECORDS = Table(
    "service_records",
    (PID, POS),
    (
        _c("station", "key"),
        _c("date", "date"),
        _c("domain", "key"),
        _c("method", "key"),
        _c("service", "key"),
        _c("worker", "text"),
        _c("hours", "decimal"),
        _c("beneficiaries", "json"),
        _c("group_name", "text", "group"),
        _c("participants", "int"),
        _c("case_id", "key", "case"),
        _c("volunteers", "int"),
        _c("volunteer_hours", "decimal"),
        _c("volunteer_team", "key"),
        _c("administrative", "bool"),
        _c("fund", "key"),
        _c("note", "text"),
    ),
    field="records",
    indexes=(
        ("programme_id", "station", "date"),
        ("programme_id", "domain", "date"),
        ("programme_id", "date"),
    ),
    since=2,
)
"""The service ledger (台账): typed, indexed columns for what records are queried by."""

PROGRAMME_CHILDREN = (
    Table(
        "contractors",
        (PID, POS),
        (_c("id", "key"), _c("name", "text"), _c("uscc", "text")),
        field="contractors",
    ),
    Table(
        "stations",
        (PID, POS),
        (
            _c("id", "key"),
            _c("street", "text"),
            _c("contractor", "key"),
            _c("lot", "int"),
            _c("communities", "json"),
            _c("activity_area_m2", "decimal", "premises", "activity_area_m2"),
            _c("office_area_m2", "decimal", "premises", "office_area_m2"),
            _c("equipment", "json", "premises", "equipment"),
            _c("shared_facilities", "json", "premises", "shared_facilities"),
            _c("rooms", "json", "premises", "rooms"),
            _c("logo", "bool", "signage", "logo"),
            _c("plaques", "json", "signage", "plaques"),
        ),
        field="stations",
        children=STATION_CHILDREN,
    ),
    RECORDS,
    Table(
        "hardship_relief",
        (PID, POS),
        (
            _c("year", "int"),
            _c("budget_fen", "money", "budget"),
            _c("social_work_fen", "money", "social_work"),
            _c("note", "text"),
        ),
        field="hardship_relief",
        since=3,
    ),
)

PROGRAMMES = Table(
    "programmes",
    (Column("id", "key"),),
    (_c("name", "text"), _c("start", "date"), _c("profile", "text")),
    children=PROGRAMME_CHILDREN,
    extra=False,
)

SECTIONS = Table("sections", (PID, Column("name", "key")), (_c("payload", "json"),), extra=False)
"""Programme sections without a table of their own, each kept whole as a payload."""


def _walk(table: Table) -> Iterator[Table]:
    yield table
    for child in table.children:
        yield from _walk(child)


def tables(version: int | None = None) -> tuple[Table, ...]:
    """Every table in creation order (parents first), as of schema ``version`` (default: latest)."""
    found = (*_walk(PROGRAMMES), SECTIONS)
    return tuple(t for t in found if version is None or t.since <= version)


TABLES = {t.name: t for t in tables()}


def parent_of(table: Table) -> Table | None:
    for candidate in TABLES.values():
        if table in candidate.children:
            return candidate
    return None


# --- values ⇄ column values ---------------------------------------------------------------------

_MISSING = object()


def _encode(kind: str, value: Any, dates_as_text: bool) -> Any:
    """The column value, or ``_MISSING`` when the value does not fit the column (kept in extra)."""
    if kind in ("key", "text"):
        if not isinstance(value, str):
            return _MISSING
        if kind == "key" and len(value) > MAX_KEY_LENGTH:
            return _MISSING
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > INT64:
            return _MISSING
        return value
    if kind == "bool":
        return value if isinstance(value, bool) else _MISSING
    if kind == "date":
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            return _MISSING
        return value.isoformat() if dates_as_text else value
    if kind == "money":
        if not isinstance(value, Decimal) or not value.is_finite():
            return _MISSING
        fen = value.scaleb(2)
        if fen != fen.to_integral_value() or abs(fen) > INT64:
            return _MISSING
        return int(fen)
    if kind == "decimal":
        if not isinstance(value, Decimal) or not value.is_finite():
            return _MISSING
        text = str(value)
        return text if len(text) <= MAX_DECIMAL_TEXT else _MISSING
    if kind == "json":
        return dump_payload(value)
    raise AssertionError(kind)


class BadCell(ValueError):
    """A column value that the encoder could not have written (the database was edited)."""


def _decimal_text(value: str) -> Decimal:
    """The decimal a ``decimal`` column holds, only as the encoder writes it (``str(d)``)."""
    number = Decimal(value)
    if not number.is_finite() or str(number) != value:
        raise BadCell(f"expected an exact decimal such as 12.5, got {_show(value)}")
    return number


def _date_text(value: str) -> dt.date:
    day = dt.date.fromisoformat(value)
    if day.isoformat() != value:
        raise BadCell(f"expected a date as YYYY-MM-DD, got {_show(value)}")
    return day


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def decode_cell(kind: str, value: Any) -> Any:
    """The value of a column as the encoder wrote it; anything else is :class:`BadCell`.

    Strict on purpose: a database edited outside sgz must never read back as a different value
    (``bool('no')``, ``int(12.7)``, ``Decimal(' 1_0')`` would).
    """
    if kind in ("key", "text"):
        if type(value) is not str:
            raise BadCell(f"expected text, got {_show(value)}")
        return value
    if kind == "bool":
        if value is True or value is False or (type(value) is int and value in (0, 1)):
            return bool(value)
        raise BadCell(f"expected a boolean (0 or 1), got {_show(value)}")
    if kind == "int":
        if type(value) is not int or abs(value) > INT64:
            raise BadCell(f"expected a whole number, got {_show(value)}")
        return value
    if kind == "date":
        if type(value) is dt.date:
            return value
        if type(value) is not str:
            raise BadCell(f"expected a date, got {_show(value)}")
        try:
            return _date_text(value)
        except ValueError:
            raise BadCell(f"expected a date as YYYY-MM-DD, got {_show(value)}") from None
    if kind == "money":
        if type(value) is not int or abs(value) > INT64:
            raise BadCell(f"expected a whole number of fen, got {_show(value)}")
        return (Decimal(value) * FEN).quantize(FEN)
    if kind == "decimal":
        if type(value) is str:
            with contextlib.suppress(ArithmeticError):
                return _decimal_text(value)
        raise BadCell(f"expected an exact decimal such as 12.5, got {_show(value)}")
    if kind == "json":
        try:
            return load_payload(value)
        except InvalidInput as exc:
            raise BadCell(str(exc)) from None
    raise AssertionError(kind)


def _pop_path(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    head, *rest = path
    if head not in data:
        return _MISSING
    if not rest:
        return data.pop(head)
    inner = data[head]
    if not isinstance(inner, dict):
        return _MISSING
    value = _pop_path(inner, tuple(rest))
    if not inner:
        del data[head]
    return value


def _put_path(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value


def _merge(into: dict[str, Any], extra: Mapping[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def entity_row(
    table: Table, keys: tuple[Any, ...], data: dict[str, Any], dates_as_text: bool = False
) -> tuple[Any, ...]:
    """One row of ``table`` from an entity's unstructured dict (which this consumes)."""
    values: list[Any] = list(keys)
    for column in table.columns:
        raw = _pop_path(data, column.path)
        if raw is _MISSING:
            values.append(None)
            continue
        encoded = _encode(column.kind, raw, dates_as_text)
        if encoded is _MISSING:  # does not fit the typed column: keep it exact in extra
            _put_path(data, column.path, raw)
            values.append(None)
        else:
            values.append(encoded)
    if table.extra:
        values.append(dump_payload(data) if data else None)
    elif data:
        raise AssertionError(f"unmapped keys for {table.name}: {sorted(data)}")
    return tuple(values)


def _where(table: Table, row: Sequence[Any]) -> str:
    """``table staff, programme 'p', row station_pos 0, pos 1`` for a message."""
    keys = row[: len(table.keys)]
    if table.name == PROGRAMMES.name:
        return f"table {table.name}, programme {keys[0]!r}"
    pos = ", ".join(f"{c.name} {v!r}" for c, v in zip(table.keys[1:], keys[1:], strict=True))
    return f"table {table.name}, programme {keys[0]!r}, row {pos}"


def corrupt(source: str, table: Table, row: Sequence[Any], column: str, why: str) -> StorageError:
    """The error for a stored value that cannot be read back: table, programme, row, column."""
    return StorageError(f"{source}: {_where(table, row)}, column {column}: {why}")


def column_of(table: Table, path: Sequence[str]) -> str:
    """The column that holds the value at ``path`` of an entity (``extra`` for the rest)."""
    for column in table.columns:
        if tuple(path[: len(column.path)]) == column.path:
            return column.name
    return "extra" if table.extra else "?"


def _segments(path: str) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for part in path.split(".") if path else []:
        name, _, index = part.partition("[")
        out.append((name, int(index.split("]")[0]) if index[:1].isdigit() else None))
    return out


def _locate(programme_id: str, path: str) -> tuple[Table, tuple[Any, ...], str]:
    """The table, row keys and column a converter problem path (``stations[0].staff[1].role``)
    of a stored programme points at."""
    table, parts = PROGRAMMES, _segments(path)
    keys: tuple[Any, ...] = (programme_id,)
    while parts:
        name, index = parts[0]
        child = next((c for c in table.children if c.field == name and c is not RECORDS), None)
        if child is None or index is None:
            break
        table, keys, parts = child, (*keys, index), parts[1:]
    names = tuple(name for name, _ in parts)
    if (
        table is PROGRAMMES
        and names
        and names[0] not in ("id", *(c.path[0] for c in table.columns))
    ):
        return SECTIONS, (programme_id, names[0]), "payload"
    return table, keys, column_of(table, names)


def _unreadable(source: str, programme_id: str, exc: InvalidInput) -> StorageError:
    parts = []
    for problem in exc.problems:
        table, keys, column = _locate(programme_id, problem.path)
        parts.append(f"{_where(table, keys)}, column {column}: {problem}")
    return StorageError(f"{source}: stored programme cannot be read back: {'; '.join(parts)}")


def entity_dict(table: Table, row: Sequence[Any], source: str = "storage") -> dict[str, Any]:
    """An entity's unstructured dict from one row of ``table`` (key columns skipped); a value
    the encoder could not have written is a :class:`StorageError` naming the cell."""
    data: dict[str, Any] = {}
    offset = len(table.keys)
    for i, column in enumerate(table.columns):
        value = row[offset + i]
        if value is not None:
            try:
                decoded = decode_cell(column.kind, value)
            except BadCell as exc:
                raise corrupt(source, table, row, column.name, str(exc)) from None
            _put_path(data, column.path, decoded)
    if table.extra:
        extra = row[offset + len(table.columns)]
        if extra is not None:
            try:
                payload = decode_cell("json", extra)
            except BadCell as exc:
                raise corrupt(source, table, row, "extra", str(exc)) from None
            if not isinstance(payload, dict):
                raise corrupt(source, table, row, "extra", "expected a JSON object")
            _merge(data, payload)
    return data


# --- a programme ⇄ rows ---------------------------------------------------------------------------


@attrs.frozen
class TableRows:
    """The rows of one table for one programme; ``rows`` may be a one-pass iterator."""

    table: Table
    count: int
    rows: Iterable[tuple[Any, ...]]


def to_rows(programme: Programme, *, dates_as_text: bool = False) -> list[TableRows]:
    """Every row of a programme, parents before children; the ledger's rows are produced lazily."""
    records = programme.records
    data = to_plain(attrs.evolve(programme, records=()))
    data.pop(RECORDS.field, None)
    out: dict[str, list[tuple[Any, ...]]] = {t.name: [] for t in tables()}

    def children(table: Table, keys: tuple[Any, ...], entity: dict[str, Any]) -> None:
        for child in table.children:
            if child is RECORDS:
                continue
            items = entity.pop(child.field, None)
            if items is None:
                continue
            if not isinstance(items, list):  # not a list in this model: keep it as is
                entity[child.field] = items
                continue
            for pos, item in enumerate(items):
                item_keys = (*keys, pos)
                sub = dict(item)
                children(child, item_keys, sub)
                out[child.name].append(entity_row(child, item_keys, sub, dates_as_text))

    children(PROGRAMMES, (programme.id,), data)
    out[PROGRAMMES.name].append(
        entity_row(PROGRAMMES, (programme.id,), _programme_head(data), dates_as_text)
    )
    out[SECTIONS.name] = [(programme.id, name, dump_payload(value)) for name, value in data.items()]

    result = []
    for table in tables():
        if table is RECORDS:
            # a ServiceRecord's row from the generated loop, a subclass's the general way
            rows = record_codec(ServiceRecord).encode_many(programme.id, records, dates_as_text)
            result.append(TableRows(table, len(records), rows))
        else:
            result.append(TableRows(table, len(out[table.name]), out[table.name]))
    return result


def _programme_head(data: dict[str, Any]) -> dict[str, Any]:
    """Pop the programme's own columns out of ``data`` (what stays are sections)."""
    data.pop("id")
    head: dict[str, Any] = {}
    for column in PROGRAMMES.columns:
        name = column.path[0]
        if name in data:
            head[name] = data.pop(name)
    return head


RowSource = Callable[[Table], Iterable[Sequence[Any]]]
"""Gives one programme's rows of a table, ordered by the table's key columns."""


def from_rows(rows: RowSource, source: str = "storage", *, records: bool = True) -> Programme:
    """A programme from its rows (the inverse of :func:`to_rows`); without its ledger when
    ``records`` is false (its rows are then never asked for). A row edited outside sgz that
    does not read back is a :class:`StorageError` naming table, programme, row and column."""
    head_rows = list(rows(PROGRAMMES))
    if len(head_rows) != 1:
        raise StorageError(f"{source}: expected one programme row, found {len(head_rows)}")
    head = head_rows[0]
    data: dict[str, Any] = {"id": head[0], **entity_dict(PROGRAMMES, head, source)}
    for row in rows(SECTIONS):
        data[row[1]] = entity_dict(SECTIONS, row, source)["payload"] if row[2] is not None else None

    def attach(table: Table, parents: dict[tuple[Any, ...], dict[str, Any]]) -> None:
        for child in table.children:
            if child is RECORDS:
                continue
            mine: dict[tuple[Any, ...], dict[str, Any]] = {}
            for row in rows(child):
                key = tuple(row[: len(child.keys)])
                parent = parents.get(key[:-1])
                if parent is None:
                    raise corrupt(
                        source, child, row, child.keys[-2].name, f"no parent row {key[:-1]!r}"
                    )
                item = entity_dict(child, row, source)
                parent.setdefault(child.field, []).append(item)
                mine[key] = item
            if child.children:
                attach(child, mine)

    attach(PROGRAMMES, {(head[0],): data})
    try:
        programme: Programme = from_plain(data, Programme)
    except InvalidInput as exc:
        raise _unreadable(source, head[0], exc) from None
    if records:
        codec = record_codec(ServiceRecord, source)
        ledger = tuple(codec.decode(row) for row in rows(RECORDS))
        if ledger:
            programme = attrs.evolve(programme, records=ledger)
    return programme


def record_from_row(row: Sequence[Any], cls: type[Any] = ServiceRecord) -> Any:
    """One service record from a ``service_records`` row."""
    return record_codec(cls).decode(row)


# --- the ledger's fast path ----------------------------------------------------------------------
#
# Millions of records go through here, so each record class gets an encoder and a decoder
# generated for it: straight-line Python compiled once per class, as attrs and cattrs generate
# theirs. The encoder reads the attributes into the typed columns; the decoder turns the columns
# back into values and calls the class itself, so the record's converters and invariants run as
# they do for any record. Whatever the generated code does not expect (a value that does not fit
# its column, a field the table does not know, a row with an ``extra`` payload, a row that fails
# to decode) goes the general way, through the converter and ``extra``. Both ways give the same
# rows and the same records: ``tests/unit/test_tabular.py`` checks it.

_JSON_TEXT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_BOOLS = {0: False, 1: True}


class _Unfit(Exception):
    """Raised inside generated code: this value or row takes the general path."""


def _unfit() -> Any:
    raise _Unfit


def _target(hint: Any) -> Any:
    """The type a column decodes to: ``X`` for ``X | None``, a NewType's base type."""
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, UnionType) and len(args) == 1:
        hint = args[0]
    return getattr(hint, "__supertype__", hint)


def _text_enum(target: Any, kind: str) -> bool:
    """An Enum whose every value fits a text column as it is."""
    return (
        isinstance(target, type)
        and issubclass(target, Enum)
        and kind in ("key", "text")
        and all(
            type(m.value) is str and (kind == "text" or len(m.value) <= MAX_KEY_LENGTH)
            for m in target
        )
    )


def _str_tuple(target: Any, kind: str) -> bool:
    return (
        kind == "json"
        and typing.get_origin(target) is tuple
        and typing.get_args(target) == (str, ...)
    )


_JSON_STRING = json.encoder.encode_basestring
"""What ``_JSON_TEXT`` writes for one string (the encoder's own, with ``ensure_ascii=False``)."""


def _encode_strings(value: tuple[Any, ...]) -> Any:
    """``_JSON_TEXT(list(value))`` for a tuple of strings, item by item (the whole encoder
    costs a microsecond or two a call, and a large import has a list in every record)."""
    if not value:
        return "[]"
    for item in value:
        if type(item) is not str:
            return _MISSING
    return "[" + ",".join(map(_JSON_STRING, value)) + "]"


def _decode_strings(text: str) -> tuple[str, ...]:
    if text == "[]":
        return ()
    if text[:2] == '["' and text[-2:] == '"]' and "\\" not in text:
        # Without a backslash nothing is escaped, so no item holds a quote: split between the
        # items, when the quotes are exactly theirs (as the encoder writes them, no spaces).
        items = text[2:-2].split('","')
        if text.count('"') == 2 * len(items):
            return tuple(items)
    items = json.loads(text)
    if type(items) is not list or any(type(item) is not str for item in items):
        raise _Unfit
    return tuple(items)


def _plain_slotted(cls: type[Any]) -> bool:
    """An attrs class with slots whose generated ``__init__`` only converts, sets and calls
    ``__attrs_post_init__``: no validators, no pre-init, no cached hash, no custom ``__init__``."""
    init = getattr(cls, "__init__", None)
    code = getattr(init, "__code__", None)
    return (
        attrs.has(cls)
        and "__slots__" in cls.__dict__
        and code is not None
        and code.co_filename.startswith("<attrs generated")
        and not hasattr(cls, "__attrs_pre_init__")
        # a slot that is not a field (a cached hash) is set by __init__ too
        and set(cls.__dict__["__slots__"]) <= {f.name for f in attrs.fields(cls)} | {"__weakref__"}
        and all(
            f.init
            and f.validator is None
            and f.on_setattr in (None, attrs.setters.NO_OP)
            and (
                f.converter is None
                or (callable(f.converter) and not isinstance(f.converter, attrs.Converter))
            )
            for f in attrs.fields(cls)
        )
    )


def _compile(name: str, lines: list[str], namespace: dict[str, Any]) -> Callable[..., Any]:
    source = "\n".join(lines)
    exec(compile(source, f"<sgz generated {name}>", "exec"), namespace)
    function: Callable[..., Any] = namespace[name]
    function.__sgz_source__ = source  # type: ignore[attr-defined]
    return function


class RecordCodec:
    """Rows of ``service_records`` ⇄ records of one class, fast (see above)."""

    def __init__(self, cls: type[Any], source: str = "storage") -> None:
        self.cls = cls
        self.source = source
        self.hints = typing.get_type_hints(cls)
        fields = {f.name: f for f in attrs.fields(cls)}
        self.mapped = [
            (i, c, c.path[0])
            for i, c in enumerate(RECORDS.columns)
            if len(c.path) == 1 and c.path[0] in fields
        ]
        self.extra_fields = sorted(set(fields) - {name for _, _, name in self.mapped})
        self._fields = fields
        self._encoders: dict[bool, Callable[[tuple[Any, ...], Any], tuple[Any, ...]]] = {}
        self._many: dict[bool, Callable[..., Any]] = {}
        self._decoder = self._make_decoder()

    # encoding

    def encode(self, keys: tuple[Any, ...], record: Any, dates_as_text: bool) -> tuple[Any, ...]:
        encoder = self._encoders.get(dates_as_text)
        if encoder is None:
            encoder = self._encoders[dates_as_text] = self._make_encoder(dates_as_text)
        return encoder(keys, record)

    def _general_row(
        self, keys: tuple[Any, ...], record: Any, dates_as_text: bool
    ) -> tuple[Any, ...]:
        return entity_row(RECORDS, keys, to_plain(record), dates_as_text)

    def _extra(self, record: Any) -> str | None:
        data = {n: to_plain(getattr(record, n)) for n in self.extra_fields}
        data = {k: v for k, v in data.items() if v is not None}
        return dump_payload(data) if data else None

    def encode_many(
        self, programme_id: str, records: Iterable[Any], dates_as_text: bool
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of ``records`` at positions 0, 1, …: the rows :meth:`encode` gives each,
        and the general path's for a record of another class (a subclass), from one
        generated loop (no call per record: a first import encodes millions, issue 12)."""
        many = self._many.get(dates_as_text)
        if many is None:
            many = self._many[dates_as_text] = self._make_encoder(dates_as_text, many=True)
        return many(programme_id, records)  # type: ignore[no-any-return]

    def _make_encoder(self, dates_as_text: bool, many: bool = False) -> Callable[..., Any]:
        """The generated encoder: ``encode(keys, r)`` gives one row; with ``many``,
        ``encode_many(programme_id, records)`` yields the row of each record in turn."""
        ns: dict[str, Any] = {
            "_MISSING": _MISSING,
            "Decimal": Decimal,
            "date": dt.date,
            "INT64": INT64,
            "_strings": _encode_strings,
            "_extra": self._extra,
            "_general": lambda keys, r: self._general_row(keys, r, dates_as_text),
            "cls": self.cls,
        }
        if many:
            # the same checks, one level deeper; a value that does not fit gives the general
            # row of that record and the loop goes on with the next one
            body = [
                "def encode_many(pid, records):",
                "    for pos, r in enumerate(records):",
                "        if type(r) is not cls:",
                "            yield _general((pid, pos), r)",
                "            continue",
            ]
            pad, fail = "        ", ["yield _general((pid, pos), r)", "continue"]
        else:
            body = ["def encode(keys, r):"]
            pad, fail = "    ", ["return _general(keys, r)"]
        values = ["None"] * len(RECORDS.columns)
        for i, column, name in self.mapped:
            target = _target(self.hints[name])
            kind = column.kind
            # (test, value): the value's usual type, checked before None unless the field's
            # default is None (the two are exclusive, so the order changes no row)
            if _text_enum(target, kind):
                ns[f"T{i}"] = target
                test, value = f"type(x) is T{i}", "x._value_"
            elif kind in ("key", "text"):
                limit = f" and len(x) <= {MAX_KEY_LENGTH}" if kind == "key" else ""
                test, value = f"type(x) is str{limit}", "x"
            elif kind == "date":
                test, value = "type(x) is date", f"x{'.isoformat()' if dates_as_text else ''}"
            elif kind == "decimal":
                test = f"type(x) is Decimal and x.is_finite() and len(y := str(x)) <= {MAX_DECIMAL_TEXT}"
                value = "y"
            elif kind == "bool":
                test, value = "type(x) is bool", "x"
            elif kind == "int":
                test, value = "type(x) is int and -INT64 <= x <= INT64", "x"
            elif _str_tuple(target, kind):
                test, value = "type(x) is tuple and (y := _strings(x)) is not _MISSING", "y"
            else:
                ns[f"E{i}"] = lambda v, k=kind: _encode(k, v, dates_as_text)
                test, value = f"(y := E{i}(x)) is not _MISSING", "y"
            branches = [("x is None", "None"), (test, value)]
            if not test.startswith("(y := E") and self._fields[name].default is not None:
                branches.reverse()
            body += [
                f"{pad}x = r.{name}",
                f"{pad}if {branches[0][0]}:",
                f"{pad}    v{i} = {branches[0][1]}",
                f"{pad}elif {branches[1][0]}:",
                f"{pad}    v{i} = {branches[1][1]}",
                f"{pad}else:",
                *(f"{pad}    {line}" for line in fail),
            ]
            values[i] = f"v{i}"
        extra = "_extra(r)" if self.extra_fields else "None"
        if many:
            body.append(f"{pad}yield (pid, pos, {', '.join(values)}, {extra})")
        else:
            body.append(f"{pad}return keys + ({', '.join(values)}, {extra})")
        return _compile("encode_many" if many else "encode", body, ns)

    # decoding

    def decode(self, row: Sequence[Any]) -> Any:
        return self._decoder(row)

    def _general_record(self, row: Sequence[Any]) -> Any:
        data = entity_dict(RECORDS, row, self.source)
        try:
            return from_plain(data, self.cls)
        except InvalidInput as exc:
            where = "; ".join(
                f"column {column_of(RECORDS, [n for n, _ in _segments(p.path)])}: {p}"
                for p in exc.problems
            )
            raise StorageError(f"{self.source}: {_where(RECORDS, row)}, {where}") from None

    def _make_decoder(self) -> Callable[[Sequence[Any]], Any]:
        offset = len(RECORDS.keys)
        extra_at = offset + len(RECORDS.columns)
        ns: dict[str, Any] = {
            "cls": self.cls,
            "_general": self._general_record,
            "_unfit": _unfit,
            "Decimal": Decimal,
            "date": dt.date,
            "fromiso": dt.date.fromisoformat,
            "_strings": _decode_strings,
            "_BOOLS": _BOOLS,
        }
        arguments = []
        for i, column, name in self.mapped:
            field = self._fields[name]
            if not field.init:
                return self._general_record
            target = _target(self.hints[name])
            kind = column.kind
            x = f"row[{offset + i}]"
            # Each expression fails (and the row takes the general path) on a value of the
            # wrong type, None included; a None where the field has a default gives the default.
            if _text_enum(target, kind):
                ns[f"M{i}"] = {m.value: m for m in target}
                expr = f"M{i}[{x}]"
            elif target is str and kind in ("key", "text"):
                expr = f"(x if type(x := {x}) is str else _unfit())"
            elif target is int and kind == "int":
                expr = f"(x if type(x := {x}) is int else _unfit())"
            elif target is bool and kind == "bool":
                expr = f"_BOOLS[{x}]"
            elif target is Decimal and kind == "decimal":
                # only what the encoder writes, str(d): not ' 1', '1_0', 'NaN', a float
                expr = f"(d if (d := Decimal(x := {x})).is_finite() and str(d) == x else _unfit())"
            elif target is dt.date and kind == "date":
                # a date, or YYYY-MM-DD text (fromisoformat alone takes 20240701, 2024-W01-1)
                expr = (
                    f"(x if type(x := {x}) is date else fromiso(x) "
                    "if len(x) == 10 and x[4] == '-' and x[7] == '-' else _unfit())"
                )
            elif _str_tuple(target, kind):
                expr = f"_strings({x})"
            else:
                hint = self.hints[name]
                ns[f"S{i}"] = lambda v, k=kind, h=hint: from_plain(decode_cell(k, v), h)
                expr = f"S{i}({x})"
            if field.default is attrs.NOTHING:
                pass  # None fails like any value of the wrong type
            elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                expr = (
                    f"(_unfit() if {x} is None else {expr})"  # the general path makes a fresh one
                )
            else:
                ns[f"D{i}"] = field.default
                expr = f"(D{i} if {x} is None else {expr})"
            arguments.append((field, expr))
        for name in self.extra_fields:  # no column: they can only come from ``extra``
            field = self._fields[name]
            if field.default is attrs.NOTHING and field.init:
                return self._general_record
        body = [
            "def decode(row):",
            f"    if row[{extra_at}] is not None:",
            "        return _general(row)",
            "    try:",
        ]
        if _plain_slotted(self.cls) and not self.extra_fields:
            # what the attrs-generated __init__ does, without binding keyword arguments: set
            # each slot (through its converter), then check the record's invariants
            body.append("        o = _new(cls)")
            ns["_new"] = object.__new__
            for field, expr in arguments:
                ns[f"set_{field.name}"] = getattr(self.cls, field.name).__set__
                if field.converter is not None:
                    ns[f"conv_{field.name}"] = field.converter
                    expr = f"conv_{field.name}({expr})"
                body.append(f"        set_{field.name}(o, {expr})")
            if hasattr(self.cls, "__attrs_post_init__"):
                body.append("        o.__attrs_post_init__()")
            body.append("        return o")
        else:
            body += [
                "        return cls(",
                *(f"            {f.alias}={e}," for f, e in arguments),
                "        )",
            ]
        body += ["    except Exception:", "        return _general(row)"]
        return _compile("decode", body, ns)


_CODECS: dict[tuple[type[Any], str], RecordCodec] = {}


def record_codec(cls: type[Any] = ServiceRecord, source: str = "storage") -> RecordCodec:
    """The codec of ``cls``, whose errors name ``source`` (the database)."""
    codec = _CODECS.get((cls, source))
    if codec is None:
        if len(_CODECS) > 64:
            _CODECS.clear()
        codec = _CODECS[cls, source] = RecordCodec(cls, source)
    return codec


# --- recorded payments (schema 3) ------------------------------------------------------------------


def payment_row(
    programme_id: str, payment: Payment, *, dates_as_text: bool = False
) -> tuple[Any, ...]:
    """The row of ``payments`` (see ``_schema.PAYMENT_COLUMNS``) for one payment; an amount
    its integer column cannot hold (over 2⁶³−1 fen) is :class:`InvalidInput` naming it."""
    stamp = payment.recorded_at
    fen = _encode("money", payment.amount, dates_as_text)
    if fen is _MISSING:  # the payments table has no extra column to keep it exact in
        raise InvalidInput(
            [
                Problem(
                    "amount",
                    f"expected a payment of at most {Decimal(INT64).scaleb(-2)} yuan "
                    f"(what the payments table keeps), got {payment.amount}",
                )
            ]
        )
    return (
        programme_id,
        payment.station,
        payment.year,
        payment.milestone.value,
        fen,
        _encode("date", payment.paid_on, dates_as_text),
        payment.by,
        payment.reference,
        None if stamp is None else stamp.isoformat(timespec="seconds"),
    )


def payment_rows(
    programme_id: str, payments: Sequence[Payment], *, dates_as_text: bool = False
) -> list[tuple[Any, ...]]:
    """:func:`payment_row` of each payment; a refusal names the payment's place in
    ``payments`` (``payments[2].amount``): a file's ``[[payments]]`` or a run's, in order."""
    rows = []
    for i, payment in enumerate(payments):
        try:
            rows.append(payment_row(programme_id, payment, dates_as_text=dates_as_text))
        except InvalidInput as exc:
            raise InvalidInput(
                [payment_problem(f"payments[{i}]", p) for p in exc.problems]
            ) from None
    return rows


def payment_from_row(row: Sequence[Any], programme_id: str, source: str = "storage") -> Payment:
    """A payment read back (the row without its programme id); a cell sgz could not have
    written is a :class:`~sgz_core.errors.StorageError` naming the payment and the column."""
    station, year, milestone = row[:3]
    recorded_at = row[7]
    where = (
        f"{source}: payments of programme {programme_id!r}, {station!r} year {year!r} {milestone!r}"
    )
    names = ("station", "year", "milestone", "amount_fen", "paid_on", "paid_by", "reference")
    kinds = ("key", "int", "key", "money", "date", "text", "text")
    values: list[Any] = []
    for name, kind, value in zip(names, kinds, row[:7], strict=True):
        if value is None and name == "reference":
            values.append(None)
            continue
        try:
            values.append(decode_cell(kind, value))
        except BadCell as exc:
            raise StorageError(f"{where}, column {name}: {exc}") from None
    stamp = None
    if recorded_at is not None:
        try:
            stamp = dt.datetime.fromisoformat(recorded_at)
            if stamp.isoformat(timespec="seconds") != recorded_at:
                raise ValueError(recorded_at)
        except (TypeError, ValueError):
            raise StorageError(
                f"{where}, column recorded_at: expected a UTC time such as "
                f"2025-01-20T08:30:00+00:00, got {_show(recorded_at)}"
            ) from None
    try:
        return Payment(
            values[0], values[1], values[2], values[3], values[4], values[5], values[6], stamp
        )
    except InvalidInput as exc:
        raise StorageError(f"{where}: {exc}") from None
