"""``memory://``: programmes kept in this process, for tests and users' own property tests.

Each unit of work writes to a copy of the store and swaps it in on commit, so a rollback (or a
block left without ``commit()``) leaves nothing behind, and readers see a consistent snapshot.
``memory://`` is a new empty store each time it is opened; ``memory://NAME`` is shared by every
opening with the same name in this process.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable, Iterator

from sgz_adapters.storage import _audit
from sgz_core.audit import AuditEntry, AuditHead, Unreadable
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.errors import StorageError
from sgz_core.hookspecs import hookimpl
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.programme_file import unencodable_problems
from sgz_core.storage import (
    SCHEMA_VERSION,
    Progress,
    RecordQuery,
    Storage,
    UnitOfWork,
    filter_records,
)

_NAMED: dict[str, MemoryStorage] = {}
_NAMED_LOCK = threading.Lock()


class MemoryStorage(Storage):
    """Programmes in a dict; the reference implementation of the storage port."""

    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._data: dict[str, Programme] = {}
        self._paid: dict[tuple[str, str, int, str], Payment] = {}
        """Payments by (programme, station, year, milestone): the unique key."""
        self._audit: list[AuditEntry] = []
        """The audit trail (AUD-1): only ever appended to (a commit extends it)."""
        self._audit_head = AuditHead()
        self._write_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str) -> MemoryStorage:
        name = url.split("://", 1)[1].strip("/")
        if not name:
            return cls(url)
        with _NAMED_LOCK:
            if name not in _NAMED:
                _NAMED[name] = cls(url)
            return _NAMED[name]

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    def unit_of_work(self) -> UnitOfWork:
        return _MemoryUnit(self, read_only=False)

    def reader(self) -> UnitOfWork:
        return _MemoryUnit(self, read_only=True)


class _MemoryUnit(UnitOfWork):
    def __init__(self, storage: MemoryStorage, read_only: bool) -> None:
        super().__init__()
        self._storage = storage
        self.read_only = read_only
        self._data: dict[str, Programme] = {}
        self._paid: dict[tuple[str, str, int, str], Payment] = {}
        self._locked = False
        self._entries: list[AuditEntry] = []
        self._appended: list[AuditEntry] = []
        self._stored_head = AuditHead()
        self._seen = 0

    def _begin(self) -> None:
        if not self.read_only:
            self._storage._write_lock.acquire()  # one writer at a time, like a database
            self._locked = True
        self._data = dict(self._storage._data)
        self._paid = dict(self._storage._paid)
        self._entries = self._storage._audit
        self._stored_head = self._storage._audit_head
        self._seen = len(self._entries)  # a reader's snapshot: the entries there now

    def _commit(self) -> None:
        if not self.read_only:
            self._storage._data = self._data
            self._storage._paid = self._paid
            self._storage._audit.extend(self._appended)
            self._storage._audit_head = self._stored_head

    def _rollback(self) -> None:
        self._data = {}
        self._paid = {}
        self._appended = []

    def _close(self) -> None:
        if self._locked:
            self._locked = False
            self._storage._write_lock.release()

    def programme_ids(self) -> list[str]:
        self._require_open()
        return sorted(self._data)

    def exists(self, programme_id: str) -> bool:
        self._require_open()
        return programme_id in self._data

    def _insert(self, programme: Programme, progress: Progress | None) -> None:
        problems = unencodable_problems(programme)
        if problems:  # text no database could hold: refused here too, as a driver refuses it
            raise UnicodeEncodeError("utf-8", problems[0].message, 0, 1, "surrogates not allowed")
        self._data[programme.id] = programme
        if progress is not None:
            progress(1, 1)

    def _remove(self, programme_id: str) -> None:
        del self._data[programme_id]

    def _load(self, programme_id: str) -> Programme:
        return self._data[programme_id]

    def _start(self, programme_id: str) -> dt.date | None:
        programme = self._data.get(programme_id)
        return None if programme is None else programme.start

    def _records(
        self, programme_id: str, query: RecordQuery, programme_start: dt.date
    ) -> Iterator[ServiceRecord]:
        return filter_records(self._data[programme_id].records, query, programme_start)

    def _insert_payment(self, programme_id: str, payment: Payment) -> Payment | None:
        key = (programme_id, payment.station, payment.year, payment.milestone.value)
        if key in self._paid:
            return self._paid[key]
        self._paid[key] = payment
        return None

    def _now(self) -> dt.datetime:
        return _audit.now()

    def _user(self) -> str:
        return _audit.login_name()

    def _read_audit_head(self) -> AuditHead:
        return self._stored_head

    def _append_audit(self, entry: AuditEntry) -> None:
        if entry.seq <= self._seen + len(self._appended):
            raise StorageError(f"{self._storage.url}: audit entry {entry.seq} is stored already")
        self._appended.append(entry)
        self._stored_head = AuditHead(entry.seq, entry.hash)

    def _audit_rows(
        self, programme_id: str | None, station: str | None
    ) -> Iterator[AuditEntry | Unreadable]:
        entries = itertools.chain(itertools.islice(self._entries, self._seen), list(self._appended))
        return (
            e
            for e in entries
            if (programme_id is None or e.programme == programme_id)
            and (station is None or e.station == station)
        )

    def _payments(self, programme_id: str, station: str | None) -> list[Payment]:
        return [
            p
            for (pid, st, _, _), p in self._paid.items()
            if pid == programme_id and (station is None or st == station)
        ]


@hookimpl
def sgz_register_storage(register: Callable[[str, Callable[[str], Storage]], None]) -> None:
    """The ``memory`` scheme."""
    register("memory", MemoryStorage.from_url)


__all__ = ["MemoryStorage"]
