"""Database servers: PostgreSQL (``postgresql://``, psycopg 3, ``COPY`` for bulk writes) and
MariaDB/MySQL (``mysql+pymysql://`` or ``mariadb://``, PyMySQL, multi-row ``INSERT``).

Install the driver with the ``postgres`` or ``mysql`` extra; this module imports it only when a
storage is opened. The schema is the one of :mod:`sgz_adapters.storage._tabular`, its tables named with a
prefix (``?prefix=sgz_`` by default), so several stores (or test runs) can share a database.
Every unit that writes first locks the schema-version rows (``SELECT … FOR UPDATE``), so writers
take turns like SQLite's, and a read-modify-write inside one unit never loses an update; readers
get one consistent snapshot (``REPEATABLE READ``) and never wait for writers.

    postgresql://postgres@127.0.0.1:5432/test
    mysql+pymysql://root@127.0.0.1:3306/test?prefix=district_a_
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import re
import threading
import urllib.parse
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from sgz_adapters import _gc
from sgz_adapters.storage import _audit, _export_rows, _ledger, _money, _station
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage._tabular import PROGRAMMES, RECORDS, Table
from sgz_adapters.storage._urls import redact, redact_text
from sgz_core.audit import AuditEntry, AuditHead, AuditProblem, Unreadable, Verdict, from_row
from sgz_core.casework.counting import Counts
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.errors import AlreadyExists, InvalidInput, StorageError
from sgz_core.hookspecs import hookimpl
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

BATCH = 5000
"""Rows per ``executemany`` call (MariaDB) and per progress report."""
DEFAULT_PREFIX = "sgz_"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_POOL_SIZE = 4

_CURSORS = itertools.count()
T = TypeVar("T")

POSTGRES_SCHEMES = ("postgresql", "postgres")
MYSQL_SCHEMES = ("mysql", "mariadb")


def _said(exc: BaseException) -> str:
    """The first line of what the driver said (kept as it said it, in both languages)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class ServerStorage(Storage):
    """Programmes in a PostgreSQL or MariaDB/MySQL database."""

    def __init__(self, url: str, *, prefix: str = DEFAULT_PREFIX, upgrade: bool = True) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
            options = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        except ValueError as exc:
            raise InvalidInput(f"database URL {redact(url)!r}: {redact_text(str(exc))}") from None
        scheme = parts.scheme.split("+", 1)[0].lower()
        if scheme in POSTGRES_SCHEMES:
            self.dialect = "postgresql"
        elif scheme in MYSQL_SCHEMES:
            self.dialect = "mysql"
        else:
            raise InvalidInput(
                f"database URL: expected postgresql:// or mysql://, got {redact(url)!r}"
            )
        prefix = options.pop("prefix", prefix)
        if not _PREFIX.match(prefix):
            raise InvalidInput(
                f"database URL {redact(url)!r}: prefix: expected lowercase letters, digits and _, "
                f"starting with a letter, got {prefix!r}"
            )
        if options:
            raise InvalidInput(
                f"database URL {redact(url)!r}: unknown option(s) {', '.join(sorted(options))}; "
                "expected prefix"
            )
        self.prefix = prefix
        self._parts = parts
        self.url = redact(url)
        self._pool: list[Any] = []
        self._pool_lock = threading.Lock()
        self._mysql_suffix = ""
        self._version = self._open(upgrade)

    @classmethod
    def from_url(cls, url: str) -> ServerStorage:
        return cls(url)

    # --- connections ------------------------------------------------------------------------

    def _errors(self) -> tuple[type[BaseException], ...]:
        if self.dialect == "postgresql":
            import psycopg

            return (psycopg.Error,)
        import pymysql

        return (pymysql.Error,)

    def fail(self, exc: BaseException) -> StorageError:
        return StorageError(f"{self.url}: the database said: {_said(exc)}")

    def connect(self) -> Any:
        """A new connection, not in autocommit: each unit is one transaction."""
        try:
            if self.dialect == "postgresql":
                return self._connect_postgres()
            return self._connect_mysql()
        except ImportError as exc:
            extra = "postgres" if self.dialect == "postgresql" else "mysql"
            raise StorageError(
                f"{self.url}: the database driver is not installed "
                f"(pip install 'sgz[{extra}]'): {exc}"
            ) from None
        except self._errors() as exc:
            raise StorageError(f"{self.url}: cannot connect: {_said(exc)}") from None

    def _connect_postgres(self) -> Any:
        import psycopg

        parts = self._parts
        conninfo = urllib.parse.urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
        return psycopg.connect(conninfo, autocommit=False, connect_timeout=10)

    def _connect_mysql(self) -> Any:
        import pymysql

        parts = self._parts
        return pymysql.connect(
            host=parts.hostname or "localhost",
            port=parts.port or 3306,
            user=urllib.parse.unquote(parts.username or "root"),
            password=urllib.parse.unquote(parts.password or ""),
            database=urllib.parse.unquote(parts.path.lstrip("/")) or None,
            charset="utf8mb4",
            autocommit=False,
            connect_timeout=10,
        )

    def acquire(self) -> Any:
        with self._pool_lock:
            if self._pool:
                return self._pool.pop()
        return self.connect()

    def release(self, conn: Any, healthy: bool) -> None:
        if healthy:
            with self._pool_lock:
                if len(self._pool) < _POOL_SIZE:
                    self._pool.append(conn)
                    return
        with contextlib.suppress(Exception):  # a broken connection may fail to close
            conn.close()

    def close(self) -> None:
        with self._pool_lock:
            idle, self._pool = self._pool, []
        for conn in idle:
            conn.close()

    def table(self, name: str) -> str:
        return sql.quote(self.prefix + name, self.dialect)

    # --- schema -----------------------------------------------------------------------------

    def _open(self, upgrade: bool) -> int:
        conn = self.connect()
        try:
            if self.dialect == "mysql":
                with conn.cursor() as cur:
                    cur.execute("SELECT VERSION()")
                    mariadb = "mariadb" in str(cur.fetchone()[0]).lower()
                collation = "utf8mb4_nopad_bin" if mariadb else "utf8mb4_0900_bin"
                self._mysql_suffix = f" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={collation}"
            version = self._read_version(conn)
            conn.rollback()
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.url}: made by a newer sgz (schema {version}; this version knows up to "
                    f"{SCHEMA_VERSION}); upgrade sgz to open it"
                )
            if version < SCHEMA_VERSION and upgrade:
                version = self._upgrade(conn)
            if version == SCHEMA_VERSION and upgrade:
                self._add_indexes(conn)
            return version
        except self._errors() as exc:
            raise self.fail(exc) from None
        finally:
            conn.close()

    def _read_version(self, conn: Any) -> int:
        with conn.cursor() as cur:
            if self.dialect == "postgresql":
                cur.execute("SELECT to_regclass(%s)", (f'"{self.prefix}{sql.VERSION_TABLE}"',))
                present = cur.fetchone()[0] is not None
            else:
                cur.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                    "DATABASE() AND table_name = %s",
                    (self.prefix + sql.VERSION_TABLE,),
                )
                present = cur.fetchone()[0] > 0
            if not present:
                return 0
            cur.execute(f"SELECT max(version) FROM {self.table(sql.VERSION_TABLE)}")
            return int(cur.fetchone()[0] or 0)

    @contextlib.contextmanager
    def _schema_lock(self, conn: Any) -> Iterator[None]:
        """A database-wide lock of this store's schema (its prefix), held by one connection at
        a time: the DDL of opening (versions, indexes) is not safe against another process's
        (PostgreSQL's ``CREATE INDEX IF NOT EXISTS`` of the same name in two sessions at once
        fails one of them on its catalogue's unique index)."""
        key = f"sgz-migrate:{self.prefix}"
        with conn.cursor() as cur:
            if self.dialect == "postgresql":
                cur.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
            else:
                cur.execute("SELECT GET_LOCK(%s, 120)", (key,))
        conn.commit()
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        finally:
            with conn.cursor() as cur:
                if self.dialect == "postgresql":
                    cur.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
                else:
                    cur.execute("SELECT RELEASE_LOCK(%s)", (key,))
            conn.commit()

    def _upgrade(self, conn: Any) -> int:
        """Apply the missing versions under the schema lock (another process may race)."""
        with self._schema_lock(conn):
            while True:
                version = self._read_version(conn)
                if version >= SCHEMA_VERSION:
                    conn.commit()
                    return version
                target = version + 1
                with conn.cursor() as cur:
                    if version == 0:
                        cur.execute(
                            sql.create_version_table(self.prefix, self.dialect, self._mysql_suffix)
                        )
                    for table in sql.new_tables(target):
                        for statement in sql.create_table(
                            table, self.prefix, self.dialect, self._mysql_suffix, target
                        ):
                            cur.execute(statement)
                    for statement in sql.add_columns(target, self.prefix, self.dialect):
                        cur.execute(statement)
                    if target == 3:
                        cur.execute(
                            sql.create_payments(self.prefix, self.dialect, self._mysql_suffix)
                        )
                    if target == 4:  # the audit trail (AUD-1), only added
                        for statement in sql.create_audit(
                            self.prefix, self.dialect, self._mysql_suffix
                        ):
                            cur.execute(statement)
                    cur.execute(
                        f"INSERT INTO {self.table(sql.VERSION_TABLE)} (version, applied) "
                        "VALUES (%s, %s)",
                        (target, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")),
                    )
                conn.commit()

    def _add_indexes(self, conn: Any) -> None:
        """The indexes that only speed reads up (issue 12), created where the catalogue lacks
        them (so that opening takes no table lock when they are there): no schema version."""
        if not self._missing_indexes(conn):
            return  # the usual case: no lock taken
        with self._schema_lock(conn):  # another process may be creating them too
            missing = self._missing_indexes(conn)
            with conn.cursor() as cur:
                for name, statement in zip(
                    self._index_names(),
                    _station.create_indexes(self.prefix, self.dialect),
                    strict=True,
                ):
                    if name in missing:
                        cur.execute(statement)
                        conn.commit()

    def _index_names(self) -> list[str]:
        return [self.prefix + name for name in _station.index_names(self.dialect)]

    def _missing_indexes(self, conn: Any) -> set[str]:
        """The names of the read indexes the catalogue lacks."""
        names = self._index_names()
        with conn.cursor() as cur:
            if self.dialect == "postgresql":
                cur.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", (names,))
            else:
                cur.execute(
                    "SELECT DISTINCT index_name FROM information_schema.statistics WHERE "
                    "table_schema = DATABASE() AND index_name IN "
                    f"({sql.placeholders(len(names), self.dialect)})",
                    names,
                )
            present = {str(r[0]) for r in cur.fetchall()}
        conn.commit()
        return set(names) - present

    @property
    def schema_version(self) -> int:
        return self._version

    def drop_all(self) -> None:
        """Drop every table of this store (its prefix); for tests and for removing sgz."""
        self.close()
        conn = self.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f"DROP TABLE IF EXISTS {self.table(sql.AUDIT)}")
                cur.execute(f"DROP TABLE IF EXISTS {self.table(sql.AUDIT_HEAD)}")
                cur.execute(f"DROP TABLE IF EXISTS {self.table(sql.PAYMENTS)}")
                for table in reversed((*tabular.tables(),)):
                    cur.execute(f"DROP TABLE IF EXISTS {self.table(table.name)}")
                cur.execute(f"DROP TABLE IF EXISTS {self.table(sql.VERSION_TABLE)}")
            conn.commit()
        finally:
            conn.close()

    def unit_of_work(self) -> UnitOfWork:
        return _ServerUnit(self, read_only=False)

    def reader(self) -> UnitOfWork:
        return _ServerUnit(self, read_only=True)


