"""Import and replace of the 3,000-station programme on SQLite, with the audit entries of its
evaluations, corrective actions, receipts and expenses (issue 11 item 4, AUD-1). Run by hand,
not by pytest:

    .venv/bin/python bench/replace_audit.py                 # 3,000 stations, best of 3
    .venv/bin/python bench/replace_audit.py --stations 300 --repeat 5

The programme is ``bench/check_scale.py``'s generator (three contract years a station, two
evaluations and two to five expenses a year). Measured in one process, on a fresh database
file in a temporary directory:

- ``import``: ``storage.save(p)`` of the programme (every item gets an entry);
- ``replace (same)``: ``storage.save(p, replace=True)`` of the same programme, loaded again
  from its file (no item changed: no item entries);
- ``replace (one change)``: the same with one evaluation's score changed (one item entry);

and, to show where the time goes, ``diff``: :func:`sgz_core.audit_diff.changes` alone between
the stored programme and the one replacing it. Every figure is the best of ``--repeat``; the
load average is printed beside them (the machine is shared).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import check_scale  # noqa: E402

from sgz_adapters.storage.sqlite import SqliteStorage  # noqa: E402
from sgz_core import programme_file  # noqa: E402
from sgz_core.model import Programme  # noqa: E402


def best(fn: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None) -> float:
    out = float("inf")
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t0)
    return out


def changed_one(p: Programme) -> Programme:
    """``p`` with the first station's first evaluation scored one point higher."""
    station = p.stations[0]
    year = station.years[0]
    ev = year.evaluations[0]
    assert ev.score is not None
    year = attrs.evolve(
        year, evaluations=(attrs.evolve(ev, score=ev.score + 1), *year.evaluations[1:])
    )
    station = attrs.evolve(station, years=(year, *station.years[1:]))
    return attrs.evolve(p, stations=(station, *p.stations[1:]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stations", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = check_scale.write(Path(tmp), args.stations)
        text = path.read_text(encoding="utf-8")
        programme = programme_file.loads(text, str(path))
        again = programme_file.loads(text, str(path))  # equal, not the same objects
        edited = changed_one(again)
        db = Path(tmp) / "bench.db"

        def fresh() -> None:
            if db.exists():
                os.remove(db)

        def import_() -> None:
            with SqliteStorage(db) as s:
                s.save(programme)

        t_import = best(import_, args.repeat, fresh)
        fresh()
        import_()

        def replace(p: Programme) -> Callable[[], None]:
            def run() -> None:
                with SqliteStorage(db) as s:
                    s.save(p, replace=True)

            return run

        t_same = best(replace(again), args.repeat)
        t_one = best(replace(edited), args.repeat)
        with SqliteStorage(db) as s:
            stored = s.load(programme.id, records=False)
            entries = s.audit_head().count
        try:
            from sgz_core.audit_diff import changes
        except ImportError:  # the code before the item entries
            t_diff = None
        else:
            t_diff = best(lambda: changes(stored, edited), args.repeat)
    load = os.getloadavg()
    print(f"{args.stations} stations, best of {args.repeat}, load {load[0]:.2f} {load[1]:.2f}")
    print(f"  import                 {t_import:7.2f} s")
    print(f"  replace (same)         {t_same:7.2f} s")
    print(f"  replace (one change)   {t_one:7.2f} s")
    if t_diff is not None:
        print(f"  diff alone             {t_diff:7.2f} s")
    print(f"  audit entries in the last database: {entries}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
