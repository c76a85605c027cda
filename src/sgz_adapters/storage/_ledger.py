"""The casework counts of a ledger, counted by the database (``UnitOfWork.ledger_counts``).

Shared by the SQLite and the PostgreSQL/MariaDB adapters. Two grouped queries do the work the
pure :func:`sgz_core.casework.counting.count_records` does over a stream of records:

- **totals**: per station, contract year, domain, method, service, administrative flag and the
  exact hour values, the number of records and the sums of participants, volunteers and named
  beneficiaries (hours are grouped rather than summed so that they are added exactly, in
  Decimal, by :func:`~sgz_core.casework.counting.fold_ledger`);
- **served**: the distinct beneficiary ids per station, contract year and domain, from the
  beneficiary lists (``json_each``, ``json_array_elements_text``, ``JSON_TABLE``).

The contract year is a ``CASE`` over the year limits of the dates present. Rows whose values did
not fit the typed columns (kept in ``extra``, which no valid record of this version produces)
are decoded and counted in Python, and the two parts are added: counts are additive.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sgz_adapters.storage import _schema as sql
from sgz_core.casework.counting import Counts, count_records, fold_ledger, year_limits
from sgz_core.model import MAX_YEARS
from sgz_core.storage import RecordQuery

Execute = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]

_PEOPLE = {
    "sqlite": "json_array_length(beneficiaries)",
    "postgresql": "json_array_length(beneficiaries::json)",
    "mysql": "JSON_LENGTH(beneficiaries)",
}
_EXPLODE = {
    "sqlite": "json_each(t.beneficiaries) AS j",
    "postgresql": "json_array_elements_text(t.beneficiaries::json) AS j(value)",
    "mysql": "JSON_TABLE(t.beneficiaries, '$[*]' COLUMNS (value LONGTEXT PATH '$')) AS j",
}
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
    stream: Callable[[str, list[Any]], Iterator[Any]],
    date_param: Callable[[dt.date], Any] = lambda d: d,
) -> Counts:
    """Counts of the records of ``programme_id`` that match ``query``, dated up to ``until``.

    ``execute(text, params)`` runs one statement and returns its rows; ``stream(cond, params)``
    gives the decoded records of ``programme_id`` that also pass the ``AND …`` condition
    ``cond``; ``date_param`` turns a date into the dialect's parameter.
    """
    mark = "?" if dialect == "sqlite" else "%s"
    q = lambda n: sql.quote(n, dialect)  # noqa: E731
    start, end = query.date_range(programme_start)
    if until is not None:
        end = until if end is None else min(end, until)
    cond, params = sql.record_filter(
        query.station,
        query.domain,
        None if start is None else date_param(start),
        None if end is None else date_param(end),
        dialect,
    )
    odd = count_records(
        stream(f"{cond} AND {q('extra')} IS NOT NULL", params), programme_start, categories_of
    )
    where = f"{q('programme_id')} = {mark}{cond} AND {q('extra')} IS NULL"
    rows = list(
        execute(
            f"SELECT MIN({q('date')}), MAX({q('date')}) FROM {table} WHERE {where}",
            [programme_id, *params],
        )
    )
    first, last = rows[0] if rows else (None, None)
    if first is None or last is None:
        return odd
    first, last = _day(first), _day(last)
    last_year, limits = year_limits(programme_start, first, last)
    if len(limits) > MAX_SPAN:
        return odd + count_records(
            stream(f"{cond} AND {q('extra')} IS NULL", params), programme_start, categories_of
        )
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
        f"SELECT {groups}, COUNT(*), SUM({q('participants')}), SUM({q('volunteers')}), SUM(people) "
        f"FROM (SELECT {q('station')}, {year} AS {q('cy')}, {q('domain')}, {q('method')}, "
        f"{q('service')}, {q('administrative')}, {q('hours')}, {q('volunteer_hours')}, "
        f"{q('participants')}, {q('volunteers')}, {_PEOPLE[dialect]} AS people "
        f"FROM {table} WHERE {where}) t GROUP BY {groups}"
    )
    served = (
        f"SELECT DISTINCT t.{q('station')}, t.{q('cy')}, t.{q('domain')}, j.value "
        f"FROM (SELECT {q('station')}, {year} AS {q('cy')}, {q('domain')}, {q('beneficiaries')} "
        f"FROM {table} WHERE {where} AND {q('administrative')} = FALSE) t, {_EXPLODE[dialect]}"
    )
    return odd + fold_ledger(execute(totals, base), execute(served, base), categories_of)


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
