"""How `sgz check` scales: 300, 3,000 and 30,000 stations with three contract years each.

Run by hand, not by pytest:

    .venv/bin/python bench/check_scale.py            # all three sizes
    .venv/bin/python bench/check_scale.py --sizes 300 3000 --repeat 5

For each size it writes a programme file (valid, varied, seeded data) with ``tomli_w`` into
``bench/out/`` (or ``--out``), then measures in one process:

- ``parse``: plain ``tomllib.loads`` of the file's text (the floor: reading TOML at all);
- ``check``: a full ``sgz check FILE --format json --on 2026-11-28`` run in-process through
  ``sgz_adapters.cli.main`` with standard output sent to a null sink (reading the file,
  loading and checking it, resolving the profile, running every rule, writing the JSON);

and reports ``check / parse`` (target: at most 2.0) and the growth of ``check`` from 3,000 to
30,000 stations (target: at most 11x, i.e. close to linear). Each time is the best of
``--repeat`` runs. With ``--subprocess`` (default on for the largest size) it also times the
whole command as a subprocess, interpreter start-up and plugin loading included.

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
RATIO_TARGET = 2.0
GROWTH_TARGET = 11.0

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
        expenses.append({
            "date": start + dt.timedelta(days=rng.randint(1, 360)),
            "category": rng.choice(CATEGORIES),
            "fund": fund,
            "amount": amount,
        })
    year["expenses"] = expenses
    return year


def _station(rng: random.Random, i: int, contractor: str) -> dict[str, Any]:
    street = "".join(rng.choice(STREET_WORDS) for _ in range(2)) + f"{i}街道"
    staff = [{
        "name": _name(rng), "role": "resident", "employer": contractor,
        "qualification": rng.choice(["assistant", "intermediate", "senior"]),
        "social_work_degree": rng.random() < 0.6,
    }]
    for _ in range(rng.randint(1, 3)):
        staff.append({
            "name": _name(rng), "role": "resident", "employer": contractor,
            "qualification": rng.choice(["none", "none", "assistant", "intermediate"]),
            "social_work_degree": rng.random() < 0.5,
        })
    for _ in range(rng.randint(0, 2)):
        staff.append({
            "name": _name(rng), "role": "dispatched", "employer": contractor,
            "qualification": rng.choice(["none", "assistant"]), "social_work_degree": True,
        })
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
            "plaques": [f"兰州市城关区{street}社会工作服务站", f"兰州市城关区{street}未成年人保护工作站"],
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
        "stations": [_station(rng, i, contractors[i % n_contractors]["id"]) for i in range(stations)],
    }


def write(out: Path, stations: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench-profile.toml").write_text(tomli_w.dumps(PROFILE), encoding="utf-8")
    path = out / f"programme-{stations}.toml"
    path.write_text(tomli_w.dumps(programme(stations)), encoding="utf-8")
    return path


def best_of(repeat: int, fn: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def time_parse(path: Path, repeat: int) -> float:
    text = path.read_text(encoding="utf-8")
    return best_of(repeat, lambda: tomllib.loads(text))[0]


def time_check(path: Path, repeat: int) -> tuple[float, int]:
    from sgz_adapters.cli import main

    def run() -> int:
        with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
            return main(["check", str(path), "--format", "json", "--on", ON])

    return best_of(repeat, run)


def time_subprocess(path: Path) -> tuple[float, int]:
    sgz = Path(sys.executable).with_name("sgz")
    cmd = [str(sgz), "check", str(path), "--format", "json", "--on", ON]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    return time.perf_counter() - t0, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000, 30000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best kept)")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--subprocess", action=argparse.BooleanOptionalAction, default=True,
                        help="also time the largest size as a subprocess")
    args = parser.parse_args(argv)

    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} CPUs, {platform.platform()}")
    rows = []
    checked: dict[int, float] = {}
    # one warm-up run: plugin loading and imports happen once per process, not per check
    warm = write(args.out, 3)
    time_check(warm, 1)
    for size in args.sizes:
        t0 = time.perf_counter()
        path = write(args.out, size)
        made = time.perf_counter() - t0
        mb = path.stat().st_size / 1e6
        repeat = args.repeat if size < 30000 else max(1, min(args.repeat, 2))
        parse = time_parse(path, repeat)
        check, status = time_check(path, repeat)
        if status != 0:
            print(f"warning: sgz check exited with {status} for {path} (expected 0)")
        checked[size] = check
        ratio = check / parse
        rows.append((size, mb, made, parse, check, ratio))
        print(f"  {size:>6} stations: {mb:6.1f} MB written in {made:6.2f} s; "
              f"parse {parse:7.3f} s, check {check:7.3f} s, ratio {ratio:5.2f}", flush=True)

    print()
    print(f"{'stations':>8}  {'MB':>6}  {'tomllib s':>9}  {'check s':>8}  {'ratio':>5}  "
          f"target <= {RATIO_TARGET}")
    ok = True
    for size, mb, _, parse, check, ratio in rows:
        verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
        ok &= verdict == "PASS"
        print(f"{size:>8}  {mb:6.1f}  {parse:9.3f}  {check:8.3f}  {ratio:5.2f}  {verdict}")
    if 3000 in checked and 30000 in checked:
        growth = checked[30000] / checked[3000]
        verdict = "PASS" if growth <= GROWTH_TARGET else "FAIL"
        ok &= verdict == "PASS"
        print(f"growth 3,000 -> 30,000 stations: {growth:.2f}x (target <= {GROWTH_TARGET}x)  {verdict}")
    if args.subprocess and args.sizes:
        largest = max(args.sizes)
        path = args.out / f"programme-{largest}.toml"
        seconds, status = time_subprocess(path)
        print(f"subprocess `sgz check` of {largest} stations: {seconds:.3f} s (exit {status})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
