"""The lean read of a programme's money part (issue 11, PAY-1) on SQLite, PostgreSQL and
MariaDB: built directly from its rows for what sgz writes (never the general way), equal to
``money_part`` of the whole programme; a row as sgz would not write it goes the general way,
which reads it back the same or names the cell exactly as ``load`` does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import sgz_adapters.service as sgz
from sgz_adapters.storage import _money
from sgz_adapters.storage import _schema as sql
from sgz_adapters.storage.sql import ServerStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.errors import StorageError
from sgz_core.model import Programme
from sgz_core.programme_file import loads
from sgz_core.storage import Storage, money_part
from sgz_core.testing import strategies
from sgz_core.testing.samples import sample_ledger, sample_programme

from .conftest import EXAMPLE_TEXT, require, unique_prefix

KINDS = ("sqlite", "postgresql", "mysql")


@pytest.fixture(params=KINDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    if request.param == "sqlite":
        with SqliteStorage(tmp_path_factory.mktemp("money") / "sgz.db") as s:
            yield s
        return
    storage = ServerStorage(require(request.param), prefix=unique_prefix())
    try:
        yield storage
    finally:
        storage.drop_all()


@pytest.fixture
def general_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time an adapter's lean read went the general way (its programme id)."""
    calls: list[str] = []
    lean = _money.load_money

    def counted(
        execute: Any, prefix: str, dialect: str, programme_id: str, source: str, general: Any
    ) -> Programme:
        def noted() -> Programme:
            calls.append(programme_id)
            result: Programme = general()
            return result

        return lean(execute, prefix, dialect, programme_id, source, noted)

    monkeypatch.setattr(_money, "load_money", counted)
    return calls


def execute_raw(store: Any, statement: str, params: tuple[Any, ...] = ()) -> None:
    """Change the database outside sgz."""
    if isinstance(store, SqliteStorage):
        conn = store.connect()
        try:
            conn.execute(statement.replace("%s", "?"), params)
            conn.commit()
        finally:
            conn.close()
        return
    conn = store.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
        conn.commit()
    finally:
        conn.close()


def table(store: Any, name: str) -> str:
    if isinstance(store, SqliteStorage):
        return sql.quote(name, "sqlite")
    return store.table(name)


def lean_of(store: Storage, programme_id: str) -> Programme:
    with store.reader() as uow:
        return uow.load_money(programme_id)


def whole_of(store: Storage, programme_id: str) -> Programme:
    return money_part(store.load(programme_id, records=False))


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(programme=strategies.money_programmes())
def test_what_sgz_writes_is_built_directly_and_equal(
    store: Storage, general_calls: list[str], programme: Programme
) -> None:
    store.save(programme, replace=True)
    lean = lean_of(store, programme.id)
    assert lean == money_part(programme)
    assert repr(lean) == repr(money_part(programme))  # the same Decimal digits too
    assert general_calls == []


@pytest.mark.parametrize("ledger", [0, 300])
def test_the_examples_and_a_ledger_are_built_directly(
    store: Storage, general_calls: list[str], ledger: int
) -> None:
    example = loads(EXAMPLE_TEXT, "chengguan.toml")
    for programme in (example, sample_ledger(sample_programme("national"), size=ledger)):
        store.save(programme, replace=True)
        assert lean_of(store, programme.id) == money_part(programme)
    assert general_calls == []


def _saved(store: Storage) -> Programme:
    programme = loads(EXAMPLE_TEXT, "chengguan.toml")
    store.save(programme)
    return programme


EDITS: dict[str, tuple[str, str]] = {
    # what is changed outside sgz: (table, SET …) of the first row of the table
    "a funding line's amount as text": ("funding", "amount_fen = '12.5'"),
    "a funding source no level has": ("funding", "source = 'lottery-x'"),
    "an evaluation date that is not a date": ("evaluations", "date = NULL"),
    "an evaluation's payload that is not JSON": ("evaluations", "extra = '{nope'"),
    "a contract year's payload with a field no model has": (
        "contract_years",
        'extra = \'{"targets":[],"actions":[],"surprise":1}\'',
    ),
    "a station's payload with a field no model has": ("stations", "extra = '{\"surprise\":1}'"),
    "a station without a street": ("stations", "street = NULL"),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_row_sgz_would_not_write_fails_as_the_whole_load_does(
    store: Any, general_calls: list[str], edit: str
) -> None:
    name, change = EDITS[edit]
    if "as text" in edit and not isinstance(store, SqliteStorage):
        pytest.skip("the servers' integer columns refuse text")
    programme = _saved(store)
    execute_raw(
        store,
        f"UPDATE {table(store, name)} SET {change} WHERE programme_id = %s AND station_pos = 0"
        if name != "stations"
        else f"UPDATE {table(store, name)} SET {change} WHERE programme_id = %s AND pos = 0",
        (programme.id,),
    )
    with pytest.raises(StorageError) as whole:
        whole_of(store, programme.id)
    with pytest.raises(StorageError) as lean:
        lean_of(store, programme.id)
    assert str(lean.value) == str(whole.value)
    assert general_calls == [programme.id]


def test_a_payload_the_general_way_reads_gives_the_same_programme(
    store: Any, general_calls: list[str]
) -> None:
    """Contract years whose payload holds its fields in another order and no actions (JSON
    sgz did not write that way): the direct way takes it, equal to the general way."""
    programme = _saved(store)
    execute_raw(
        store,
        f"UPDATE {table(store, 'contract_years')} SET extra = %s WHERE programme_id = %s",
        ('{"actions":[],"targets":[]}', programme.id),
    )
    assert lean_of(store, programme.id) == whole_of(store, programme.id)
    assert general_calls == []


def test_a_table_the_money_part_does_not_read_is_not_checked(
    store: Any, general_calls: list[str]
) -> None:
    """A staff row edited outside sgz fails the whole load, not the money part, which does not
    read it (``UnitOfWork.load_money``'s documented limit)."""
    programme = _saved(store)
    execute_raw(
        store,
        f"UPDATE {table(store, 'staff')} SET role = 'nobody' WHERE programme_id = %s",
        (programme.id,),
    )
    with pytest.raises(StorageError):
        store.load(programme.id, records=False)
    assert lean_of(store, programme.id) == money_part(programme)
    assert general_calls == []


def test_the_schedule_and_a_payment_run_of_a_stored_programme_equal_the_file_s(
    store: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The service through the lean read: the same tranches, totals and payments as the file's
    programme decided whole (issue 11)."""
    programme = _saved(store)
    on = dt.date(2025, 9, 1)
    from_file = sgz.schedule(programme, on=on)
    from_store = sgz.schedule(sgz.stored(store, programme.id), on=on)
    assert from_store.tranches == from_file.tranches
    assert from_store.totals == from_file.totals
    asked = [
        sgz.PayRequest(t.station, t.year, t.milestone, on, "李会计", "V-9")
        for t in from_file.tranches
    ]
    results = sgz.pay_many(sgz.stored(store, programme.id), asked)
    from sgz_core.payments import decide_many

    expected = decide_many(programme, from_file.profile, asked)
    assert [r.outcome for r in results] == [d.outcome for d in expected]
    assert [r.tranche for r in results] == [d.tranche for d in expected]
    assert [(r.message_zh, r.message_en) for r in results] == [
        (d.message.zh, d.message.en) for d in expected
    ]
    assert [
        None if r.payment is None else attrs.evolve(r.payment, recorded_at=None) for r in results
    ] == [
        None if d.payment is None else attrs.evolve(d.payment, recorded_at=None) for d in expected
    ]
