"""The PostgreSQL and MariaDB adapters pass the storage conformance kit on the real servers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sgz_adapters.messages import english_left, in_chinese
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage import open_storage
from sgz_adapters.storage.sql import ServerStorage, redact
from sgz_core.audit import COLUMNS
from sgz_core.errors import InvalidInput, StorageError
from sgz_core.programme_file import loads
from sgz_core.storage import SCHEMA_VERSION, Storage
from sgz_core.testing import StorageContract

from .conftest import EXAMPLE_TEXT, require, unique_prefix

pytestmark = pytest.mark.db


_FREE: dict[str, list[ServerStorage]] = {"postgresql": [], "mysql": []}
"""Emptied stores for reuse: creating eleven tables per test would cost more than the test."""


@pytest.fixture(scope="module", autouse=True)
def _drop_pooled_stores() -> Iterator[None]:
    yield
    for stores in _FREE.values():
        while stores:
            stores.pop().drop_all()


def _empty(storage: ServerStorage) -> None:
    conn = storage.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(f"DELETE FROM {storage.table(sql.PAYMENTS)}")
            cur.execute(f"DELETE FROM {storage.table(sql.AUDIT)}")
            cur.execute(
                f"UPDATE {storage.table(sql.AUDIT_HEAD)} SET seq = 0, hash = %s", ("0" * 64,)
            )
            for table in reversed(tabular.tables()):
                cur.execute(f"DELETE FROM {storage.table(table.name)}")
        conn.commit()
    finally:
        conn.close()


class _ServerContract(StorageContract):
    kind = ""

    def make_storage(self) -> Storage:
        url = require(self.kind)
        if _FREE[self.kind]:
            return _FREE[self.kind].pop()
        return ServerStorage(url, prefix=unique_prefix())

    def reopen(self, storage: Storage) -> Storage:
        assert isinstance(storage, ServerStorage)
        return ServerStorage(require(self.kind), prefix=storage.prefix)

    def discard(self, storage: Storage) -> None:
        assert isinstance(storage, ServerStorage)
        _empty(storage)

    def corrupt_record(
        self, storage: Storage, programme_id: str, position: int, field: str, text: str
    ) -> bool:
        assert isinstance(storage, ServerStorage)
        column = next(c for c in tabular.RECORDS.columns if c.path == (field,))
        if column.kind not in ("key", "text", "decimal", "json"):
            return False  # a typed column: the server refuses the text, or converts it
        conn = storage.connect()
        try:
            with conn.cursor() as cur:
                q = sql.quote(column.name, storage.dialect)
                cur.execute(
                    f"UPDATE {storage.table('service_records')} SET {q} = %s "
                    "WHERE programme_id = %s AND pos = %s",
                    (text, programme_id, position),
                )
            conn.commit()
        finally:
            conn.close()
        return True

    def audit_rows(self, storage: Storage) -> list[dict[str, object]]:
        assert isinstance(storage, ServerStorage)
        names = ", ".join(sql.quote(c, storage.dialect) for c in sql.AUDIT_COLUMNS)
        conn = storage.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f"SELECT {names} FROM {storage.table(sql.AUDIT)} ORDER BY seq")
                rows = cur.fetchall()
            conn.commit()
        finally:
            conn.close()
        return [dict(zip(COLUMNS, row, strict=True)) for row in rows]

    def write_audit_rows(self, storage: Storage, rows: list[dict[str, object]]) -> None:
        assert isinstance(storage, ServerStorage)
        conn = storage.connect()
        try:
            with conn.cursor() as cur:
                cur.execute(f"DELETE FROM {storage.table(sql.AUDIT)}")
                for row in rows:
                    cur.execute(
                        sql.insert_audit(storage.prefix, storage.dialect),
                        tuple(row[c] for c in COLUMNS),
                    )
            conn.commit()
        finally:
            conn.close()


class TestPostgresStorage(_ServerContract):
    kind = "postgresql"


class TestMariadbStorage(_ServerContract):
    kind = "mysql"


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_open_storage_by_url_and_prefix(server_storage: ServerStorage) -> None:
    url = require("postgresql" if server_storage.dialect == "postgresql" else "mysql")
    with open_storage(f"{url}?prefix={server_storage.prefix}") as same:
        assert isinstance(same, ServerStorage) and same.prefix == server_storage.prefix
        assert same.schema_version == SCHEMA_VERSION
        programme = loads(EXAMPLE_TEXT)
        same.save(programme)
    assert server_storage.load(programme.id) == programme


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_a_newer_schema_is_refused(server_storage: ServerStorage) -> None:
    conn = server_storage.connect()
    with conn.cursor() as cur:
        cur.execute(
            f"INSERT INTO {server_storage.table('schema_version')} VALUES (%s, 'later')",
            (SCHEMA_VERSION + 1,),
        )
    conn.commit()
    conn.close()
    url = require(server_storage.dialect)
    with pytest.raises(StorageError, match="newer sgz") as caught:
        ServerStorage(url, prefix=server_storage.prefix)
    zh = in_chinese(str(caught.value))
    assert zh is not None and "由更新版本的 sgz 创建" in zh and not english_left(zh), zh


def test_urls_are_checked_and_passwords_never_shown() -> None:
    assert redact("postgresql://u:secret@h/db") == "postgresql://u:***@h/db"
    with pytest.raises(InvalidInput, match="prefix"):
        ServerStorage("postgresql://u@127.0.0.1:1/db?prefix=Bad-Prefix")
    with pytest.raises(InvalidInput, match="unknown option"):
        ServerStorage("postgresql://u@127.0.0.1:1/db?sslmode=x")
    with pytest.raises(StorageError) as caught:
        ServerStorage("postgresql://u:secret@127.0.0.1:1/db")
    assert "secret" not in str(caught.value) and "cannot connect" in str(caught.value)
    zh = in_chinese(str(caught.value))  # issue 9 §4: the driver's own words quoted in 「…」
    assert zh is not None and "无法连接：「" in zh and not english_left(zh), zh


def test_a_url_the_parser_refuses_never_shows_its_password() -> None:
    """urllib quotes the netloc in its message (a full-width colon fails NFKC normalisation);
    the password in it is redacted too (found by the hostile-URL property)."""
    url = "postgresql://u:secret@127.0.0.1:\uff1a/db"
    for opening in (ServerStorage, open_storage):
        with pytest.raises(InvalidInput) as caught:
            opening(url)
        assert "secret" not in str(caught.value) and "u:***@" in str(caught.value)


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_a_version_2_schema_is_upgraded_in_place(server_storage: ServerStorage) -> None:
    """Schema 3 only adds (the fund ledger's tables and columns): a v2 store keeps its rows."""
    from .test_storage_sqlite import ledgered, schema_2_only

    programme = schema_2_only(loads(EXAMPLE_TEXT))
    server_storage.save(programme)
    server_storage.close()
    conn = server_storage.connect()  # back to schema 2, as an older sgz left it
    with conn.cursor() as cur:
        for table in reversed(sql.new_tables(3)):
            cur.execute(f"DROP TABLE {server_storage.table(table.name)}")
        for table, column in (("funding", "purposes"), ("expenses", "reason")):
            q = sql.quote(column, server_storage.dialect)
            cur.execute(f"ALTER TABLE {server_storage.table(table)} DROP COLUMN {q}")
        for name in (sql.AUDIT, sql.AUDIT_HEAD):
            cur.execute(f"DROP TABLE {server_storage.table(name)}")
        cur.execute(f"DELETE FROM {server_storage.table('schema_version')} WHERE version >= 3")
    conn.commit()
    conn.close()
    url = require(server_storage.dialect)
    assert ServerStorage(url, prefix=server_storage.prefix, upgrade=False).schema_version == 2
    upgraded = ServerStorage(url, prefix=server_storage.prefix)
    try:
        assert upgraded.schema_version == SCHEMA_VERSION == 4
        assert upgraded.load(programme.id) == programme
        richer = ledgered(programme)
        upgraded.save(richer, replace=True)
        assert ServerStorage(url, prefix=server_storage.prefix).load(programme.id) == richer
    finally:
        upgraded.close()


@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_a_version_3_schema_gains_the_audit_trail_in_place(server_storage: ServerStorage) -> None:
    """Schema 4 only adds (the audit trail): a v3 store keeps its rows and payments, and its
    trail starts whole, empty, at the next operation."""
    import datetime as dt
    from decimal import Decimal

    from sgz_core.audit import AuditAction
    from sgz_core.enums import Milestone
    from sgz_core.payments import Payment

    programme = loads(EXAMPLE_TEXT)
    server_storage.save(programme)
    paid = Payment(
        "zhengning",
        1,
        Milestone.CONTRACT_SIGNED,
        Decimal("90000.00"),
        dt.date(2024, 7, 2),
        "李会计",
    )
    server_storage.record_payment(programme.id, paid)
    server_storage.close()
    conn = server_storage.connect()  # back to schema 3, as sgz 0.x left it
    with conn.cursor() as cur:
        for name in (sql.AUDIT, sql.AUDIT_HEAD):
            cur.execute(f"DROP TABLE {server_storage.table(name)}")
        cur.execute(f"DELETE FROM {server_storage.table('schema_version')} WHERE version = 4")
    conn.commit()
    conn.close()
    url = require(server_storage.dialect)
    assert ServerStorage(url, prefix=server_storage.prefix, upgrade=False).schema_version == 3
    upgraded = ServerStorage(url, prefix=server_storage.prefix)
    try:
        assert upgraded.schema_version == SCHEMA_VERSION == 4
        assert upgraded.load(programme.id) == programme
        assert upgraded.payments(programme.id) == [paid]
        assert list(upgraded.audit_entries()) == [] and upgraded.audit_verify().whole
        upgraded.save(programme, replace=True, by="王科长")
        [entry] = upgraded.audit_entries()
        assert entry.action is AuditAction.REPLACE and entry.who == "王科长"
        assert upgraded.audit_verify().whole
    finally:
        upgraded.close()


def _open_at_once(
    url: str, prefix: str, sessions: int
) -> tuple[list[ServerStorage], list[BaseException]]:
    """``sessions`` threads, each opening the store at the same moment (one connection each)."""
    import threading

    start = threading.Barrier(sessions)
    opened: list[ServerStorage] = []
    failed: list[BaseException] = []

    def open_it() -> None:
        start.wait()
        try:
            store = ServerStorage(url, prefix=prefix)
            opened.append(store)
            store.programme_ids()
        except BaseException as exc:  # any failure fails the test
            failed.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return opened, failed


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_several_processes_opening_a_new_store_at_once_all_succeed(kind: str) -> None:
    """The first opening of a store creates its tables and its read indexes; several sessions
    doing it at the same moment must all succeed (PostgreSQL's ``CREATE INDEX IF NOT EXISTS``
    of one name in two sessions failed one of them on its catalogue, so a first import could
    fail with exit 2). Threads stand in for processes: each has a connection of its own."""
    url = require(kind)
    for _ in range(4):
        prefix = unique_prefix()
        opened, failed = _open_at_once(url, prefix, 4)
        try:
            assert failed == []
            assert {s.schema_version for s in opened} == {SCHEMA_VERSION}
        finally:
            for store in opened:
                store.close()
            ServerStorage(url, prefix=prefix).drop_all()
