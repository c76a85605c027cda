"""``sqlite:///path.db``: the embedded default, on the standard library's ``sqlite3``.

WAL journal (readers never block the writer), a busy timeout (a second writer waits instead of
failing), foreign keys on, ``BEGIN IMMEDIATE`` for every unit that writes (so two writers never
deadlock on a lock upgrade), bulk inserts with ``executemany``, no ORM. Each unit of work has a
connection of its own, taken from a small pool of idle ones. ``sqlite:///sgz.db`` is relative to the working directory,
``sqlite:////abs/path.db`` absolute; ``?timeout=SECONDS`` sets the busy timeout (default 60).

Readers open the file read-only (``file:…?mode=ro``), so a file that is not writable (chmod 444,
a read-only directory or medium) can still be read; opening such a file sets nothing up and
upgrades nothing, and a unit that writes to it is a :class:`StorageError` that says so. In a
directory that is not writable, where SQLite cannot create the WAL's shared-memory file, the
reader opens the file as immutable (nobody can be writing it there).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sgz_adapters import _gc
from sgz_adapters.storage import _audit, _export_rows, _ledger, _money, _station
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage._tabular import PROGRAMMES, RECORDS, Table
from sgz_core.audit import AuditEntry, AuditHead, AuditProblem, Unreadable, Verdict, from_row
from sgz_core.casework.counting import Counts
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.errors import InvalidInput, StorageError
from sgz_core.hookspecs import hookimpl
from sgz_core.jsonvalue import load_payload
from sgz_core.model import Programme, Station
from sgz_core.payments import Payment
from sgz_core.storage import (
    SCHEMA_VERSION,
    Progress,
    RecordQuery,
    Storage,
    UnitOfWork,
    money_part,
)

DIALECT = "sqlite"
BATCH = 5000
"""Rows per ``executemany`` call (and per progress report)."""
CACHE_KIB = 65536
"""Page cache per connection, in KiB (SQLite's default is 2 MiB). The ledger table has three
indexes besides its key; with the default cache a large import keeps evicting their pages and
runs about 1.5x slower. The cache only grows as pages are read."""
DEFER_INDEXES_FROM = 20_000
"""Records from which a save into an empty ledger drops its secondary indexes and rebuilds them
after the rows (issue 12): below it, keeping them up to date costs less than a rebuild."""
IMPORT_CACHE_KIB_PER_RECORD = 0.25
"""Page cache for a large first import, per record (issue 12): about what the ledger's rows and
their key take (some 250 bytes a record), so the table's pages stay in memory while its three
indexes are rebuilt instead of being spilled to the WAL and read back from it, and each rebuild
sorts in memory (SQLite sizes its sorter by the page cache). Measured on 1,000,000 records:
the default cache read 757 MB back, this one 241 MB (the checkpoint's own read of the WAL)."""
MAX_IMPORT_CACHE_KIB = 1024 * 1024
"""The largest page cache a first import takes (1 GiB, for four million records or more)."""
MAX_TIMEOUT = 86400.0
"""The longest busy timeout a URL may ask for, in seconds (a day)."""
POOL_SIZE = 4
"""Idle connections kept for the next unit of work. A kept connection keeps its page cache, so
repeated reads of the same records do not parse the same pages again (SQLite drops the cache
by itself when another connection has changed the file)."""

T = TypeVar("T")


def import_cache_kib(records: int) -> int:
    """The page cache (KiB) a large first import of ``records`` records takes: never less
    than the usual ``CACHE_KIB``, never more than ``MAX_IMPORT_CACHE_KIB``."""
    return int(min(MAX_IMPORT_CACHE_KIB, max(CACHE_KIB, records * IMPORT_CACHE_KIB_PER_RECORD)))


def _migrate_v2_move_records(conn: sqlite3.Connection) -> None:
    """Schema 2: a v1 ``records`` section becomes rows of the typed ledger table."""
    rows = conn.execute(
        "SELECT programme_id, payload FROM sections WHERE name = 'records'"
    ).fetchall()
    statement = sql.insert(RECORDS, "", DIALECT)
    for programme_id, payload in rows:
        items = load_payload(payload)
        conn.executemany(
            statement,
            (
                tabular.entity_row(RECORDS, (programme_id, pos), dict(item), dates_as_text=True)
                for pos, item in enumerate(items)
            ),
        )
    conn.execute("DELETE FROM sections WHERE name = 'records'")


MIGRATIONS: dict[int, Sequence[str | Callable[[sqlite3.Connection], None]]] = {
    1: [sql.create_version_table("", DIALECT)]
    + [s for t in sql.new_tables(1) for s in sql.create_table(t, "", DIALECT, version=1)],
    2: [s for t in sql.new_tables(2) for s in sql.create_table(t, "", DIALECT, version=2)]
    + [_migrate_v2_move_records],
    # schema 3 only adds: the fund ledger's tables and columns (receipts, hardship relief,
    # funding purposes, expense reasons) and the recorded payments
    3: [s for t in sql.new_tables(3) for s in sql.create_table(t, "", DIALECT, version=3)]
    + sql.add_columns(3, "", DIALECT)
    + [sql.create_payments("", DIALECT)],
    # schema 4 only adds: the audit trail (AUD-1) and its head
    4: sql.create_audit("", DIALECT),
}
"""What each schema version adds; opening an older database applies the missing ones in order."""


def _fail(exc: sqlite3.Error, path: str) -> StorageError:
    text = str(exc)
    if "readonly" in text:
        return StorageError(
            f"{path}: the database is read-only here (the file or its directory is not "
            f"writable): sgz can read it but not change it ({text})"
        )
    if "locked" in text or "busy" in text:
        return StorageError(
            f"{path}: the database stayed busy past the timeout; try again ({text})"
        )
    if "not a database" in text or "malformed" in text:
        return StorageError(f"{path}: not a usable sgz database ({text})")
    return StorageError(f"{path}: the database said: {text}")


def _split(url: str) -> urllib.parse.SplitResult:
    try:
        return urllib.parse.urlsplit(url)
    except ValueError as exc:  # a broken IPv6 host
        raise InvalidInput(f"database URL {url!r}: {exc}") from None


class SqliteStorage(Storage):
    """Programmes in one SQLite file."""

    def __init__(self, path: str | Path, *, timeout: float = 60.0, upgrade: bool = True) -> None:
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        self.timeout = timeout
        self.read_only = False
        """Whether the file can only be read here (set when opening finds it not writable)."""
        self._immutable = False
        self._idle: dict[bool, list[sqlite3.Connection]] = {False: [], True: []}
        self._idle_lock = threading.Lock()
        self._pid = os.getpid()
        self._version = self._open(upgrade)

    @classmethod
    def from_url(cls, url: str) -> SqliteStorage:
        return cls(cls.path_of(url), timeout=cls._options(url))

    @staticmethod
    def path_of(url: str) -> str:
        """The file a ``sqlite:///…`` URL names."""
        parts = _split(url)
        path = urllib.parse.unquote(parts.path)
        if parts.netloc not in ("", "localhost"):
            raise InvalidInput(
                f"database URL: expected sqlite:///relative.db or sqlite:////absolute.db, got {url!r}"
            )
        path = path[1:] if path.startswith("/") else path
        if "\x00" in path:
            raise InvalidInput(f"database URL {url!r}: expected a file name without NUL characters")
        if not path or path == ":memory:":
            raise InvalidInput(
                "database URL: sqlite needs a file (use memory:// for a store in memory)"
            )
        return path

    @staticmethod
    def _options(url: str) -> float:
        parts = _split(url)
        timeout = 60.0
        for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True):
            if key != "timeout":
                raise InvalidInput(
                    f"database URL {url!r}: unknown option {key!r}; expected timeout"
                )
            try:
                timeout = float(value)
            except ValueError:
                timeout = -1.0
            if not 0 <= timeout <= MAX_TIMEOUT:
                raise InvalidInput(
                    f"database URL {url!r}: timeout: expected seconds from 0 to {MAX_TIMEOUT:g}, "
                    f"got {value!r}"
                )
        return timeout

    # --- connections and schema ---------------------------------------------------------------

    def connect(self, read_only: bool = False) -> sqlite3.Connection:
        """A new connection with the adapter's settings (autocommit; units issue BEGIN);
        ``read_only`` opens the file with ``mode=ro`` (``immutable=1`` where it must)."""
        try:
            if read_only:
                uri = Path(self.path).absolute().as_uri()
                uri += "?immutable=1" if self._immutable else "?mode=ro"
                conn = sqlite3.connect(
                    uri,
                    timeout=self.timeout,
                    isolation_level=None,
                    check_same_thread=False,
                    uri=True,
                )
            else:
                conn = sqlite3.connect(
                    self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
                )
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            return conn
        except sqlite3.Error as exc:
            raise _fail(exc, self.path) from None

    def acquire(self, read_only: bool = False) -> sqlite3.Connection:
        """An idle connection from the pool, or a new one."""
        with self._idle_lock:
            if self._pid != os.getpid():  # a forked child never uses its parent's connections
                self._idle, self._pid = {False: [], True: []}, os.getpid()
            if self._idle[read_only]:
                return self._idle[read_only].pop()
        return self.connect(read_only)

    def release(self, conn: sqlite3.Connection, read_only: bool = False) -> None:
        """Back to the pool (outside any transaction), or closed when the pool is full."""
        with self._idle_lock:
            idle = self._idle[read_only]
            if self._pid == os.getpid() and not conn.in_transaction and len(idle) < POOL_SIZE:
                idle.append(conn)
                return
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def close(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, {False: [], True: []}
        for conn in (*idle[False], *idle[True]):
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def _open(self, upgrade: bool) -> int:
        try:
            return self._open_writable(upgrade)
        except StorageError as exc:
            if "read-only" not in str(exc) or not Path(self.path).is_file():
                raise
        self.read_only = True  # readable, not writable: read it as it is, change nothing
        try:
            version = self._open_read_only()
        except StorageError as exc:
            if "read-only" not in str(exc):
                raise
            self._immutable = True  # a directory where SQLite cannot create the -shm file
            version = self._open_read_only()
        if version < SCHEMA_VERSION:
            raise StorageError(
                f"{self.path}: schema {version} needs an upgrade to {SCHEMA_VERSION}, which "
                "writes, but the database is read-only here; make it writable and open it once"
            )
        return version

    def _open_read_only(self) -> int:
        conn = self.connect(read_only=True)
        try:
            return self._checked_version(conn)
        except sqlite3.Error as exc:
            raise _fail(exc, self.path) from None
        finally:
            conn.close()

    def _checked_version(self, conn: sqlite3.Connection) -> int:
        version = self._read_version(conn)
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path}: made by a newer sgz (schema {version}; this version knows "
                f"up to {SCHEMA_VERSION}); upgrade sgz to open it"
            )
        return version

    def _open_writable(self, upgrade: bool) -> int:
        conn = self.connect()
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StorageError(f"{self.path}: cannot use the WAL journal (got {mode})")
            version = self._checked_version(conn)
            if version < SCHEMA_VERSION and upgrade:
                version = self._upgrade(conn)
            if version == SCHEMA_VERSION and upgrade:
                self._add_indexes(conn)
            return version
        except sqlite3.Error as exc:
            raise _fail(exc, self.path) from None
        finally:
            conn.close()

    def _add_indexes(self, conn: sqlite3.Connection) -> None:
        """The indexes that only speed reads up (issue 12), created where missing: no schema
        version, since they change no row and an older sgz ignores them."""
        wanted = {
            name: statement
            for name, statement in zip(
                _station.index_names(DIALECT),
                _station.create_indexes("", DIALECT),
                strict=True,
            )
        }
        present = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        }
        missing = [s for name, s in wanted.items() if name not in present]
        if not missing:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in missing:
                conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _read_version(self, conn: sqlite3.Connection) -> int:
        found = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (sql.VERSION_TABLE,)
        ).fetchone()
        if found is None:
            others = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
            if others:
                raise StorageError(
                    f"{self.path}: not an sgz database: it has tables but no schema_version table"
                )
            return 0
        row = conn.execute(f"SELECT max(version) FROM {sql.VERSION_TABLE}").fetchone()
        return int(row[0] or 0)

    def _upgrade(self, conn: sqlite3.Connection) -> int:
        """Apply the missing migrations, each in its own transaction (another process may race)."""
        while True:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = self._read_version(conn)
                if version >= SCHEMA_VERSION:
                    conn.execute("COMMIT")
                    return version
                target = version + 1
                for step in MIGRATIONS[target]:
                    if isinstance(step, str):
                        conn.execute(step)
                    else:
                        step(conn)
                conn.execute(
                    f"INSERT INTO {sql.VERSION_TABLE} (version, applied) VALUES (?, ?)",
                    (target, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        return self._version

    @functools.cached_property
    def has_json(self) -> bool:
        """Whether this SQLite has the JSON functions (built in from 3.38; an option before)."""
        conn = self.connect(read_only=True)
        try:
            conn.execute("SELECT json_array_length('[]')")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            conn.close()

    def integrity_problems(self) -> list[str]:
        """What ``PRAGMA integrity_check`` and ``foreign_key_check`` report (empty: sound)."""
        conn = self.connect(read_only=True)
        try:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
            problems += [
                f"foreign key: {tuple(r)}" for r in conn.execute("PRAGMA foreign_key_check")
            ]
            return problems
        finally:
            conn.close()

    def unit_of_work(self) -> UnitOfWork:
        return _SqliteUnit(self, read_only=False)

    def reader(self) -> UnitOfWork:
        return _SqliteUnit(self, read_only=True)


class _SqliteUnit(UnitOfWork):
    def __init__(self, storage: SqliteStorage, read_only: bool) -> None:
        super().__init__()
        self._storage = storage
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    def _run(self, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except sqlite3.Error as exc:
            raise _fail(exc, self._storage.path) from None

    def _begin(self) -> None:
        if not self.read_only and self._storage.read_only:
            raise StorageError(
                f"{self._storage.path}: the database is read-only here (the file or its "
                "directory is not writable): sgz can read it but not change it"
            )
        if self._storage.schema_version < SCHEMA_VERSION and not self.read_only:
            raise StorageError(
                f"{self._storage.path}: schema {self._storage.schema_version} is "
                "older than this sgz writes; open it with upgrade=True"
            )
        self._conn = self._storage.acquire(self.read_only)
        self._run(lambda: self.conn.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE"))

    def _commit(self) -> None:
        self._run(lambda: self.conn.execute("COMMIT"))

    def _rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction:
            self._run(lambda: self.conn.execute("ROLLBACK"))

    def _close(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error:
                conn.close()  # not reusable
                raise
            self._storage.release(conn, self.read_only)

    def programme_ids(self) -> list[str]:
        self._require_open()
        rows = self._run(
            lambda: self.conn.execute("SELECT id FROM programmes ORDER BY id").fetchall()
        )
        return [r[0] for r in rows]

    def exists(self, programme_id: str) -> bool:
        self._require_open()
        row = self._run(
            lambda: self.conn.execute(
                "SELECT 1 FROM programmes WHERE id = ?", (programme_id,)
            ).fetchone()
        )
        return row is not None

    def _start(self, programme_id: str) -> dt.date | None:
        row = self._run(
            lambda: self.conn.execute(
                "SELECT start FROM programmes WHERE id = ?", (programme_id,)
            ).fetchone()
        )
        if row is None:
            return None
        try:
            day: dt.date = tabular.decode_cell("date", row[0])
        except tabular.BadCell as exc:
            raise tabular.corrupt(
                self._storage.path, PROGRAMMES, (programme_id,), "start", str(exc)
            ) from None
        return day

    def _insert(self, programme: Programme, progress: Progress | None) -> None:
        parts = tabular.to_rows(programme, dates_as_text=True)
        total = sum(p.count for p in parts)
        done = 0
        for part in parts:
            statement = sql.insert(part.table, "", DIALECT)
            rows = iter(part.rows)
            deferred = self._defer_indexes(part.table, part.count)
            if deferred:
                self._cache_kib(import_cache_kib(part.count))
            try:
                while batch := list(itertools.islice(rows, BATCH)):
                    self._run(functools.partial(self.conn.executemany, statement, batch))
                    done += len(batch)
                    if progress is not None:
                        progress(done, total)
                for statement in deferred:  # rebuilt in the same transaction: all or nothing
                    self._run(functools.partial(self.conn.execute, statement))
            finally:
                if deferred:  # the pooled connection goes back with the usual cache
                    self._cache_kib(CACHE_KIB)
        if progress is not None and total == 0:
            progress(0, 0)

    def _cache_kib(self, kib: int) -> None:
        """Set this connection's page cache (a setting of the connection, not of the file:
        it changes no row and nothing that makes a commit durable)."""
        self._run(functools.partial(self.conn.execute, f"PRAGMA cache_size = -{int(kib)}"))

    def _defer_indexes(self, table: Table, count: int) -> list[str]:
        """On a large first import (the ledger empty), drop the ledger's secondary indexes and
        return the statements that rebuild them: building an index once over sorted keys is
        faster than keeping it up to date row by row (issue 12). The drop and the rebuild are
        in the unit's transaction, so a failed or killed import leaves the indexes as they were."""
        if table is not RECORDS or count < DEFER_INDEXES_FROM:
            return []
        empty = self._run(
            lambda: self.conn.execute(f"SELECT 1 FROM {RECORDS.name} LIMIT 1").fetchone() is None
        )
        if not empty:
            return []
        rebuild = sql.create_table(RECORDS, "", DIALECT)[1:]
        names = [f"{RECORDS.name}_ix{i}" for i in range(len(RECORDS.indexes))]
        present = {
            r[0]
            for r in self._run(
                lambda: self.conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
                    (RECORDS.name,),
                ).fetchall()
            )
        }
        kept = [(n, s) for n, s in zip(names, rebuild, strict=True) if n in present]
        for name, _ in kept:
            self._run(functools.partial(self.conn.execute, f'DROP INDEX "{name}"'))
        return [s for _, s in kept]

    def _remove(self, programme_id: str) -> None:
        for table in reversed(tabular.tables()):
            self._run(
                functools.partial(
                    self.conn.execute, sql.delete(table, "", DIALECT), (programme_id,)
                )
            )

    def _rows(self, table: Table, programme_id: str) -> Iterator[Sequence[Any]]:
        where = ("id",) if table is PROGRAMMES else ("programme_id",)
        cursor = self._run(
            lambda: self.conn.execute(sql.select(table, "", DIALECT, where), (programme_id,))
        )
        return iter(cursor)

    def _load(self, programme_id: str, records: bool = True) -> Programme:
        return tabular.from_rows(
            lambda t: self._run(lambda: list(self._rows(t, programme_id))),
            self._storage.path,
            records=records,
        )

    def _load_head(self, programme_id: str) -> Programme:
        return self._load(programme_id, records=False)

    def _load_without_stations(self, programme_id: str) -> Programme:
        rows = _station.without_stations(
            lambda t: self._run(lambda: list(self._rows(t, programme_id)))
        )
        return tabular.from_rows(rows, self._storage.path, records=False)

    def _export_stations(self, programme_id: str, batch: int) -> Iterator[tuple[Station, ...]]:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            return self._run(lambda: self.conn.execute(text, list(params)).fetchall())

        return _export_rows.station_batches(
            execute, "", DIALECT, programme_id, self._storage.path, batch
        )

    def _load_check_head(self, programme_id: str) -> Programme:
        rows = _station.check_head_rows(
            lambda t: self._run(lambda: list(self._rows(t, programme_id)))
        )
        return tabular.from_rows(rows, self._storage.path, records=False)

    def _check_parts(self, programme_id: str, size: int) -> Iterator[Programme]:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            return self._run(lambda: self.conn.execute(text, list(params)).fetchall())

        end = _station.station_positions(execute, "", DIALECT, programme_id)
        for first in range(0, end, size):
            rows = _station.check_part_rows(execute, "", DIALECT, programme_id, first, first + size)
            part = tabular.from_rows(rows, self._storage.path)
            if part.stations:
                yield part

    def _load_money(self, programme_id: str) -> Programme:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            return self._run(lambda: self.conn.execute(text, list(params)).fetchall())

        return _money.load_money(
            execute,
            "",
            DIALECT,
            programme_id,
            self._storage.path,
            lambda: money_part(self._load_head(programme_id)),
        )

    def _load_station(self, programme_id: str, station_id: str) -> Programme:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            return self._run(lambda: self.conn.execute(text, list(params)).fetchall())

        rows = _station.station_rows(execute, "", DIALECT, programme_id, station_id)
        return tabular.from_rows(rows, self._storage.path)

    def _filtered(
        self,
        columns: str,
        programme_id: str,
        query: RecordQuery,
        programme_start: dt.date,
        tail: str = "ORDER BY pos",
    ) -> sqlite3.Cursor:
        start, end = query.date_range(programme_start)
        cond, params = sql.record_filter(
            query.station,
            query.domain,
            start and start.isoformat(),
            end and end.isoformat(),
            DIALECT,
        )
        text = f"SELECT {columns} FROM {RECORDS.name} WHERE programme_id = ?{cond} {tail}"
        return self._run(lambda: self.conn.execute(text, [programme_id, *params]))

    def ledger_counts(
        self,
        programme_id: str,
        query: RecordQuery | None = None,
        *,
        categories_of: Mapping[str, tuple[str, ...]] | None = None,
        until: dt.date | None = None,
    ) -> Counts:
        """Counted by the database (:mod:`sgz_adapters.storage._ledger`), where SQLite has JSON."""
        self._require_open()
        if not self._storage.has_json:
            return super().ledger_counts(
                programme_id, query, categories_of=categories_of, until=until
            )
        start = self.programme_start(programme_id)
        names = ", ".join(sql.quote(c.name, DIALECT) for c in RECORDS.all_columns)
        decode = tabular.record_codec(ServiceRecord, self._storage.path).decode

        def execute(text: str, params: Sequence[Any]) -> list[Any]:
            return self._run(lambda: self.conn.execute(text, list(params)).fetchall())

        def stream(cond: str, params: list[Any]) -> Iterator[ServiceRecord]:
            text = f"SELECT {names} FROM {RECORDS.name} WHERE programme_id = ?{cond} ORDER BY pos"
            return map(decode, self._run(lambda: self.conn.execute(text, [programme_id, *params])))

        def fetch(text: str, params: Sequence[Any]) -> Generator[Sequence[Any], None, None]:
            # the grouped rows as SQLite gives them, never all at once (issue 12)
            cursor = self._run(lambda: self.conn.execute(text, list(params)))
            try:
                while rows := self._run(lambda: cursor.fetchmany(_ledger.FETCH_ROWS)):
                    yield from rows
            finally:
                cursor.close()

        return _ledger.ledger_counts(
            execute,
            DIALECT,
            sql.quote(RECORDS.name, DIALECT),
            programme_id,
            start,
            query or RecordQuery(),
            categories_of,
            until,
            stream,
            date_param=dt.date.isoformat,
            fetch=fetch,
        )

    def _records(
        self, programme_id: str, query: RecordQuery, programme_start: dt.date
    ) -> Iterator[ServiceRecord]:
        names = ", ".join(sql.quote(c.name, DIALECT) for c in RECORDS.all_columns)
        cursor = self._filtered(names, programme_id, query, programme_start)
        return map(tabular.record_codec(ServiceRecord, self._storage.path).decode, cursor)

    def _insert_payment(self, programme_id: str, payment: Payment) -> Payment | None:
        row = tabular.payment_row(programme_id, payment, dates_as_text=True)
        try:
            self.conn.execute(sql.insert_payment("", DIALECT), row)
            return None
        except sqlite3.IntegrityError:  # the unique key: this tranche is paid already
            pass
        except sqlite3.Error as exc:
            raise _fail(exc, self._storage.path) from None
        key = (programme_id, payment.station, payment.year, payment.milestone.value)
        found = self._payment_rows(sql.select_payments("", DIALECT, station=True, key=True), key)
        if not found:
            raise StorageError(f"{self._storage.path}: a payment is both there and not there")
        return found[0]

    def _insert_payments(self, programme_id: str, payments: list[Payment]) -> list[Payment | None]:
        rows = tabular.payment_rows(programme_id, payments, dates_as_text=True)
        text = sql.insert_payment("", DIALECT, skip_duplicates=True)
        inserted = self._run(lambda: self.conn.executemany(text, rows).rowcount)
        if inserted == len(rows):
            return [None] * len(rows)
        return self._stored_instead(programme_id, payments)

    def _payment_rows(self, text: str, params: Sequence[Any]) -> list[Payment]:
        rows = self._run(lambda: self.conn.execute(text, list(params)).fetchall())
        with _gc.paused():  # a district's 27,000 payments make no cycles (issue 11)
            return [tabular.payment_from_row(r, str(params[0]), self._storage.path) for r in rows]

    def _payments(self, programme_id: str, station: str | None) -> list[Payment]:
        text = sql.select_payments("", DIALECT, station=station is not None)
        params = [programme_id] if station is None else [programme_id, station]
        return self._payment_rows(text, params)

    # --- the audit trail (AUD-1); writers take turns through BEGIN IMMEDIATE ----------------

    def _now(self) -> dt.datetime:
        return _audit.now()

    def _user(self) -> str:
        return _audit.login_name()

    def _record_count(self, programme_id: str) -> int:
        row = self._run(
            lambda: self.conn.execute(
                f"SELECT count(*) FROM {RECORDS.name} WHERE programme_id = ?", (programme_id,)
            ).fetchone()
        )
        return int(row[0])

    def _stored_head(self) -> AuditHead | AuditProblem:
        def fetch() -> Any:
            try:
                return self.conn.execute(sql.select_audit_head("", DIALECT)).fetchone()
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc):
                    raise
                return (None, None)  # a text that is not UTF-8: a row that holds no head

        return _audit.read_head(self._run(fetch))

    def _read_audit_head(self) -> AuditHead:
        head = self._stored_head()
        if not isinstance(head, AuditHead):
            raise StorageError(
                f"{self._storage.path}: the audit trail's head is missing or unreadable"
            )
        return head

    def _append_audit(self, entry: AuditEntry) -> None:
        row = _audit.row(entry)
        self._run(lambda: self.conn.execute(sql.insert_audit("", DIALECT), row))
        self._run(
            lambda: self.conn.execute(sql.update_audit_head("", DIALECT), (entry.seq, entry.hash))
        )

    def _append_audits(self, entries: Sequence[AuditEntry]) -> None:
        """The entries of an import's items (issue 11) in one ``executemany``, the head once."""
        if not entries:
            return
        rows = [_audit.row(e) for e in entries]
        last = entries[-1]
        self._run(lambda: self.conn.executemany(sql.insert_audit("", DIALECT), rows))
        self._run(
            lambda: self.conn.execute(sql.update_audit_head("", DIALECT), (last.seq, last.hash))
        )

    def _audit_rows(
        self, programme_id: str | None, station: str | None
    ) -> Iterator[AuditEntry | Unreadable]:
        text = sql.select_audit(
            "", DIALECT, programme=programme_id is not None, station=station is not None
        )
        params = [p for p in (programme_id, station) if p is not None]
        return map(from_row, self._decoded_rows(text, params, 0))

    def _decoded_rows(self, text: str, params: Sequence[object], start: int) -> Iterator[Any]:
        """The rows of ``text`` from row ``start`` on, one at a time. A row holding text that is
        not UTF-8 (bytes edited in outside sgz, which sqlite3 cannot decode) comes with each such
        value as its bytes, so that ``from_row`` reads it as :class:`Unreadable` and the trail
        names it (AUD-1) instead of the read failing; the rows after it follow."""
        offset = start
        while True:
            rest = functools.partial(
                self.conn.execute, f"{text} LIMIT -1 OFFSET ?", (*params, offset)
            )
            cursor = self._run(rest)
            try:
                for row in cursor:
                    offset += 1
                    yield row
                return
            except sqlite3.OperationalError as exc:
                if "decode" not in str(exc):
                    raise
            finally:
                cursor.close()
            yield self._undecoded_row(text, params, offset)
            offset += 1

    def _undecoded_row(self, text: str, params: Sequence[object], offset: int) -> tuple[Any, ...]:
        """Row ``offset`` of ``text`` with its texts read as bytes, and each that is UTF-8
        decoded again: the values that are not UTF-8 stay bytes."""
        factory = self.conn.text_factory
        self.conn.text_factory = bytes
        try:
            one = functools.partial(
                self.conn.execute, f"{text} LIMIT 1 OFFSET ?", (*params, offset)
            )
            cursor = self._run(one)
            row = cursor.fetchone()
            cursor.close()
        finally:
            self.conn.text_factory = factory
        return tuple(map(_utf8_or_bytes, row))

    def audit_verify(self) -> Verdict:
        """See :meth:`UnitOfWork.audit_verify`: the same verdict, from the rows checked a batch
        at a time (:func:`sgz_adapters.storage._audit.verify_batches`, issue 11)."""
        self._require_open()
        batches = self._audit_batches()
        return _audit.verify_batches(batches, self._stored_head())

    def _audit_batches(self) -> Iterator[list[Any]]:
        # Each cursor is closed when done with, also when the reading fails or stops early: a
        # statement left open keeps its read snapshot on the pooled connection.
        text = sql.select_audit("", DIALECT, programme=False, station=False)
        cursor = self._run(lambda: self.conn.execute(text))
        done = 0
        try:
            while True:
                try:
                    rows = cursor.fetchmany(_audit.BATCH)
                except sqlite3.OperationalError as exc:
                    if "decode" not in str(exc):
                        raise
                    # a row of this batch is not UTF-8 text ("could not decode"): read on from
                    # the batch's first row one row at a time, as audit_entries reads, so that
                    # that row is found unreadable, or a bad entry before it, where it is there
                    cursor.close()
                    yield from ([row] for row in self._decoded_rows(text, (), done))
                    return
                if not rows:
                    return
                done += len(rows)
                yield rows
        finally:
            cursor.close()


def _utf8_or_bytes(value: object) -> object:
    """``value``, or, for bytes that are UTF-8, their text."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value
    return value


@hookimpl
def sgz_register_storage(register: Callable[[str, Callable[[str], Storage]], None]) -> None:
    """The ``sqlite`` scheme (the default storage)."""
    register("sqlite", SqliteStorage.from_url)


__all__ = ["MIGRATIONS", "SqliteStorage"]
