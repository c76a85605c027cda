"""Two officers pay the same tranche at the same moment (PAY-1): exactly one payment is
recorded, and both get a clear answer. Two Storage objects (two connections) in two threads
start together; the database's unique key and the transaction decide, not a lock in Python."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from sgz_adapters import service
from sgz_adapters.storage.sql import ServerStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.enums import Milestone, PaymentOutcome
from sgz_core.errors import InvalidInput
from sgz_core.payments import AlreadyPaid, Payment
from sgz_core.programme_file import loads
from sgz_core.results import PayResult
from sgz_core.storage import Storage

from .conftest import EXAMPLE_TEXT, ROOT, require, unique_prefix

PROGRAMME = loads(EXAMPLE_TEXT, "chengguan.toml")
ROUNDS = 5
"""Tranches raced for per backend: each round another station-year's contract_signed tranche."""
KEYS = [(s.id, y.year) for s in PROGRAMME.stations for y in s.years if y.signed][:ROUNDS]


def _open_pair(kind: str, tmp_path: Path) -> Iterator[tuple[Storage, Storage]]:
    if kind == "sqlite":
        first, second = SqliteStorage(tmp_path / "race.db"), SqliteStorage(tmp_path / "race.db")
        try:
            yield first, second
        finally:
            first.close()
            second.close()
        return
    url = require(kind)
    prefix = unique_prefix()
    first = ServerStorage(url, prefix=prefix)
    second = ServerStorage(url, prefix=prefix)
    try:
        yield first, second
    finally:
        second.close()
        first.drop_all()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.db),
        pytest.param("mysql", marks=pytest.mark.db),
    ]
)
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Storage, Storage]]:
    yield from _open_pair(request.param, tmp_path)


