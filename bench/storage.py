"""Storage benchmark (issue 4): rows per second of the adapters against their raw baselines.

Not a timed test: run it by hand and copy the figures into ``docs/performance.md``.

    .venv/bin/python bench/storage.py                      # 1,000,000 records (a few minutes)
    .venv/bin/python bench/storage.py --records 200000 --postgres ''   # smaller, no PostgreSQL
    .venv/bin/python bench/storage.py --quick              # 100,000 records, 10,000 through the ORM

Measures, for N synthetic service records of one programme:
  1. the sqlite adapter's bulk save from domain objects, vs raw ``sqlite3.executemany`` of
     prepared tuples into the same schema (target: >= 0.5x), vs SQLAlchemy ORM ``add_all``
     (target: >= 10x; timed on at most 100,000 rows);
  2. the same save into PostgreSQL, vs raw psycopg ``COPY`` of the prepared tuples (>= 0.5x);
  3. streaming one station-year back, vs a raw ``SELECT`` of the same rows (>= 0.5x);
  4. peak memory (max RSS) of ``sgz export`` of the whole programme (target: < 200 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage.sqlite import CACHE_KIB, SqliteStorage
from sgz_core.storage import RecordQuery
from sgz_core.testing.samples import sample_ledger, sample_programme


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_of(repeat: int, *fns: Callable[[], Any]) -> list[float]:
    """The best time of each function over ``repeat`` rounds, the functions taking turns (so a
    busy moment on a shared machine does not fall on one side of a ratio only)."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], timed(fn))
    return best


