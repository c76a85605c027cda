"""Make ``storage-v3.db``: a database as sgz's storage schema version 3 wrote it.

Kept with the file so that it can be made again, but the file itself is the fixture:
``tests/integration/test_storage_sqlite.py::test_a_version_3_database_is_upgraded_with_an_empty_trail``
opens a copy of it. Version 3 had no audit trail. It holds the example programme and one
recorded payment. Run it with the sources of an sgz whose schema is 3 (commit f2d62ee)::

    mkdir -p /tmp/sgz-v3 && git archive f2d62ee src | tar -x -C /tmp/sgz-v3
    PYTHONPATH=/tmp/sgz-v3/src .venv/bin/python tests/data/make_storage_v3.py
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.enums import Milestone
from sgz_core.payments import Payment
from sgz_core.programme_file import dumps, loads
from sgz_core.storage import SCHEMA_VERSION

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "examples" / "chengguan.toml"
TARGET = HERE / "storage-v3.db"
EXPECTED = HERE / "storage-v3.toml"
"""What the database holds, in the public format: the test compares the upgraded load with it."""
PAYMENT = Payment(
    "zhengning",
    1,
    Milestone.CONTRACT_SIGNED,
    Decimal("90000.00"),
    dt.date(2024, 7, 2),
    "李会计",
    recorded_at=dt.datetime(2024, 7, 2, 9, 30, tzinfo=dt.UTC),
)


def main() -> None:
    if SCHEMA_VERSION != 3:
        raise SystemExit(
            f"run this with the sources of a schema-3 sgz (these are {SCHEMA_VERSION})"
        )
    programme = loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    EXPECTED.write_text(dumps(programme), encoding="utf-8")
    TARGET.unlink(missing_ok=True)
    storage = SqliteStorage(TARGET)
    storage.save(programme)
    storage.record_payment(programme.id, PAYMENT)
    storage.close()
    conn = sqlite3.connect(TARGET, isolation_level=None)
    conn.execute("UPDATE schema_version SET applied = '2026-11-01T00:00:00+00:00'")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
