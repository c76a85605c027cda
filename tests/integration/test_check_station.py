"""``check --station`` (issue 12): one station's findings from its part of the programme equal
the whole check's findings about that station, from a file, memory and SQLite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.errors import NotFound
from sgz_core.model import Programme
from sgz_core.storage import station_part
from sgz_core.testing import strategies
from sgz_core.testing.samples import sample_ledger, sample_programme

LOTS = (1, None, 1, 2, 1, 3, 9, 2)
"""Lots of the stations: repeated (LOT-1 names the earlier station), missing, unknown."""


def generated() -> Programme:
    base = sample_programme("national", texts=tuple("东西南北中上下左"))
    first = base.stations[0]
    stations = tuple(
        attrs.evolve(
            s,
            lot=lot,
            contractor="c'2" if i % 3 == 1 else "hexin",
            staff=first.staff if i % 2 == 0 else s.staff,
            years=first.years if i % 4 in (0, 3) else s.years,
        )
        for i, (s, lot) in enumerate(zip(base.stations, LOTS, strict=True))
    )
    return sample_ledger(attrs.evolve(base, stations=stations), size=400)


DAYS = (dt.date(2024, 12, 31), dt.date(2025, 9, 1), dt.date(2026, 11, 28))


@pytest.fixture(scope="module")
def programme() -> Programme:
    return generated()


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory, programme: Programme) -> Path:
    path = tmp_path_factory.mktemp("station") / "sgz.db"
    with SqliteStorage(path) as store:
        store.save(programme)
    return path


def test_every_station_has_findings_to_compare(programme: Programme) -> None:
    whole = service.check(programme, on=DAYS[-1]).findings
    stations = {f.station for f in whole}
    assert stations >= {s.id for s in programme.stations}
    assert {"LOT-1", "PERF-3"} <= {f.rule for f in whole}
    assert any(f.rule == "LOT-1" and "already has" in f.message_en for f in whole)


@pytest.mark.parametrize("on", DAYS)
def test_station_check_equals_the_whole_check_kept_to_the_station(
    programme: Programme, sqlite_db: Path, on: dt.date
) -> None:
    whole = service.check(programme, on=on).findings
    memory = MemoryStorage()
    memory.save(programme)
    for station in programme.stations:
        expected = [f for f in whole if f.station == station.id]
        for source in (
            programme,
            service.stored(memory, programme.id),
            service.stored(f"sqlite:///{sqlite_db}", programme.id),
        ):
            got = service.check(source, on=on, station=station.id).findings
            assert list(got) == expected, (station.id, type(source).__name__)


def test_sqlite_reads_exactly_the_station_part(programme: Programme, sqlite_db: Path) -> None:
    with SqliteStorage(sqlite_db) as store, store.reader() as uow:
        for station in programme.stations:
            assert uow.load_station(programme.id, station.id) == station_part(programme, station.id)


def test_an_unknown_station_is_not_found(programme: Programme, sqlite_db: Path) -> None:
    with pytest.raises(NotFound, match="nowhere"):
        service.check(
            service.stored(f"sqlite:///{sqlite_db}", programme.id), on=DAYS[0], station="nowhere"
        )
    with pytest.raises(NotFound, match="nowhere"):
        station_part(programme, "nowhere")


def test_the_station_indexes_are_created_on_open(sqlite_db: Path) -> None:
    with SqliteStorage(sqlite_db) as store:
        conn = store.connect(read_only=True)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        conn.close()
    assert {"stations_ix_id", "stations_ix_lot", "contractors_ix_id"} <= names
    plan = " ".join(
        str(r)
        for r in sqlite3_plan(
            sqlite_db, "SELECT pos, lot FROM stations WHERE programme_id = 'x' AND id = 'y'"
        )
    )
    assert "stations_ix_id" in plan


def sqlite3_plan(path: Path, query: str) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"EXPLAIN QUERY PLAN {query}").fetchall()
    finally:
        conn.close()


@pytest.mark.db
@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_servers_read_exactly_the_station_part(
    server_storage: object, programme: Programme
) -> None:
    from sgz_adapters.storage.sql import ServerStorage

    assert isinstance(server_storage, ServerStorage)
    server_storage.save(programme)
    whole = service.check(programme, on=DAYS[-1]).findings
    with server_storage.reader() as uow:
        for station in programme.stations:
            assert uow.load_station(programme.id, station.id) == station_part(programme, station.id)
    for station in programme.stations[:3]:
        got = service.check(
            service.stored(server_storage, programme.id), on=DAYS[-1], station=station.id
        ).findings
        assert list(got) == [f for f in whole if f.station == station.id]
    again = ServerStorage(server_storage.url, prefix=server_storage.prefix)  # indexes are there
    again.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    programme=st.one_of(strategies.programmes(), strategies.casework_programmes(max_records=10)),
    on=st.dates(dt.date(2023, 1, 1), dt.date(2029, 12, 31)),
    data=st.data(),
)
def test_generated_programmes_station_check_equals_the_whole_check_kept_to_the_station(
    programme: Programme, on: dt.date, data: st.DataObject
) -> None:
    """Issue 12: for any programme (lots shared or missing, every rule's findings, the casework
    sections of SCOPE-1, SCOPE-2 and PII-1), a station's check from its part, in memory as from
    the file, gives the whole check's findings about that station, in the same order."""
    assume(programme.stations)
    station = data.draw(st.sampled_from([s.id for s in programme.stations]), "station")
    expected = [f for f in service.check(programme, on=on).findings if f.station == station]
    memory = MemoryStorage()
    memory.save(programme)
    for source in (programme, service.stored(memory, programme.id)):
        assert list(service.check(source, on=on, station=station).findings) == expected
