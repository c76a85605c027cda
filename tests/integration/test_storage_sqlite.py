"""The SQLite adapter passes the storage conformance kit, and upgrades older databases."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage import open_storage
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.audit import COLUMNS
from sgz_core.enums import FundingSource
from sgz_core.errors import InvalidInput, StorageError
from sgz_core.model import Expense, Funding, HardshipRelief, Programme, Receipt
from sgz_core.programme_file import loads
from sgz_core.storage import SCHEMA_VERSION, RecordQuery, Storage
from sgz_core.testing import StorageContract

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]


class TestSqliteStorage(StorageContract):
    directory: Path

    @pytest.fixture(autouse=True)
    def _directory(self, tmp_path: Path) -> None:
        self.directory = tmp_path
        self._names = itertools.count()

    def make_storage(self) -> Storage:
        return SqliteStorage(self.directory / f"store-{next(self._names)}.db")

    def reopen(self, storage: Storage) -> Storage:
        assert isinstance(storage, SqliteStorage)
        return SqliteStorage(storage.path)

    def corrupt_record(
        self, storage: Storage, programme_id: str, position: int, field: str, text: str
    ) -> bool:
        assert isinstance(storage, SqliteStorage)
        column = tabular.column_of(tabular.RECORDS, [field])
        with contextlib.closing(sqlite3.connect(storage.path)) as conn:
            conn.execute(
                f'UPDATE service_records SET "{column}" = ? WHERE programme_id = ? AND pos = ?',
                (text, programme_id, position),
            )
            conn.commit()
        return True

    def audit_rows(self, storage: Storage) -> list[dict[str, object]]:
        assert isinstance(storage, SqliteStorage)
        with contextlib.closing(sqlite3.connect(storage.path)) as conn:
            rows = conn.execute("SELECT * FROM audit ORDER BY seq").fetchall()
        return [dict(zip(COLUMNS, row, strict=True)) for row in rows]

    def write_audit_rows(self, storage: Storage, rows: list[dict[str, object]]) -> None:
        assert isinstance(storage, SqliteStorage)
        with contextlib.closing(sqlite3.connect(storage.path)) as conn:
            conn.execute("DELETE FROM audit")
            conn.executemany(
                f"INSERT INTO audit VALUES ({', '.join('?' * len(COLUMNS))})",
                [tuple(row[c] for c in COLUMNS) for row in rows],
            )
            conn.commit()


def test_a_version_1_database_is_upgraded(tmp_path: Path) -> None:
    """A file made by schema 1 opens, is upgraded to the current schema, and loses nothing."""
    copy = tmp_path / "old.db"
    shutil.copyfile(DATA / "storage-v1.db", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    expected = loads((DATA / "storage-v1.toml").read_text(encoding="utf-8"))
    storage = SqliteStorage(copy)
    assert storage.schema_version == SCHEMA_VERSION
    assert storage.programme_ids() == [expected.id]
    assert storage.load(expected.id) == expected
    assert storage.integrity_problems() == []
    with sqlite3.connect(copy) as conn:
        versions = [
            r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")
        ]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        assert (
            conn.execute("SELECT count(*) FROM sections WHERE name = 'records'").fetchone()[0] == 0
        )
        moved = conn.execute("SELECT count(*) FROM service_records").fetchone()[0]
        assert moved == len(expected.records) > 0  # the v1 section became typed ledger rows
    station = expected.records[0].station
    assert list(storage.records(expected.id, RecordQuery(station=station))) == [
        r for r in expected.records if r.station == station
    ]
    again = SqliteStorage(copy)  # opening an upgraded file again changes nothing
    assert again.schema_version == SCHEMA_VERSION and again.load(expected.id) == expected


def schema_2_only(programme: Programme) -> Programme:
    """``programme`` without what schema 2 could not hold (what an older sgz stored)."""
    stations = []
    for station in programme.stations:
        years = tuple(
            attrs.evolve(
                y,
                receipts=(),
                funding=tuple(attrs.evolve(f, purposes=None) for f in y.funding),
                expenses=tuple(attrs.evolve(e, reason=None) for e in y.expenses),
            )
            for y in station.years
        )
        stations.append(attrs.evolve(station, years=years))
    return attrs.evolve(programme, stations=tuple(stations), hardship_relief=())


def ledgered(programme: Programme) -> Programme:
    """``programme`` with every field schema 3 added: receipts, purposes, reasons, relief."""
    station = programme.stations[0]
    year = station.years[0]
    year = attrs.evolve(
        year,
        funding=(*year.funding, Funding(FundingSource.CHARITY, Decimal("8000.50"), ("meals",))),
        expenses=(
            *year.expenses,
            Expense(dt.date(2024, 9, 9), "meals", FundingSource.CHARITY, Decimal(80)),
            Expense(dt.date(2024, 9, 9), "tea", FundingSource.STREET, Decimal(9), reason="接待"),
        ),
        receipts=(
            Receipt(dt.date(2024, 7, 5), FundingSource.PROVINCE, Decimal(50000), "首笔"),
            Receipt(dt.date(2024, 7, 6), FundingSource.CHARITY, Decimal("8000.50")),
        ),
    )
    station = attrs.evolve(station, years=(year, *station.years[1:]))
    relief = HardshipRelief(year=1, budget=Decimal(1_000_000), social_work=Decimal(20000), note="")
    return attrs.evolve(
        programme, stations=(station, *programme.stations[1:]), hardship_relief=(relief,)
    )


def test_a_version_2_database_is_upgraded(tmp_path: Path) -> None:
    """A file made by schema 2 gains the fund ledger's tables and columns, loses nothing, and
    then keeps every new field."""
    copy = tmp_path / "v2.db"
    shutil.copyfile(DATA / "storage-v2.db", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2
        assert "reason" not in {r[1] for r in conn.execute("PRAGMA table_info(expenses)")}
    expected = loads((DATA / "storage-v2.toml").read_text(encoding="utf-8"))
    storage = SqliteStorage(copy)
    assert storage.schema_version == SCHEMA_VERSION == 4
    assert storage.load(expected.id) == expected
    assert storage.integrity_problems() == []
    with sqlite3.connect(copy) as conn:
        assert "reason" in {r[1] for r in conn.execute("PRAGMA table_info(expenses)")}
        assert "purposes" in {r[1] for r in conn.execute("PRAGMA table_info(funding)")}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"receipts", "hardship_relief"} <= tables
    richer = ledgered(expected)
    storage.save(richer, replace=True)
    assert SqliteStorage(copy).load(expected.id) == richer
    with sqlite3.connect(copy) as conn:  # in their typed columns, not in payloads
        assert conn.execute("SELECT count(*) FROM receipts").fetchone()[0] == 2
        assert conn.execute("SELECT reason FROM expenses WHERE reason IS NOT NULL").fetchall() == [
            ("接待",)
        ]
        assert conn.execute("SELECT social_work_fen FROM hardship_relief").fetchall() == [
            (2000000,)
        ]
        assert conn.execute(
            "SELECT count(*) FROM sections WHERE name = 'hardship_relief'"
        ).fetchone() == (0,)


def test_a_version_2_database_is_upgraded_and_takes_payments(tmp_path: Path) -> None:
    """``storage-v2.db``, written by sgz at schema 2, opens, gains the payments table, loses
    nothing, and then takes a payment that survives reopening."""
    import datetime as dt
    from decimal import Decimal

    from sgz_core.enums import Milestone
    from sgz_core.payments import Payment

    copy = tmp_path / "v2.db"
    shutil.copyfile(DATA / "storage-v2.db", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 2
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'payments'").fetchall()
    expected = loads((DATA / "storage-v2.toml").read_text(encoding="utf-8"))
    storage = SqliteStorage(copy)
    assert storage.schema_version == SCHEMA_VERSION == 4
    assert storage.load(expected.id) == expected
    assert storage.payments(expected.id) == []
    paid = Payment(
        "zhengning",
        1,
        Milestone.CONTRACT_SIGNED,
        Decimal("90000.00"),
        dt.date(2024, 7, 2),
        "李会计",
    )
    storage.record_payment(expected.id, paid)
    assert storage.integrity_problems() == []
    again = SqliteStorage(copy)
    assert again.schema_version == SCHEMA_VERSION and again.payments(expected.id) == [paid]
    with sqlite3.connect(copy) as conn:
        versions = [
            r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")
        ]
        assert versions == [1, 2, 3, 4]


def test_a_version_3_database_is_upgraded_with_an_empty_trail(tmp_path: Path) -> None:
    """``storage-v3.db``, written by sgz at schema 3 (a programme and a payment), opens, gains
    the audit tables in place, loses nothing, and its trail starts whole at the next operation
    (what happened before schema 4 was never recorded, so nothing is made up for it)."""
    import datetime as dt

    from sgz_core.audit import AuditAction

    copy = tmp_path / "v3.db"
    shutil.copyfile(DATA / "storage-v3.db", copy)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 3
        assert not conn.execute("SELECT name FROM sqlite_master WHERE name = 'audit'").fetchall()
    expected = loads((DATA / "storage-v3.toml").read_text(encoding="utf-8"))
    storage = SqliteStorage(copy)
    assert storage.schema_version == SCHEMA_VERSION == 4
    assert storage.load(expected.id) == expected
    [paid] = storage.payments(expected.id)
    assert paid.by == "李会计" and paid.recorded_at == dt.datetime(2024, 7, 2, 9, 30, tzinfo=dt.UTC)
    assert list(storage.audit_entries()) == []
    assert storage.audit_verify().whole
    storage.save(expected, replace=True, by="王科长")
    [entry] = storage.audit_entries()
    assert entry.action is AuditAction.REPLACE and entry.who == "王科长" and entry.seq == 1
    assert entry.before is not None and entry.after is not None
    assert storage.audit_verify().whole and storage.audit_verify().count == 1
    assert storage.integrity_problems() == []
    with sqlite3.connect(copy) as conn:
        versions = [
            r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY version")
        ]
        assert versions == [1, 2, 3, 4]


def test_a_database_from_a_newer_sgz_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    SqliteStorage(path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StorageError, match="newer sgz"):
        SqliteStorage(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="not a usable sgz database"):
        SqliteStorage(path)


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(StorageError, match="not an sgz database"):
        SqliteStorage(path)


def test_the_database_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    storage = SqliteStorage(tmp_path / "x.db", timeout=5)
    conn = storage.connect()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    conn.close()


@pytest.mark.parametrize(
    ("url", "path", "timeout"),
    [
        ("sqlite:///sgz.db", "sgz.db", 60.0),
        ("sqlite:///data/x.db?timeout=2.5", "data/x.db", 2.5),
        ("sqlite:////tmp/abs.db", "/tmp/abs.db", 60.0),
    ],
)
def test_urls(url: str, path: str, timeout: float, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, float]] = []
    monkeypatch.setattr(
        SqliteStorage, "__init__", lambda self, p, timeout=60.0: opened.append((str(p), timeout))
    )
    SqliteStorage.from_url(url)
    assert opened == [(path, timeout)]


@pytest.mark.parametrize(
    "url", ["sqlite://", "sqlite:///:memory:", "sqlite://host/x.db", "sqlite:///x.db?mode=ro"]
)
def test_bad_urls(url: str) -> None:
    with pytest.raises(InvalidInput):
        SqliteStorage.from_url(url)


def test_open_storage_finds_the_built_in_schemes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    storage = open_storage()
    assert isinstance(storage, SqliteStorage) and (tmp_path / "sgz.db").exists()
    assert isinstance(open_storage("memory://"), MemoryStorage)
    with pytest.raises(InvalidInput, match="no storage for nosuch://"):
        open_storage("nosuch://x")


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("amount_fen", "ninety thousand", "column amount_fen"),
        ("amount_fen", -5, "zero or more"),
        ("paid_on", "2024-7-1", "column paid_on"),
        ("milestone", "second", "milestone"),
        ("recorded_at", "yesterday", "column recorded_at"),
    ],
)
def test_a_payment_edited_outside_sgz_is_a_storage_error(
    tmp_path: Path, column: str, value: object, words: str
) -> None:
    import datetime as dt
    from decimal import Decimal

    from sgz_core.enums import Milestone
    from sgz_core.payments import Payment

    storage = SqliteStorage(tmp_path / "p.db")
    programme = loads((ROOT / "examples" / "chengguan.toml").read_text(encoding="utf-8"), "x.toml")
    storage.save(programme)
    storage.record_payment(
        programme.id,
        Payment(
            "zhengning",
            1,
            Milestone.CONTRACT_SIGNED,
            Decimal("90000.00"),
            dt.date(2024, 7, 1),
            "李会计",
        ),
    )
    with contextlib.closing(sqlite3.connect(storage.path)) as conn:
        conn.execute(f'UPDATE payments SET "{column}" = ?', (value,))
        conn.commit()
    with pytest.raises(StorageError, match=words) as caught:
        storage.payments(programme.id)
    assert "payments of programme 'chengguan-2024'" in str(caught.value)
