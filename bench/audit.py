"""``audit verify`` of 10⁶ entries against a plain ``hashlib`` pass over the same bytes (issue 11's
benchmark target: at least 0.5x). Run by hand, not by pytest:

    .venv/bin/python bench/audit.py                  # 10⁶ entries, best of 3
    .venv/bin/python bench/audit.py --entries 100000 --repeat 5
    .venv/bin/python bench/audit.py --quick          # 10⁵ entries (a laptop, under a minute)
    .venv/bin/python bench/audit.py --entries 200000 --db postgresql://postgres@127.0.0.1:5432/test

Two figures, both against the same baseline, measured in the same run:

- **core**: :func:`sgz_core.audit.verify` over entries in memory (what the issue's target is
  about: the chain check itself), against ``hashlib.sha256(b).hexdigest()`` over every entry's
  canonical bytes, already encoded;
- **end to end**: ``audit_verify()`` of a storage holding the entries (SQLite, or the server
  named by ``--db``; reading the rows, checking them a batch at a time, issue 11), against the
  same baseline, and beside it the reference it must agree with (``verify`` over ``from_row`` of
  every row, what ``audit_verify`` did before). The rows are written straight into the table
  first (what sgz would have appended, entry by entry, over a district's years), so the set-up
  does not take hours; a server's tables get a prefix of their own and are dropped afterwards.

The entries look like a district's: payments of 3,000 stations over three years and
milestones, with the payment as ``after``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sgz_adapters.storage import _audit  # noqa: E402
from sgz_adapters.storage import _schema as sql  # noqa: E402
from sgz_adapters.storage.sqlite import SqliteStorage  # noqa: E402
from sgz_core.audit import AuditAction, AuditEntry, AuditHead, append, verify  # noqa: E402
from sgz_core.storage import Storage  # noqa: E402

TARGET = 0.5


def entries(n: int) -> tuple[list[AuditEntry], AuditHead]:
    head = AuditHead()
    out = []
    start = dt.datetime(2024, 7, 1, 8, tzinfo=dt.UTC)
    milestones = ("contract_signed", "mid_term", "final")
    for i in range(n):
        station, year, milestone = f"s{i % 3000:04d}", 1 + (i // 3000) % 3, milestones[i % 3]
        entry, head = append(
            head,
            at=start + dt.timedelta(seconds=37 * i),
            who="李会计",
            action=AuditAction.PAYMENT,
            programme="district-2024",
            station=station,
            year=year,
            subject=milestone,
            after={
                "station": station,
                "year": year,
                "milestone": milestone,
                "amount": "45000.00",
                "paid_on": "2025-01-12",
                "by": "李会计",
                "reference": f"城财拨〔2025〕{i}号",
                "recorded_at": "2025-01-12T09:30:00+00:00",
            },
        )
        out.append(entry)
    return out, head


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="a PostgreSQL or MariaDB URL instead of a SQLite file")
    parser.add_argument("--quick", action="store_true", help="10^5 entries (overrides --entries)")
    args = parser.parse_args()
    n = 100_000 if args.quick else args.entries

    began = time.perf_counter()
    chain, head = entries(n)
    print(f"{n:,} entries made in {time.perf_counter() - began:.1f} s")
    data = [e.encode() for e in chain]
    size = sum(map(len, data))
    print(f"canonical bytes: {size / n:.0f} per entry, {size / 1e6:.0f} MB")

    def plain() -> None:
        sha256 = hashlib.sha256
        for b in data:
            sha256(b).hexdigest()

    def core() -> None:
        verdict = verify(chain, head)
        assert verdict.whole and verdict.count == n

    base = best(plain, args.repeat)
    mine = best(core, args.repeat)
    print(f"plain hashlib pass:       {base:7.3f} s  ({n / base:,.0f} entries/s)")
    print(
        f"core verify:              {mine:7.3f} s  ({n / mine:,.0f} entries/s)  "
        f"= {base / mine:.2f}x the plain pass (target >= {TARGET}x)"
    )

    with contextlib.ExitStack() as stack:
        storage = stack.enter_context(_stored(chain, head, args.db))

        def stored() -> None:
            verdict = storage.audit_verify()
            assert verdict.whole and verdict.count == n

        def reference() -> None:
            with storage.reader() as uow:
                rows = uow._audit_rows(None, None)
                verdict = verify(rows, uow.audit_head())
            assert verdict.whole and verdict.count == n and verdict == storage.audit_verify()

        end_to_end = best(stored, args.repeat)
        before = best(reference, 1)
    where = "SQLite" if args.db is None else args.db.split(":")[0]
    print(
        f"{where} audit_verify():  {end_to_end:7.3f} s  ({n / end_to_end:,.0f} entries/s)  "
        f"= {base / end_to_end:.2f}x the plain pass (target >= {TARGET}x)"
    )
    print(
        f"{where} reference (entries): {before:7.3f} s  ({n / before:,.0f} entries/s)  "
        f"= {base / before:.2f}x the plain pass"
    )


@contextlib.contextmanager
def _stored(chain: list[AuditEntry], head: AuditHead, url: str | None) -> Iterator[Storage]:
    """A storage holding ``chain`` and ``head``: a new SQLite file, or tables on ``url``."""
    rows = [_audit.row(e) for e in chain]
    if url is None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "audit.db"
            storage = SqliteStorage(path)
            with contextlib.closing(sqlite3.connect(path)) as conn:
                conn.executemany(sql.insert_audit("", "sqlite"), rows)
                conn.execute(sql.update_audit_head("", "sqlite"), (head.count, head.hash))
                conn.commit()
            try:
                yield storage
            finally:
                storage.close()
        return
    from sgz_adapters.storage.sql import ServerStorage

    server = ServerStorage(url, prefix=f"bench_audit_{os.getpid()}_")
    try:
        conn = server.connect()
        try:
            with conn.cursor() as cur:
                text = sql.insert_audit(server.prefix, server.dialect)
                for i in range(0, len(rows), 10_000):
                    cur.executemany(text, rows[i : i + 10_000])
                cur.execute(
                    sql.update_audit_head(server.prefix, server.dialect), (head.count, head.hash)
                )
            conn.commit()
        finally:
            conn.close()
        yield server
    finally:
        server.drop_all()


if __name__ == "__main__":
    main()
