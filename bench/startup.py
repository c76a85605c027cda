"""Whole-process start-up: ``sgz --help`` and ``sgz check examples/chengguan.toml`` against
``python -c pass`` (issue 12). Run by hand, not by pytest:

    .venv/bin/python bench/startup.py              # 20 runs of each, best kept
    .venv/bin/python bench/startup.py --quick      # 5 runs of each
    .venv/bin/python bench/startup.py --compare /tmp/before/src   # and another tree's sgz

The commands take turns ``--repeat`` times, so a busy moment hits all of them alike; the best
wall time of each is kept and printed with its ratio to ``python -c pass`` measured in the same
run, its share of the target (``/target``: at most 1.00 meets it) and the targets (100 ms and
150 ms). The load average is printed before and after: on a shared machine, compare runs made
under the same load. ``--compare SRC`` runs the two sgz commands a second
time with ``PYTHONPATH=SRC`` (another checkout's ``src/``, e.g. ``git worktree add`` of main), in
the same turns, so a before/after is measured under the same load.

Both trees are byte-compiled first (``compileall``, as ``pip install`` does for an installed
package): with ``PYTHONDONTWRITEBYTECODE`` set, as on the shared machine, every run would
otherwise compile sgz's sources again, which is no part of what a user's ``sgz`` pays.
``--no-compile`` measures the trees as they are.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"sgz --help": 0.100, "sgz check examples/chengguan.toml": 0.150}


Command = tuple[list[str], dict[str, str] | None]


def commands(compare: Path | None = None) -> dict[str, Command]:
    sgz = str(Path(sys.executable).with_name("sgz"))
    example = str(ROOT / "examples" / "chengguan.toml")
    found: dict[str, Command] = {
        "python -c pass": ([sys.executable, "-c", "pass"], None),
        "sgz --help": ([sgz, "--help"], None),
        "sgz check examples/chengguan.toml": ([sgz, "check", example, "--on", "2026-11-28"], None),
    }
    if compare is not None:
        env = {**os.environ, "PYTHONPATH": str(compare)}
        for name in list(found)[1:]:
            found[f"{name} [compared]"] = (found[name][0], env)
    return found


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the child, exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="5 runs of each")
    parser.add_argument(
        "--compare", type=Path, metavar="SRC", help="also run sgz from this src/ tree"
    )
    parser.add_argument(
        "--no-compile", action="store_true", help="do not byte-compile the trees first"
    )
    args = parser.parse_args(argv)
    repeat = 5 if args.quick else args.repeat
    if not args.no_compile:
        for tree in [ROOT / "src", *([args.compare] if args.compare else [])]:
            compileall.compile_dir(str(tree), quiet=1)
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; best of {repeat}"
        f"{'' if args.no_compile else '; sources byte-compiled'}"
        f"{f'; compared: {args.compare}' if args.compare else ''}"
    )
    cmds = commands(args.compare)
    best = {name: (float("inf"), float("inf")) for name in cmds}
    statuses: dict[str, set[int]] = {name: set() for name in cmds}
    for _ in range(repeat):
        for name, (cmd, env) in cmds.items():
            wall, cpu, status = run(cmd, env)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
            statuses[name].add(status)
    base_wall = best["python -c pass"][0]
    ok = True
    print(f"{'command':<47} {'wall ms':>8} {'CPU ms':>7} {'x pass':>7} {'/target':>7}  target")
    for name, (wall, cpu) in best.items():
        target = TARGETS.get(name)
        verdict, share = "", ""
        if target is not None:
            verdict = f"<= {target * 1000:.0f} ms: {'PASS' if wall <= target else 'FAIL'}"
            share = f"{wall / target:.2f}"
            ok &= wall <= target
        print(
            f"{name:<47} {wall * 1000:8.1f} {cpu * 1000:7.1f} {wall / base_wall:7.1f} {share:>7}"
            f"  {verdict}  (exit {', '.join(map(str, sorted(statuses[name])))})"
        )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for name in TARGETS:
        other = best.get(f"{name} [compared]")
        if other is not None:
            print(
                f"{name}: this tree / compared tree = {best[name][0] / other[0]:.2f} (wall), "
                f"{best[name][1] / other[1]:.2f} (CPU)"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
