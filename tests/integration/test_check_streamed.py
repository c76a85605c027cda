"""``check --db`` station by station (issue 12): the same findings, in the same order, with the
same exit code as the whole check, from memory, SQLite, PostgreSQL and MariaDB; the parts the
adapters read equal the pure reference (``sgz_core.storage.check_parts``); PAY-1's adjustments
(payments over today's tranches, and tranches the programme no longer has) come out in the
whole check's order; a plugin's rule or ``sgz_check`` makes it check the whole programme."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests.unit.test_streamed_check import across_stations

from sgz_adapters import plugins, service
from sgz_adapters.cli import main
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core import hookimpl
from sgz_core.enums import Milestone
from sgz_core.errors import InvalidInput
from sgz_core.model import Programme
from sgz_core.payments import Payment
from sgz_core.rules import Rule, Scope, error
from sgz_core.storage import Storage, check_parts

ROOT = Path(__file__).resolve().parents[2]
DAYS = (dt.date(2024, 12, 31), dt.date(2025, 9, 1), dt.date(2026, 11, 28))


def payments(programme: Programme) -> list[Payment]:
    """A payment that differs from today's tranche, one of a year the station does not have,
    one of a station the programme does not have, one after the day checked, one exact."""
    first, second = programme.stations[0], programme.stations[3]
    return [
        Payment(second.id, 1, Milestone.CONTRACT_SIGNED, "1.00", dt.date(2024, 8, 1), "会计"),
        Payment(first.id, 9, Milestone.CONTRACT_SIGNED, "5.00", dt.date(2024, 8, 1), "会计"),
        Payment("gone", 1, Milestone.MID_TERM, "7.00", dt.date(2024, 9, 1), "会计"),
        Payment(first.id, 1, Milestone.CONTRACT_SIGNED, "2.00", dt.date(2030, 1, 1), "会计"),
    ]


@pytest.fixture(scope="module")
def programme() -> Programme:
    return across_stations()


def stored_with_payments(store: Storage, programme: Programme) -> Storage:
    store.save(programme)
    for p in payments(programme):
        store.record_payment(programme.id, p)
    return store


def whole_with_payments(programme: Programme, on: dt.date) -> list[Any]:
    memory = stored_with_payments(MemoryStorage(), programme)
    return list(service.check(service.stored(memory, programme.id), on=on).findings)


def compare(store: Storage, programme: Programme) -> None:
    for on in DAYS:
        whole = whole_with_payments(programme, on)
        assert any(f.rule == "PAY-1" for f in whole) or on == DAYS[0]
        got = service.check(service.stored(store, programme.id), on=on, stream=True)
        assert list(got.findings) == whole, on
        assert got.programme.stations == () and got.programme.records == ()
        for only in (["PAY-1"], ["LOT-1", "SCOPE-2", "PII-1"]):
            expected = service.check(service.stored(store, programme.id), on=on, only=only)
            streamed = service.check(
                service.stored(store, programme.id), on=on, only=only, stream=True
            )
            assert streamed.findings == expected.findings, only


def reads_the_reference(store: Storage, programme: Programme) -> None:
    with store.reader() as uow:
        head = uow.load_check_head(programme.id)
        assert head == attrs.evolve(programme, stations=(), records=())
        for size in (1, 3, 500):
            assert list(uow.check_parts(programme.id, size)) == list(check_parts(programme, size))


def test_memory(programme: Programme) -> None:
    store = stored_with_payments(MemoryStorage(), programme)
    compare(store, programme)
    reads_the_reference(store, programme)


def test_sqlite(programme: Programme, tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "sgz.db") as store:
        stored_with_payments(store, programme)
        compare(store, programme)
        reads_the_reference(store, programme)


@pytest.mark.db
@pytest.mark.parametrize("server_storage", ["postgresql", "mysql"], indirect=True)
def test_servers(server_storage: Storage, programme: Programme) -> None:
    stored_with_payments(server_storage, programme)
    compare(server_storage, programme)
    reads_the_reference(server_storage, programme)


def test_a_part_size_below_one_is_refused(programme: Programme) -> None:
    store = MemoryStorage()
    store.save(programme)
    with store.reader() as uow, pytest.raises(InvalidInput, match="size"):
        uow.check_parts(programme.id, 0)


def test_the_command_line_exit_code_and_output(
    programme: Programme, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sgz.db"
    with SqliteStorage(path) as store:
        stored_with_payments(store, programme)
    url = f"sqlite:///{path}"
    code = main(["check", "--db", url, "--on", "2026-11-28", "--format", "json"])
    out = capsys.readouterr().out
    memory = stored_with_payments(MemoryStorage(), programme)
    whole = service.check(service.stored(memory, programme.id), on=DAYS[-1])
    assert code == (1 if whole.has_errors else 0) == 1
    assert out.count('"rule"') == len(whole.findings)


@pytest.fixture
def plugin() -> Iterator[Any]:
    names: list[str] = []

    def register(obj: object, name: str) -> None:
        plugins.register_plugin(obj, name=name)
        names.append(name)

    yield register
    for name in names:
        plugins.unregister_plugin(name)


def test_a_plugin_rule_checks_the_whole_programme(programme: Programme, plugin: Any) -> None:
    """A programme-scope rule of a plugin sees every station: streamed, it would not."""

    def count(p: Programme, ctx: object) -> Iterator[Any]:
        yield error(f"{len(p.stations)} 站。", f"{len(p.stations)} stations.")

    class Counting:
        @hookimpl
        def sgz_register_rules(self, register: Any) -> None:
            register(Rule("ZZZ-1", "x", "站数", "stations", Scope.PROGRAMME, count))

    plugin(Counting(), "counting")
    store = MemoryStorage()
    store.save(programme)
    got = service.check(service.stored(store, programme.id), on=DAYS[-1], stream=True)
    assert any(f.message_en == f"{len(programme.stations)} stations." for f in got.findings)
    assert got.programme == programme


def test_a_plugin_sgz_check_wrapper_checks_the_whole_programme(
    programme: Programme, plugin: Any
) -> None:
    seen: list[int] = []

    class Wrapping:
        @hookimpl(wrapper=True)
        def sgz_check(
            self, programme: Programme, profile: object, as_of: object, rules: object
        ) -> Any:
            seen.append(len(programme.stations))
            return (yield)

    plugin(Wrapping(), "wrapping")
    store = MemoryStorage()
    store.save(programme)
    got = service.check(service.stored(store, programme.id), on=DAYS[-1], stream=True)
    assert seen == [len(programme.stations)]
    assert got.programme == programme


def test_a_failing_rule_raises_what_the_whole_check_raises(programme: Programme) -> None:
    """A profile without values at the start of year 1 (PROF-1): the whole check's error."""
    from sgz_core import profiles

    store = MemoryStorage()
    store.save(programme)
    late = programme.start + dt.timedelta(days=400)
    base = profiles.builtin()
    cut = profiles.Profile(
        base.id,
        base.name,
        {
            name: attrs.evolve(p, values=(attrs.evolve(p.values[0], start=late, value=p.at(late)),))
            for name, p in base.parameters.items()
        },
    )
    source = service.stored(store, programme.id)
    with pytest.raises(profiles.ProfileError) as whole:
        service.check(source, on=DAYS[-1], profile=cut)
    with pytest.raises(profiles.ProfileError) as streamed:
        service.check(source, on=DAYS[-1], profile=cut, stream=True)
    assert str(streamed.value) == str(whole.value)
    assert "has no value in force" in str(whole.value)
