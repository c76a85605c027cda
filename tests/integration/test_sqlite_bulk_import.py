"""A large first import defers the ledger's secondary indexes (issue 12): they are rebuilt in
the same transaction, so a failed import leaves them, and the rows, as they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sgz_adapters.storage import sqlite as sqlite_adapter
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.testing.samples import sample_ledger, sample_programme

INDEXES = {
    "service_records_ix0",
    "service_records_ix1",
    "service_records_ix2",
    "service_records_ix_extra",
}


def indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                "'service_records' AND sql IS NOT NULL"
            )
        }
    finally:
        conn.close()


class Boom(Exception):
    pass


def test_a_large_first_import_rebuilds_the_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(sqlite_adapter, "BATCH", 50)
    programme = sample_ledger(sample_programme("big", texts=tuple("一二三")), size=400)
    path = tmp_path / "sgz.db"
    with SqliteStorage(path) as store:
        store.save(programme)
        assert indexes(path) == INDEXES
        assert store.load("big") == programme
        assert store.integrity_problems() == []
        second = sample_ledger(sample_programme("second", texts=tuple("一二三")), size=400)
        store.save(second)  # not the first: the ledger is not empty, nothing is dropped
        assert indexes(path) == INDEXES
        assert store.load("second") == second


def test_a_failed_large_import_keeps_indexes_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(sqlite_adapter, "BATCH", 50)
    programme = sample_ledger(sample_programme("big", texts=tuple("一二三")), size=400)
    path = tmp_path / "sgz.db"
    dropped_midway: list[bool] = []
    with SqliteStorage(path) as store:
        with pytest.raises(Boom), store.unit_of_work() as uow:

            def progress(done: int, total: int) -> None:
                names = {
                    r[0]
                    for r in uow.conn.execute(  # type: ignore[attr-defined]
                        "SELECT name FROM sqlite_master WHERE type = 'index'"
                    )
                }
                dropped_midway.append(not (INDEXES - {"service_records_ix_extra"}) & names)
                if done > 200:
                    raise Boom

            uow.save(programme, progress=progress)
        assert any(dropped_midway)  # the import did run without them
        assert indexes(path) == INDEXES
        assert store.programme_ids() == []
        assert store.integrity_problems() == []
