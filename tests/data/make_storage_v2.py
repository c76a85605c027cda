"""Make ``storage-v2.db``: a database as sgz's storage schema version 2 wrote it.

Kept with the file so that it can be made again, but the file itself is the fixture:
``tests/integration/test_storage_sqlite.py::test_a_version_2_database_is_upgraded`` opens a copy
of it. Version 2 had no fund-ledger tables (receipts, hardship relief) and no ``purposes`` and
``reason`` columns. Run it with the sources of an sgz whose schema is 2 (commit 6ec9bf8), so the
file is what that version really wrote::

    mkdir -p /tmp/sgz-v2 && git archive 6ec9bf8 src | tar -x -C /tmp/sgz-v2
    PYTHONPATH=/tmp/sgz-v2/src .venv/bin/python tests/data/make_storage_v2.py
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import attrs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_storage_v1 import ledger  # noqa: E402

from sgz_adapters.storage.sqlite import SqliteStorage  # noqa: E402
from sgz_core.programme_file import dumps, loads  # noqa: E402
from sgz_core.storage import SCHEMA_VERSION  # noqa: E402

EXAMPLE = HERE.parents[1] / "examples" / "chengguan.toml"
TARGET = HERE / "storage-v2.db"
EXPECTED = HERE / "storage-v2.toml"
"""What the database holds, in the public format: the test compares the upgraded load with it."""


def main() -> None:
    if SCHEMA_VERSION != 2:
        raise SystemExit(
            f"run this with the sources of a schema-2 sgz (these are {SCHEMA_VERSION})"
        )
    programme = loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    if not programme.records:
        programme = attrs.evolve(programme, records=ledger(programme))
    EXPECTED.write_text(dumps(programme), encoding="utf-8")
    TARGET.unlink(missing_ok=True)
    storage = SqliteStorage(TARGET)
    storage.save(programme)
    storage.close()
    conn = sqlite3.connect(TARGET, isolation_level=None)
    conn.execute("UPDATE schema_version SET applied = '2025-06-01T00:00:00+00:00'")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, {len(programme.records)} records)")


if __name__ == "__main__":
    main()
