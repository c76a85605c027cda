"""The storage port: save and load whole programmes, stream and count their service records.

Pure: this module names what a backend must do and holds the logic every backend shares (the
record filter, counting by a pure fold, the save/replace/delete rules); adapters in
``sgz_adapters.storage`` do the I/O. A :class:`UnitOfWork` commits all or nothing and rolls back
unless :meth:`UnitOfWork.commit` is called::

    with storage.unit_of_work() as uow:
        uow.save(programme, replace=True)
        uow.commit()

Every adapter passes :class:`sgz_core.testing.StorageContract`.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import Any, Self

import attrs

from sgz_core.casework.counting import Counts
from sgz_core.casework.counting import count_records as count_ledger
from sgz_core.errors import AlreadyExists, InvalidInput, NotFound, StorageError
from sgz_core.model import Programme, add_years

SCHEMA_VERSION = 2
"""The storage schema this version of sgz writes (see ``docs/storage.md``).

1. Programmes with contractors, stations, staff, contract years, funding, evaluations,
   expenses, and every other programme section as a converter payload.
2. Adds the service-record ledger as a typed, indexed table; a v1 database's ``records``
   section moves into it when the database is opened.
"""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a long save runs (rows written of rows to write)."""

GROUP_KEYS = ("station", "domain", "method", "service")
"""What record counts may be grouped by."""


def _plain(value: object) -> str | None:
    """An enumeration member as its value; strings as they are."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


@attrs.frozen
class RecordQuery:
    """Which service records to stream or count; every field left ``None`` matches everything.

    ``year`` is a contract year number (TERM-1): it selects the records dated within that year of
    the programme (from ``Programme.year_start`` to ``Programme.year_end``). ``start`` and ``end``
    are inclusive dates; with ``year`` as well, both limits apply.
    """

    station: str | None = attrs.field(default=None, converter=_plain)
    year: int | None = None
    domain: str | None = attrs.field(default=None, converter=_plain)
    """A :class:`~sgz_core.enums.ServiceDomain` or its value (``elderly``)."""
    start: dt.date | None = None
    end: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.year is not None and (isinstance(self.year, bool) or self.year < 1):
            raise InvalidInput(f"year: expected a contract year number from 1, got {self.year!r}")
        if self.start is not None and self.end is not None and self.start > self.end:
            raise InvalidInput(f"date range: start {self.start} is after end {self.end}")

    def date_range(self, programme_start: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """The inclusive date limits, the contract year resolved against the programme's start."""
        start, end = self.start, self.end
        if self.year is not None:
            first = add_years(programme_start, self.year - 1)
            last = add_years(programme_start, self.year) - dt.timedelta(days=1)
            start = first if start is None else max(start, first)
            end = last if end is None else min(end, last)
        return start, end


@attrs.frozen
class RecordCount:
    """Totals over a group of service records.

    ``hours`` and ``volunteer_hours`` count social-work service only: records marked
    administrative (SCOPE-2) are counted in ``administrative`` and add no hours.
    """

    group: tuple[str, ...]
    records: int = 0
    administrative: int = 0
    hours: Decimal = Decimal(0)
    volunteer_hours: Decimal = Decimal(0)


def record_value(record: Any, name: str) -> Any:
    """A service record's field by its storage name, as plain data (enum members as values)."""
    value = getattr(record, name, None)
    return getattr(value, "value", value)


def matches(
    record: Any, station: str | None, domain: str | None, start: dt.date | None, end: dt.date | None
) -> bool:
    """Whether a record passes a resolved filter (see :meth:`RecordQuery.date_range`)."""
    if station is not None and record_value(record, "station") != station:
        return False
    if domain is not None and record_value(record, "domain") != domain:
        return False
    day = getattr(record, "date", None)
    if start is not None and (day is None or day < start):
        return False
    return not (end is not None and (day is None or day > end))


