"""A large first import defers the ledger's secondary indexes (issue 12): they are rebuilt in
the same transaction, so a failed or killed import leaves them, and the rows, as they were; and
the fast path (generated loop, deferred indexes, a bigger page cache) stores exactly the rows,
indexes and audit entry the reference path stores."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters.storage import _tabular as tabular
from sgz_adapters.storage import sqlite as sqlite_adapter
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.audit_diff import changes
from sgz_core.enums import FundingSource
from sgz_core.jsonvalue import to_plain
from sgz_core.model import Programme
from sgz_core.testing import strategies
from sgz_core.testing.samples import TRICKY_STRINGS, sample_ledger, sample_programme

WORKER = Path(__file__).with_name("storage_worker.py")

INDEXES = {
    "service_records_ix0",
    "service_records_ix1",
    "service_records_ix2",
    "service_records_ix_extra",
}


def indexes(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                "'service_records' AND sql IS NOT NULL"
            )
        }
    finally:
        conn.close()


class Boom(Exception):
    pass


def test_a_large_first_import_rebuilds_the_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(sqlite_adapter, "BATCH", 50)
    programme = sample_ledger(sample_programme("big", texts=tuple("一二三")), size=400)
    path = tmp_path / "sgz.db"
    with SqliteStorage(path) as store:
        store.save(programme)
        assert indexes(path) == INDEXES
        assert store.load("big") == programme
        assert store.integrity_problems() == []
        second = sample_ledger(sample_programme("second", texts=tuple("一二三")), size=400)
        store.save(second)  # not the first: the ledger is not empty, nothing is dropped
        assert indexes(path) == INDEXES
        assert store.load("second") == second


def test_a_failed_large_import_keeps_indexes_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(sqlite_adapter, "BATCH", 50)
    programme = sample_ledger(sample_programme("big", texts=tuple("一二三")), size=400)
    path = tmp_path / "sgz.db"
    dropped_midway: list[bool] = []
    with SqliteStorage(path) as store:
        with pytest.raises(Boom), store.unit_of_work() as uow:

            def progress(done: int, total: int) -> None:
                names = {
                    r[0]
                    for r in uow.conn.execute(  # type: ignore[attr-defined]
                        "SELECT name FROM sqlite_master WHERE type = 'index'"
                    )
                }
                dropped_midway.append(not (INDEXES - {"service_records_ix_extra"}) & names)
                if done > 200:
                    raise Boom

            uow.save(programme, progress=progress)
        assert any(dropped_midway)  # the import did run without them
        assert indexes(path) == INDEXES
        assert store.programme_ids() == []
        assert store.integrity_problems() == []


# --- the fast first import stores exactly the reference path's rows (issue 12) ----------------

AT = dt.datetime(2026, 12, 2, 17, 0, tzinfo=dt.UTC)


def edge_programme(programme_id: str, size: int = 600) -> Programme:
    """The sample ledger in every unicode trap, with records at the edges of what a save takes
    (the longest decimal text, the largest counts) and every optional field set. (Values past
    the limits are refused before anything is written; the unit tests cover their rows.)"""
    programme = sample_ledger(sample_programme(programme_id, texts=TRICKY_STRINGS), size=size)
    records = list(programme.records)
    base = next(r for r in records if r.volunteer_team is None and r.case is None)
    team = programme.volunteer_teams[0].id if programme.volunteer_teams else None
    records += [
        attrs.evolve(base, hours=Decimal("1." + "0" * 98)),  # 100 characters as text
        attrs.evolve(base, hours=Decimal("0E-7"), volunteer_hours=Decimal("1E+2"), volunteers=1),
        attrs.evolve(base, participants=1_000_000, volunteers=1_000_000, note="\x01\u2028"),
        attrs.evolve(base, group="\ud7ff" * 300, note="'; DROP TABLE x; --", fund=None),
        attrs.evolve(base, volunteer_team=team, administrative=not base.administrative),
    ]
    return attrs.evolve(programme, records=tuple(records))


def _general_rows(codec: Any, programme_id: str, records: Any, dates_as_text: bool) -> Any:
    """The reference path: every record unstructured and laid out by ``entity_row``."""
    for pos, record in enumerate(records):
        yield tabular.entity_row(
            tabular.RECORDS, (programme_id, pos), to_plain(record), dates_as_text
        )


def _reference_import(monkeypatch: pytest.MonkeyPatch, store: Any, programme: Programme) -> None:
    with monkeypatch.context() as m:
        m.setattr(tabular.RecordCodec, "encode_many", _general_rows)
        m.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 10**12)  # the indexes kept row by row
        store.save(programme, by="tester", at=AT)


def sqlite_contents(path: Path) -> dict[str, Any]:
    """Every table's rows in key order, and the schema (tables and indexes) as SQLite has it."""
    conn = sqlite3.connect(path)
    try:
        schema = sorted(
            conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name != 'schema_version'"
            ).fetchall(),
            key=repr,
        )
        out: dict[str, Any] = {"schema": schema}
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'schema_version'"
        ).fetchall():
            out[name] = conn.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2, 3').fetchall()
        return out
    finally:
        conn.close()


