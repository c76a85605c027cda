"""The casework counts of a ledger, counted by the database (``UnitOfWork.ledger_counts``).

Shared by the SQLite and the PostgreSQL/MariaDB adapters. Two grouped queries do the work the
pure :func:`sgz_core.casework.counting.count_records` does over a stream of records:

- **totals**: per station, contract year, domain, method, service, administrative flag and the
  exact hour values, the number of records and the sums of participants, volunteers and named
  beneficiaries (hours are grouped rather than summed so that they are added exactly, in
  Decimal, by :func:`~sgz_core.casework.counting.fold_ledger`);
- **served**: the distinct beneficiary ids per station, contract year and domain, from the
  beneficiary lists (``json_each``, ``json_array_elements_text``, ``JSON_TABLE``).

Both are read through a cursor and folded as the rows come (``fetch``), never held as lists: at
30,000 stations and a million records the totals have about one group per record, and lists of
them took over a gigabyte (issue 12).

The contract year is a ``CASE`` over the year limits of the dates present. Rows whose values did
not fit the typed columns (kept in ``extra``, which no valid record of this version produces)
are decoded and counted in Python, and the two parts are added: counts are additive.

A database edited outside sgz must not count silently wrong: the grouped values are checked
(known domains, methods and services, booleans, exact decimals, text ids), what grouping cannot
show is checked per row in the same scan (integer counts in SQLite's loosely typed columns, a
JSON list of strings), every distinct date is decoded (SQLite) or a NULL date looked for (the
servers), and when anything looks wrong, or the database refuses a query (bad JSON), the records
are streamed and decoded instead, which names the table, programme, row and column of the bad
cell. ``tests/integration/test_storage_hostile.py`` puts every hostile value in every column
counting reads, on all three databases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from sgz_adapters import _gc
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage._tabular import BadCell, decode_cell
from sgz_core.casework.counting import Counts, count_records, fold_ledger, year_limits
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import services_of
from sgz_core.enums import Method, ServiceDomain
from sgz_core.errors import StorageError
from sgz_core.model import MAX_YEARS
from sgz_core.storage import RecordQuery

Execute = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]
Fetch = Callable[[str, Sequence[Any]], Generator[Sequence[Any], None, None]]
"""Runs one statement and yields its rows as the cursor gives them (``fetchmany``); closing the
generator closes the cursor (a server's streaming cursor must be closed before the next query)."""

FETCH_ROWS = 2000
"""Rows per ``fetchmany`` of the grouped queries."""

_PEOPLE = {
    "sqlite": "json_array_length(beneficiaries)",
    "postgresql": "json_array_length(beneficiaries::json)",
    "mysql": "JSON_LENGTH(beneficiaries)",
}
_EXPLODE = {
    "sqlite": "json_each(t.beneficiaries) AS j",
    "postgresql": "json_array_elements(t.beneficiaries::json) AS j(value)",
    "mysql": "JSON_TABLE(t.beneficiaries, '$[*]' COLUMNS (value LONGTEXT PATH '$', "
    "raw JSON PATH '$')) AS j",
}
_PERSON = {
    # a list element that is not a string (a number, a nested list) is no beneficiary id: NULL,
    # which ``_people`` refuses
    "sqlite": "CASE WHEN j.type = 'text' THEN j.value END",
    "postgresql": "CASE WHEN json_typeof(j.value) = 'string' THEN j.value #>> '{}' END",
    "mysql": "CASE WHEN JSON_TYPE(j.raw) = 'STRING' THEN j.value END",
}
_COUNTED = (
    "station",
    "date",
    "domain",
    "method",
    "service",
    "hours",
    "volunteer_hours",
    "participants",
    "volunteers",
    "administrative",
    "beneficiaries",
)
"""The columns counting reads; sgz never leaves one of them NULL in a row without ``extra``."""
_SUSPECT = {
    # a row whose cells are not what sgz writes, where the grouped values cannot show it: a
    # count that is not an integer (SQLite keeps any value anywhere, and SUM reads text as 0 and
    # skips NULLs) or beneficiaries that are not a JSON list. Every other cell counting reads
    # is a grouped value, which ``_checked`` inspects (a column's groups keep its storage classes
    # apart; its INTEGER affinity stores 1.0 as 1), or a date, which ``_dates`` inspects, each
    # distinct one. Fewer checks per row: 0.35 s of the query at a million records (issue 12).
    "sqlite": "CASE WHEN typeof(participants) = 'integer' AND typeof(volunteers) = 'integer' "
    # not json_valid: json_array_length of the same column already refuses text that is not
    # JSON (the query fails, and the records are streamed), and parsing it twice cost a
    # fifth of the query at a million records (issue 12)
    "AND typeof(beneficiaries) = 'text' AND substr(beneficiaries, 1, 1) = '[' "
    "THEN 0 ELSE 1 END",
    "postgresql": "CASE WHEN {nulls} THEN 1 ELSE 0 END",
    # MariaDB's JSON_TABLE finds no elements in an object, and counts its keys as its length
    "mysql": "CASE WHEN {nulls} OR JSON_TYPE(beneficiaries) <> 'ARRAY' THEN 1 ELSE 0 END",
}
_KINDS = frozenset(
    (d.value, m.value, s.value) for d in ServiceDomain for s in services_of(d) for m in Method
)
"""(domain, method, service) a record may have (DOM-1 … DOM-3: the service belongs to the
domain; any method)."""


_COUNT_TYPES = frozenset({int, Decimal, type(None)})
"""What a count or a sum may be (a server gives a SUM as a Decimal; NULL when nothing summed)."""


class _Suspect(Exception):
    """A grouped value that no record sgz wrote can have: count by streaming instead."""


def _checked(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The totals rows, without their last column (suspect rows), each value checked: each
    distinct (domain, method, service, flag, hours, volunteer hours) once, since a ledger has
    few of them and many groups; the station and the counts in every row. A stream, so that
    :func:`~sgz_core.casework.counting.fold_ledger` folds the rows as they come."""
    good: set[Any] = set()
    counts = _COUNT_TYPES
    for row in rows:
        cells = row[2:8]
        if cells not in good:
            domain, method, service, administrative, hours, volunteer_hours = cells
            if (domain, method, service) not in _KINDS:
                raise _Suspect
            try:
                decode_cell("decimal", hours)
                decode_cell("bool", administrative)
                decode_cell("decimal", volunteer_hours)
            except (BadCell, TypeError):
                raise _Suspect from None
            good.add(cells)
        if (
            row[12]
            or type(row[0]) is not str
            or type(row[8]) not in counts
            or type(row[9]) not in counts
            or type(row[10]) not in counts
            or type(row[11]) not in counts
        ):
            raise _Suspect
        yield row[:12]


def _people(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    """The served rows, each beneficiary id checked to be text, as they come; those of
    administrative records (last column) are checked, not counted (they serve nobody)."""
    for row in rows:
        if type(row[3]) is not str:
            raise _Suspect
        if not row[4]:
            yield row[:4]


MAX_SPAN = 4 * MAX_YEARS
"""Contract years a ``CASE`` may list; a ledger whose dates span more is counted in Python."""


def ledger_counts(
    execute: Execute,
    dialect: str,
    table: str,
    programme_id: str,
    programme_start: dt.date,
    query: RecordQuery,
    categories_of: Mapping[str, tuple[str, ...]] | None,
    until: dt.date | None,
    stream: Callable[[str, list[Any]], Iterator[ServiceRecord]],
    date_param: Callable[[dt.date], Any] = lambda d: d,
    fetch: Fetch | None = None,
) -> Counts:
    """Counts of the records of ``programme_id`` that match ``query``, dated up to ``until``.

    ``execute(text, params)`` runs one statement and returns its rows; ``fetch(text, params)``
    streams the rows of the two grouped queries (default: ``execute``'s); ``stream(cond, params)``
    gives the decoded records of ``programme_id`` that also pass the ``AND …`` condition
    ``cond``; ``date_param`` turns a date into the dialect's parameter.
    """
    start, end = query.date_range(programme_start)
    if until is not None:
        end = until if end is None else min(end, until)
    try:
        return _counted(
            execute,
            dialect,
            table,
            programme_id,
            programme_start,
            start,
            end,
            query,
            categories_of,
            stream,
            date_param,
            fetch or _fetch_all(execute),
        )
    except (_Suspect, StorageError, ValueError, ArithmeticError, KeyError, TypeError):
        # something in the ledger is not what sgz wrote: decoding every record names it (and
        # when every record decodes, counting them is the answer). The dates are compared once
        # decoded: in SQL, a bad date text compares as text, and a date range would hide it.
        cond, params = sql.record_filter(query.station, query.domain, None, None, dialect)
        return count_records(
            (
                r
                for r in stream(cond, params)
                if (start is None or r.date >= start) and (end is None or r.date <= end)
            ),
            programme_start,
            categories_of,
        )


def _counted(
    execute: Execute,
    dialect: str,
    table: str,
    programme_id: str,
    programme_start: dt.date,
    start: dt.date | None,
    end: dt.date | None,
    query: RecordQuery,
    categories_of: Mapping[str, tuple[str, ...]] | None,
    stream: Callable[[str, list[Any]], Iterator[ServiceRecord]],
    date_param: Callable[[dt.date], Any],
    fetch: Fetch,
) -> Counts:
    mark = "?" if dialect == "sqlite" else "%s"
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    days = (None if start is None else date_param(start), None if end is None else date_param(end))
    cond, params = sql.record_filter(query.station, query.domain, *days, dialect)
    # the rows with ``extra`` through their partial index (``_station.PARTIAL_INDEXES``): a
    # date range answered through the date index instead read every row of the ledger, 0.8 s
    # of 5.9 at a million records (issue 12)
    odd_cond, odd_params = sql.record_filter(
        query.station, query.domain, *days, dialect, unindexed=True
    )
    odd = count_records(
        stream(f"{odd_cond} AND {q('extra')} IS NOT NULL", odd_params),
        programme_start,
        categories_of,
    )
    where = f"{q('programme_id')} = {mark}{cond} AND {q('extra')} IS NULL"
    bounds = _dates(execute, dialect, table, programme_id, query, start, end, where, params)
    if bounds is None:
        return odd
    first, last = bounds
    last_year, limits = year_limits(programme_start, first, last)
    if len(limits) > MAX_SPAN:
        return odd + count_records(
            stream(f"{cond} AND {q('extra')} IS NULL", params), programme_start, categories_of
        )
    scan = table
    if dialect == "sqlite" and query.station is None and query.domain is None:
        # the whole ledger (or a date range of it): read it in key order, which is the order
        # it was written in, rather than in date order through the date index, which fetches
        # rows at random and falls out of the cache past a few hundred thousand (issue 12)
        scan = f"{table} INDEXED BY {q('sqlite_autoindex_' + table.strip(chr(34)) + '_1')}"
    year = " ".join(f"WHEN {q('date')} < {mark} THEN {y}" for y, _ in limits)
    year = f"CASE {year} ELSE {last_year} END" if limits else str(last_year)
    year_params = [date_param(day) for _, day in limits]
    base = [*year_params, programme_id, *params]
    groups = ", ".join(
        q(c)
        for c in (
            "station",
            "cy",
            "domain",
            "method",
            "service",
            "administrative",
            "hours",
            "volunteer_hours",
        )
    )
    totals = (
        f"SELECT {groups}, COUNT(*), SUM({q('participants')}), SUM({q('volunteers')}), SUM(people), "
        "SUM(suspect) "
        f"FROM (SELECT {q('station')}, {year} AS {q('cy')}, {q('domain')}, {q('method')}, "
        f"{q('service')}, {q('administrative')}, {q('hours')}, {q('volunteer_hours')}, "
        f"{q('participants')}, {q('volunteers')}, {_PEOPLE[dialect]} AS people, "
        f"{_SUSPECT[dialect].format(nulls=' OR '.join(f'{q(c)} IS NULL' for c in _COUNTED))} "
        "AS suspect "
        f"FROM {scan} WHERE {where}) t GROUP BY {groups}"
    )
    # the beneficiaries of administrative records too: they are not counted, but a bad one
    # must be seen (a record of administrative work rarely names anyone, so this costs little)
    served = (
        f"SELECT DISTINCT t.{q('station')}, t.{q('cy')}, t.{q('domain')}, {_PERSON[dialect]}, "
        f"t.{q('administrative')} "
        f"FROM (SELECT {q('station')}, {year} AS {q('cy')}, {q('domain')}, {q('beneficiaries')}, "
        f"{q('administrative')} FROM {scan} WHERE {where}) t, {_EXPLODE[dialect]}"
    )
    # the served query runs only once the totals are folded (one open cursor at a time), and
    # each cursor is closed on the way out, also when a suspect value stops the fold; the
    # fold's 90,000 cells at national scale make no cycles, and collecting while they grow
    # cost a quarter of the fold (issue 12)
    with (
        contextlib.closing(fetch(totals, base)) as rows,
        contextlib.closing(_lazy(fetch, served, base)) as people,
        _gc.paused(),
    ):
        return odd + fold_ledger(_checked(rows), _people(people), categories_of)


def _lazy(fetch: Fetch, text: str, params: Sequence[Any]) -> Generator[Sequence[Any], None, None]:
    """``fetch(text, params)``, run at the first row asked for, not when called."""
    rows = fetch(text, params)
    try:
        yield from rows
    finally:
        rows.close()


def _fetch_all(execute: Execute) -> Fetch:
    def fetch(text: str, params: Sequence[Any]) -> Generator[Sequence[Any], None, None]:
        yield from execute(text, params)

    return fetch


def _dates(
    execute: Execute,
    dialect: str,
    table: str,
    programme_id: str,
    query: RecordQuery,
    start: dt.date | None,
    end: dt.date | None,
    where: str,
    params: Sequence[Any],
) -> tuple[dt.date, dt.date] | None:
    """The first and last date of the counted rows (``None``: there are none).

    SQLite: every distinct date of the station and domain asked for, each decoded (a covering
    index scan, some 50 ms at a million records), so that a date that is not one (NULL, a
    number, ``2024-7-1``, ``2024-02-30``) is found wherever it is: text compares as text, and
    neither the date range nor the contract year's ``CASE`` could place it. The servers keep
    dates in ``DATE`` columns: ``MIN`` and ``MAX``, one index lookup each, and one more to find
    a NULL date, which a date range would hide.
    """
    q: Callable[[str], str] = lambda n: sql.quote(n, dialect)  # noqa: E731
    cond, some = sql.record_filter(query.station, query.domain, None, None, dialect)
    if dialect == "sqlite":
        days = [
            _day(row[0])
            for row in execute(
                f"SELECT DISTINCT {q('date')} FROM {table} WHERE {q('programme_id')} = ?{cond}",
                [programme_id, *some],
            )
        ]
        days = [d for d in days if (start is None or d >= start) and (end is None or d <= end)]
        return (min(days), max(days)) if days else None
    nulls = execute(
        f"SELECT 1 FROM {table} WHERE {q('programme_id')} = %s{cond} AND {q('date')} IS NULL "
        "LIMIT 1",
        [programme_id, *some],
    )
    if next(iter(nulls), None) is not None:
        raise _Suspect
    # MIN and MAX in two queries: each alone is one index lookup, together a range scan
    first, last = (
        next(
            iter(
                execute(
                    f"SELECT {f}({q('date')}) FROM {table} WHERE {where}", [programme_id, *params]
                )
            ),
            (None,),
        )[0]
        for f in ("MIN", "MAX")
    )
    if first is None or last is None:
        return None
    return _day(first), _day(last)


def _day(value: Any) -> dt.date:
    try:
        day: dt.date = decode_cell("date", value)
    except BadCell:
        raise _Suspect from None
    return day
