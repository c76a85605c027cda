"""``sgz export`` streams the stations a batch at a time and writes the same bytes as before
(issue 12): the earlier way, which loaded the programme without its ledger whole and wrote it
with one ``tomli_w.dumps``, is kept here as the reference, and compared on every example and on
generated programmes, on SQLite, PostgreSQL, MariaDB and memory."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import files, service
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.enums import Milestone
from sgz_core.errors import InvalidInput, NotFound, StorageError
from sgz_core.jsonvalue import to_plain
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.programme_file import loads, payments_to_list, to_dict, toml_numbers
from sgz_core.storage import Storage
from sgz_core.testing import strategies
from sgz_core.testing.samples import sample_ledger, sample_programme

from .conftest import require, unique_prefix

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [
    ROOT / "examples" / "chengguan.toml",
    ROOT / "examples" / "guangdong-example.toml",
    *sorted((ROOT / "examples" / "money-year").glob("0*.toml")),
]
BACKENDS = [
    "sqlite",
    "memory",
    pytest.param("postgresql", marks=pytest.mark.db),
    pytest.param("mysql", marks=pytest.mark.db),
]
_names = itertools.count()


def reference_export(storage: Storage, programme_id: str, chunk_size: int) -> str:
    """The export as it was before issue 12's streaming (``service._export_chunks`` then)."""
    head = to_dict(storage.load(programme_id, records=False))
    head.pop("records", None)
    out = [tomli_w.dumps(head)]
    chunk: list[Any] = []
    for record in storage.records(programme_id):
        chunk.append(toml_numbers(to_plain(record)))
        if len(chunk) >= chunk_size:
            out.append("\n" + tomli_w.dumps({"records": chunk}))
            chunk = []
    if chunk:
        out.append("\n" + tomli_w.dumps({"records": chunk}))
    paid = storage.payments(programme_id)
    if paid:
        out.append("\n" + tomli_w.dumps({"payments": payments_to_list(paid)}))
    return "".join(out)


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    kind = request.param
    if kind == "sqlite":
        with SqliteStorage(tmp_path / "export.db") as store:
            yield store
    elif kind == "memory":
        yield MemoryStorage.from_url(f"memory://export-{next(_names)}")
    else:
        from sgz_adapters.storage.sql import ServerStorage

        server = ServerStorage(require(kind), prefix=unique_prefix())
        try:
            yield server
        finally:
            server.drop_all()


def _many(programme_id: str, stations: int) -> Programme:
    """A programme of ``stations`` stations, every third with staff and contract years."""
    base = sample_programme(programme_id, texts=tuple(f"站{i}" for i in range(stations)))
    first = base.stations[0]
    return attrs.evolve(
        base,
        stations=tuple(
            attrs.evolve(s, staff=first.staff, years=first.years) if i % 3 == 0 else s
            for i, s in enumerate(base.stations)
        ),
    )


def _export(storage: Storage, programme_id: str) -> str:
    return "".join(service.export_text(service.stored(storage, programme_id)))


def _paid(programme: Programme) -> list[Payment]:
    out = []
    for station in programme.stations[:2]:
        for year in station.years[:1]:
            out.append(
                Payment(
                    station.id,
                    year.year,
                    Milestone.CONTRACT_SIGNED,
                    Decimal("12345.67"),
                    dt.date(2025, 1, 20),
                    "财务科",
                    "凭证 1",
                    dt.datetime(2025, 1, 20, 8, 30, tzinfo=dt.UTC),
                )
            )
    return out


