"""Make ``storage-v1.db``: a database as sgz's storage schema version 1 wrote it.

Kept with the file so that it can be made again, but the file itself is the fixture: the test
``tests/integration/test_storage_sqlite.py::test_a_version_1_database_is_upgraded`` opens a copy
of it. Version 1 had no ledger table: a programme's ``records`` were kept whole in ``sections``.

    .venv/bin/python tests/data/make_storage_v1.py
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import attrs

from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage.sqlite import MIGRATIONS
from sgz_core._convert import unstructure
from sgz_core.casework.ledger import ServiceRecord
from sgz_core.casework.vocabulary import ServiceType, services_of
from sgz_core.enums import Method, ServiceDomain
from sgz_core.jsonvalue import dump_payload
from sgz_core.model import Programme
from sgz_core.programme_file import dumps, loads

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "examples" / "chengguan.toml"
TARGET = HERE / "storage-v1.db"
EXPECTED = HERE / "storage-v1.toml"
"""What the database holds, in the public format: the test compares the upgraded load with it."""


def ledger(programme: Programme, size: int = 40) -> tuple[ServiceRecord, ...]:
    """Group work and community activities at the example's stations by their own staff."""
    records = []
    domains = tuple(ServiceDomain)
    for i in range(size):
        station = programme.stations[i % len(programme.stations)]
        domain = domains[i % len(domains)]
        services = [t for t in services_of(domain) if t is not ServiceType.VISIT]
        records.append(
            ServiceRecord(
                date=programme.start + dt.timedelta(days=9 * i),
                station=station.id,
                worker=station.staff[i % len(station.staff)].name,
                domain=domain,
                method=(Method.GROUP_WORK, Method.COMMUNITY_ACTIVITY)[i % 2],
                service=services[i % len(services)],
                hours=Decimal(i % 4) + Decimal("0.5"),
                group=f"第{i % 3 + 1}组",
                participants=5 + i % 11,
                volunteers=i % 2,
                volunteer_hours=Decimal(i % 2) * 2,
                administrative=i % 7 == 0,
            )
        )
    return tuple(records)


def main() -> None:
    programme = loads(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    if not programme.records:
        programme = attrs.evolve(programme, records=ledger(programme))
    EXPECTED.write_text(dumps(programme), encoding="utf-8")
    TARGET.unlink(missing_ok=True)
    conn = sqlite3.connect(TARGET, isolation_level=None)
    conn.execute("BEGIN")
    for step in MIGRATIONS[1]:
        assert isinstance(step, str)
        conn.execute(step)
    conn.execute(
        "INSERT INTO schema_version (version, applied) VALUES (1, '2025-01-01T00:00:00+00:00')"
    )
    for part in tabular.to_rows(programme, dates_as_text=True):
        if part.table.since <= 1:
            conn.executemany(sql.insert(part.table, "", "sqlite"), list(part.rows))
    records = tuple(getattr(programme, "records", ()))
    if records:
        payload = dump_payload([unstructure(r) for r in records])
        conn.execute(
            "INSERT INTO sections (programme_id, name, payload) VALUES (?, 'records', ?)",
            (programme.id, payload),
        )
    conn.execute("COMMIT")
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, {len(records)} records)")


if __name__ == "__main__":
    main()