def test_the_fast_first_import_stores_the_reference_paths_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(sqlite_adapter, "BATCH", 64)
    programme = edge_programme("edge")
    with SqliteStorage(tmp_path / "fast.db") as fast, SqliteStorage(tmp_path / "ref.db") as ref:
        fast.save(programme, by="tester", at=AT)
        _reference_import(monkeypatch, ref, programme)
        assert fast.integrity_problems() == [] and ref.integrity_problems() == []
        assert fast.load("edge") == programme
    fast_rows, ref_rows = (
        sqlite_contents(tmp_path / "fast.db"),
        sqlite_contents(tmp_path / "ref.db"),
    )
    assert len(fast_rows["service_records"]) == len(programme.records)
    assert fast_rows == ref_rows


_edge_texts = st.text(max_size=8) | st.sampled_from(TRICKY_STRINGS)


@st.composite
def _ledgers(draw: st.DrawFn) -> Programme:
    """A sample programme whose ledger holds generated records (every optional field drawn)."""
    programme = sample_programme("gen", texts=("一", "二"))
    station = programme.stations[0]
    workers = [m.name for m in station.staff]
    people = [b.id for b in programme.beneficiaries if b.station == station.id]
    teams = [t.id for t in programme.volunteer_teams]
    records = []
    for _ in range(draw(st.integers(0, 30))):
        record = draw(
            strategies.service_records(
                station=station.id, worker=st.sampled_from(workers), beneficiaries=people
            )
        )
        volunteers = draw(st.integers(0, 1_000_000))
        records.append(
            attrs.evolve(
                record,
                group=draw(_edge_texts),
                participants=draw(st.integers(0, 1_000_000)),
                volunteers=volunteers,
                volunteer_hours=draw(st.decimals(0, 24, places=2)) if volunteers else Decimal(0),
                volunteer_team=draw(st.none() | st.sampled_from(teams)) if teams else None,
                fund=draw(st.none() | st.sampled_from(list(FundingSource))),
                note=draw(_edge_texts),
                hours=draw(st.decimals(0, 24, places=draw(st.integers(0, 6)))),
            )
        )
    return attrs.evolve(programme, records=tuple(records))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programme=_ledgers())
def test_generated_ledgers_import_to_the_reference_paths_rows(programme: Programme) -> None:
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 5)  # deferred from 5 records
        with SqliteStorage(Path(tmp) / "f.db") as fast, SqliteStorage(Path(tmp) / "r.db") as ref:
            fast.save(programme, by="tester", at=AT)
            _reference_import(monkeypatch, ref, programme)
        assert sqlite_contents(Path(tmp) / "f.db") == sqlite_contents(Path(tmp) / "r.db")