def line(
    what: str, rows: int, seconds: float, baseline: float | None = None, target: str = ""
) -> None:
    rate = rows / seconds if seconds else float("inf")
    ratio = f"  {baseline / seconds:5.2f}x baseline {target}" if baseline else ""
    print(f"{what:<48} {rows:>9,} rows {seconds:8.2f} s {rate:>12,.0f} rows/s{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--orm-records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the streaming comparison")
    parser.add_argument(
        "--postgres",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="PostgreSQL URL ('' to skip)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="100,000 records, 10,000 through the ORM (a laptop)"
    )
    args = parser.parse_args()
    if args.quick:
        args.records, args.orm_records = 100_000, 10_000
    n = args.records
    work = Path(tempfile.mkdtemp(prefix="sgz-bench-"))
    print(
        f"sgz storage benchmark: {n:,} service records; python {sys.version.split()[0]}, "
        f"sqlite {sqlite3.sqlite_version}; {os.cpu_count()} cores\n"
    )

    build = time.perf_counter()
    programme = sample_ledger(
        sample_programme("bench", texts=tuple("一二三四五六七八九十")), size=n
    )
    print(f"(built {n:,} ServiceRecord objects in {time.perf_counter() - build:.1f} s)\n")
    codec = tabular.record_codec(type(programme.records[0]))
    prepared = [codec.encode(("bench", i), r, True) for i, r in enumerate(programme.records)]

    # 1. SQLite: adapter vs raw executemany vs ORM
    raw_db = SqliteStorage(work / "raw.db")
    conn = raw_db.connect()
    conn.execute("INSERT INTO programmes VALUES ('bench', 'b', '2024-07-01', 'lanzhou-chengguan')")
    statement = sql.insert(tabular.RECORDS, "", "sqlite")

    def raw_insert() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(statement, prepared)
        conn.execute("COMMIT")

    raw = timed(raw_insert)
    conn.close()
    store = SqliteStorage(work / "sgz.db")
    adapter = timed(lambda: store.save(programme))
    line("raw sqlite3.executemany (prepared tuples)", n, raw)
    line("sqlite adapter save (domain objects)", n, adapter, raw, "(target >= 0.50x)")
    try:
        orm_rows, orm = orm_add_all(work / "orm.db", prepared[: args.orm_records])
        line("SQLAlchemy ORM add_all", orm_rows, orm)
        print(
            f"{'':<48} adapter is {(n / adapter) / (orm_rows / orm):5.1f}x the ORM (target >= 10x)"
        )
        print(
            f"{'':<48} (raw executemany itself is {(n / raw) / (orm_rows / orm):5.1f}x the ORM: "
            "the most any sqlite3 writer of these rows can reach)"
        )
    except ImportError:
        print("SQLAlchemy not installed: ORM baseline skipped")

    # 3. streaming one station-year: raw SELECT and the adapter alternate, best of --repeat each
    station = programme.stations[0].id
    query = RecordQuery(station=station, year=1)
    start, end = query.date_range(programme.start)
    reader = store.connect()
    names = ", ".join(f'"{c.name}"' for c in tabular.RECORDS.all_columns)
    counts = {"raw": 0, "adapter": 0}

    def raw_select() -> None:
        counts["raw"] = len(
            reader.execute(
                f"SELECT {names} FROM service_records WHERE programme_id = ? AND station = ? "
                "AND date >= ? AND date <= ? ORDER BY pos",
                (
                    "bench",
                    station,
                    start.isoformat() if start else "",
                    end.isoformat() if end else "",
                ),
            ).fetchall()
        )

    def stream() -> None:
        counts["adapter"] = sum(1 for _ in store.records("bench", query))

    raw_best, streamed = best_of(args.repeat, raw_select, stream)
    assert counts["raw"] == counts["adapter"], counts
    count = counts["raw"]
    line(f"raw SELECT of one station-year (best of {args.repeat})", count, raw_best)
    line(
        f"sqlite adapter records(station, year) (best of {args.repeat})",
        count,
        streamed,
        raw_best,
        "(target >= 0.50x)",
    )

    # 2. PostgreSQL: adapter vs raw COPY
    if args.postgres:
        postgres(args.postgres, programme, prepared, n)

    # 4. peak memory of a full export, read inside the exporting process as VmHWM (ru_maxrss
    # would carry over the high-water mark of this big process, forked before the exec)
    probe = (
        "import runpy, sys; sys.argv = ['sgz'] + sys.argv[1:]\n"
        "try:\n    runpy.run_module('sgz_adapters.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
        "print(hwm.split()[1], file=sys.stderr)"
    )
    began = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            probe,
            "export",
            "--db",
            f"sqlite:///{work / 'sgz.db'}",
            "--to",
            str(work / "export.toml"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - began
    peak = int(done.stderr.strip().splitlines()[-1])
    print(
        f"\nsgz export of the whole programme: {took:.1f} s, peak RSS {peak / 1024:,.0f} MB "
        f"(target < 200 MB); {(work / 'export.toml').stat().st_size / 1e6:,.0f} MB of TOML"
    )
    print(f"\n(files in {work})")


def orm_add_all(path: Path, rows: list[tuple[Any, ...]]) -> tuple[int, float]:
    from sqlalchemy import Column, Integer, MetaData, Text, create_engine, event
    from sqlalchemy.orm import Session, declarative_base

    base = declarative_base(metadata=MetaData())
    columns = {
        c.name: Column(c.name, Integer if c.kind in ("int", "bool") else Text)
        for c in tabular.RECORDS.all_columns
    }
    columns["programme_id"] = Column("programme_id", Text, primary_key=True)
    columns["pos"] = Column("pos", Integer, primary_key=True)
    record = type("Record", (base,), {"__tablename__": "service_records", **columns})
    made = SqliteStorage(path).connect()  # the same schema, made by the adapter
    made.execute("INSERT INTO programmes VALUES ('bench', 'b', '2024-07-01', 'lanzhou-chengguan')")
    made.close()
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def same_settings(dbapi_connection: Any, _record: Any) -> None:  # the adapter's pragmas
        for pragma in ("synchronous = NORMAL", f"cache_size = -{CACHE_KIB}", "foreign_keys = ON"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    names = [c.name for c in tabular.RECORDS.all_columns]

    def go() -> None:
        with Session(engine) as session:
            session.add_all(record(**dict(zip(names, row, strict=True))) for row in rows)
            session.commit()

    return len(rows), timed(go)


def postgres(url: str, programme: Any, prepared: list[tuple[Any, ...]], n: int) -> None:
    from sgz_adapters.storage.sql import ServerStorage

    prefix = f"bench{os.getpid()}_"
    store = ServerStorage(url, prefix=prefix)
    try:
        rows = [(*r[:3], dt.date.fromisoformat(r[3]), *r[4:]) for r in prepared]
        conn = store.connect()
        with conn.cursor() as cur:
            cur.execute(
                f'INSERT INTO "{prefix}programmes" VALUES (%s, %s, %s, %s)',
                ("raw", "b", dt.date(2024, 7, 1), "p"),
            )
        conn.commit()
        names = ", ".join(f'"{c.name}"' for c in tabular.RECORDS.all_columns)

        def copy() -> None:
            with (
                conn.cursor() as cur,
                cur.copy(f'COPY "{prefix}service_records" ({names}) FROM STDIN') as out,
            ):
                for row in rows:
                    out.write_row(("raw", *row[1:]))
            conn.commit()

        raw = timed(copy)
        conn.close()
        adapter = timed(lambda: store.save(programme))
        print()
        line("raw psycopg COPY (prepared tuples)", n, raw)
        line("postgresql adapter save (domain objects)", n, adapter, raw, "(target >= 0.50x)")
    finally:
        store.drop_all()


if __name__ == "__main__":
    main()
