"""Whole-process start-up: ``sgz --help`` and ``sgz check examples/chengguan.toml`` against
``python -c pass`` (issue 12). Run by hand, not by pytest:

    .venv/bin/python bench/startup.py              # 20 runs of each, best kept
    .venv/bin/python bench/startup.py --quick      # 5 runs of each

The three commands take turns ``--repeat`` times, so a busy moment hits all of them alike; the
best wall time of each is kept and printed with its ratio to ``python -c pass`` measured in the
same run, and the targets (100 ms and 150 ms).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"sgz --help": 0.100, "sgz check examples/chengguan.toml": 0.150}


def commands() -> dict[str, list[str]]:
    sgz = str(Path(sys.executable).with_name("sgz"))
    example = str(ROOT / "examples" / "chengguan.toml")
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "sgz --help": [sgz, "--help"],
        "sgz check examples/chengguan.toml": [sgz, "check", example, "--on", "2026-11-28"],
    }


def run(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the child, exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5 runs of each")
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else args.repeat
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; best of {repeat}"
    )
    cmds = commands()
    best = {name: (float("inf"), float("inf")) for name in cmds}
    statuses: dict[str, set[int]] = {name: set() for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            wall, cpu, status = run(cmd)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
            statuses[name].add(status)
    base_wall = best["python -c pass"][0]
    ok = True
    print(f"{'command':<36} {'wall ms':>8} {'CPU ms':>7} {'x pass':>7}  target")
    for name, (wall, cpu) in best.items():
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = f"<= {target * 1000:.0f} ms: {'PASS' if wall <= target else 'FAIL'}"
            ok &= wall <= target
        print(
            f"{name:<36} {wall * 1000:8.1f} {cpu * 1000:7.1f} {wall / base_wall:7.1f}  {verdict}"
            f"  (exit {', '.join(map(str, sorted(statuses[name])))})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