def _together(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released by one barrier; their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    out: list[object] = [None] * len(calls)

    def go(i: int) -> None:
        barrier.wait()
        try:
            out[i] = calls[i]()
        except Exception as exc:
            out[i] = exc

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_two_officers_paying_at_once_record_one_payment(pair: tuple[Storage, Storage]) -> None:
    first, second = pair
    first.save(PROGRAMME)
    for station, year in KEYS:
        signed = PROGRAMME.station(station).year(year).signed
        assert signed is not None

        def pay(
            storage: Storage,
            by: str,
            station: str = station,
            year: int = year,
            signed: dt.date = signed,
        ) -> PayResult:
            return service.pay(
                service.stored(storage, PROGRAMME.id),
                station=station,
                year=year,
                tranche="contract_signed",
                on=signed + dt.timedelta(days=3),
                by=by,
            )

        results = _together([lambda: pay(first, "李会计"), lambda: pay(second, "王出纳")])
        assert all(isinstance(r, PayResult) for r in results), results
        outcomes = sorted(r.outcome.value for r in results if isinstance(r, PayResult))
        assert outcomes == ["already_paid", "recorded"]
        [won] = [
            r for r in results if isinstance(r, PayResult) and r.outcome is PaymentOutcome.RECORDED
        ]
        [lost] = [
            r
            for r in results
            if isinstance(r, PayResult) and r.outcome is not PaymentOutcome.RECORDED
        ]
        assert lost.payment == won.payment  # the loser is told who paid, when and how much
        assert won.payment is not None and won.payment.by in lost.message_en
        rows = [p for p in second.payments(PROGRAMME.id) if (p.station, p.year) == (station, year)]
        assert rows == [won.payment]
    # AUD-1: one entry per recorded payment (the loser appended none), one whole chain
    entries = list(first.audit_entries())
    operations = [e.action.value for e in entries if e.action.value in ("import", "payment")]
    assert operations == ["import"] + ["payment"] * len(KEYS)  # and the import's items (issue 11)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert second.audit_verify().whole


def test_two_writers_appending_at_once_keep_one_whole_chain(
    pair: tuple[Storage, Storage],
) -> None:
    """AUD-1 under contention: two connections record different payments at the same moment,
    round after round; every payment gets exactly one entry, the sequence numbers stay unique
    and gapless, and each entry links to the one committed before it."""
    first, second = pair
    first.save(PROGRAMME)
    stations = [s.id for s in PROGRAMME.stations]
    tranches = [
        (st, y.year, m)
        for st in stations
        for y in PROGRAMME.station(st).years
        for m in (Milestone.CONTRACT_SIGNED, Milestone.MID_TERM)
    ]
    pairs = list(zip(tranches[0::2], tranches[1::2], strict=False))[:ROUNDS]

    def record(storage: Storage, key: tuple[str, int, Milestone], by: str) -> Payment:
        station, year, milestone = key
        payment = Payment(station, year, milestone, "100.00", dt.date(2025, 1, 2), by)
        return storage.record_payment(PROGRAMME.id, payment)

    for a, b in pairs:
        results = _together(
            [lambda a=a: record(first, a, "李会计"), lambda b=b: record(second, b, "王出纳")]
        )
        assert all(isinstance(r, Payment) for r in results), results
    entries = list(second.audit_entries())
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    operations = [e for e in entries if e.action.value in ("import", "payment")]
    assert len(operations) == 2 * len(pairs) + 1  # the import's items besides (issue 11)
    paid = {(e.station, e.year, e.subject) for e in entries if e.action.value == "payment"}
    assert paid == {(st, y, m.value) for pair_ in pairs for st, y, m in pair_}
    verdict = first.audit_verify()
    assert verdict.whole and verdict.count == len(entries)


def test_two_units_recording_the_same_payment_at_once_keep_one(
    pair: tuple[Storage, Storage],
) -> None:
    """Below the service: two units each record a payment of the same tranche; the unique key
    lets one commit and gives the other :class:`AlreadyPaid` with the winner's payment."""
    first, second = pair
    first.save(PROGRAMME)
    day = dt.date(2024, 7, 3)

    def record(storage: Storage, by: str) -> Payment:
        payment = Payment("zhengning", 1, Milestone.CONTRACT_SIGNED, "90000.00", day, by)
        with storage.unit_of_work() as uow:
            stored = uow.record_payment(PROGRAMME.id, payment)
            uow.commit()
            return stored

    results = _together([lambda: record(first, "李会计"), lambda: record(second, "王出纳")])
    won = [r for r in results if isinstance(r, Payment)]
    lost = [r for r in results if isinstance(r, AlreadyPaid)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].payment == won[0]
    assert first.payments(PROGRAMME.id) == won


def test_two_payment_runs_at_once_record_each_tranche_once(
    pair: tuple[Storage, Storage],
) -> None:
    """Two officers start the same payment run (``service.pay_many``) at the same moment: each
    tranche is paid exactly once, and every answer either recorded it or names the payment
    recorded by the other run."""
    first, second = pair
    first.save(PROGRAMME)
    asked = []
    for station, year in KEYS:
        signed = PROGRAMME.station(station).year(year).signed
        assert signed is not None
        asked.append(service.PayRequest(station, year, "contract_signed", signed, "李会计"))

    def run(storage: Storage, by: str) -> tuple[PayResult, ...]:
        mine = [attrs.evolve(r, by=by) for r in asked]
        return service.pay_many(service.stored(storage, PROGRAMME.id), mine)

    results = _together([lambda: run(first, "李会计"), lambda: run(second, "王出纳")])
    assert all(isinstance(r, tuple) for r in results), results
    stored = {p.key: p for p in second.payments(PROGRAMME.id)}
    assert len(stored) == len(KEYS)
    for answers in zip(*results, strict=True):  # type: ignore[call-overload]
        outcomes = sorted(a.outcome.value for a in answers)
        assert outcomes == ["already_paid", "recorded"]
        for a in answers:
            assert a.payment == stored[a.payment.key]


def _asked(by: str) -> list[service.PayRequest]:
    out = []
    for station, year in KEYS:
        signed = PROGRAMME.station(station).year(year).signed
        assert signed is not None
        out.append(service.PayRequest(station, year, "contract_signed", signed, by))
    return out


def test_a_payment_run_racing_single_payments_pays_each_tranche_once(
    pair: tuple[Storage, Storage],
) -> None:
    """PAY-1 with AUD-1: a payment run (``pay_many``) on one connection overlaps single ``pay``
    calls for the same tranches on another: each tranche is paid once, every answer names the
    stored payment, one payment entry per payment, and the chain is whole."""
    first, second = pair
    first.save(PROGRAMME)
    asked = _asked("李会计")

    def singles() -> list[PayResult]:
        return [
            service.pay(
                service.stored(second, PROGRAMME.id),
                station=r.station,
                year=r.year,
                tranche=r.tranche,
                on=r.on,
                by="王出纳",
            )
            for r in reversed(asked)
        ]

    results = _together(
        [lambda: service.pay_many(service.stored(first, PROGRAMME.id), asked), singles]
    )
    assert all(isinstance(r, (tuple, list)) for r in results), results
    stored = {p.key: p for p in first.payments(PROGRAMME.id)}
    assert len(stored) == len(KEYS)
    answers = [a for r in results for a in r]  # type: ignore[attr-defined]
    assert all(a.payment == stored[a.payment.key] for a in answers)
    recorded = [a for a in answers if a.outcome is PaymentOutcome.RECORDED]
    assert len(recorded) == len(KEYS)
    entries = [e for e in second.audit_entries() if e.action.value == "payment"]
    assert sorted((e.station, e.year) for e in entries) == sorted(KEYS)
    assert first.audit_verify().whole


def test_a_payment_racing_a_replace_is_kept_once(pair: tuple[Storage, Storage]) -> None:
    """PAY-1 with AUD-1: ``sgz pay`` on one connection while ``import --replace`` of the same
    programme runs on another: the payment is neither lost nor doubled, it has exactly one
    payment entry, and the chain is whole, whichever commits first."""
    first, second = pair
    first.save(PROGRAMME)
    for request in _asked("李会计"):
        results = _together(
            [
                lambda: service.import_programme(PROGRAMME, db=first, replace=True, by="管理员"),
                lambda r=request: service.pay(  # type: ignore[misc]
                    service.stored(second, PROGRAMME.id),
                    station=r.station,
                    year=r.year,
                    tranche=r.tranche,
                    on=r.on,
                    by=r.by,
                ),
            ]
        )
        assert not any(isinstance(r, Exception) for r in results), results
        paid = results[1]
        assert isinstance(paid, PayResult) and paid.outcome is PaymentOutcome.RECORDED, paid
        rows = [
            p
            for p in first.payments(PROGRAMME.id)
            if (p.station, p.year) == (request.station, request.year)
        ]
        assert rows == [paid.payment]
    entries = [e for e in second.audit_entries() if e.action.value == "payment"]
    assert sorted((e.station, e.year) for e in entries) == sorted(KEYS)
    assert first.audit_verify().whole
    assert len(first.payments(PROGRAMME.id)) == len(KEYS)


def test_a_payment_racing_a_replace_that_brings_the_same_tranche_keeps_one(
    pair: tuple[Storage, Storage],
) -> None:
    """PAY-1 with AUD-1: ``import --replace`` of a file whose ``[[payments]]`` pay a tranche
    races ``sgz pay`` of that tranche (other day, other officer) on another connection. Exactly
    one payment is stored with one payment entry, the chain is whole, and the loser says so: the
    import is refused naming the payment ``pay`` recorded (nothing written), or ``pay`` answers
    ``already_paid`` with the file's payment."""
    first, second = pair
    first.save(PROGRAMME)
    opened = service.open_source(ROOT / "examples" / "chengguan.toml")
    [request] = _asked("王出纳")[:1]
    brought = Payment(
        request.station, request.year, Milestone.CONTRACT_SIGNED, "90000.00", request.on, "导入员"
    )
    results = _together(
        [
            lambda: service.import_programme(
                attrs.evolve(opened, payments=(brought,)), db=first, replace=True, by="管理员"
            ),
            lambda: service.pay(
                service.stored(second, PROGRAMME.id),
                station=request.station,
                year=request.year,
                tranche=request.tranche,
                on=request.on + dt.timedelta(days=1),
                by=request.by,
            ),
        ]
    )
    imported, paid = results
    assert isinstance(paid, PayResult), results
    [stored] = first.payments(PROGRAMME.id)
    assert paid.payment == stored
    if isinstance(imported, Exception):
        assert isinstance(imported, InvalidInput), imported
        assert "contradicts the payment recorded" in str(imported) and stored.by == "王出纳"
        assert paid.outcome is PaymentOutcome.RECORDED
    else:
        assert stored.by == "导入员" and paid.outcome is PaymentOutcome.ALREADY_PAID
    entries = [e for e in second.audit_entries() if e.action.value == "payment"]
    assert len(entries) == 1 and first.audit_verify().whole


def test_two_replacing_imports_at_once_say_which_one_replaced(
    pair: tuple[Storage, Storage],
) -> None:
    """AUD-1: two ``sgz import --replace`` of a new id at the same moment: one imports, the
    other replaces it, and each one's answer (``replaced``, "imported" / "replaced") says what
    its audit entry says. The answer was decided before the transaction, so both said
    "imported" on SQLite and PostgreSQL while the trail had an ``import`` and a ``replace``."""
    first, second = pair
    first.audit_verify()  # both open on a created schema
    results = _together(
        [
            lambda: service.import_programme(PROGRAMME, db=first, replace=True, by="甲"),
            lambda: service.import_programme(PROGRAMME, db=second, replace=True, by="乙"),
        ]
    )
    said = {
        by: r.replaced
        for by, r in zip(("甲", "乙"), results, strict=True)
        if isinstance(r, service.ImportResult)
    }
    assert len(said) == 2, results
    trail = {
        e.who: e.action.value
        for e in first.audit_entries()
        if e.action.value in ("import", "replace")
    }
    assert trail == {by: "replace" if replaced else "import" for by, replaced in said.items()}
    assert first.audit_verify().whole
