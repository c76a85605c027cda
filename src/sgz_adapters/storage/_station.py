"""One station's rows of a stored programme (``check --db … --station ID``, issue 12).

Shared by the SQLite and the PostgreSQL/MariaDB adapters: the rows
:func:`sgz_core.storage.station_part` keeps, read by key or index so that the time does not grow
with the number of stations (``stations`` by ``(programme_id, id)`` and ``(programme_id, lot)``,
the station's children by their primary keys, its records by ``(programme_id, station, date)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage._tabular import (
    PROGRAMMES,
    RECORDS,
    SECTIONS,
    STATION_CHILDREN,
    YEAR_CHILDREN,
    RowSource,
    Table,
)
from sgz_core.errors import NotFound

Execute = Callable[[str, Sequence[Any]], list[Sequence[Any]]]

STATION_INDEXES = (
    ("stations", "stations_ix_id", ("programme_id", "id")),
    ("stations", "stations_ix_lot", ("programme_id", "lot", "pos")),
    ("contractors", "contractors_ix_id", ("programme_id", "id")),
)
"""Indexes one station's rows are found by: created ``IF NOT EXISTS`` when a database is opened
for writing (no schema version: an index changes no row)."""


PARTIAL_INDEXES = (
    ("service_records", "service_records_ix_extra", ("programme_id", "pos"), "extra IS NOT NULL"),
)
"""Partial indexes (SQLite, PostgreSQL; MariaDB has none): the ledger rows whose values did not
fit the typed columns, which counting decodes in Python; without it, finding that there are
none reads every row (issue 12)."""


def index_names(dialect: str) -> list[str]:
    """The names of :func:`create_indexes`' indexes, in its order (without the prefix)."""
    names = [name for _, name, _ in STATION_INDEXES]
    if dialect != "mysql":
        names += [name for _, name, _, _ in PARTIAL_INDEXES]
    return names


def create_indexes(prefix: str, dialect: str) -> list[str]:
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    out = [
        f"CREATE INDEX IF NOT EXISTS {q(prefix + name)} ON {q(prefix + table)} "
        f"({', '.join(q(c) for c in columns)})"
        for table, name, columns in STATION_INDEXES
    ]
    if dialect != "mysql":
        out += [
            f"CREATE INDEX IF NOT EXISTS {q(prefix + name)} ON {q(prefix + table)} "
            f"({', '.join(q(c) for c in columns)}) WHERE {where}"
            for table, name, columns, where in PARTIAL_INDEXES
        ]
    return out


def _selector(
    execute: Execute, prefix: str, dialect: str, programme_id: str
) -> Callable[[Table, str, list[Any]], list[Sequence[Any]]]:
    """``select(table, cond, params)``: every column of ``table``'s rows of the programme that
    also meet ``cond`` (SQL after the programme's key test, its ``params`` after the id), in key
    order. Shared by :func:`station_rows` and :func:`check_part_rows`."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731

    def select(table: Table, cond: str, params: list[Any]) -> list[Sequence[Any]]:
        names = ", ".join(q(c.name) for c in table.all_columns)
        keys = ", ".join(q(c.name) for c in table.keys)
        key = "id" if table is PROGRAMMES else "programme_id"
        return execute(
            f"SELECT {names} FROM {q(prefix + table.name)} WHERE {q(key)} = {mark}{cond} "
            f"ORDER BY {keys}",
            [programme_id, *params],
        )

    return select


def station_rows(
    execute: Execute, prefix: str, dialect: str, programme_id: str, station_id: str
) -> RowSource:
    """A row source for :func:`~sgz_adapters.storage._tabular.from_rows` giving the rows of
    ``station_part(programme, station_id)``; :class:`NotFound` when there is no such station."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    stations = q(prefix + "stations")
    found = execute(
        f"SELECT {q('pos')}, {q('lot')}, {q('contractor')} FROM {stations} "
        f"WHERE {q('programme_id')} = {mark} AND {q('id')} = {mark} ORDER BY {q('pos')}",
        [programme_id, station_id],
    )
    if not found:
        known = execute(
            f"SELECT {q('id')} FROM {stations} WHERE {q('programme_id')} = {mark} "
            f"ORDER BY {q('pos')}",
            [programme_id],
        )
        raise NotFound("station", station_id, [str(r[0]) for r in known])
    pos, lot = found[0][0], found[0][1]
    positions = [pos]
    named = {found[0][2]}
    if lot is not None:
        earlier = execute(
            f"SELECT {q('pos')}, {q('contractor')} FROM {stations} WHERE {q('programme_id')} = {mark} "
            f"AND {q('lot')} = {mark} AND {q('pos')} < {mark} ORDER BY {q('pos')} LIMIT 1",
            [programme_id, lot, pos],
        )
        if earlier:
            positions.insert(0, earlier[0][0])
            named.add(earlier[0][1])
    contractors = sorted(str(c) for c in named if c is not None)
    own = {t.name for t in (*STATION_CHILDREN, *YEAR_CHILDREN)}

    select = _selector(execute, prefix, dialect, programme_id)

    def rows(table: Table) -> Iterable[Sequence[Any]]:
        if table is RECORDS:
            names = ", ".join(q(c.name) for c in table.all_columns)
            return execute(
                f"SELECT {names} FROM {q(prefix + table.name)} WHERE {q('programme_id')} = {mark} "
                # "+pos": SQLite would otherwise walk the whole ledger in key order to avoid
                # sorting one station's few records (without ANALYZE it takes both as equal)
                f"AND {q('station')} = {mark} ORDER BY {'+' if dialect == 'sqlite' else ''}{q('pos')}",
                [programme_id, station_id],
            )
        if table.name == "stations":
            marks = ", ".join([mark] * len(positions))
            return select(table, f" AND {q('pos')} IN ({marks})", positions)
        if table.name == "contractors":
            if not contractors:
                return []
            marks = ", ".join([mark] * len(contractors))
            return select(table, f" AND {q('id')} IN ({marks})", contractors)
        if table.name in own:  # only the station's own staff and years (station_part)
            return select(table, f" AND {q('station_pos')} = {mark}", [pos])
        if table is SECTIONS or table is PROGRAMMES or table.name == "hardship_relief":
            return select(table, "", [])
        raise AssertionError(f"station_rows: table {table.name} not handled")  # pragma: no cover

    return rows


