"""Reliability on real databases: a killed import leaves all or nothing, concurrent writers lose
nothing and never see "database is locked" (issue 4)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sgz_adapters.storage.sql import ServerStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.audit_diff import changes
from sgz_core.storage import Storage

from .conftest import require, unique_prefix
from .storage_worker import BATCH, big_programme

WORKER = Path(__file__).with_name("storage_worker.py")
RECORDS = 10_000
KILLS = 20


APP = f"sgz-worker-{os.getpid()}"
"""The ``application_name`` of the workers' PostgreSQL connections (libpq reads ``PGAPPNAME``)."""


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PGAPPNAME": APP},
    )


def _settle(url: str) -> None:
    """Wait until the server has finished what a killed client left running.

    A client killed right after sending COMMIT leaves its server backend to finish that commit
    (or roll back) on its own; the outcome is all or nothing, but it is only known once that
    backend is done. The workers' backends are told apart by their ``application_name`` (other
    clients may use the same database at the same time).
    """
    if not url.startswith("postgresql"):
        return
    import psycopg

    deadline = time.monotonic() + 30
    with psycopg.connect(url.split("?", 1)[0], autocommit=True) as conn:
        while time.monotonic() < deadline:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", (APP,)
            ).fetchone()
            if busy is not None and busy[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError("the server still runs the killed client's work after 30 s")


def _open(kind: str, tmp_path: Path) -> tuple[Storage, str]:
    if kind == "sqlite":
        path = tmp_path / "kill.db"
        return SqliteStorage(path), f"sqlite:///{path}"
    url = require(kind)
    prefix = unique_prefix()
    return ServerStorage(url, prefix=prefix), f"{url}?prefix={prefix}"


def _drop(storage: Storage) -> None:
    if isinstance(storage, ServerStorage):
        storage.drop_all()


@pytest.mark.db
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigkill_during_large_imports_leaves_all_or_nothing(kind: str, tmp_path: Path) -> None:
    storage, url = _open(kind, tmp_path)
    rng = random.Random(20241128)
    outcomes: dict[str, bool] = {}
    try:
        # one import left to finish, to time it: the kills then land anywhere inside that time
        child = _worker("import", url, "whole", str(RECORDS))
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        began = time.monotonic()
        assert child.stdout.readline().strip() == "done"
        duration = time.monotonic() - began
        child.wait(timeout=30)
        outcomes["whole"] = True
        for i in range(KILLS):
            pid = f"big-{i}"
            child = _worker("import", url, pid, str(RECORDS))
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready", (
                child.stderr.read() if child.stderr else ""
            )
            if i == KILLS - 1:
                # the last kill lands after the commit, so the all-of-it branch is always checked
                assert child.stdout.readline().strip() == "done"
            else:
                time.sleep(rng.uniform(0.0, duration * 1.2))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            _settle(url)
            reopened: Any = (
                SqliteStorage(storage.path) if isinstance(storage, SqliteStorage) else storage
            )
            if isinstance(reopened, SqliteStorage):
                assert reopened.integrity_problems() == []
            outcomes[pid] = reopened.exists(pid)
            if outcomes[pid]:  # all of it: every record, every station
                total = reopened.ledger_counts(pid).total()
                assert total.records + total.administrative_records == RECORDS
                assert len(reopened.load(pid).stations) == 3
            for earlier, kept in outcomes.items():  # nothing committed before was touched
                assert reopened.exists(earlier) is kept
            # AUD-1: the import's audit entry, and those of its evaluations, corrective actions,
            # receipts and expenses (issue 11), were committed with it, or none was
            entries = list(reopened.audit_entries(pid))
            if outcomes[pid]:
                items = changes(None, reopened.load(pid, records=False))
                assert [e.action.value for e in entries] == ["import"] + [
                    c.action.value for c in items
                ]
            else:
                assert entries == []
            assert reopened.audit_verify().whole
        assert set(storage.programme_ids()) == {p for p, kept in outcomes.items() if kept}
        # the kills landed at different points: both outcomes happen across the runs
        assert outcomes[f"big-{KILLS - 1}"] is True
        assert not all(outcomes.values()), "no kill landed before a commit; the test proved nothing"
    finally:
        _drop(storage)


@pytest.mark.db
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_two_processes_writing_at_once_lose_nothing(kind: str, tmp_path: Path) -> None:
    storage, url = _open(kind, tmp_path)
    times = 25
    try:
        storage.save(big_programme("shared", 10))
        children = [_worker("append", url, "shared", str(times), tag) for tag in ("a", "b")]
        for child in children:
            _, err = child.communicate(timeout=300)
            assert child.returncode == 0, err
            assert "locked" not in err and "Traceback" not in err
        notes = [r.note for r in storage.load("shared").records]
        for tag in ("a", "b"):
            assert sorted(n for n in notes if n.startswith(f"{tag}-")) == sorted(
                f"{tag}-{i}" for i in range(times)
            )
        assert len(notes) == 10 + 2 * times
    finally:
        _drop(storage)