def filter_records(
    records: Iterable[Any], query: RecordQuery, programme_start: dt.date
) -> Iterator[Any]:
    """The records that match ``query``, in their order (the pure reference of every backend)."""
    start, end = query.date_range(programme_start)
    for record in records:
        if matches(record, query.station, query.domain, start, end):
            yield record


def _hours(value: Any) -> Decimal:
    if value is None:
        return Decimal(0)
    if isinstance(value, dt.timedelta):
        return Decimal(int(value.total_seconds())) / 3600
    return Decimal(value)


def count_records(
    records: Iterable[Any], by: Sequence[str] = ("station", "domain")
) -> list[RecordCount]:
    """Totals per group, one pass, groups sorted; additive over disjoint sets of records."""
    check_group_keys(by)
    totals: dict[tuple[str, ...], list[Any]] = {}
    for record in records:
        key = tuple("" if (v := record_value(record, k)) is None else str(v) for k in by)
        acc = totals.setdefault(key, [0, 0, Decimal(0), Decimal(0)])
        acc[0] += 1
        if getattr(record, "administrative", False):
            acc[1] += 1
            continue
        acc[2] += _hours(getattr(record, "hours", None))
        acc[3] += _hours(getattr(record, "volunteer_hours", None))
    return [RecordCount(k, a[0], a[1], a[2], a[3]) for k, a in sorted(totals.items())]


def fold_counts(rows: Iterable[Sequence[Any]], width: int) -> list[RecordCount]:
    """Totals from a database's ``GROUP BY``: rows of ``width`` group values, then
    administrative, hours, volunteer hours (exact text or Decimal) and the number of records.

    Grouping by the hour values too keeps the sums exact (they are added here, in Decimal).
    """
    totals: dict[tuple[str, ...], list[Any]] = {}
    for row in rows:
        key = tuple("" if v is None else str(v) for v in row[:width])
        administrative, hours, volunteer_hours, n = row[width : width + 4]
        acc = totals.setdefault(key, [0, 0, Decimal(0), Decimal(0)])
        acc[0] += n
        if administrative:
            acc[1] += n
            continue
        acc[2] += _hours(hours) * n
        acc[3] += _hours(volunteer_hours) * n
    return [RecordCount(k, a[0], a[1], a[2], a[3]) for k, a in sorted(totals.items())]


def check_group_keys(by: Sequence[str]) -> None:
    bad = [k for k in by if k not in GROUP_KEYS]
    if bad:
        raise InvalidInput(
            f"group by: expected some of {', '.join(GROUP_KEYS)}, got {', '.join(bad)}"
        )


def programme_records(programme: Programme) -> tuple[Any, ...]:
    """The programme's service ledger, or ``()`` where the model has none yet."""
    return tuple(getattr(programme, "records", ()))