class _ServerUnit(UnitOfWork):
    def __init__(self, storage: ServerStorage, read_only: bool) -> None:
        super().__init__()
        self.s = storage
        self.read_only = read_only
        self.conn: Any = None
        self._healthy = True

    def _run(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except self.s._errors() as exc:
            self._healthy = False
            raise self._translate(exc) from None

    def _translate(self, exc: BaseException) -> Exception:
        text = str(exc)
        if self.s.dialect == "postgresql":
            import psycopg.errors

            if isinstance(exc, psycopg.errors.UniqueViolation) and "programmes_pkey" in text:
                return AlreadyExists(
                    "programme", "(saved concurrently)", "another writer saved it first"
                )
        return self.s.fail(exc)

    def _cursor(self) -> Any:
        return self.conn.cursor()

    def _exec(self, statement: str, params: Sequence[Any] = ()) -> Any:
        def go() -> Any:
            cur = self._cursor()
            cur.execute(statement, params)
            return cur

        return self._run(go)

    def _begin(self) -> None:
        if self.s.schema_version < SCHEMA_VERSION and not self.read_only:
            raise StorageError(
                f"{self.s.url}: schema {self.s.schema_version} is older than this "
                "sgz writes; open it with upgrade=True"
            )
        self.conn = self._run(self.s.acquire)
        if self.s.dialect == "postgresql":
            if self.read_only:
                self._exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        elif self.read_only:
            self._exec("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        else:
            self._exec("START TRANSACTION")
        if not self.read_only:  # writers take turns: lock the schema-version rows
            self._exec(
                f"SELECT version FROM {self.s.table(sql.VERSION_TABLE)} FOR UPDATE"
            ).fetchall()

    def _commit(self) -> None:
        self._run(self.conn.commit)

    def _rollback(self) -> None:
        if self.conn is not None:
            self._run(self.conn.rollback)

    def _close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.rollback()
            except Exception:
                self._healthy = False
            self.s.release(self.conn, self._healthy)
            self.conn = None

    def programme_ids(self) -> list[str]:
        self._require_open()
        cur = self._exec(f"SELECT id FROM {self.s.table('programmes')} ORDER BY id")
        return sorted(r[0] for r in cur.fetchall())

    def exists(self, programme_id: str) -> bool:
        self._require_open()
        cur = self._exec(
            f"SELECT 1 FROM {self.s.table('programmes')} WHERE id = %s", (programme_id,)
        )
        return cur.fetchone() is not None

    def _start(self, programme_id: str) -> dt.date | None:
        cur = self._exec(
            f"SELECT start FROM {self.s.table('programmes')} WHERE id = %s", (programme_id,)
        )
        row = cur.fetchone()
        if row is None:
            return None
        if type(row[0]) is not dt.date:
            raise tabular.corrupt(
                self.s.url, PROGRAMMES, (programme_id,), "start", f"expected a date, got {row[0]!r}"
            )
        return row[0]

    def _insert(self, programme: Programme, progress: Progress | None) -> None:
        parts = tabular.to_rows(programme)
        total = sum(p.count for p in parts)
        done = 0
        for part in parts:
            rows = iter(part.rows)
            while batch := list(itertools.islice(rows, BATCH)):
                self._run(functools.partial(self._write, part.table, batch))
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        if progress is not None and total == 0:
            progress(0, 0)

    def _write(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        if self.s.dialect == "postgresql":
            names = ", ".join(sql.quote(c.name, "postgresql") for c in table.all_columns)
            with (
                self._cursor() as cur,
                cur.copy(f"COPY {self.s.table(table.name)} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            with self._cursor() as cur:
                cur.executemany(sql.insert(table, self.s.prefix, "mysql"), rows)

    def _remove(self, programme_id: str) -> None:
        for table in reversed(tabular.tables()):
            self._exec(sql.delete(table, self.s.prefix, self.s.dialect), (programme_id,))

    def _rows(self, table: Table, programme_id: str) -> list[Sequence[Any]]:
        where = ("id",) if table is PROGRAMMES else ("programme_id",)
        cur = self._exec(sql.select(table, self.s.prefix, self.s.dialect, where), (programme_id,))
        rows: list[Sequence[Any]] = cur.fetchall()
        return rows

    def _load(self, programme_id: str, records: bool = True) -> Programme:
        return tabular.from_rows(lambda t: self._rows(t, programme_id), self.s.url, records=records)

    def _load_head(self, programme_id: str) -> Programme:
        return self._load(programme_id, records=False)

    def _load_without_stations(self, programme_id: str) -> Programme:
        rows = _station.without_stations(lambda t: self._rows(t, programme_id))
        return tabular.from_rows(rows, self.s.url, records=False)

    def _export_stations(self, programme_id: str, batch: int) -> Iterator[tuple[Station, ...]]:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            rows: list[Sequence[Any]] = self._exec(text, list(params)).fetchall()
            return rows

        return _export_rows.station_batches(
            execute, self.s.prefix, self.s.dialect, programme_id, self.s.url, batch
        )

    def _load_check_head(self, programme_id: str) -> Programme:
        rows = _station.check_head_rows(lambda t: self._rows(t, programme_id))
        return tabular.from_rows(rows, self.s.url, records=False)

    def _check_parts(self, programme_id: str, size: int) -> Iterator[Programme]:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            rows: list[Sequence[Any]] = self._exec(text, list(params)).fetchall()
            return rows

        p, d = self.s.prefix, self.s.dialect
        end = _station.station_positions(execute, p, d, programme_id)
        for first in range(0, end, size):
            rows = _station.check_part_rows(execute, p, d, programme_id, first, first + size)
            part = tabular.from_rows(rows, self.s.url)
            if part.stations:
                yield part

    def _load_money(self, programme_id: str) -> Programme:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            rows: list[Sequence[Any]] = self._exec(text, list(params)).fetchall()
            return rows

        return _money.load_money(
            execute,
            self.s.prefix,
            self.s.dialect,
            programme_id,
            self.s.url,
            lambda: money_part(self._load_head(programme_id)),
        )

    def _load_station(self, programme_id: str, station_id: str) -> Programme:
        def execute(text: str, params: Sequence[Any]) -> list[Sequence[Any]]:
            rows: list[Sequence[Any]] = self._exec(text, list(params)).fetchall()
            return rows

        rows = _station.station_rows(
            execute, self.s.prefix, self.s.dialect, programme_id, station_id
        )
        return tabular.from_rows(rows, self.s.url)

    def ledger_counts(
        self,
        programme_id: str,
        query: RecordQuery | None = None,
        *,
        categories_of: Mapping[str, tuple[str, ...]] | None = None,
        until: dt.date | None = None,
    ) -> Counts:
        """Counted by the database (:mod:`sgz_adapters.storage._ledger`)."""
        self._require_open()
        start = self.programme_start(programme_id)
        names = ", ".join(sql.quote(c.name, self.s.dialect) for c in RECORDS.all_columns)
        table = self.s.table(RECORDS.name)

        def execute(text: str, params: Sequence[Any]) -> list[Any]:
            if self.s.dialect != "postgresql":
                rows: list[Any] = self._exec(text, list(params)).fetchall()
                return rows
            # a failed statement aborts a PostgreSQL transaction: keep it usable for the
            # streamed recount that names the bad cell (see _ledger)
            self._exec("SAVEPOINT sgz_count")
            try:
                rows = self._exec(text, list(params)).fetchall()
            except StorageError:
                self._exec("ROLLBACK TO SAVEPOINT sgz_count")
                raise
            self._exec("RELEASE SAVEPOINT sgz_count")
            return rows

        def stream(cond: str, params: list[Any]) -> Iterator[ServiceRecord]:
            text = f"SELECT {names} FROM {table} WHERE programme_id = %s{cond} ORDER BY pos"
            return self._stream(text, [programme_id, *params])

        def fetch(text: str, params: Sequence[Any]) -> Generator[Sequence[Any], None, None]:
            # the grouped rows, never as Python lists of every group (issue 12): PostgreSQL
            # keeps the result in libpq's compact buffer and makes the rows one batch at a
            # time (its errors come at execute, inside the savepoint as above); MariaDB
            # streams them through an unbuffered cursor
            if self.s.dialect == "postgresql":
                self._exec("SAVEPOINT sgz_count")
                try:
                    cur = self._exec(text, list(params))
                except StorageError:
                    self._exec("ROLLBACK TO SAVEPOINT sgz_count")
                    raise
                self._exec("RELEASE SAVEPOINT sgz_count")
            else:
                import pymysql.cursors

                cur = self.conn.cursor(pymysql.cursors.SSCursor)
                self._run(lambda: cur.execute(text, list(params)))
            try:
                while rows := self._run(lambda: cur.fetchmany(_ledger.FETCH_ROWS)):
                    yield from rows
            finally:
                cur.close()

        return _ledger.ledger_counts(
            execute,
            self.s.dialect,
            table,
            programme_id,
            start,
            query or RecordQuery(),
            categories_of,
            until,
            stream,
            fetch=fetch,
        )

    def _records(
        self, programme_id: str, query: RecordQuery, programme_start: dt.date
    ) -> Iterator[ServiceRecord]:
        start, end = query.date_range(programme_start)
        cond, params = sql.record_filter(query.station, query.domain, start, end, self.s.dialect)
        names = ", ".join(sql.quote(c.name, self.s.dialect) for c in RECORDS.all_columns)
        text = (
            f"SELECT {names} FROM {self.s.table(RECORDS.name)} "
            f"WHERE programme_id = %s{cond} ORDER BY pos"
        )
        return self._stream(text, [programme_id, *params])

    def _stream(self, text: str, params: list[Any]) -> Iterator[ServiceRecord]:
        return self._stream_rows(
            text, params, tabular.record_codec(ServiceRecord, self.s.url).decode
        )

    def _stream_rows(self, text: str, params: list[Any], decode: Callable[[Any], T]) -> Iterator[T]:
        for rows in self._stream_batches(text, params):
            yield from map(decode, rows)

    def _stream_batches(
        self, text: str, params: list[Any], size: int = 2000
    ) -> Iterator[list[Any]]:
        """The rows of ``text`` from a server-side cursor, ``size`` at a time."""
        if self.s.dialect == "postgresql":
            cur = self.conn.cursor(name=f"sgz_rows_{id(self)}_{next(_CURSORS)}")  # server side
            cur.itersize = size
        else:
            import pymysql.cursors

            cur = self.conn.cursor(pymysql.cursors.SSCursor)
        try:
            self._run(lambda: cur.execute(text, params))
            while rows := self._run(lambda: cur.fetchmany(size)):
                yield list(rows)
        finally:
            cur.close()

    def _is_duplicate(self, exc: BaseException) -> bool:
        if self.s.dialect == "postgresql":
            import psycopg.errors

            return isinstance(exc, psycopg.errors.UniqueViolation)
        import pymysql

        return isinstance(exc, pymysql.err.IntegrityError) and exc.args[:1] == (1062,)

    def _insert_payment(self, programme_id: str, payment: Payment) -> Payment | None:
        row = tabular.payment_row(programme_id, payment)
        statement = sql.insert_payment(self.s.prefix, self.s.dialect)
        postgres = self.s.dialect == "postgresql"
        # a failed statement aborts a PostgreSQL transaction: a savepoint keeps the unit usable
        if postgres:
            self._exec("SAVEPOINT sgz_pay")
        try:
            with self._cursor() as cur:
                cur.execute(statement, row)
        except self.s._errors() as exc:
            if not self._is_duplicate(exc):
                self._healthy = False
                raise self._translate(exc) from None
            if postgres:
                self._exec("ROLLBACK TO SAVEPOINT sgz_pay")
        else:
            if postgres:
                self._exec("RELEASE SAVEPOINT sgz_pay")
            return None
        key = (programme_id, payment.station, payment.year, payment.milestone.value)
        text = sql.select_payments(self.s.prefix, self.s.dialect, station=True, key=True)
        found = self._payment_rows(text, key)
        if not found:
            raise StorageError(f"{self.s.url}: a payment is both there and not there")
        return found[0]

    def _insert_payments(self, programme_id: str, payments: list[Payment]) -> list[Payment | None]:
        rows = tabular.payment_rows(programme_id, payments)
        text = sql.insert_payment(self.s.prefix, self.s.dialect, skip_duplicates=True)

        def go() -> int:
            with self._cursor() as cur:
                cur.executemany(text, rows)
                return int(cur.rowcount)

        inserted = self._run(go)
        # MariaDB may count a skipped duplicate as a row (CLIENT_FOUND_ROWS): look then too
        if inserted == len(rows) and self.s.dialect == "postgresql":
            return [None] * len(rows)
        return self._stored_instead(programme_id, payments)

    def _payment_rows(self, text: str, params: Sequence[Any]) -> list[Payment]:
        rows = self._exec(text, list(params)).fetchall()
        with _gc.paused():  # a district's 27,000 payments make no cycles (issue 11)
            return [tabular.payment_from_row(r, str(params[0]), self.s.url) for r in rows]

    def _payments(self, programme_id: str, station: str | None) -> list[Payment]:
        text = sql.select_payments(self.s.prefix, self.s.dialect, station=station is not None)
        params = [programme_id] if station is None else [programme_id, station]
        return self._payment_rows(text, params)

    # --- the audit trail (AUD-1) --------------------------------------------------------------
    # Writers already take turns on the schema-version rows; a writer also locks the head row
    # (FOR UPDATE) before appending, and ``seq`` is the primary key, so two writers can never
    # append the same number: the second waits, then reads the first one's head.

    def _now(self) -> dt.datetime:
        return _audit.now()

    def _user(self) -> str:
        return _audit.login_name()

    def _record_count(self, programme_id: str) -> int:
        cur = self._exec(
            f"SELECT count(*) FROM {self.s.table(RECORDS.name)} WHERE programme_id = %s",
            (programme_id,),
        )
        return int(cur.fetchone()[0])

    def _stored_head(self) -> AuditHead | AuditProblem:
        text = sql.select_audit_head(self.s.prefix, self.s.dialect, lock=not self.read_only)
        return _audit.read_head(self._exec(text).fetchone())

    def _read_audit_head(self) -> AuditHead:
        head = self._stored_head()
        if not isinstance(head, AuditHead):
            raise StorageError(f"{self.s.url}: the audit trail's head is missing or unreadable")
        return head

    def _append_audit(self, entry: AuditEntry) -> None:
        self._exec(sql.insert_audit(self.s.prefix, self.s.dialect), _audit.row(entry))
        self._exec(sql.update_audit_head(self.s.prefix, self.s.dialect), (entry.seq, entry.hash))

    def _append_audits(self, entries: Sequence[AuditEntry]) -> None:
        """The entries of an import's items (issue 11) in ``executemany`` batches, the head
        once; ``seq`` stays the primary key, so a clash still fails the unit."""
        if not entries:
            return
        text = sql.insert_audit(self.s.prefix, self.s.dialect)
        rows = iter([_audit.row(e) for e in entries])
        while batch := list(itertools.islice(rows, BATCH)):

            def go(batch: list[tuple[object, ...]] = batch) -> None:
                with self._cursor() as cur:
                    cur.executemany(text, batch)

            self._run(go)
        last = entries[-1]
        self._exec(sql.update_audit_head(self.s.prefix, self.s.dialect), (last.seq, last.hash))

    def _audit_rows(
        self, programme_id: str | None, station: str | None
    ) -> Iterator[AuditEntry | Unreadable]:
        text = sql.select_audit(
            self.s.prefix,
            self.s.dialect,
            programme=programme_id is not None,
            station=station is not None,
        )
        params = [p for p in (programme_id, station) if p is not None]
        return self._stream_rows(text, params, from_row)

    def audit_verify(self) -> Verdict:
        """See :meth:`UnitOfWork.audit_verify`: the same verdict, from the rows checked a batch
        at a time (:func:`sgz_adapters.storage._audit.verify_batches`, issue 11)."""
        self._require_open()
        text = sql.select_audit(self.s.prefix, self.s.dialect, programme=False, station=False)
        batches = self._stream_batches(text, [], _audit.BATCH)
        return _audit.verify_batches(batches, self._stored_head())


@hookimpl
def sgz_register_storage(register: Callable[[str, Callable[[str], Storage]], None]) -> None:
    """``postgresql``/``postgres`` (psycopg 3) and ``mysql``/``mariadb`` (PyMySQL)."""
    for scheme in (*POSTGRES_SCHEMES, *MYSQL_SCHEMES):
        register(scheme, ServerStorage.from_url)


__all__ = ["DEFAULT_PREFIX", "ServerStorage", "redact"]