@pytest.mark.db
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigkill_while_paying_writes_payment_and_entry_together(kind: str, tmp_path: Path) -> None:
    """AUD-1 with PAY-1: a worker records payments, BATCH to a unit of work, and is killed at
    random moments; each time, the payments stored and the payment entries of the audit trail
    are the same set, a whole number of units, and the chain is whole."""
    storage, url = _open(kind, tmp_path)
    rng = random.Random(20261202)
    try:
        storage.save(big_programme("paid", 10))
        child = _worker("pay", url, "paid", "5", "timing")  # time five units, uninterrupted
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        began = time.monotonic()
        assert child.stdout.readline().strip() == "done", (
            child.stderr.read() if child.stderr else ""
        )
        per_unit = (time.monotonic() - began) / 5
        child.wait(timeout=30)
        partial = 0
        for i in range(KILLS):
            child = _worker("pay", url, "paid", "1000", f"k{i}")
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready", (
                child.stderr.read() if child.stderr else ""
            )
            time.sleep(rng.uniform(0.0, per_unit * 6))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            _settle(url)
            reopened: Any = (
                SqliteStorage(storage.path) if isinstance(storage, SqliteStorage) else storage
            )
            paid = {p.station for p in reopened.payments("paid")}
            entries = [e for e in reopened.audit_entries("paid") if e.action.value == "payment"]
            assert {e.station for e in entries} == paid
            assert len(entries) == len(paid)  # one entry per payment, never two
            assert len(paid) % BATCH == 0  # whole units only
            mine = {p for p in paid if p.startswith(f"k{i}-")}
            partial += len(mine) > 0
            verdict = reopened.audit_verify()
            assert verdict.whole, verdict
        assert partial, "no kill landed after a commit; the test proved nothing"
    finally:
        _drop(storage)


@pytest.mark.db
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigkill_during_payment_runs_then_rerun_records_exactly_the_missing(
    kind: str, tmp_path: Path
) -> None:
    """PAY-1 with AUD-1, through ``service.pay_many`` (a payment run): a worker runs one payment
    run per due tranche and is killed at random moments. After each kill every payment has its
    audit entry and every payment entry its payment, the chain is whole; re-running the whole
    run records exactly the missing tranches, and running it once more records nothing and
    appends no entry."""
    from sgz_adapters import service
    from sgz_core.enums import PaymentOutcome
    from sgz_core.programme_file import loads

    from .conftest import EXAMPLE_TEXT
    from .storage_worker import run_requests

    rng = random.Random(20261203)
    partial = 0
    for i in range(4):
        (tmp_path / f"k{i}").mkdir()
        storage, url = _open(kind, tmp_path / f"k{i}")
        try:
            programme = loads(EXAMPLE_TEXT, "chengguan.toml")
            storage.save(programme)
            asked = run_requests(programme, "李会计")
            child = _worker("runs", url, programme.id, "王出纳")
            assert child.stdout is not None
            for _ in range(rng.randint(1, len(asked))):
                line = child.stdout.readline().strip()
                assert line in ("ready", "done"), child.stderr.read() if child.stderr else ""
            time.sleep(rng.uniform(0.0, 0.05))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            _settle(url)
            reopened: Any = (
                SqliteStorage(storage.path) if isinstance(storage, SqliteStorage) else storage
            )
            paid = {p.key for p in reopened.payments(programme.id)}
            entries = [e for e in reopened.audit_entries() if e.action.value == "payment"]
            assert len(entries) == len(paid)
            assert {(e.station, e.year) for e in entries} == {(k[0], k[1]) for k in paid}
            assert reopened.audit_verify().whole
            partial += 0 < len(paid) < len(asked)
            before = len(list(reopened.audit_entries()))
            results = service.pay_many(service.stored(reopened, programme.id), asked)
            recorded = [r for r in results if r.outcome is PaymentOutcome.RECORDED]
            assert len(recorded) == len(asked) - len(paid)
            assert all(
                r.payment is not None and r.payment.by == "王出纳"
                for r in results
                if r.outcome is PaymentOutcome.ALREADY_PAID
            )
            after = list(reopened.audit_entries())
            assert len(after) == before + len(recorded)
            again = service.pay_many(service.stored(reopened, programme.id), asked)
            assert all(r.outcome is PaymentOutcome.ALREADY_PAID for r in again)
            assert len(list(reopened.audit_entries())) == len(after)
            assert reopened.audit_verify().whole
        finally:
            _drop(storage)
    assert partial, "no kill landed between two runs; the test proved nothing"


@pytest.mark.db
@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_sigkill_during_an_import_bringing_payments_keeps_them_with_their_entries(
    kind: str, tmp_path: Path
) -> None:
    """PAY-1 with AUD-1: an ``import --replace`` whose file brings ``[[payments]]`` is killed at
    random moments: the programme, its payments, the import entry and one payment entry per
    payment are all committed, or none of them; the chain stays whole."""
    from .storage_worker import brought_payments

    storage, url = _open(kind, tmp_path)
    rng = random.Random(20261204)
    records = 3000
    seen: set[bool] = set()
    try:
        child = _worker("import-paid", url, "timing", str(records))
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        began = time.monotonic()
        assert child.stdout.readline().strip() == "done", (
            child.stderr.read() if child.stderr else ""
        )
        duration = time.monotonic() - began
        child.wait(timeout=30)
        for i in range(8):
            pid = f"paid-{i}"
            child = _worker("import-paid", url, pid, str(records))
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready", (
                child.stderr.read() if child.stderr else ""
            )
            if i == 7:  # the last kill lands after the commit: the all-of-it branch is checked
                assert child.stdout.readline().strip() == "done"
            else:
                time.sleep(rng.uniform(0.0, duration * 1.2))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            _settle(url)
            reopened: Any = (
                SqliteStorage(storage.path) if isinstance(storage, SqliteStorage) else storage
            )
            kept = reopened.exists(pid)
            seen.add(kept)
            entries = list(reopened.audit_entries(pid))
            paid = reopened.payments(pid) if kept else []
            payment_entries = [e for e in entries if e.action.value == "payment"]
            if kept:
                assert len(paid) == len(brought_payments()) == len(payment_entries)
                assert entries[0].action.value == "import"
            else:
                assert paid == [] and entries == []
            assert reopened.audit_verify().whole
        assert seen == {True, False}, "no kill landed before a commit; the test proved nothing"
    finally:
        _drop(storage)
