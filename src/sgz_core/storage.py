"""The storage port: save and load whole programmes, stream and count their service records.

Pure: this module names what a backend must do and holds the logic every backend shares (the
record filter, the checks on save, the save/replace/delete rules); adapters in
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
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import attrs

from sgz_core import limits
from sgz_core.audit import (
    AuditAction,
    AuditEntry,
    AuditHead,
    Unreadable,
    Verdict,
    append,
    verify,
)
from sgz_core.audit_diff import ItemChange, changes
from sgz_core.casework.counting import Counts
from sgz_core.casework.counting import count_records as count_ledger
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.errors import (
    AlreadyExists,
    InvalidInput,
    NoProgramme,
    NotFound,
    Problem,
    StorageError,
)
from sgz_core.jsonvalue import dump_value
from sgz_core.model import ContractYear, Programme, Station, add_years
from sgz_core.payments import AlreadyPaid, Payment, payment_order
from sgz_core.programme_file import limit_problems, reference_problems, unencodable_problems

SCHEMA_VERSION = 4
"""The storage schema this version of sgz writes (see ``docs/storage.md``).

1. Programmes with contractors, stations, staff, contract years, funding, evaluations,
   expenses, and every other programme section as a converter payload.
2. Adds the service-record ledger as a typed, indexed table; a v1 database's ``records``
   section moves into it when the database is opened.
3. Only adds (so a v2 database upgrades in place): the fund ledger's ``receipts`` (per
   contract year) and ``hardship_relief`` (per programme) tables, and the ``purposes`` column
   of ``funding`` and the ``reason`` column of ``expenses``.
4. Only adds (so a v3 database upgrades in place): the audit trail (AUD-1), its ``audit``
   entries and the ``audit_head`` row that holds the chain's length and last hash.
"""

EXPORT_STATIONS = 500
"""Stations per batch of :meth:`UnitOfWork.export_stations` (an export holds one batch)."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a long save runs (rows written of rows to write)."""


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