@pytest.mark.parametrize("stations", [1, 2, 500])
def test_every_example_exports_the_same_bytes(
    storage: Storage, stations: int, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(service, "EXPORT_STATIONS", stations)
    monkeypatch.setattr(service, "EXPORT_CHUNK", 4)
    for path in EXAMPLES:
        programme = files.load_programme(path).programme
        storage.save(programme, replace=True)
        if path.name == "chengguan.toml":
            storage.record_payments(programme.id, _paid(programme))
        text = _export(storage, programme.id)
        assert text == reference_export(storage, programme.id, 4), path.name
        assert loads(text) == programme
        target = tmp_path / f"{path.stem}.toml"
        service.export_programme(service.stored(storage, programme.id), to=target)
        assert target.read_text(encoding="utf-8") == text


def test_a_national_sized_programme_exports_the_same_bytes(
    storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several batches, stations with lots, staff and years, and a ledger of several chunks."""
    monkeypatch.setattr(service, "EXPORT_STATIONS", 7)
    programme = sample_ledger(_many("big", 40), size=300)
    storage.save(programme)
    storage.record_payments(programme.id, _paid(programme))
    text = _export(storage, programme.id)
    assert text == reference_export(storage, programme.id, service.EXPORT_CHUNK)
    assert loads(text) == programme


SETTINGS = settings(
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(
    programme=st.one_of(strategies.programmes(), strategies.casework_programmes(max_records=8)),
    stations=st.integers(1, 4),
)
def test_generated_programmes_export_the_same_bytes(
    storage: Storage, programme: Programme, stations: int
) -> None:
    storage.save(programme, replace=True)
    original = service.EXPORT_STATIONS
    service.EXPORT_STATIONS = stations
    try:
        text = _export(storage, programme.id)
    finally:
        service.EXPORT_STATIONS = original
    assert text == reference_export(storage, programme.id, service.EXPORT_CHUNK)
    with storage.reader() as uow:
        batches = list(uow.export_stations(programme.id, stations))
        head = uow.export_head(programme.id)
    assert all(0 < len(b) <= stations for b in batches)
    assert tuple(itertools.chain.from_iterable(batches)) == programme.stations
    assert head == attrs.evolve(programme, stations=(), records=())


def test_the_port_refuses_a_bad_batch_and_an_unknown_programme(storage: Storage) -> None:
    storage.save(sample_programme("p"))
    with storage.reader() as uow:
        for bad in (0, -1, True, 1.5):
            with pytest.raises(InvalidInput, match="batch: expected a number of stations"):
                uow.export_stations("p", bad)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            uow.export_stations("nothing", 10)
        with pytest.raises(NotFound):
            uow.export_head("nothing")
    with pytest.raises(NotFound):
        _export(storage, "nothing")


def test_the_export_is_one_snapshot(storage: Storage) -> None:
    """A programme replaced while an export runs: the export is the one before, whole."""
    if isinstance(storage, MemoryStorage):
        pytest.skip("memory: one process, no concurrent writer to a snapshot")
    before = sample_ledger(_many("snap", 6), size=40)
    storage.save(before)
    expected = _export(storage, "snap")
    original = service.EXPORT_STATIONS
    service.EXPORT_STATIONS = 1
    try:
        pieces = service.export_text(service.stored(storage, "snap"))
        first = next(pieces)  # the reader is open: the head is read
        after = attrs.evolve(before, name="改过", stations=before.stations[::-1], records=())
        storage.save(after, replace=True)
        text = first + "".join(pieces)
    finally:
        service.EXPORT_STATIONS = original
    assert text == expected
    assert loads(_export(storage, "snap")).name == "改过"


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("stations", "logo", "yes"),  # a cell the encoder never writes
        ("staff", "role", "chef"),  # a value the converter refuses
        ("contract_years", "signed", "soon"),
    ],
)
def test_a_bad_station_row_is_the_error_of_a_whole_load(
    tmp_path: Path, table: str, column: str, value: object
) -> None:
    """In the seventh batch, a bad row names itself exactly as a whole load does, and
    the export writes nothing."""
    path = tmp_path / "bad.db"
    with SqliteStorage(path) as store:
        store.save(_many("bad", 9))
    key = "pos" if table == "stations" else "station_pos"  # station 6 has staff and years
    conn = sqlite3.connect(path)
    assert conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = 6", (value,)).rowcount
    conn.commit()
    conn.close()
    with SqliteStorage(path) as store:
        with pytest.raises(StorageError) as whole:
            store.load("bad", records=False)
        original = service.EXPORT_STATIONS
        service.EXPORT_STATIONS = 1
        try:
            with pytest.raises(StorageError) as streamed:
                _export(store, "bad")
            target = tmp_path / "out.toml"
            with pytest.raises(StorageError) as written:
                service.export_programme(service.stored(store, "bad"), to=target)
        finally:
            service.EXPORT_STATIONS = original
    assert str(streamed.value) == str(whole.value) == str(written.value)
    assert f"{column}" in str(whole.value) and "6" in str(whole.value)
    assert not target.exists() and not list(tmp_path.glob(".out.toml.*"))
