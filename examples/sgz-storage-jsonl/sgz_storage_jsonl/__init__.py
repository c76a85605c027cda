"""``jsonl:///dir``: programmes as JSON-lines files, one per programme, in a directory.

Line 1 is the programme without its service ledger; each further line is one service record
(``sgz_core.jsonvalue.dump_value``: exact, tagged JSON). Recorded payments of every programme
are in ``payments.json`` (kept when a programme is replaced); the audit trail (AUD-1) is
``audit.ndjson``, one entry a line, and its head ``audit-head.json``. A unit of work keeps its changes in memory;
``commit()`` writes every changed file next to its target, records the plan in a journal, and
then renames the files into place, so a crash leaves the old files or, once the journal is
written, the new ones (the next opening finishes the plan). Writers take turns on a lock file.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import hashlib
import json
import os
import shutil
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs

from sgz_core import hookimpl
from sgz_core.audit import COLUMNS, AuditEntry, AuditHead, Unreadable, from_row
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.errors import InvalidInput, StorageError
from sgz_core.jsonvalue import dump_value, load_value
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.storage import (
    SCHEMA_VERSION,
    Progress,
    RecordQuery,
    Storage,
    UnitOfWork,
    filter_records,
)

__version__ = "0.2.0"

T = TypeVar("T")

SUFFIX = ".jsonl"
JOURNAL = "journal.json"
PAYMENTS = "payments.json"
AUDIT = "audit.ndjson"
"""The trail, one JSON entry a line (not ``.jsonl``: those are programmes)."""
AUDIT_HEAD = "audit-head.json"


LONG = "="
"""File names of ids too long to quote into one start with this (``=`` is quoted otherwise)."""


def _file_name(programme_id: str) -> str:
    quoted = urllib.parse.quote(programme_id, safe="")
    if len(quoted) <= 200:  # file systems take 255 bytes per name
        return quoted + SUFFIX
    return LONG + hashlib.sha256(programme_id.encode()).hexdigest() + SUFFIX


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class JsonlStorage(Storage):
    """Programmes in a directory of JSON-lines files."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.url = f"jsonl:///{self.directory}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"{self.directory}: cannot create the directory ({exc.strerror})"
            ) from None
        with self._locked():
            self._recover()

    @classmethod
    def from_url(cls, url: str) -> JsonlStorage:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise InvalidInput(f"database URL: expected jsonl:///directory, got {url!r}")
        return cls(path)

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    def unit_of_work(self) -> UnitOfWork:
        return _JsonlUnit(self, read_only=False)

    def reader(self) -> UnitOfWork:
        return _JsonlUnit(self, read_only=True)

    # --- files ------------------------------------------------------------------------------

    def _locked(self) -> _Lock:
        return _Lock(self.directory / ".lock")

    def path(self, programme_id: str) -> Path:
        return self.directory / _file_name(programme_id)

    def ids(self) -> list[str]:
        return sorted(self._id_of(p) for p in self.directory.glob(f"*{SUFFIX}"))

    @staticmethod
    def _id_of(path: Path) -> str:
        if not path.name.startswith(LONG):
            return urllib.parse.unquote(path.name[: -len(SUFFIX)])
        with path.open(encoding="utf-8") as handle:  # a hashed name: the id is in line 1
            head = json.loads(handle.readline())
        if not isinstance(head, dict) or not isinstance(head.get("id"), str):
            raise StorageError(f"{path}, line 1: expected a programme with its id")
        return str(head["id"])

    def read(self, programme_id: str) -> Programme | None:
        path = self.path(programme_id)
        if not path.exists():
            return None
        with path.open(encoding="utf-8") as handle:
            programme = self._line(path, 1, handle.readline(), Programme)
            records = tuple(
                self._line(path, n, line, ServiceRecord)
                for n, line in enumerate(handle, 2)
                if line.strip()
            )
        return attrs.evolve(programme, records=records) if records else programme

    def read_head(self, programme_id: str) -> Programme:
        """The programme without its ledger: the first line only."""
        path = self.path(programme_id)
        with path.open(encoding="utf-8") as handle:
            return self._line(path, 1, handle.readline(), Programme)

    def stream(self, programme_id: str) -> Iterator[ServiceRecord]:
        path = self.path(programme_id)
        with path.open(encoding="utf-8") as handle:
            handle.readline()
            for n, line in enumerate(handle, 2):
                if line.strip():
                    yield self._line(path, n, line, ServiceRecord)

    @staticmethod
    def _line(path: Path, number: int, line: str, cls: type[T]) -> T:
        """One line read back; a line edited outside sgz is a :class:`StorageError` naming it."""
        try:
            return load_value(line, cls)
        except StorageError as exc:
            raise StorageError(f"{path}, line {number}: {exc}") from None

    def read_payments(self) -> list[dict[str, object]]:
        """Every recorded payment, as the plain rows of ``payments.json``."""
        path = self.directory / PAYMENTS
        if not path.exists():
            return []
        rows = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(rows, list):
            raise StorageError(f"{path}: expected a list of payments")
        return rows

    def read_audit_head(self) -> AuditHead:
        path = self.directory / AUDIT_HEAD
        if not path.exists():
            return AuditHead()
        head = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(head, dict) or not isinstance(head.get("count"), int):
            raise StorageError(f"{path}: expected the audit trail's head")
        return AuditHead(head["count"], str(head["hash"]))

    def stream_audit(self) -> Iterator[AuditEntry | Unreadable]:
        path = self.directory / AUDIT
        if not path.exists():
            return
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    item = json.loads(line)
                    yield from_row([item[c] for c in COLUMNS])
                except (ValueError, KeyError, TypeError) as exc:
                    yield Unreadable(None, f"{path}, line {number}: {exc}")

    def write(
        self,
        changes: dict[str, Programme | None],
        progress: Progress | None,
        payments: list[dict[str, object]] | None = None,
        audit: list[AuditEntry] | None = None,
    ) -> None:
        """Write every change, or (after a crash) none, or all once the journal is written."""
        try:
            self._write(changes, progress, payments, audit)
        except BaseException:
            # e.g. text that UTF-8 cannot hold: no half-written ``.new`` file may be taken up
            # by the next write (the trail would get this failed unit's entries)
            if not (self.directory / JOURNAL).exists():
                self._forget_unfinished()
            raise

    def _write(
        self,
        changes: dict[str, Programme | None],
        progress: Progress | None,
        payments: list[dict[str, object]] | None,
        audit: list[AuditEntry] | None,
    ) -> None:
        plan: list[tuple[str, str | None]] = []
        if audit:
            tmp = self.directory / (AUDIT + ".new")
            if (self.directory / AUDIT).exists():
                shutil.copyfile(self.directory / AUDIT, tmp)
            else:
                tmp.write_bytes(b"")
            with tmp.open("a", encoding="utf-8") as handle:
                for entry in audit:
                    handle.write(json.dumps(entry.to_plain(), ensure_ascii=False) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            head = self.directory / (AUDIT_HEAD + ".new")
            with head.open("w", encoding="utf-8") as handle:
                json.dump({"count": audit[-1].seq, "hash": audit[-1].hash}, handle)
                handle.flush()
                os.fsync(handle.fileno())
            plan += [(AUDIT, tmp.name), (AUDIT_HEAD, head.name)]
        if payments is not None:
            tmp = self.directory / (PAYMENTS + ".new")
            with tmp.open("w", encoding="utf-8") as handle:
                json.dump(payments, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            plan.append((PAYMENTS, tmp.name))
        total = sum(len(p.records) + 1 for p in changes.values() if p is not None)
        done = 0
        for programme_id, programme in changes.items():
            target = self.path(programme_id)
            if programme is None:
                plan.append((target.name, None))
                continue
            tmp = target.with_name(target.name + ".new")
            with tmp.open("w", encoding="utf-8") as handle:
                records = programme.records
                head = attrs.evolve(programme, records=()) if records else programme
                handle.write(dump_value(head) + "\n")
                done += 1
                for i, record in enumerate(records, 1):
                    handle.write(dump_value(record) + "\n")
                    if progress is not None and i % 5000 == 0:
                        progress(done + i, total)
                done += len(records)
                handle.flush()
                os.fsync(handle.fileno())
            plan.append((target.name, tmp.name))
        journal = self.directory / JOURNAL
        with journal.open("w", encoding="utf-8") as handle:
            json.dump(plan, handle)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_dir(self.directory)
        self._recover()
        if progress is not None:
            progress(total, total)

    def _recover(self) -> None:
        """Finish a committed plan (the journal exists), or forget unfinished ``.new`` files."""
        journal = self.directory / JOURNAL
        if journal.exists():
            for name, new in json.loads(journal.read_text(encoding="utf-8")):
                target = self.directory / name
                if new is None:
                    target.unlink(missing_ok=True)
                elif (self.directory / new).exists():
                    os.replace(self.directory / new, target)
            _fsync_dir(self.directory)
            journal.unlink()
        self._forget_unfinished()

    def _forget_unfinished(self) -> None:
        """Remove the ``.new`` files of a write that did not reach its journal."""
        for leftover in (
            *self.directory.glob(f"*{SUFFIX}.new"),
            self.directory / (PAYMENTS + ".new"),
            self.directory / (AUDIT + ".new"),
            self.directory / (AUDIT_HEAD + ".new"),
        ):
            leftover.unlink(missing_ok=True)


class _Lock:
    """An exclusive ``flock`` on a file while the block runs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd = -1

    def __enter__(self) -> _Lock:
        self.fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


class _JsonlUnit(UnitOfWork):
    def __init__(self, storage: JsonlStorage, read_only: bool) -> None:
        super().__init__()
        self.s = storage
        self.read_only = read_only
        self.lock: _Lock | None = None
        self.changes: dict[str, Programme | None] = {}
        self.progress: Progress | None = None
        self.paid: list[dict[str, object]] | None = None
        """Every payment as this unit sees it (read on first use)."""
        self.paid_changed = False
        self.appended: list[AuditEntry] = []
        self.head: AuditHead | None = None

    def _begin(self) -> None:
        if not self.read_only:
            self.lock = self.s._locked().__enter__()

    def _commit(self) -> None:
        if self.changes or self.paid_changed or self.appended:
            self.s.write(
                self.changes,
                self.progress,
                self.paid if self.paid_changed else None,
                self.appended,
            )

    def _rollback(self) -> None:
        self.changes = {}
        self.paid, self.paid_changed = None, False
        self.appended = []

    def _close(self) -> None:
        if self.lock is not None:
            self.lock.__exit__()
            self.lock = None

    def _current(self, programme_id: str) -> Programme | None:
        if programme_id in self.changes:
            return self.changes[programme_id]
        return self.s.read(programme_id)

    def programme_ids(self) -> list[str]:
        self._require_open()
        ids = set(self.s.ids()) | {k for k, v in self.changes.items() if v is not None}
        return sorted(ids - {k for k, v in self.changes.items() if v is None})

    def exists(self, programme_id: str) -> bool:
        self._require_open()
        if programme_id in self.changes:
            return self.changes[programme_id] is not None
        return self.s.path(programme_id).exists()

    def _insert(self, programme: Programme, progress: Progress | None) -> None:
        self.changes[programme.id] = programme
        self.progress = progress

    def _remove(self, programme_id: str) -> None:
        self.changes[programme_id] = None

    def _load(self, programme_id: str) -> Programme:
        programme = self._current(programme_id)
        assert programme is not None
        return programme

    def _load_head(self, programme_id: str) -> Programme:
        if programme_id in self.changes:
            return super()._load_head(programme_id)
        return self.s.read_head(programme_id)

    def _start(self, programme_id: str) -> dt.date | None:
        programme = self._current(programme_id)
        return None if programme is None else programme.start

    def _records(
        self, programme_id: str, query: RecordQuery, programme_start: dt.date
    ) -> Iterator[ServiceRecord]:
        if programme_id in self.changes:
            changed = self.changes[programme_id]
            source: Iterator[ServiceRecord] = iter(changed.records if changed else ())
        else:
            source = self.s.stream(programme_id)
        return filter_records(source, query, programme_start)

    def _paid_rows(self) -> list[dict[str, object]]:
        if self.paid is None:
            self.paid = self.s.read_payments()
        return self.paid

    @staticmethod
    def _payment(row: dict[str, object]) -> Payment:
        stamp = row.get("recorded_at")
        return Payment(
            station=row["station"],
            year=row["year"],
            milestone=row["milestone"],
            amount=str(row["amount"]),
            paid_on=dt.date.fromisoformat(str(row["paid_on"])),
            by=row["by"],
            reference=row.get("reference"),
            recorded_at=None if stamp is None else dt.datetime.fromisoformat(str(stamp)),
        )

    def _insert_payment(self, programme_id: str, payment: Payment) -> Payment | None:
        rows = self._paid_rows()
        for row in rows:
            if row["programme_id"] == programme_id and self._payment(row).key == payment.key:
                return self._payment(row)
        stamp = payment.recorded_at
        rows.append(
            {
                "programme_id": programme_id,
                "station": payment.station,
                "year": payment.year,
                "milestone": payment.milestone.value,
                "amount": str(payment.amount),
                "paid_on": payment.paid_on.isoformat(),
                "by": payment.by,
                "reference": payment.reference,
                "recorded_at": None if stamp is None else stamp.isoformat(),
            }
        )
        self.paid_changed = True
        return None

    def _payments(self, programme_id: str, station: str | None) -> list[Payment]:
        return [
            self._payment(r)
            for r in self._paid_rows()
            if r["programme_id"] == programme_id and (station is None or r["station"] == station)
        ]

    # --- the audit trail (AUD-1): writers take turns on the lock file ---------------------------

    def _now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def _user(self) -> str:
        name = os.environ.get("SGZ_USER", "").strip()
        if name:
            return name
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return f"uid {os.getuid()}"

    def _read_audit_head(self) -> AuditHead:
        if self.head is None:
            self.head = self.s.read_audit_head()
        return self.head

    def _append_audit(self, entry: AuditEntry) -> None:
        self.appended.append(entry)
        self.head = AuditHead(entry.seq, entry.hash)

    def _audit_rows(
        self, programme_id: str | None, station: str | None
    ) -> Iterator[AuditEntry | Unreadable]:
        for entry in (
            (*self.s.stream_audit(), *self.appended) if self.appended else self.s.stream_audit()
        ):
            if isinstance(entry, Unreadable) or (
                (programme_id is None or entry.programme == programme_id)
                and (station is None or entry.station == station)
            ):
                yield entry


@hookimpl
def sgz_register_storage(register: Callable[[str, Callable[[str], Storage]], None]) -> None:
    """The ``jsonl`` scheme: ``jsonl:///path/to/directory``."""
    register("jsonl", JsonlStorage.from_url)
