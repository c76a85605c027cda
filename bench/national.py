"""National scale on one machine (issue 12): the storage rows of its table, each as a ratio to
a baseline measured in the same run, or against a fixed target.

Not a timed test: run it by hand and copy the figures into ``docs/performance.md``.

    .venv/bin/python bench/national.py            # 30,000 stations, 1,000,000 records (long)
    .venv/bin/python bench/national.py --quick    # 3,000 stations, 100,000 records

Rows:
  1. ``check --db … --station ID``: best of ``--repeat`` in-process calls, on a small and a large
     database (target: <= 50 ms on both, and the large no slower than 1.5x the small one:
     independent of the number of stations);
  2. first import of the ledger into SQLite (``SqliteStorage.save`` from domain objects) vs raw
     ``executemany`` of prepared tuples into the same schema (target: >= 1.5x);
  3. ``stats --db`` (the service, in process) vs the raw GROUP BY queries it needs, at a tenth of
     the records and at all of them (target: <= 1.5x, growth about linear); the raw queries get
     the best plan (the ledger in key order), not the planner's default through the date index;
  4. peak memory of ``check --db``, ``stats --db`` and ``export`` as whole processes:
     ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` read by a small wrapper process that runs only the
     command (the wrapper itself never grew; target < 300 MB each).

Databases are built in child processes, so this process stays small.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ON = "2026-11-28"
STATION_TARGET_S = 0.050
IMPORT_TARGET = 1.5
STATS_TARGET = 1.5
MEMORY_TARGET_MB = 300


def build(out: Path, stations: int, records: int) -> None:
    """A database of ``stations`` stations (three contract years each) and ``records`` records."""
    sys.path.insert(0, str(HERE))
    import check_scale

    from sgz_adapters.files import load_programme
    from sgz_adapters.storage.sqlite import SqliteStorage
    from sgz_core.testing.samples import sample_ledger

    path = check_scale.write(out, stations)
    programme = load_programme(path).programme
    programme = sample_ledger(programme, size=records)
    db = out / f"national-{stations}-{records}.db"
    with SqliteStorage(db) as store:
        store.save(programme)
    print(json.dumps({"db": str(db), "programme": programme.id, "last": programme.stations[-1].id}))


def built(out: Path, stations: int, records: int) -> dict[str, str]:
    """The database of ``stations`` and ``records`` under ``out``: built in a child process,
    or the one an earlier run built there (``--work DIR``; its ``built-STATIONS-RECORDS.json`` names it)."""
    info = out / f"built-{stations}-{records}.json"
    if info.exists():
        found: dict[str, str] = json.loads(info.read_text(encoding="utf-8"))
        if Path(found["db"]).exists():
            return found
    done = subprocess.run(
        [sys.executable, __file__, "--build", str(out), str(stations), str(records)],
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    info.write_text(json.dumps(found), encoding="utf-8")
    return found


def best(repeat: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def rounds(repeat: int, *fns: Callable[[], Any]) -> list[list[float]]:
    """The times of each of ``fns``, run in turn ``repeat`` times: one list per round."""
    out = []
    for _ in range(repeat):
        times = []
        for fn in fns:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        out.append(times)
    return out


def interleaved(repeat: int, *fns: Callable[[], Any]) -> list[float]:
    """The best time of each of ``fns``, run in turn."""
    return [min(column) for column in zip(*rounds(repeat, *fns), strict=True)]


def pair_ratio(times: list[list[float]]) -> float:
    """The median over rounds of the second time over the first: on a machine whose speed
    drifts, two runs side by side are compared, not the best of each."""
    return statistics.median(b / a for a, b in times)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def station_check(small: dict[str, str], large: dict[str, str], repeat: int) -> None:
    from sgz_adapters import service

    def one(info: dict[str, str]) -> Callable[[], Any]:
        source = service.stored(f"sqlite:///{info['db']}", info["programme"])
        return lambda: service.check(source, on=dt.date.fromisoformat(ON), station=info["last"])

    os.chdir(Path(small["db"]).parent)  # the programmes name their profile file relatively
    a, b = interleaved(repeat, one(small), one(large))
    ratio = b / a
    print(
        f"1. check --db --station (last station), best of {repeat}: small {a * 1000:.1f} ms, "
        f"large {b * 1000:.1f} ms; large/small {ratio:.2f}x "
        f"(target <= {STATION_TARGET_S * 1000:.0f} ms and about 1x: "
        f"{verdict(max(a, b) <= STATION_TARGET_S and ratio <= 1.5)})"
    )


def first_import(out: Path, records: int, repeat: int = 1) -> None:
    """Row 2: raw ``executemany`` of prepared tuples (every index in place, as a plain insert
    keeps them) against the adapter's ``save`` from domain objects, each into a new database,
    the two taking turns ``repeat`` times; the best wall time of each is kept, and the process
    CPU time of that run is printed beside it (other processes' load moves wall time more)."""
    sys.path.insert(0, str(HERE))
    from sgz_adapters.storage import _schema as sql
    from sgz_adapters.storage import _tabular as tabular
    from sgz_adapters.storage.sqlite import SqliteStorage
    from sgz_core.testing.samples import sample_ledger, sample_programme

    programme = sample_ledger(
        sample_programme("bench", texts=tuple("一二三四五六七八九十")), records
    )
    codec = tabular.record_codec(type(programme.records[0]))
    prepared = [codec.encode(("bench", i), r, True) for i, r in enumerate(programme.records)]
    statement = sql.insert(tabular.RECORDS, "", "sqlite")
    raw = adapter = (float("inf"), 0.0)
    for turn in range(repeat):
        conn = SqliteStorage(out / f"raw-{turn}.db").connect()
        conn.execute(
            "INSERT INTO programmes VALUES ('bench', 'b', '2024-07-01', 'lanzhou-chengguan')"
        )
        start, cpu = time.perf_counter(), time.process_time()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(statement, prepared)
        conn.execute("COMMIT")
        raw = min(raw, (time.perf_counter() - start, time.process_time() - cpu))
        conn.close()
        store = SqliteStorage(out / f"adapter-{turn}.db")
        start, cpu = time.perf_counter(), time.process_time()
        store.save(programme)
        adapter = min(adapter, (time.perf_counter() - start, time.process_time() - cpu))
        store.close()
        for name in (f"raw-{turn}.db", f"adapter-{turn}.db"):
            for suffix in ("", "-wal", "-shm"):
                (out / (name + suffix)).unlink(missing_ok=True)
    load = os.getloadavg()[0]
    print(
        f"2. first import of {records:,} records, best of {repeat}: raw executemany "
        f"{raw[0]:.2f} s (CPU {raw[1]:.2f} s), adapter save {adapter[0]:.2f} s "
        f"(CPU {adapter[1]:.2f} s): {raw[0] / adapter[0]:.2f}x raw, CPU "
        f"{raw[1] / adapter[1]:.2f}x (target >= {IMPORT_TARGET}x: "
        f"{verdict(raw[0] / adapter[0] >= IMPORT_TARGET)}); load {load:.1f} after"
    )


RAW_TOTALS = (
    "SELECT station, CASE WHEN date < ? THEN 1 WHEN date < ? THEN 2 ELSE 3 END AS cy, domain, "
    "method, service, administrative, hours, volunteer_hours, COUNT(*), SUM(participants), "
    "SUM(volunteers), SUM(json_array_length(beneficiaries)) FROM service_records "
    "INDEXED BY sqlite_autoindex_service_records_1 WHERE programme_id = ? AND date <= ? GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
)
RAW_SERVED = (
    "SELECT DISTINCT t.station, t.cy, t.domain, j.value FROM (SELECT station, CASE WHEN date < ? "
    "THEN 1 WHEN date < ? THEN 2 ELSE 3 END AS cy, domain, beneficiaries FROM service_records "
    "INDEXED BY sqlite_autoindex_service_records_1 WHERE programme_id = ? AND date <= ? AND administrative = 0) t, json_each(t.beneficiaries) AS j"
)


def stats_row(info: dict[str, str], repeat: int) -> tuple[float, float, float]:
    """The best time of the raw queries and of ``service.stats``, and the median ratio of the
    rounds (see :func:`pair_ratio`)."""
    from sgz_adapters import service

    os.chdir(Path(info["db"]).parent)
    source = service.stored(f"sqlite:///{info['db']}", info["programme"])
    conn = sqlite3.connect(info["db"])
    params = ("2025-07-01", "2026-07-01", info["programme"], ON)

    def raw() -> None:
        conn.execute(RAW_TOTALS, params).fetchall()
        conn.execute(RAW_SERVED, params).fetchall()

    def ours() -> None:
        service.stats(source, on=dt.date.fromisoformat(ON))

    times = rounds(repeat, raw, ours)
    conn.close()
    return min(t[0] for t in times), min(t[1] for t in times), pair_ratio(times)


def peak_mb(command: list[str], cwd: Path, argv: list[str] | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``sgz COMMAND`` (or of ``argv``) run by a small wrapper
    process."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "t = time.perf_counter() - t\n"
        "print(t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
    )
    sgz = str(Path(sys.executable).with_name("sgz"))
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *(argv or [sgz, *command])],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    if done.returncode != 0 or done.stdout.split()[-1] not in ("0", "1"):  # 1: error findings
        raise SystemExit(f"{command}: {done.stderr.strip()[-400:]}")
    seconds, kib, _ = done.stdout.split()
    return float(seconds), int(kib) / 1024


