"""Import and replace of the 3,000-station programme on SQLite, with the audit entries of its
evaluations, corrective actions, receipts and expenses (issue 11 item 4, AUD-1). Run by hand,
not by pytest:

    .venv/bin/python bench/replace_audit.py                 # 3,000 stations, best of 3
    .venv/bin/python bench/replace_audit.py --stations 300 --repeat 5
    .venv/bin/python bench/replace_audit.py --quick         # 300 stations, best of 3

The programme is ``bench/check_scale.py``'s generator (three contract years a station, two
evaluations and two to five expenses a year). Measured in one process, on a fresh database
file in a temporary directory:

- ``import``: ``storage.save(p)`` of the programme (every item gets an entry);
- ``replace (same)``: ``storage.save(p, replace=True)`` of the same programme, loaded again
  from its file (no item changed: no item entries);
- ``replace (one change)``: the same with one evaluation's score changed (one item entry);

each twice, interleaved: **without** the item entries (``sgz_core.storage.changes`` replaced by
one that finds nothing: the save exactly as it was before them, reading the same) and **with**
them, so both see the same load; and :func:`sgz_core.audit_diff.changes` alone between the
stored programme and the one replacing it. Every figure is the best of ``--repeat``; the load
average is printed beside them (the machine is shared).
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
from sgz_core import storage as storage_module  # noqa: E402
from sgz_core.model import Programme  # noqa: E402


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
    parser.add_argument("--quick", action="store_true", help="300 stations (a laptop)")
    args = parser.parse_args(argv)
    if args.quick:
        args.stations = 300
    real = storage_module.changes
    modes: dict[str, Callable[..., Any]] = {
        "without item entries": lambda before, after: [],  # the save as it was before them
        "with item entries": real,
    }
    best_of: dict[tuple[str, str], float] = {}
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        path = check_scale.write(Path(tmp), args.stations)
        text = path.read_text(encoding="utf-8")
        programme = programme_file.loads(text, str(path))
        again = programme_file.loads(text, str(path))  # equal, not the same objects
        edited = changed_one(again)
        for _ in range(args.repeat):  # the two modes interleaved, so that load hits both
            for mode, diff in modes.items():
                storage_module.changes = diff  # type: ignore[assignment]
                db = Path(tmp) / f"{mode[:4]}.db"
                if db.exists():
                    os.remove(db)
                for name, p, replace in (
                    ("import", programme, False),
                    ("replace (same)", again, True),
                    ("replace (one change)", edited, True),
                ):
                    gc.collect()
                    t0 = time.perf_counter()
                    with SqliteStorage(db) as s:
                        s.save(p, replace=replace)
                    took = time.perf_counter() - t0
                    key = (mode, name)
                    best_of[key] = min(best_of.get(key, float("inf")), took)
                with SqliteStorage(db) as s:
                    counts[mode] = s.audit_head().count
                    stored = s.load(programme.id, records=False)
        storage_module.changes = real
        t_diff = float("inf")
        for _ in range(args.repeat):
            gc.collect()
            t0 = time.perf_counter()
            found = real(stored, edited)  # the last one saved: equal, not the same objects
            t_diff = min(t_diff, time.perf_counter() - t0)
        assert found == [] and len(real(stored, again)) == 1
    load = os.getloadavg()
    print(f"{args.stations} stations, best of {args.repeat}, load {load[0]:.2f} {load[1]:.2f}")
    names = ("import", "replace (same)", "replace (one change)")
    for name in names:
        a, b = best_of[("without item entries", name)], best_of[("with item entries", name)]
        print(f"  {name:22} without {a:7.2f} s   with {b:7.2f} s   ratio {b / a:5.2f}")
    print(f"  changes(stored, same programme) alone: {t_diff:.3f} s")
    print(f"  audit entries after import + 2 replaces: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