def matches(
    record: ServiceRecord,
    station: str | None,
    domain: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> bool:
    """Whether a record passes a resolved filter (see :meth:`RecordQuery.date_range`)."""
    if station is not None and record.station != station:
        return False
    if domain is not None and _plain(record.domain) != domain:
        return False
    if start is not None and record.date < start:
        return False
    return not (end is not None and record.date > end)


def filter_records(
    records: Iterable[ServiceRecord], query: RecordQuery, programme_start: dt.date
) -> Iterator[ServiceRecord]:
    """The records that match ``query``, in their order (the pure reference of every backend)."""
    start, end = query.date_range(programme_start)
    for record in records:
        if matches(record, query.station, query.domain, start, end):
            yield record


def _unencodable(exc: UnicodeEncodeError) -> bool:
    """Whether ``exc`` is text that no backend can hold (a lone surrogate), not another codec's
    limit."""
    return "surrogate" in exc.reason


def _unencodable_text(exc: UnicodeEncodeError) -> str:
    text = exc.object if isinstance(exc.object, str) else ""
    shown = ascii(text[max(exc.start - 20, 0) : exc.start + 20])
    return (
        f"text with the lone surrogate {text[exc.start : exc.start + 1]!a} "
        f"({shown}); expected text that UTF-8 can hold"
    )


def save_problems(programme: Programme) -> list[Problem]:
    """What keeps ``programme`` from being saved: the checks of the programme-file loader
    (repeated ids, dangling references, values longer than the backends keep), so that whatever
    is stored can be exported and imported back."""
    return [*reference_problems(programme), *limit_problems(programme)]


def programme_summary(programme: Programme, records: int | None = None) -> dict[str, object]:
    """What an audit entry keeps of a programme before or after an operation (AUD-1): its
    name, start, number of stations and service records, and the SHA-256 of the programme
    without its ledger (exact tagged JSON), so any later change to it shows as another digest."""
    head = attrs.evolve(programme, records=()) if programme.records else programme
    return {
        "name": programme.name,
        "start": programme.start.isoformat(),
        "stations": len(programme.stations),
        "records": len(programme.records) if records is None else records,
        "sha256": hashlib.sha256(dump_value(head).encode()).hexdigest(),
    }


def payment_summary(payment: Payment) -> dict[str, object]:
    """What an audit entry keeps of a payment (AUD-1): every field, money as exact text."""
    stamp = payment.recorded_at
    return {
        "station": payment.station,
        "year": payment.year,
        "milestone": payment.milestone.value,
        "amount": str(payment.amount),
        "paid_on": payment.paid_on.isoformat(),
        "by": payment.by,
        "reference": payment.reference,
        "recorded_at": None if stamp is None else stamp.isoformat(),
    }


def station_part(programme: Programme, station_id: str) -> Programme:
    """What checking one station needs of ``programme`` (``check --station``, issue 12): the
    station with its staff and contract years, the contractors the kept stations name, its
    service records, and everything without a station of its own (beneficiaries, cases and the
    other sections, hardship relief) whole. For LOT-1, the first station before it with the
    same lot is kept too, without staff or years (it decides "this lot already has a station").

    Checking this programme and keeping the findings about ``station_id`` gives exactly the
    findings about ``station_id`` of checking the whole programme (sgz's own rules; see
    ``docs/storage.md`` for the programme-wide ones). The pure reference of
    :meth:`UnitOfWork.load_station`; an unknown station is :class:`NotFound`.
    """
    station = programme.station(station_id)
    kept = [station]
    if station.lot is not None:
        for other in programme.stations:
            if other is station:
                break
            if other.lot == station.lot:
                kept.insert(0, attrs.evolve(other, staff=(), years=()))
                break
    named = {s.contractor for s in kept}
    return attrs.evolve(
        programme,
        contractors=tuple(c for c in programme.contractors if c.id in named),
        stations=tuple(kept),
        records=tuple(r for r in programme.records if r.station == station_id),
    )


MONEY_DROPS_STATION = ("lot", "communities", "premises", "signage", "staff")
"""The station fields :func:`money_part` sets to their defaults (the schedule reads none)."""
MONEY_DROPS_YEAR = ("expenses", "targets", "receipts")
"""The contract-year fields :func:`money_part` sets to their defaults (empty)."""


def _defaults(cls: type, names: tuple[str, ...]) -> dict[str, Any]:
    fields = attrs.fields_dict(cls)
    return {name: fields[name].default for name in names}


def money_part(programme: Programme) -> Programme:
    """What the money use cases need of ``programme`` (``schedule``, ``pay_many``; issue 11,
    PAY-1): the programme's own fields (id, name, start, profile), each station's id, street
    and contractor with its contract years (number, signing day, funding lines,
    evaluations, corrective actions, renewal reason); no contractors, lot, staff, premises,
    signage, communities, expenses, targets, receipts, casework sections, hardship relief or
    service ledger (:data:`MONEY_DROPS_STATION`, :data:`MONEY_DROPS_YEAR` at their defaults).

    The disbursement schedule (:func:`sgz_core.disbursement.schedule`) and every payment
    decision (:func:`sgz_core.payments.decide`, :func:`~sgz_core.payments.decide_many`) are
    the same from this programme as from the whole one: they read nothing else
    (``tests/unit/test_money_part.py``). The pure reference of :meth:`UnitOfWork.load_money`.
    """
    station_defaults = _defaults(Station, MONEY_DROPS_STATION)
    year_defaults = _defaults(ContractYear, MONEY_DROPS_YEAR)
    return Programme(
        id=programme.id,
        name=programme.name,
        start=programme.start,
        profile=programme.profile,
        stations=tuple(
            attrs.evolve(
                station,
                years=tuple(attrs.evolve(year, **year_defaults) for year in station.years),
                **station_defaults,
            )
            for station in programme.stations
        ),
    )


CHECK_PART_SIZE = 500
"""Stations per part of a check read station by station (:meth:`UnitOfWork.check_parts`)."""


def check_parts(programme: Programme, size: int = CHECK_PART_SIZE) -> Iterator[Programme]:
    """``programme``'s stations ``size`` at a time, in order, each part with the service
    records of its stations in ledger order and nothing else of the programme but its own
    fields (id, name, start, profile): the pure reference of :meth:`UnitOfWork.check_parts`."""
    for i in range(0, len(programme.stations), size):
        stations = programme.stations[i : i + size]
        ids = {s.id for s in stations}
        yield Programme(
            id=programme.id,
            name=programme.name,
            start=programme.start,
            profile=programme.profile,
            stations=stations,
            records=tuple(r for r in programme.records if r.station in ids),
        )


class UnitOfWork(abc.ABC):
    """One transaction on a storage: all or nothing, rolled back unless committed.

    Use it as a context manager. Reads inside see the unit's own changes. After
    :meth:`commit` or :meth:`rollback` the unit is finished and refuses further work.
    """

    read_only: bool = False

    def __init__(self) -> None:
        self._state = "new"
        self._head: AuditHead | None = None
        self._saved: list[Programme] = []  # to name a text no backend holds, found at commit

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
        if isinstance(exc, UnicodeEncodeError) and _unencodable(exc):
            # text with no UTF-8 form given to an operation (through the Python API: a file,
            # a database and the command line never give one): bad input, rolled back above
            raise InvalidInput([Problem("", _unencodable_text(exc))]) from None

    def commit(self) -> None:
        """Make every change of this unit permanent, at once."""
        self._require_open()
        try:
            self._commit()
        except UnicodeEncodeError as exc:  # an adapter that encodes only when it commits
            if not _unencodable(exc):
                raise
            self.rollback()
            problems = [p for saved in self._saved for p in unencodable_problems(saved)]
            raise InvalidInput(problems or [Problem("", _unencodable_text(exc))]) from None
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
        self,
        programme: Programme,
        *,
        replace: bool = False,
        progress: Progress | None = None,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        """Store ``programme`` under its id; an id already there needs ``replace=True``.

        A programme the file loader would refuse (:func:`save_problems`) is
        :class:`InvalidInput` listing every problem, and nothing is written. The audit trail
        gets an ``import`` or ``replace`` entry in the same unit (AUD-1): ``by`` who (default:
        the adapter's user), ``at`` when (default: the adapter's clock).
        """
        self._require_writable()
        if not isinstance(programme, Programme):
            raise InvalidInput(f"expected a Programme, got {type(programme).__name__}")
        problems = save_problems(programme)
        if problems:
            raise InvalidInput(problems, f"cannot save programme {programme.id[:80]!r}")
        before = None
        stored: Programme | None = None
        if self.exists(programme.id):
            if not replace:
                raise AlreadyExists("programme", programme.id, "replace it to overwrite")
            stored = self._load_head(programme.id)  # read once: the summary and the diff
            before = programme_summary(stored, self._record_count(programme.id))
        self._saved.append(programme)
        try:
            if stored is not None:
                self._remove(programme.id)
            self._insert(programme, progress)
            by = self._user() if by is None else by
            at = self._now() if at is None else at
            self._audit(
                AuditAction.IMPORT if before is None else AuditAction.REPLACE,
                programme.id,
                before=before,
                after=programme_summary(programme),
                by=by,
                at=at,
            )
            # then one entry per evaluation, corrective action, receipt and expense recorded,
            # changed or gone, in this unit too (AUD-1, issue 11 item 4)
            self._audit_items(programme.id, changes(stored, programme), by=by, at=at)
        except UnicodeEncodeError as exc:
            if not _unencodable(exc):
                raise
            # a text with no UTF-8 form (only the Python API can give one): part of the
            # programme may be written, so the whole unit goes, and the text is named
            self.rollback()
            problems = unencodable_problems(programme) or [Problem("", _unencodable_text(exc))]
            raise InvalidInput(problems, f"cannot save programme {programme.id[:80]!r}") from None

    def delete(
        self, programme_id: str, *, by: str | None = None, at: dt.datetime | None = None
    ) -> None:
        """Remove a programme and everything in it; one with recorded payments is refused
        (payments are a financial record, kept whatever happens to the programme). The audit
        trail gets a ``delete`` entry in the same unit (AUD-1)."""
        self._require_writable()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        paid = self._payments(programme_id, None)
        if paid:
            raise StorageError(
                f"programme {programme_id[:80]!r} has {len(paid)} recorded payment(s); a "
                "programme with payments is never deleted (replace it instead: payments are kept)"
            )
        before = self._summary(programme_id)
        self._remove(programme_id)
        self._audit(AuditAction.DELETE, programme_id, before=before, by=by, at=at)

    def record_payment(
        self,
        programme_id: str,
        payment: Payment,
        *,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> Payment:
        """Record that a tranche was paid; returns the payment as stored.

        A payment of the same tranche (programme, station, year, milestone) recorded before, by
        this unit or any other, is :class:`~sgz_core.payments.AlreadyPaid` carrying that one,
        and nothing is written: the database's unique key decides, so two writers at the same
        moment record exactly one payment. Whether the tranche is due is the caller's to decide
        (:func:`sgz_core.payments.decide`); this only records.
        """
        self._require_writable()
        if not isinstance(payment, Payment):
            raise InvalidInput(f"expected a Payment, got {type(payment).__name__}")
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        existing = self._insert_payment(programme_id, payment)
        if existing is not None:
            raise AlreadyPaid(existing)
        self._audit_payment(programme_id, payment, by=by, at=at)
        return payment

    def _audit_payment(
        self, programme_id: str, payment: Payment, *, by: str | None, at: dt.datetime | None
    ) -> None:
        self._audit(
            AuditAction.PAYMENT,
            programme_id,
            station=payment.station,
            year=payment.year,
            subject=payment.milestone.value,
            after=payment_summary(payment),
            by=by or payment.by,
            at=at or payment.recorded_at,
        )

    # --- the audit trail (AUD-1) -----------------------------------------------------------

    def audit_entries(
        self, programme_id: str | None = None, station: str | None = None
    ) -> Iterator[AuditEntry]:
        """The audit trail's entries (of ``programme_id``, of ``station``), streamed in the
        order they were appended. A stored row that is not an entry is a
        :class:`StorageError` naming it (``audit_verify`` reports it instead). Nothing edits or
        deletes entries."""
        self._require_open()
        for item in self._audit_rows(programme_id, station):
            if isinstance(item, Unreadable):
                raise StorageError(f"audit entry {item.seq}: cannot be read: {item.why}")
            yield item

    def audit_head(self) -> AuditHead:
        """The chain's head as stored: how many entries and the last one's hash."""
        self._require_open()
        return self._read_audit_head()

    def audit_verify(self) -> Verdict:
        """Whether the stored trail is whole (:func:`sgz_core.audit.verify` over every entry,
        against the stored head); else the first bad entry and what is wrong."""
        self._require_open()
        return verify(self._audit_rows(None, None), self._read_audit_head())

    def _audit(
        self,
        action: AuditAction,
        programme_id: str,
        *,
        station: str | None = None,
        year: int | None = None,
        subject: str | None = None,
        before: object = None,
        after: object = None,
        by: str | None,
        at: dt.datetime | None,
    ) -> None:
        """Append the entry of an operation of this unit, after the chain's head."""
        if self._head is None:
            self._head = self._read_audit_head()
        entry, head = append(
            self._head,
            at=self._now() if at is None else at,
            who=self._user() if by is None else by,
            action=action,
            programme=programme_id,
            station=station,
            year=year,
            subject=subject,
            before=before,
            after=after,
        )
        self._append_audit(entry)
        self._head = head

    def _audit_items(
        self, programme_id: str, items: Sequence[ItemChange], *, by: str, at: dt.datetime
    ) -> None:
        """Append the entries of :func:`sgz_core.audit_diff.changes` after the chain's head,
        all at once (:meth:`_append_audits`)."""
        if not items:
            return
        if self._head is None:
            self._head = self._read_audit_head()
        head = self._head
        entries: list[AuditEntry] = []
        for item in items:
            entry, head = append(
                head,
                at=at,
                who=by,
                action=item.action,
                programme=programme_id,
                station=item.station,
                year=item.year,
                subject=item.subject,
                before=item.before,
                after=item.after,
            )
            entries.append(entry)
        self._append_audits(entries)
        self._head = head

    def _summary(self, programme_id: str) -> dict[str, object]:
        return programme_summary(self._load_head(programme_id), self._record_count(programme_id))

    def _record_count(self, programme_id: str) -> int:
        """How many service records the programme has; database adapters count in the database."""
        start = self.programme_start(programme_id)
        return sum(1 for _ in self._records(programme_id, RecordQuery(), start))

    def record_payments(
        self,
        programme_id: str,
        payments: Sequence[Payment],
        *,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> list[Payment | None]:
        """Record several payments at once (one statement where the database allows it).

        For each payment, in order: ``None`` when it was recorded, else the payment of the same
        tranche stored before (by this unit or any other), for which nothing was written. The
        database's unique key decides, exactly as for :meth:`record_payment`; two payments of
        one tranche in ``payments`` are :class:`InvalidInput` (the caller decides which one).
        Each payment recorded appends its audit entry (AUD-1) in this unit, in order, as
        :meth:`record_payment` does; one stored before appends nothing."""
        self._require_writable()
        batch = list(payments)
        for i, payment in enumerate(batch):
            if not isinstance(payment, Payment):
                raise InvalidInput(
                    f"payments[{i}]: expected a Payment, got {type(payment).__name__}"
                )
        keys = {p.key for p in batch}
        if len(keys) != len(batch):
            raise InvalidInput("payments: expected each tranche at most once")
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        if not batch:
            return []
        stored = self._insert_payments(programme_id, batch)
        for payment, before in zip(batch, stored, strict=True):
            if before is None:
                self._audit_payment(programme_id, payment, by=by, at=at)
        return stored

    def _insert_payments(self, programme_id: str, payments: list[Payment]) -> list[Payment | None]:
        """Insert the payments; what :meth:`record_payments` returns. This default inserts one
        at a time; database adapters insert them in one statement."""
        return [self._insert_payment(programme_id, p) for p in payments]

    def _stored_instead(self, programme_id: str, payments: list[Payment]) -> list[Payment | None]:
        """After an insert that skipped duplicates: for each payment ``None`` if the one stored
        for its tranche is this one, else the one stored (written before, by another writer)."""
        stored = {p.key: p for p in self._payments(programme_id, None)}
        out: list[Payment | None] = []
        for p in payments:
            found = stored.get(p.key)
            if found is None:
                raise StorageError(f"a payment is both there and not there: {p.key!r}")
            out.append(None if found == p else found)
        return out

    def payments(self, programme_id: str, station: str | None = None) -> list[Payment]:
        """The programme's recorded payments (of ``station``), by station, year and milestone."""
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return sorted(self._payments(programme_id, station), key=payment_order)

    def load(self, programme_id: str, *, records: bool = True) -> Programme:
        """The programme with everything in it, equal to the one saved.

        ``records=False`` leaves the service ledger out (stream it with :meth:`records`), so a
        programme with millions of records can be exported or checked in little memory.
        """
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._load(programme_id) if records else self._load_head(programme_id)

    def load_station(self, programme_id: str, station_id: str) -> Programme:
        """:func:`station_part` of the stored programme, reading only what it needs where the
        adapter can (the SQL adapters read one station's rows by index: the time does not
        grow with the number of stations). An unknown station is :class:`NotFound`."""
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._load_station(programme_id, station_id)

    def load_money(self, programme_id: str) -> Programme:
        """:func:`money_part` of the stored programme: what the schedule and the payment
        decisions read, and nothing else (issue 11); the SQL adapters read only those rows and
        columns. A table or column it does not read is not checked: a cell edited outside sgz
        there is found by :meth:`load`, not here."""
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._load_money(programme_id)

    def _load_money(self, programme_id: str) -> Programme:
        """The default: load the programme without its ledger and keep its money part."""
        return money_part(self._load_head(programme_id))

    def load_without_stations(self, programme_id: str) -> Programme:
        """The programme without its contractors, stations and ledger: its own fields, the
        sections (beneficiaries, cases, referrals …) and hardship relief, what counting the
        casework needs besides the ledger (``stats --db``: reading 30,000 stations' years
        would cost more than counting a million records, issue 12)."""
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._load_without_stations(programme_id)

    def export_head(self, programme_id: str) -> Programme:
        """The programme without its stations and its ledger (contractors, sections and hardship
        relief kept): what an export writes besides the stations, which it reads in batches
        with :meth:`export_stations`, and the ledger, which it streams (issue 12).

        A stored programme that cannot be read back is the same :class:`StorageError` as from
        :meth:`load` (the whole read names it)."""
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        try:
            return self._load_check_head(programme_id)  # the same head as a check reads
        except StorageError:
            self._load_head(programme_id)  # the error of the whole read, as an export gave it
            raise

    def export_stations(
        self, programme_id: str, batch: int = EXPORT_STATIONS
    ) -> Iterator[tuple[Station, ...]]:
        """The programme's stations with their staff and contract years, in order, ``batch``
        at a time: together exactly ``load(programme_id).stations``, in the memory of one
        batch where the adapter reads them by key (the SQL adapters; issue 12). A stored
        station that cannot be read back is the same :class:`StorageError` as from :meth:`load`."""
        self._require_open()
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise InvalidInput(f"batch: expected a number of stations from 1, got {batch!r}")
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._export_stations_checked(programme_id, batch)

    def _export_stations_checked(
        self, programme_id: str, batch: int
    ) -> Iterator[tuple[Station, ...]]:
        try:
            yield from self._export_stations(programme_id, batch)
        except StorageError:
            self._load_head(programme_id)  # the error of the whole read, as an export gave it
            raise

    def _export_stations(self, programme_id: str, batch: int) -> Iterator[tuple[Station, ...]]:
        """The default: load the head and slice its stations."""
        stations = self._load_head(programme_id).stations
        for at in range(0, len(stations), batch):
            yield stations[at : at + batch]

    def load_check_head(self, programme_id: str) -> Programme:
        """The programme without its stations and ledger, its contractors and sections whole:
        the head of a check read station by station (:mod:`sgz_core.streamed_check`, issue 12).
        Read it and :meth:`check_parts` in the same unit: one snapshot."""
        self._require_open()
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._load_check_head(programme_id)

    def check_parts(self, programme_id: str, size: int = CHECK_PART_SIZE) -> Iterator[Programme]:
        """The programme's stations in programme order, ``size`` at a time, streamed: each part a
        programme holding only those stations (their staff, years and everything below) and
        their service records in ledger order; no contractors, sections or hardship relief
        (those are :meth:`load_check_head`'s). The SQL adapters read one part at a time, so
        the memory does not grow with the number of stations (issue 12)."""
        self._require_open()
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise InvalidInput(f"size: expected a number of stations from 1, got {size!r}")
        if not self.exists(programme_id):
            raise NotFound("programme", programme_id, self.programme_ids())
        return self._check_parts(programme_id, size)

    def _load_check_head(self, programme_id: str) -> Programme:
        """The default: load the head and drop the stations."""
        return attrs.evolve(self._load_head(programme_id), stations=())

    def _check_parts(self, programme_id: str, size: int) -> Iterator[Programme]:
        """The default: load everything once and cut it (the pure reference of the adapters)."""
        return check_parts(self._load(programme_id), size)

    def _load_without_stations(self, programme_id: str) -> Programme:
        """The default: load the head and drop what is not wanted."""
        return attrs.evolve(self._load_head(programme_id), contractors=(), stations=())

    def _load_station(self, programme_id: str, station_id: str) -> Programme:
        """The default: load everything and keep the station's part."""
        return station_part(self._load(programme_id), station_id)

    def _load_head(self, programme_id: str) -> Programme:
        """The programme without its ledger; adapters override this to skip reading it."""
        programme = self._load(programme_id)
        return attrs.evolve(programme, records=()) if programme.records else programme

    def records(
        self, programme_id: str, query: RecordQuery | None = None
    ) -> Iterator[ServiceRecord]:
        """The programme's service records that match ``query``, streamed in ledger order."""
        self._require_open()
        start = self.programme_start(programme_id)
        return self._records(programme_id, query or RecordQuery(), start)

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
    ) -> Iterator[ServiceRecord]: ...

    @abc.abstractmethod
    def _insert_payment(self, programme_id: str, payment: Payment) -> Payment | None:
        """Insert the payment; if one of the same tranche is stored, write nothing and return
        it (a database catches its unique-key violation, keeping the transaction usable)."""

    @abc.abstractmethod
    def _payments(self, programme_id: str, station: str | None) -> list[Payment]:
        """The payments stored for the programme (of ``station``), in any order."""

    @abc.abstractmethod
    def _now(self) -> dt.datetime:
        """The adapter's clock: now, in UTC (the core never reads the clock)."""

    @abc.abstractmethod
    def _user(self) -> str:
        """Who writes when the caller did not say (the adapters: ``SGZ_USER``, else the login)."""

    @abc.abstractmethod
    def _read_audit_head(self) -> AuditHead:
        """The chain's head as stored (in a unit that writes, taken so that no other writer
        appends until this unit ends: the writers' lock, or a row lock on the head)."""

    @abc.abstractmethod
    def _append_audit(self, entry: AuditEntry) -> None:
        """Store ``entry`` and make it the head (``entry.seq``, ``entry.hash``), in this unit;
        a ``seq`` stored already must fail (a unique key), never overwrite."""

    def _append_audits(self, entries: Sequence[AuditEntry]) -> None:
        """Store ``entries`` (consecutive, after the head) and make the last the head, in this
        unit. This default appends them one by one (:meth:`_append_audit`); database adapters
        insert them in one statement."""
        for entry in entries:
            self._append_audit(entry)

    @abc.abstractmethod
    def _audit_rows(
        self, programme_id: str | None, station: str | None
    ) -> Iterator[AuditEntry | Unreadable]:
        """The stored entries (filtered), in ``seq`` order, streamed; a row that is not an entry
        as :func:`sgz_core.audit.from_row` gives it (:class:`~sgz_core.audit.Unreadable`)."""


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
        self,
        programme: Programme,
        *,
        replace: bool = False,
        progress: Progress | None = None,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> None:
        """Save in a unit of work of its own: all of it (with its audit entry) or nothing."""
        with self.unit_of_work() as uow:
            uow.save(programme, replace=replace, progress=progress, by=by, at=at)
            uow.commit()

    def delete(
        self, programme_id: str, *, by: str | None = None, at: dt.datetime | None = None
    ) -> None:
        with self.unit_of_work() as uow:
            uow.delete(programme_id, by=by, at=at)
            uow.commit()

    def record_payment(
        self,
        programme_id: str,
        payment: Payment,
        *,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> Payment:
        """See :meth:`UnitOfWork.record_payment` (in a unit of work of its own)."""
        with self.unit_of_work() as uow:
            stored = uow.record_payment(programme_id, payment, by=by, at=at)
            uow.commit()
            return stored

    def audit_entries(
        self, programme_id: str | None = None, station: str | None = None
    ) -> Iterator[AuditEntry]:
        """Stream the audit trail (see :meth:`UnitOfWork.audit_entries`); the read snapshot
        stays open until exhausted."""
        with self.reader() as uow:
            yield from uow.audit_entries(programme_id, station)

    def audit_head(self) -> AuditHead:
        with self.reader() as uow:
            return uow.audit_head()

    def audit_verify(self) -> Verdict:
        """See :meth:`UnitOfWork.audit_verify` (from one read snapshot)."""
        with self.reader() as uow:
            return uow.audit_verify()

    def record_payments(
        self,
        programme_id: str,
        payments: Sequence[Payment],
        *,
        by: str | None = None,
        at: dt.datetime | None = None,
    ) -> list[Payment | None]:
        """See :meth:`UnitOfWork.record_payments` (in a unit of work of its own)."""
        with self.unit_of_work() as uow:
            stored = uow.record_payments(programme_id, payments, by=by, at=at)
            uow.commit()
            return stored

    def payments(self, programme_id: str, station: str | None = None) -> list[Payment]:
        with self.reader() as uow:
            return uow.payments(programme_id, station)

    def records(
        self, programme_id: str, query: RecordQuery | None = None
    ) -> Iterator[ServiceRecord]:
        """Stream matching service records; the read snapshot stays open until exhausted."""
        with self.reader() as uow:
            yield from uow.records(programme_id, query)

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
            raise NoProgramme(self.url)  # an adapter's url shows no password
        raise InvalidInput(
            f"the database holds {len(ids)} programmes ({', '.join(ids)}); choose one with --programme"
        )


StorageFactory = Callable[[str], Storage]
"""Opens a storage from its URL (``sqlite:///sgz.db``); what ``sgz_register_storage`` registers."""

DEFAULT_URL = limits.DEFAULT_URL
"""The default storage: ``sgz.db`` in the working directory."""


def scheme_of(url: str) -> str:
    """``sqlite`` for ``sqlite:///x.db``; ``postgresql`` for ``postgresql+psycopg://…``."""
    if "://" not in url:
        shown = re.sub(r":[^:/@]*@", ":***@", url)  # user:password@host without a scheme
        raise InvalidInput(
            f"database URL: expected scheme://…, such as {DEFAULT_URL}, got {shown!r}"
        )
    return url.split("://", 1)[0].lower()


__all__ = [
    "CHECK_PART_SIZE",
    "DEFAULT_URL",
    "EXPORT_STATIONS",
    "SCHEMA_VERSION",
    "Progress",
    "RecordQuery",
    "Storage",
    "StorageFactory",
    "UnitOfWork",
    "check_parts",
    "filter_records",
    "matches",
    "money_part",
    "payment_summary",
    "programme_summary",
    "save_problems",
    "scheme_of",
    "station_part",
]
