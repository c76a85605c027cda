"""How `sgz check` scales: 300, 3,000 and 30,000 stations with three contract years each.

Run by hand, not by pytest:

    .venv/bin/python bench/check_scale.py            # all three sizes
    .venv/bin/python bench/check_scale.py --sizes 300 3000 --repeat 5
    .venv/bin/python bench/check_scale.py --quick      # 300 and 3,000 stations

For each size it writes a programme file (valid, varied, seeded data) with ``tomli_w`` into
``bench/out/`` (or ``--out``), then measures in one process:

- ``parse``: plain ``tomllib.loads`` of the file's text (the floor: reading TOML at all);
- ``check``: a full ``sgz check FILE --format json --on 2026-11-28`` run in-process through
  ``sgz_adapters.cli.main`` with standard output sent to a null sink (reading the file,
  loading and checking it, resolving the profile, running every rule, writing the JSON);

and reports ``check / parse`` in wall and CPU time (target, issue 12: at most 1.5 in the same
run) and the growth of ``check`` from the second-largest to the largest size, 3,000 to 30,000
stations by default (target: at most 10.5x, and never more than ``tomllib``'s own growth on the
same files in the same run). ``--quick`` runs 300 and 3,000 stations (a laptop, a few minutes). Parse and check run
interleaved ``--repeat`` times (the same number for every size) and the best of each is kept;
the CPU time of this process is reported beside the wall time, because on a busy machine the
wall time of one run can vary by tens of percent. Plugin loading and imports are warmed up once
before timing. With ``--subprocess`` (the default) it also times the largest size once as a
subprocess, interpreter start-up and plugin loading included.

The programmes use a small profile written next to them (``bench-profile.toml``): the
Chengguan profile without its three procurement lots, so that thousands of stations can be
valid (LOT-1 allows one station per lot).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import platform
import random
import resource
import subprocess
import sys
import time
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

HERE = Path(__file__).resolve().parent
ON = "2026-11-28"
START = dt.date(2024, 7, 1)
RATIO_TARGET = 1.5
GROWTH_TARGET = 10.5

PROFILE = {
    "profile": {
        "id": "bench-no-lots",
        "name": "Chengguan without procurement lots (benchmark)",
        "extends": "lanzhou-chengguan",
    },
    "parameters": {
        "lots": [{"from": dt.date(2000, 1, 1), "value": [], "reference": "benchmark: no lots"}],
    },
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "芳明磊静燕洋丽帆伟敏强军霞平刚桂英华玉兰秀"
STREET_WORDS = "白银雁园皋兰东岗广武团结靖远酒泉火车嘉峪关拱星墩伏龙坪铁路"
SHARED = ["children_home", "day_care_centre", "elderly_service_centre", "volunteer_station"]
ROOMS = ["casework_room", "group_room", "incubation_base"]
EQUIPMENT = ["desk", "chair", "computer", "printer", "file_cabinet"]
CATEGORIES = ["posts", "services", "fit_out", "office", "travel"]
LEVELS = ["province", "city", "district"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _uscc(number: int) -> str:
    """A valid civil-affairs credit code (52…) with a computed check character (GB 32100)."""
    from stdnum.cn import uscc

    base = f"52620102MJ{number:07d}"
    return base + uscc.calc_check_digit(base)


def _year(rng: random.Random, number: int) -> dict[str, Any]:
    start = START.replace(year=START.year + number - 1)
    signed = start + dt.timedelta(days=rng.randint(0, 20))
    funding = [{"source": level, "amount": 50000} for level in LEVELS]
    if rng.random() < 0.3:
        funding.append({"source": "street", "amount": rng.randint(1, 20) * 1000})
    year: dict[str, Any] = {"year": number, "signed": signed, "funding": funding}
    mid = start + dt.timedelta(days=180 + rng.randint(0, 30))
    final = start + dt.timedelta(days=330 + rng.randint(0, 25))
    evaluations = [{"kind": "mid_term", "date": mid, "score": rng.randint(55, 98)}]
    if rng.random() < 0.05:
        evaluations[0]["outcome"] = "correct"
    evaluations.append({"kind": "final", "date": final, "score": rng.randint(60, 99)})
    year["evaluations"] = evaluations
    expenses = []
    budget = {level: Decimal(50000) for level in LEVELS}
    for _ in range(rng.randint(2, 5)):
        fund = rng.choice(LEVELS)
        amount = Decimal(rng.randint(50000, 1500000)) / 100  # 500.00 … 15,000.00 yuan
        if amount > budget[fund]:
            continue
        budget[fund] -= amount
        expenses.append(
            {
                "date": start + dt.timedelta(days=rng.randint(1, 360)),
                "category": rng.choice(CATEGORIES),
                "fund": fund,
                "amount": amount,
            }
        )
    year["expenses"] = expenses
    return year


def _station(rng: random.Random, i: int, contractor: str) -> dict[str, Any]:
    street = "".join(rng.choice(STREET_WORDS) for _ in range(2)) + f"{i}街道"
    staff = [
        {
            "name": _name(rng),
            "role": "resident",
            "employer": contractor,
            "qualification": rng.choice(["assistant", "intermediate", "senior"]),
            "social_work_degree": rng.random() < 0.6,
        }
    ]
    for _ in range(rng.randint(1, 3)):
        staff.append(
            {
                "name": _name(rng),
                "role": "resident",
                "employer": contractor,
                "qualification": rng.choice(["none", "none", "assistant", "intermediate"]),
                "social_work_degree": rng.random() < 0.5,
            }
        )
    for _ in range(rng.randint(0, 2)):
        staff.append(
            {
                "name": _name(rng),
                "role": "dispatched",
                "employer": contractor,
                "qualification": rng.choice(["none", "assistant"]),
                "social_work_degree": True,
            }
        )
    return {
        "id": f"s{i:05d}",
        "street": street,
        "communities": [f"{street[:-2]}{k}社区" for k in range(rng.randint(1, 3))],
        "contractor": contractor,
        "premises": {
            "activity_area_m2": rng.randint(200, 400),
            "office_area_m2": Decimal(rng.randint(150, 400)) / 10,
            "equipment": EQUIPMENT,
            "shared_facilities": rng.sample(SHARED, rng.randint(0, 2)),
            "rooms": rng.sample(ROOMS, rng.randint(1, 3)),
        },
        "signage": {
            "logo": True,
            "plaques": [
                f"兰州市城关区{street}社会工作服务站",
                f"兰州市城关区{street}未成年人保护工作站",
            ],
        },
        "staff": staff,
        "years": [_year(rng, n) for n in (1, 2, 3)],
    }


def programme(stations: int, seed: int = 2024) -> dict[str, Any]:
    """A valid programme of ``stations`` stations with three contract years each."""
    rng = random.Random(seed)
    n_contractors = max(1, stations // 10)
    contractors = [
        {"id": f"c{k:04d}", "name": f"兰州市第{k}社会工作服务中心", "uscc": _uscc(k + 1)}
        for k in range(n_contractors)
    ]
    return {
        "programme": {
            "id": f"bench-{stations}",
            "name": f"基准测试 {stations} 站",
            "profile": "bench-profile.toml",
            "start": START,
        },
        "contractors": contractors,
        "stations": [
            _station(rng, i, contractors[i % n_contractors]["id"]) for i in range(stations)
        ],
    }


def write(out: Path, stations: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-profile.toml").write_text(tomli_w.dumps(PROFILE), encoding="utf-8")
    path = out / f"programme-{stations}.toml"
    path.write_text(tomli_w.dumps(programme(stations)), encoding="utf-8")
    return path


def timed(fn: Any) -> tuple[float, float, Any]:
    """(wall seconds, CPU seconds of this process, result) of one call."""
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - w0, time.process_time() - c0, result


def parse_once(text: str) -> Any:
    return tomllib.loads(text)


def check_once(path: Path) -> int:
    from sgz_adapters.cli import main

    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        return main(["check", str(path), "--format", "json", "--on", ON])


def measure(path: Path, repeat: int) -> dict[str, float]:
    """Best wall and CPU times of parse and check, the two interleaved ``repeat`` times."""
    text = path.read_text(encoding="utf-8")
    best = {
        "parse": float("inf"),
        "parse_cpu": float("inf"),
        "check": float("inf"),
        "check_cpu": float("inf"),
    }
    for _ in range(repeat):
        wall, cpu, _ = timed(lambda: parse_once(text))
        best["parse"], best["parse_cpu"] = min(best["parse"], wall), min(best["parse_cpu"], cpu)
        wall, cpu, status = timed(lambda: check_once(path))
        best["check"], best["check_cpu"] = min(best["check"], wall), min(best["check_cpu"], cpu)
        if status != 0:
            print(f"warning: sgz check exited with {status} for {path} (expected 0)")
    return best


def time_subprocess(path: Path) -> tuple[float, int]:
    sgz = Path(sys.executable).with_name("sgz")
    cmd = [str(sgz), "check", str(path), "--format", "json", "--on", ON]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    return time.perf_counter() - t0, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000, 30000])
    parser.add_argument("--quick", action="store_true", help="300 and 3,000 stations only")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument(
        "--subprocess",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time the largest size as a subprocess",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [300, 3000]

    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {platform.platform()}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    rows = []
    checked: dict[int, float] = {}
    # one warm-up run: plugin loading and imports happen once per process, not per check
    check_once(write(args.out, 3))
    for size in args.sizes:
        t0 = time.perf_counter()
        path = write(args.out, size)
        made = time.perf_counter() - t0
        mb = path.stat().st_size / 1e6
        m = measure(path, args.repeat)
        checked[size] = m["check"]
        rows.append((size, mb, m))
        print(
            f"  {size:>6} stations: {mb:6.1f} MB written in {made:6.2f} s; "
            f"parse {m['parse']:7.3f} s, check {m['check']:7.3f} s, "
            f"ratio {m['check'] / m['parse']:5.2f} (CPU {m['check_cpu'] / m['parse_cpu']:5.2f})",
            flush=True,
        )

    print()
    print(
        "wall time, best of the runs; CPU = this process's CPU time (less sensitive to a busy machine)"
    )
    print(
        f"{'stations':>8}  {'MB':>6}  {'tomllib s':>9}  {'check s':>8}  {'ratio':>5}  "
        f"{'CPU ratio':>9}  target <= {RATIO_TARGET}"
    )
    ok = True
    for size, mb, m in rows:
        ratio = m["check"] / m["parse"]
        cpu_ratio = m["check_cpu"] / m["parse_cpu"]
        verdict = "PASS" if ratio <= RATIO_TARGET and cpu_ratio <= RATIO_TARGET else "FAIL"
        ok &= verdict == "PASS"
        print(
            f"{size:>8}  {mb:6.1f}  {m['parse']:9.3f}  {m['check']:8.3f}  {ratio:5.2f}  "
            f"{cpu_ratio:9.2f}  {verdict}"
        )
    sizes = sorted(checked)
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        by_size = {size: m for size, _, m in rows}
        growth = by_size[large]["check"] / by_size[small]["check"]
        cpu_growth = by_size[large]["check_cpu"] / by_size[small]["check_cpu"]
        parse_growth = by_size[large]["parse"] / by_size[small]["parse"]
        parse_cpu_growth = by_size[large]["parse_cpu"] / by_size[small]["parse_cpu"]
        target = GROWTH_TARGET * large / small / 10
        verdict = "PASS" if growth <= target and growth <= parse_growth else "FAIL"
        ok &= verdict == "PASS"
        print(
            f"growth {small:,} -> {large:,} stations: {growth:.2f}x wall, {cpu_growth:.2f}x CPU "
            f"(target <= {target:g}x and <= tomllib's); tomllib alone {parse_growth:.2f}x wall, "
            f"{parse_cpu_growth:.2f}x CPU; ratio to tomllib's growth {growth / parse_growth:.2f}  "
            f"{verdict}"
        )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak resident memory of this process: {peak:,.0f} MiB")
    if args.subprocess and args.sizes:
        largest = max(args.sizes)
        path = args.out / f"programme-{largest}.toml"
        seconds, status = time_subprocess(path)
        print(f"subprocess `sgz check` of {largest} stations: {seconds:.3f} s (exit {status})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
