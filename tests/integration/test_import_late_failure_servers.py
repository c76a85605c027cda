"""A large first import into PostgreSQL or MariaDB that fails late (on the ledger's last batch)
leaves nothing written: no programme, no audit entry (AUD-1), the indexes as they were; a second
attempt succeeds (issue 12, all or nothing)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

from sgz_adapters.storage import sql as sql_module
from sgz_adapters.storage.sql import ServerStorage
from sgz_core.errors import StorageError
from sgz_core.model import Programme
from sgz_core.programme_file import loads

from .conftest import require, unique_prefix

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parents[2]


def big() -> Programme:
    p = loads((ROOT / "examples" / "chengguan.toml").read_text(encoding="utf-8"))
    return attrs.evolve(p, records=p.records * 1000)  # over two ledger batches


def indexes(store: ServerStorage, kind: str) -> list[tuple[Any, ...]]:
    conn: Any = store.connect()
    try:
        with conn.cursor() as cur:
            if kind == "postgresql":
                cur.execute(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema() AND tablename LIKE %s ORDER BY 1",
                    (store.prefix.replace("_", "\\_") + "%",),
                )
            else:
                cur.execute(
                    "SELECT table_name, index_name, seq_in_index, column_name "
                    "FROM information_schema.statistics "
                    "WHERE table_schema = DATABASE() AND table_name LIKE %s ORDER BY 1, 2, 3",
                    (store.prefix.replace("_", "\\_") + "%",),
                )
            rows = [tuple(r) for r in cur.fetchall()]
        conn.commit()
        return rows
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("kind", "how"),
    # MariaDB text holds NUL; PostgreSQL refuses it, in COPY, late (docs/storage.md)
    [("postgresql", "injected"), ("mysql", "injected"), ("postgresql", "nul")],
)
def test_a_late_failure_of_a_large_first_import_writes_nothing(
    kind: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ServerStorage(require(kind), prefix=unique_prefix())
    try:
        store.programme_ids()  # creates the schema
        before = indexes(store, kind)
        assert before
        good = big()
        bad = good
        if how == "nul":
            records = list(good.records)
            records[-2] = attrs.evolve(records[-2], note="bad\x00note")
            bad = attrs.evolve(good, records=tuple(records))
        else:
            original = sql_module._ServerUnit._write
            last = -(-len(good.records) // sql_module.BATCH)  # the ledger's last batch

            def failing(self: Any, table: Any, rows: list[Any]) -> None:
                if table.name == "service_records":
                    failing.batches += 1  # type: ignore[attr-defined]
                    if failing.batches == last:  # type: ignore[attr-defined]
                        raise StorageError("the server went away on the last batch")
                original(self, table, rows)

            failing.batches = 0  # type: ignore[attr-defined]
            monkeypatch.setattr(sql_module._ServerUnit, "_write", failing)
        with pytest.raises(StorageError):
            store.save(bad)
        monkeypatch.undo()
        assert store.programme_ids() == []
        with store.reader() as uow:
            assert list(uow.audit_entries()) == []
            assert uow.audit_head().count == 0
        assert indexes(store, kind) == before
        store.save(good)
        with store.reader() as uow:
            assert len(uow.load(good.id).records) == len(good.records)
            assert list(uow.audit_entries())  # the import, and only it, is in the trail
        with store.reader() as uow:
            assert uow.audit_verify().bad is None
        assert indexes(store, kind) == before
    finally:
        store.drop_all()