WHOLE_CHECK = (
    "import datetime as dt, sys\n"
    "from sgz_adapters import service\n"
    "r = service.check(service.stored(sys.argv[1]), on=dt.date.fromisoformat(sys.argv[2]))\n"
    "raise SystemExit(1 if r.has_errors else 0)\n"
)
"""The check of the whole programme loaded at once (``service.check`` without ``stream``): the
baseline of the streamed ``check --db`` (issue 12)."""


def check_memory(url: str, cwd: Path) -> None:
    """Row 4 for ``check --db``: the streamed check beside the whole check, same database."""
    whole_s, whole_mb = peak_mb([], cwd, [sys.executable, "-c", WHOLE_CHECK, url, ON])
    seconds, mb = peak_mb(["check", "--db", url, "--on", ON, "--format", "json"], cwd)
    print(
        f"4. check --db: {seconds:.1f} s, peak RSS {mb:,.0f} MB (target < {MEMORY_TARGET_MB} MB: "
        f"{verdict(mb < MEMORY_TARGET_MB)}); the whole check loaded at once: {whole_s:.1f} s, "
        f"{whole_mb:,.0f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3,000 stations, 100,000 records")
    parser.add_argument("--stations", type=int)
    parser.add_argument("--records", type=int)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rows",
        default="1,2,3,4",
        help="the rows to run, e.g. 3,4 (default: all); 4 can be narrowed to some commands "
        "with --commands",
    )
    parser.add_argument(
        "--commands",
        default="check,stats,export",
        help="row 4's commands, e.g. stats,export (default: all three)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the databases in DIR and reuse those an earlier run built there",
    )
    parser.add_argument(
        "--only-check-memory",
        action="store_true",
        help="build the large database only and measure check --db (streamed and whole) only",
    )
    parser.add_argument(
        "--only",
        choices=("import",),
        help="run one row only: import (row 2, which needs no prebuilt database)",
    )
    parser.add_argument(
        "--import-repeat",
        type=int,
        default=1,
        help="turns of raw and adapter in row 2, best of each kept (default 1)",
    )
    parser.add_argument(
        "--build", nargs=3, metavar=("DIR", "STATIONS", "RECORDS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.build:
        build(Path(args.build[0]), int(args.build[1]), int(args.build[2]))
        return 0
    stations = args.stations or (3_000 if args.quick else 30_000)
    records = args.records or (100_000 if args.quick else 1_000_000)
    rows = {int(r) for r in args.rows.split(",")}
    commands = set(args.commands.split(","))
    if not rows <= {1, 2, 3, 4} or not commands <= {"check", "stats", "export"}:
        parser.error("--rows: expected numbers from 1 to 4; --commands: check, stats, export")
    work = args.work or Path(tempfile.mkdtemp(prefix="sgz-national-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(
        f"sgz national benchmark: "
        f"{'' if args.only == 'import' else f'{stations:,} stations, '}{records:,} records; python "
        f"{sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}; {os.cpu_count()} cores, "
        f"load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}\n"
    )
    if args.only == "import":
        first_import(work, records, args.import_repeat)
        return 0
    started = time.perf_counter()
    if args.only_check_memory:
        large = built(work / "large", stations, records)
        print(f"(built the database in {time.perf_counter() - started:.0f} s, in {work})\n")
        check_memory(f"sqlite:///{large['db']}", Path(large["db"]).parent)
        return 0
    small = built(work / "small", max(10, stations // 10), records // 10)
    large = built(work / "large", stations, records)
    print(f"(built both databases in {time.perf_counter() - started:.0f} s, in {work})\n")

    if 1 in rows:
        station_check(small, large, args.repeat)
    if 2 in rows:
        first_import(work, records, args.import_repeat)
    if 3 in rows:
        stats_growth(small, large, records, args.repeat)
    if 4 in rows:
        peaks(large, work, commands)
    return 0


def stats_growth(small: dict[str, str], large: dict[str, str], records: int, repeat: int) -> None:
    raw_s, ours_s, pair_s = stats_row(small, repeat)
    raw_l, ours_l, pair_l = stats_row(large, max(1, repeat // 2))
    print(
        f"3. stats --db: {records // 10:,} records {ours_s:.2f} s vs raw {raw_s:.2f} s "
        f"({ours_s / raw_s:.2f}x, median of rounds {pair_s:.2f}x); {records:,} records "
        f"{ours_l:.2f} s vs raw {raw_l:.2f} s ({ours_l / raw_l:.2f}x, median of rounds "
        f"{pair_l:.2f}x; target <= {STATS_TARGET}x: "
        f"{verdict(max(ours_s / raw_s, ours_l / raw_l) <= STATS_TARGET)}); growth x10 records: "
        f"ours {ours_l / ours_s:.1f}x, raw {raw_l / raw_s:.1f}x"
    )


def peaks(large: dict[str, str], work: Path, commands: set[str]) -> None:
    url = f"sqlite:///{large['db']}"
    cwd = Path(large["db"]).parent
    if "check" in commands:
        check_memory(url, cwd)
    for what, command in (
        ("stats --db", ["stats", "--db", url, "--on", ON, "--format", "json"]),
        ("export", ["export", "--db", url, "--to", str(work / "export.toml")]),
    ):
        if what.split()[0] not in commands:
            continue
        try:
            seconds, mb = peak_mb(command, cwd)
        except SystemExit as exc:
            print(f"4. {what}: failed: {exc}")
            continue
        print(
            f"4. {what}: {seconds:.1f} s, peak RSS {mb:,.0f} MB (target < {MEMORY_TARGET_MB} MB: "
            f"{verdict(mb < MEMORY_TARGET_MB)})"
        )


if __name__ == "__main__":
    raise SystemExit(main())