class UnitOfWork(abc.ABC):
    """One transaction on a storage: all or nothing, rolled back unless committed.

    Use it as a context manager. Reads inside see the unit's own changes. After
    :meth:`commit` or :meth:`rollback` the unit is finished and refuses further work.
    """

    read_only: bool = False

    def __init__(self) -> None:
        self._state = "new"

    # --- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Self:
        if self._state != "new":
            raise StorageError("a unit of work is used once; open a new one")
        self._begin()
        self._state = "open"
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._state == "open":
                self.rollback()
        finally:
            self._close()

    def commit(self) -> None:
        """Make every change of this unit permanent, at once."""
        self._require_open()
        self._commit()
        self._state = "committed"

    def rollback(self) -> None:
        """Forget every change of this unit."""
        self._require_open()
        self._state = "rolled back"
        self._rollback()

    def _require_open(self) -> None:
        if self._state != "open":
            raise StorageError(f"this unit of work is {self._state}; open a new one")

    def _require_writable(self) -> None:
        self._require_open()
        if self.read_only:
            raise StorageError("this unit of work only reads; use storage.unit_of_work() to write")

    # --- what every unit offers ------------------------------------------------------------

    def save(
        self, programme: Programme, *, replace: bool = False, progress: Progress | None = None
    ) -> None:
        """Store ``programme`` under its id; an id already there needs ``replace=True``."""
        self._require_writable()
        if not isinstance(programme, Programme):
            raise InvalidInput(f"expected a Programme, got {type(programme).__name__}")
        if self.exists(programme.id):
            if not replace:
                raise AlreadyExists("programme", programme.id, "replace it to overwrite")
            self._remove(programme.id)
        self._insert(programme, progress)

    def delete(self, programme_id: str) -> None:
        """Remove a programme and everything in it."""
        self._require_writable()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        self._remove(programme_id)

    def load(self, programme_id: str, *, records: bool = True) -> Programme:
        """The programme with everything in it, equal to the one saved.

        ``records=False`` leaves the service ledger out (stream it with :meth:`records`), so a
        programme with millions of records can be exported or checked in little memory.
        """
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._load(programme_id) if records else self._load_head(programme_id)

    def _load_head(self, programme_id: str) -> Programme:
        """The programme without its ledger; adapters override this to skip reading it."""
        programme = self._load(programme_id)
        if not programme_records(programme):
            return programme
        changes: dict[str, Any] = {"records": ()}
        return attrs.evolve(programme, **changes)

    def records(self, programme_id: str, query: RecordQuery | None = None) -> Iterator[Any]:
        """The programme's service records that match ``query``, streamed in ledger order."""
        self._require_open()
        start = self.programme_start(programme_id)
        return self._records(programme_id, query or RecordQuery(), start)

    def count_records(
        self,
        programme_id: str,
        query: RecordQuery | None = None,
        by: Sequence[str] = ("station", "domain"),
    ) -> list[RecordCount]:
        """Totals of the matching records per group (see :func:`count_records`)."""
        check_group_keys(by)
        return count_records(self.records(programme_id, query), by)

    def ledger_counts(
        self,
        programme_id: str,
        query: RecordQuery | None = None,
        *,
        categories_of: Mapping[str, tuple[str, ...]] | None = None,
        until: dt.date | None = None,
    ) -> Counts:
        """The casework counts of the matching service records dated up to ``until``: what
        :func:`sgz_core.casework.counting.count_records` gives over them (people served, by
        category through ``categories_of``, records, hours, methods, services, visits done,
        volunteers, per station, contract year and domain).

        This default streams the records; database adapters count in the database.
        """
        self._require_open()
        start = self.programme_start(programme_id)
        return count_ledger(
            self._records(programme_id, query or RecordQuery(), start),
            start,
            categories_of,
            until=until,
        )

    def programme_start(self, programme_id: str) -> dt.date:
        """The programme's start date (contract year 1), without loading the programme."""
        self._require_open()
        start = self._start(programme_id)
        if start is None:
            raise NotFound("programme", programme_id, self.programme_ids())
        return start

    @abc.abstractmethod
    def programme_ids(self) -> list[str]:
        """The ids of the stored programmes, sorted."""

    @abc.abstractmethod
    def exists(self, programme_id: str) -> bool:
        """Whether a programme with this id is stored."""

    # --- what an adapter implements ------------------------------------------------------------

    @abc.abstractmethod
    def _begin(self) -> None: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def _rollback(self) -> None: ...

    def _close(self) -> None:  # noqa: B027 - optional hook
        """Release what the unit holds (called once, after commit or rollback)."""

    @abc.abstractmethod
    def _insert(self, programme: Programme, progress: Progress | None) -> None:
        """Write a programme whose id is not stored yet."""

    @abc.abstractmethod
    def _remove(self, programme_id: str) -> None:
        """Remove a stored programme and everything in it."""

    @abc.abstractmethod
    def _load(self, programme_id: str) -> Programme: ...

    @abc.abstractmethod
    def _start(self, programme_id: str) -> dt.date | None: ...

    @abc.abstractmethod
    def _records(
        self, programme_id: str, query: RecordQuery, programme_start: dt.date
    ) -> Iterator[Any]: ...


