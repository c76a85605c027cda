"""A stored programme read for an export, the stations a batch at a time (``sgz export``,
issue 12).

Shared by the SQLite and the PostgreSQL/MariaDB adapters (the head is the check's,
``_load_check_head``). :func:`station_batches` reads the stations in ranges of their positions,
each range with its staff, contract years and their children by primary key
(``(programme_id, station_pos, …)``), and builds them through the same
:func:`~sgz_adapters.storage._tabular.from_rows` as a whole load, so each batch is exactly
that slice of ``load(programme_id).stations`` and an export holds one batch, not 30,000
stations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage._tabular import (
    PROGRAMMES,
    STATION_CHILDREN,
    YEAR_CHILDREN,
    Table,
    from_rows,
)
from sgz_core.model import Station

Execute = Callable[[str, Sequence[Any]], list[Sequence[Any]]]

_STATION_TABLES = frozenset({"stations"} | {t.name for t in (*STATION_CHILDREN, *YEAR_CHILDREN)})


def station_batches(
    execute: Execute, prefix: str, dialect: str, programme_id: str, source: str, batch: int
) -> Iterator[tuple[Station, ...]]:
    """The stations of ``programme_id`` in order, ``batch`` at a time, with their children.

    The ranges of positions tile every number (the first open below, the last open above), so
    a child row whose station is missing falls in some batch and is the same error there as in
    a whole load."""
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    head = execute(sql.select(PROGRAMMES, prefix, dialect, ("id",)), [programme_id])
    positions = [
        row[0]
        for row in execute(
            f"SELECT {q('pos')} FROM {q(prefix + 'stations')} WHERE {q('programme_id')} = {mark} "
            f"ORDER BY {q('pos')}",
            [programme_id],
        )
    ]
    for at in range(0, len(positions), batch):
        low = positions[at] if at else None
        high = positions[at + batch] if at + batch < len(positions) else None
        yield _batch(execute, prefix, dialect, programme_id, source, head, low, high)


def _batch(
    execute: Execute,
    prefix: str,
    dialect: str,
    programme_id: str,
    source: str,
    head: list[Sequence[Any]],
    low: Any,
    high: Any,
) -> tuple[Station, ...]:
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731

    def rows(table: Table) -> Iterable[Sequence[Any]]:
        if table is PROGRAMMES:
            return head
        if table.name not in _STATION_TABLES:
            return []  # contractors, sections, hardship relief: in the head
        column = "pos" if table.name == "stations" else "station_pos"
        cond, params = "", [programme_id]
        if low is not None:
            cond += f" AND {q(column)} >= {mark}"
            params.append(low)
        if high is not None:
            cond += f" AND {q(column)} < {mark}"
            params.append(high)
        names = ", ".join(q(c.name) for c in table.all_columns)
        keys = ", ".join(q(c.name) for c in table.keys)
        return execute(
            f"SELECT {names} FROM {q(prefix + table.name)} WHERE {q('programme_id')} = {mark}"
            f"{cond} ORDER BY {keys}",
            params,
        )

    return from_rows(rows, source, records=False).stations