def without_stations(rows: RowSource) -> RowSource:
    """``rows`` without contractors, stations and everything below them, and without the
    ledger (:meth:`sgz_core.storage.UnitOfWork.load_without_stations`)."""
    left_out = {"contractors", "stations", RECORDS.name} | {
        t.name for t in (*STATION_CHILDREN, *YEAR_CHILDREN)
    }

    def source(table: Table) -> Iterable[Sequence[Any]]:
        return [] if table.name in left_out else rows(table)

    return source


def check_part_rows(
    execute: Execute, prefix: str, dialect: str, programme_id: str, first: int, end: int
) -> RowSource:
    """A row source for :func:`~sgz_adapters.storage._tabular.from_rows` giving the stations at
    positions ``first`` to ``end - 1`` with their staff, years and children, and the service
    records of those stations in ledger order; no sections, contractors or hardship relief
    (:meth:`sgz_core.storage.UnitOfWork.check_parts`, the streamed ``check --db``, issue 12)."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    own = {t.name for t in (*STATION_CHILDREN, *YEAR_CHILDREN)}
    ids: list[str] = []

    select = _selector(execute, prefix, dialect, programme_id)

    def rows(table: Table) -> Iterable[Sequence[Any]]:
        if table is PROGRAMMES:
            return select(table, "", [])
        if table.name == "stations":
            found = select(
                table, f" AND {q('pos')} >= {mark} AND {q('pos')} < {mark}", [first, end]
            )
            at = [c.name for c in table.all_columns].index("id")
            ids.extend(str(r[at]) for r in found)
            return found
        if table.name in own:
            cond = f" AND {q('station_pos')} >= {mark} AND {q('station_pos')} < {mark}"
            return select(table, cond, [first, end])
        if table is RECORDS:
            if not ids:
                return []
            names = ", ".join(q(c.name) for c in table.all_columns)
            marks = ", ".join([mark] * len(ids))
            return execute(
                f"SELECT {names} FROM {q(prefix + table.name)} WHERE {q('programme_id')} = {mark} "
                f"AND {q('station')} IN ({marks}) "
                f"ORDER BY {'+' if dialect == 'sqlite' else ''}{q('pos')}",  # see station_rows
                [programme_id, *ids],
            )
        return []  # sections, contractors, hardship relief: the head's (load_check_head)

    return rows


def check_head_rows(rows: RowSource) -> RowSource:
    """``rows`` without stations, everything below them and the ledger, keeping the
    contractors (:meth:`sgz_core.storage.UnitOfWork.load_check_head`, issue 12)."""
    left_out = {"stations", RECORDS.name} | {t.name for t in (*STATION_CHILDREN, *YEAR_CHILDREN)}

    def source(table: Table) -> Iterable[Sequence[Any]]:
        return [] if table.name in left_out else rows(table)

    return source


def station_positions(execute: Execute, prefix: str, dialect: str, programme_id: str) -> int:
    """One past the largest station position of the programme (0: no stations)."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    found = execute(
        f"SELECT MAX({q('pos')}) FROM {q(prefix + 'stations')} WHERE {q('programme_id')} = {mark}",
        [programme_id],
    )
    top = found[0][0] if found else None
    return 0 if top is None else int(top) + 1