class Storage(abc.ABC):
    """Where programmes live: a database, a directory, memory.

    The one-shot methods each run in a unit of work of their own; use :meth:`unit_of_work` to
    group changes. A storage is a context manager that closes itself.
    """

    url: str = ""

    @property
    @abc.abstractmethod
    def schema_version(self) -> int:
        """The storage schema version of the data as it is now (after any upgrade on opening)."""

    @abc.abstractmethod
    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work that may write; commit it or it rolls back."""

    def reader(self) -> UnitOfWork:
        """A unit that only reads, from one consistent snapshot where the backend has them.

        Adapters override this for cheaper reads; the default is a unit of work never committed.
        """
        return self.unit_of_work()

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections and files."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- one-shot operations -------------------------------------------------------------------

    def programme_ids(self) -> list[str]:
        with self.reader() as uow:
            return uow.programme_ids()

    def exists(self, programme_id: str) -> bool:
        with self.reader() as uow:
            return uow.exists(programme_id)

    def load(self, programme_id: str, *, records: bool = True) -> Programme:
        with self.reader() as uow:
            return uow.load(programme_id, records=records)

    def save(
        self, programme: Programme, *, replace: bool = False, progress: Progress | None = None
    ) -> None:
        """Save in a unit of work of its own: all of it or nothing."""
        with self.unit_of_work() as uow:
            uow.save(programme, replace=replace, progress=progress)
            uow.commit()

    def delete(self, programme_id: str) -> None:
        with self.unit_of_work() as uow:
            uow.delete(programme_id)
            uow.commit()

    def records(self, programme_id: str, query: RecordQuery | None = None) -> Iterator[Any]:
        """Stream matching service records; the read snapshot stays open until exhausted."""
        with self.reader() as uow:
            yield from uow.records(programme_id, query)

    def count_records(
        self,
        programme_id: str,
        query: RecordQuery | None = None,
        by: Sequence[str] = ("station", "domain"),
    ) -> list[RecordCount]:
        with self.reader() as uow:
            return uow.count_records(programme_id, query, by)

    def ledger_counts(
        self,
        programme_id: str,
        query: RecordQuery | None = None,
        *,
        categories_of: Mapping[str, tuple[str, ...]] | None = None,
        until: dt.date | None = None,
    ) -> Counts:
        """See :meth:`UnitOfWork.ledger_counts`."""
        with self.reader() as uow:
            return uow.ledger_counts(programme_id, query, categories_of=categories_of, until=until)

    def only_programme(self) -> str:
        """The id of the one programme stored; an error naming the ids when there are several."""
        ids = self.programme_ids()
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise NotFound("programme", "(any)", ())
        raise InvalidInput(
            f"the database holds {len(ids)} programmes ({', '.join(ids)}); choose one with --programme"
        )


StorageFactory = Callable[[str], Storage]
"""Opens a storage from its URL (``sqlite:///sgz.db``); what ``sgz_register_storage`` registers."""

DEFAULT_URL = "sqlite:///sgz.db"
"""The default storage: ``sgz.db`` in the working directory."""


def scheme_of(url: str) -> str:
    """``sqlite`` for ``sqlite:///x.db``; ``postgresql`` for ``postgresql+psycopg://…``."""
    if "://" not in url:
        raise InvalidInput(f"database URL: expected scheme://…, such as {DEFAULT_URL}, got {url!r}")
    return url.split("://", 1)[0].lower()


__all__ = [
    "DEFAULT_URL",
    "GROUP_KEYS",
    "SCHEMA_VERSION",
    "Progress",
    "RecordCount",
    "RecordQuery",
    "Storage",
    "StorageFactory",
    "UnitOfWork",
    "check_group_keys",
    "count_records",
    "filter_records",
    "fold_counts",
    "matches",
    "programme_records",
    "record_value",
    "scheme_of",
]