def test_a_large_first_import_takes_a_bigger_page_cache_and_gives_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_adapter, "DEFER_INDEXES_FROM", 100)
    monkeypatch.setattr(sqlite_adapter, "BATCH", 100)
    monkeypatch.setattr(sqlite_adapter, "IMPORT_CACHE_KIB_PER_RECORD", 200.0)  # 400 records
    programme = sample_ledger(sample_programme("big", texts=tuple("一二三")), size=400)
    with SqliteStorage(tmp_path / "sgz.db") as store:
        for fail in (True, False):
            seen: list[int] = []
            uow: Any = store.unit_of_work()

            def progress(
                done: int, total: int, uow: Any = uow, seen: list[int] = seen, fail: bool = fail
            ) -> None:
                seen.append(uow.conn.execute("PRAGMA cache_size").fetchone()[0])
                if fail and done >= 300:
                    raise Boom

            with contextlib.suppress(Boom), uow:
                uow.save(programme, progress=progress)
                uow.commit()
            assert -80_000 in seen  # 400 records x 200 KiB while the ledger goes in
            assert seen[0] == -sqlite_adapter.CACHE_KIB  # the tables before it: as usual
            conn = store.acquire()  # the pooled connection the unit gave back
            try:
                assert conn.execute("PRAGMA cache_size").fetchone()[0] == -sqlite_adapter.CACHE_KIB
            finally:
                store.release(conn)
        assert store.load("big") == programme
    assert sqlite_adapter.import_cache_kib(10) == sqlite_adapter.CACHE_KIB
    assert sqlite_adapter.import_cache_kib(10**9) == sqlite_adapter.MAX_IMPORT_CACHE_KIB


# --- a killed large first import: all or nothing, indexes included ---------------------------

KILL_RECORDS = 25_000  # over DEFER_INDEXES_FROM: the worker drops and rebuilds the indexes
KILLS = 8


@pytest.mark.slow
def test_sigkill_during_a_deferred_first_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    assert KILL_RECORDS >= sqlite_adapter.DEFER_INDEXES_FROM
    rng = random.Random(20261202)

    def run(path: Path) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, str(WORKER), "import", f"sqlite:///{path}", "big", str(KILL_RECORDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr and child.stderr.read()
        return child

    child = run(tmp_path / "timing.db")
    began = time.monotonic()
    assert child.stdout is not None and child.stdout.readline().strip() == "done"
    duration = time.monotonic() - began
    child.wait(timeout=60)
    outcomes = []
    for i in range(KILLS):
        path = tmp_path / f"kill-{i}.db"
        child = run(path)
        if i == KILLS - 1:  # after the commit: the all-of-it branch is always checked
            assert child.stdout is not None and child.stdout.readline().strip() == "done"
        else:
            time.sleep(rng.uniform(0.0, duration * 1.1))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        with SqliteStorage(path) as reopened:
            assert reopened.integrity_problems() == []
            assert indexes(path) == INDEXES  # dropped and rebuilt in the import's transaction
            kept = reopened.exists("big")
            outcomes.append(kept)
            if kept:
                total = reopened.ledger_counts("big").total()
                assert total.records + total.administrative_records == KILL_RECORDS
            else:
                assert reopened.programme_ids() == []
                conn = sqlite3.connect(path)
                try:
                    assert conn.execute("SELECT count(*) FROM service_records").fetchone() == (0,)
                finally:
                    conn.close()
            # AUD-1: the import's entry and one per evaluation, action, receipt and expense, or none
            items = len(changes(None, reopened.load("big", records=False))) if kept else 0
            assert len(list(reopened.audit_entries("big"))) == (1 + items if kept else 0)
            assert reopened.audit_verify().whole
    assert outcomes[-1] is True
    assert not all(outcomes), "no kill landed before the commit; the test proved nothing"
