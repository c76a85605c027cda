"""Money benchmark (issue 11): recording payments and the schedule with totals, against raw SQL.

Not a timed test: run it by hand and copy the figures into ``docs/performance.md``.

    .venv/bin/python bench/money.py                 # 3,000 stations, 10^6 service records (SQLite)
    .venv/bin/python bench/money.py --quick         # 300 stations, 100,000 records
    .venv/bin/python bench/money.py --db postgresql://postgres@127.0.0.1:5432/test

A district of N stations over three contract years (every evaluation passes, so each of the
9 x N tranches becomes due on its milestone's day: 27,000 payments for 3,000 stations), with a
service ledger of ``--records`` entries stored beside it. In one run it measures:

  1. recording every payment through the service layer (``sgz_adapters.service.pay_many``: the
     programme loaded, each tranche decided as ``sgz pay`` decides it, one transaction) against
     a raw ``INSERT`` (``executemany``, one transaction) of the same rows into the same table
     (target: >= 0.3x the raw rate). For scale it also times ``sgz_adapters.service.pay`` one
     payment at a time (``--single`` of them) against a raw one-row ``INSERT`` and ``COMMIT``;
  2. the schedule with its totals (``sgz_adapters.service.schedule`` of the stored programme)
     against the raw SQL (``GROUP BY``) that gives the same numbers: contract value, paid and
     outstanding per station-year, station, contract year and programme (target: <= 2x the
     raw query). The numbers are asserted equal, to the fen.

Every timing is the best of ``--repeat`` rounds where a round can be repeated (the two sides of
a ratio take turns); recording payments can happen once per database, so it is timed once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

sys.path.insert(0, str(Path(__file__).resolve().parent))

import check_scale

import sgz_adapters.service as sgz
from sgz_adapters import files
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage import _tabular as tabular
from sgz_core.enums import Milestone, PaymentOutcome
from sgz_core.model import Programme
from sgz_core.payments import Payment, decide
from sgz_core.profiles import Profile
from sgz_core.storage import Storage
from sgz_core.testing.samples import sample_ledger

PAY_TARGET = 0.3
SCHEDULE_TARGET = 2.0
LEVELS = ("province", "city", "district")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_of(repeat: int, *fns: Callable[[], Any]) -> tuple[list[float], list[Any]]:
    """The best time of each function over ``repeat`` rounds, taking turns; the last results."""
    best = [float("inf")] * len(fns)
    results: list[Any] = [None] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            took, results[i] = timed(fn)
            best[i] = min(best[i], took)
    return best, results


def line(
    what: str, rows: int, seconds: float, rate_of: float | None = None, target: str = ""
) -> None:
    rate = rows / seconds if seconds else float("inf")
    ratio = f"  {rate_of / seconds:6.3f}x baseline {target}" if rate_of else ""
    print(f"{what:<58} {rows:>9,} {seconds:9.3f} s {rate:>11,.0f}/s{ratio}")


def load_average() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


# --- the district ----------------------------------------------------------------------------------


def district(stations: int, work: Path, seed: int = 11) -> tuple[Programme, Profile]:
    """``stations`` stations of bench/check_scale.py's generator, three contract years each, every
    evaluation passing (so every tranche is due on its milestone's day); some district lines
    carry fen so that the tranche split has remainders to place."""
    rng = random.Random(seed)
    data = check_scale.programme(stations)
    data["programme"]["id"] = "money"
    data["programme"]["profile"] = str(work / "bench-profile.toml")  # read from any directory
    for station in data["stations"]:
        for year in station["years"]:
            for e in year["evaluations"]:
                e.pop("outcome", None)
                e["score"] = rng.randint(80, 99)
            if rng.random() < 0.2:
                line_ = next(f for f in year["funding"] if f["source"] == "district")
                line_["amount"] = Decimal(rng.randint(5_000_000, 5_000_099)) / 100
    (work / "bench-profile.toml").write_text(tomli_w.dumps(check_scale.PROFILE), "utf-8")
    path = work / "money.toml"
    path.write_text(tomli_w.dumps(data), "utf-8")
    loaded = files.load_programme(path)
    return loaded.programme, loaded.profile


def requests(programme: Programme) -> list[sgz.PayRequest]:
    """Every tranche of every station-year, paid on its milestone's day by one officer."""
    out = []
    for station in programme.stations:
        for year in station.years:
            mid = next(e.date for e in year.evaluations if e.kind.value == "mid_term")
            final = next(e.date for e in year.evaluations if e.kind.value == "final")
            assert year.signed is not None
            for milestone, day in (
                (Milestone.CONTRACT_SIGNED, year.signed),
                (Milestone.MID_TERM, mid),
                (Milestone.FINAL, final),
            ):
                out.append(
                    sgz.PayRequest(
                        station.id,
                        year.year,
                        milestone,
                        day,
                        "李会计",
                        f"城财拨〔{day.year}〕{len(out) + 1}号",
                    )
                )
    return out


# --- the raw side ----------------------------------------------------------------------------------


class Raw:
    """Plain DB-API access to the same tables (the adapter's prefix and dialect)."""

    def __init__(self, store: Storage) -> None:
        self.store = store
        self.dialect = getattr(store, "dialect", "sqlite")
        self.prefix = getattr(store, "prefix", "")
        if self.dialect == "sqlite":
            self.conn: Any = sqlite3.connect(store.path, isolation_level=None)  # type: ignore[attr-defined]
        else:
            self.conn = store.connect()  # type: ignore[attr-defined]
            self.conn.autocommit = True

    def t(self, name: str) -> str:
        return sql.quote(self.prefix + name, self.dialect)

    def begin(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def insert_payments(self, rows: list[tuple[Any, ...]]) -> None:
        statement = sql.insert_payment(self.prefix, self.dialect)
        self.begin()
        if self.dialect == "sqlite":
            self.conn.executemany(statement, rows)
        else:
            with self.conn.cursor() as cur:
                cur.executemany(statement, rows)
        self.commit()

    def insert_one_each(self, rows: list[tuple[Any, ...]]) -> None:
        statement = sql.insert_payment(self.prefix, self.dialect)
        for row in rows:
            self.begin()
            self.conn.execute(statement, row)
            self.commit()

    def delete_payments(self, programme_id: str) -> None:
        mark = "?" if self.dialect == "sqlite" else "%s"
        self.conn.execute(
            f"DELETE FROM {self.t(sql.PAYMENTS)} WHERE programme_id = {mark}", (programme_id,)
        )

    def totals(self, programme_id: str) -> dict[tuple[str | None, int | None], tuple[int, int]]:
        """(contract value, paid) in fen per station-year, station, year and programme: GROUP BY
        over the funding lines of the co-funding levels and over the recorded payments."""
        mark = "?" if self.dialect == "sqlite" else "%s"
        levels = ", ".join(f"'{lv}'" for lv in LEVELS)
        text = f"""
        WITH value AS (
          SELECT s.id AS station, y.year AS year, SUM(f.amount_fen) AS fen
          FROM {self.t("funding")} f
          JOIN {self.t("stations")} s
            ON s.programme_id = f.programme_id AND s.pos = f.station_pos
          JOIN {self.t("contract_years")} y
            ON y.programme_id = f.programme_id AND y.station_pos = f.station_pos
           AND y.pos = f.year_pos
          WHERE f.programme_id = {mark} AND f.source IN ({levels})
          GROUP BY s.id, y.year
        ), paid AS (
          SELECT station, year, SUM(amount_fen) AS fen FROM {self.t(sql.PAYMENTS)}
          WHERE programme_id = {mark} GROUP BY station, year
        ), both_ AS (
          SELECT v.station, v.year, v.fen AS value, COALESCE(p.fen, 0) AS paid
          FROM value v LEFT JOIN paid p ON p.station = v.station AND p.year = v.year
        )
        SELECT station, year, value, paid FROM both_
        UNION ALL SELECT station, NULL, SUM(value), SUM(paid) FROM both_ GROUP BY station
        UNION ALL SELECT NULL, year, SUM(value), SUM(paid) FROM both_ GROUP BY year
        UNION ALL SELECT NULL, NULL, SUM(value), SUM(paid) FROM both_
        """
        if self.dialect == "sqlite":
            rows = self.conn.execute(text, (programme_id, programme_id)).fetchall()
        else:
            with self.conn.cursor() as cur:
                cur.execute(text, (programme_id, programme_id))
                rows = cur.fetchall()
        return {(s, y): (int(v), int(p)) for s, y, v, p in rows}


def fen(amount: Decimal) -> int:
    return int(amount * 100)


# --- the run ---------------------------------------------------------------------------------------


def open_store(url: str | None, work: Path) -> Storage:
    if url is None:
        from sgz_adapters.storage.sqlite import SqliteStorage

        return SqliteStorage(work / "money.db")
    from sgz_adapters.storage.sql import ServerStorage

    return ServerStorage(url, prefix=f"money{os.getpid()}_")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=3000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="300 stations, 100,000 records")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--single", type=int, default=50, help="payments timed one at a time")
    parser.add_argument("--db", default=None, help="postgresql://… (default: a SQLite file)")
    args = parser.parse_args()
    if args.quick:
        args.stations, args.records = 300, 100_000
    work = Path(tempfile.mkdtemp(prefix="sgz-money-"))
    print(
        f"sgz money benchmark: {args.stations:,} stations x 3 years, {args.records:,} service "
        f"records; {args.db or 'SQLite'}; python {sys.version.split()[0]}, sqlite "
        f"{sqlite3.sqlite_version}; {os.cpu_count()} cores, load average {load_average()}\n"
    )
    began = time.perf_counter()
    bare, profile = district(args.stations, work)
    programme = sample_ledger(bare, size=args.records)
    print(f"(built the district in {time.perf_counter() - began:.1f} s)")
    store = open_store(args.db, work)
    try:
        run(store, programme, profile, args)
    finally:
        if args.db is not None:
            store.drop_all()  # type: ignore[attr-defined]
    print(f"\nload average at the end {load_average()}; files in {work}")


def expected_payments(
    programme: Programme, profile: Profile, asked: list[sgz.PayRequest], stamp: dt.datetime
) -> list[Payment]:
    """What the service should record: the core's decision for each request, untimed."""
    out = []
    for r in asked:
        d = decide(
            programme,
            profile,
            station=r.station,
            year=r.year,
            milestone=r.tranche,
            on=r.on,
            by=r.by,
            reference=r.reference,
            recorded_at=stamp,
        )
        assert d.outcome is PaymentOutcome.RECORDED and d.payment is not None, (
            "every tranche is due"
        )
        out.append(d.payment)
    return out


def run(store: Storage, programme: Programme, profile: Profile, args: argparse.Namespace) -> None:
    took, _ = timed(lambda: sgz.import_programme(programme, db=store))
    print(f"(stored it in {took:.1f} s)\n")
    asked = requests(programme)
    n = len(asked)
    raw = Raw(store)

    # 1. payments: the rows the service will write, inserted raw under another programme id
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    payments = expected_payments(programme, profile, asked, stamp)
    pg = raw.dialect != "sqlite"
    rows = [tabular.payment_row("raw", p, dates_as_text=not pg) for p in payments]
    raw_took, _ = timed(lambda: raw.insert_payments(rows))
    raw.delete_payments("raw")
    took, results = timed(lambda: sgz.pay_many(sgz.stored(store), asked))
    recorded = [r.payment for r in results if r.outcome is PaymentOutcome.RECORDED]
    assert len(recorded) == n, f"{len(recorded)} of {n} recorded"
    stored = {p.key: p for p in store.payments("money")}
    assert len(stored) == n and all(p.same_payment(stored[p.key]) for p in payments), (
        "the service recorded other payments than the rows inserted raw"
    )
    line("raw INSERT of the payment rows (executemany, 1 transaction)", n, raw_took)
    line(
        "service pay_many (load, decide each, record, 1 transaction)",
        n,
        took,
        raw_took,
        f"(target >= {PAY_TARGET}x)",
    )
    again, _ = timed(lambda: sgz.pay_many(sgz.stored(store), asked))
    line("service pay_many again (all already paid: records nothing)", n, again)

    # one at a time: sgz pay as the command line runs it, against a one-row INSERT + COMMIT
    k = min(args.single, n)
    sample = [rows[i] for i in range(0, n, max(1, n // k))][:k]
    one_raw, _ = timed(lambda: raw.insert_one_each(sample))
    raw.delete_payments("raw")
    extra = _second_programme(store, programme, k)
    one, _ = timed(lambda: [sgz.pay(sgz.stored(store, "money-2"), **_kw(r)) for r in extra])
    line("raw one-row INSERT + COMMIT, one payment at a time", k, one_raw)
    line("service pay, one payment at a time", k, one, one_raw)

    # 2. the schedule with its totals against the GROUP BY
    on = programme.year_end(3) + dt.timedelta(days=60)

    def service() -> dict[tuple[str | None, int | None], tuple[int, int]]:
        shown = sgz.schedule(sgz.stored(store, "money"), on=on)
        return {(t.station, t.year): (fen(t.contract_value), fen(t.paid)) for t in shown.totals}

    (raw_best, svc_best), (raw_totals, svc_totals) = best_of(
        args.repeat, lambda: raw.totals("money"), service
    )
    assert raw_totals == svc_totals, "the schedule's totals differ from the GROUP BY's"
    value, paid = svc_totals[(None, None)]
    assert value == paid, "every tranche is paid: nothing outstanding"
    groups = len(svc_totals)
    print()
    line(f"raw GROUP BY of the totals (best of {args.repeat})", groups, raw_best)
    line(
        f"service schedule with totals (best of {args.repeat})",
        groups,
        svc_best,
        raw_best,
        f"(target: time <= {SCHEDULE_TARGET}x, i.e. >= {1 / SCHEDULE_TARGET}x the rate)",
    )
    print(
        f"{'':<58} totals equal to the fen: contract value {value / 100:,.2f}, "
        f"paid {paid / 100:,.2f}, outstanding 0.00"
    )


def _kw(r: sgz.PayRequest) -> dict[str, Any]:
    return {
        "station": r.station,
        "year": r.year,
        "tranche": r.tranche,
        "on": r.on,
        "by": r.by,
        "reference": r.reference,
    }


def _second_programme(store: Storage, programme: Programme, k: int) -> list[sgz.PayRequest]:
    """The same district under the id ``money-2`` (its ledger left out), and ``k`` requests."""
    import attrs

    other = attrs.evolve(programme, id="money-2", records=())
    sgz.import_programme(other, db=store)
    asked = requests(other)
    return [asked[i] for i in range(0, len(asked), max(1, len(asked) // k))][:k]


if __name__ == "__main__":
    main()
