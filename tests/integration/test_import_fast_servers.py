"""On PostgreSQL and MariaDB, a save through the generated ledger loop (issue 12) stores exactly
the rows the reference path (every record unstructured and laid out by ``entity_row``) stores:
the two adapters share ``_tabular.to_rows``, which the fast path changed."""

from __future__ import annotations

from typing import Any

import pytest

from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage.sql import ServerStorage

from .conftest import require, unique_prefix
from .test_sqlite_bulk_import import AT, _general_rows, edge_programme

pytestmark = pytest.mark.db


def server_contents(store: ServerStorage) -> dict[str, Any]:
    """Every table's rows in key order (the audit trail's too)."""
    conn = store.connect()
    try:
        out: dict[str, Any] = {}
        with conn.cursor() as cur:
            for name in (*(t.name for t in tabular.tables()), sql.AUDIT, sql.AUDIT_HEAD):
                cur.execute(f"SELECT * FROM {store.table(name)} ORDER BY 1, 2")
                out[name] = [tuple(r) for r in cur.fetchall()]
        conn.commit()
        return out
    finally:
        conn.close()


@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
def test_the_fast_save_stores_the_reference_paths_rows(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = require(kind)
    fast, ref = (ServerStorage(url, prefix=unique_prefix()) for _ in range(2))
    try:
        programme = edge_programme("edge", size=300)
        fast.save(programme, by="tester", at=AT)
        with monkeypatch.context() as m:
            m.setattr(tabular.RecordCodec, "encode_many", _general_rows)
            ref.save(programme, by="tester", at=AT)
        got, want = server_contents(fast), server_contents(ref)
        assert len(got["service_records"]) == len(programme.records)
        assert got == want
        assert fast.load("edge") == programme
    finally:
        fast.drop_all()
        ref.drop_all()
