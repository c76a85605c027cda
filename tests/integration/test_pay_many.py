"""A payment run (``service.pay_many``, PAY-1): the same decisions as ``service.pay`` one request
after another, recorded in one transaction; idempotent; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sqlite import SqliteStorage
from sgz_core.enums import Milestone, PaymentOutcome
from sgz_core.errors import InvalidInput
from sgz_core.programme_file import loads
from sgz_core.results import PayResult

from .conftest import EXAMPLE_TEXT

PROGRAMME = loads(EXAMPLE_TEXT, "chengguan.toml")
KEYS = [(s.id, y.year) for s in PROGRAMME.stations for y in s.years]
DAYS = [dt.date(2024, 6, 30) + dt.timedelta(days=d) for d in range(0, 1200, 37)]

requests = st.lists(
    st.builds(
        service.PayRequest,
        st.sampled_from(KEYS).map(lambda k: k[0]),
        st.sampled_from([1, 2, 3]),
        st.sampled_from(list(Milestone)),
        st.sampled_from(DAYS),
        st.sampled_from(["李会计", "王出纳"]),
        st.none() | st.just("城财拨〔2025〕31号"),
    ),
    max_size=25,
)


def _known(r: service.PayRequest) -> bool:
    return (r.station, r.year) in KEYS


def _same(a: PayResult, b: PayResult) -> bool:
    def key(r: PayResult) -> tuple[object, ...]:
        p = r.payment
        shown = None if p is None else (p.key, p.amount, p.paid_on, p.by, p.reference)
        return (r.outcome, r.tranche, r.reason, r.evaluation, shown, r.station, r.year)

    return key(a) == key(b)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_a_run_decides_as_paying_one_after_another(asked: list[service.PayRequest]) -> None:
    asked = [r for r in asked if _known(r)]
    one, many = MemoryStorage(), MemoryStorage()
    one.save(PROGRAMME)
    many.save(PROGRAMME)
    singly = [
        service.pay(
            service.stored(one),
            station=r.station,
            year=r.year,
            tranche=r.tranche,
            on=r.on,
            by=r.by,
            reference=r.reference,
        )
        for r in asked
    ]
    run = service.pay_many(service.stored(many), asked)
    assert len(run) == len(singly)
    assert all(_same(a, b) for a, b in zip(run, singly, strict=True)), (run, singly)
    paid_one, paid_many = one.payments(PROGRAMME.id), many.payments(PROGRAMME.id)
    assert len(paid_one) == len(paid_many)
    assert all(p.same_payment(q) for p, q in zip(paid_one, paid_many, strict=True))
    again = service.pay_many(service.stored(many), asked)  # idempotent: nothing new
    assert all(r.outcome is not PaymentOutcome.RECORDED for r in again)
    assert len(many.payments(PROGRAMME.id)) == len(one.payments(PROGRAMME.id))


def test_a_run_on_sqlite_records_once_and_says_who_paid(tmp_path: Path) -> None:
    store = SqliteStorage(tmp_path / "run.db")
    store.save(PROGRAMME)
    signed = PROGRAMME.station("zhengning").year(1).signed
    assert signed is not None
    asked = [
        service.PayRequest(
            "zhengning", 1, "contract_signed", signed, "李会计", "城财拨〔2024〕12号"
        ),
        service.PayRequest("zhengning", 1, "final", signed, "李会计"),
        service.PayRequest("zhengning", 1, "contract_signed", signed, "王出纳"),
    ]
    recorded, refused, twice = service.pay_many(service.stored(store), asked)
    assert recorded.outcome is PaymentOutcome.RECORDED and recorded.payment is not None
    assert str(recorded.payment.amount) == "90000.00"
    assert refused.refused and "尚未到拨付节点" in refused.message_zh
    assert twice.outcome is PaymentOutcome.ALREADY_PAID and twice.payment == recorded.payment
    assert "李会计" in twice.message_zh
    assert store.payments(PROGRAMME.id) == [recorded.payment]
    [later] = service.pay_many(service.stored(store), asked[2:])
    assert later.outcome is PaymentOutcome.ALREADY_PAID and later.payment == recorded.payment


@pytest.mark.parametrize(
    ("bad", "path"),
    [
        (
            service.PayRequest("zhengning", 1, "signed", dt.date(2024, 7, 1), "李会计"),
            "requests[1].tranche",
        ),
        (service.PayRequest("zhengning", 1, "final", dt.date(2024, 7, 1), " "), "requests[1].by"),
        (
            service.PayRequest("zhengning", 0, "final", dt.date(2024, 7, 1), "李会计"),
            "requests[1].year",
        ),
        (service.PayRequest("nobody", 1, "final", dt.date(2024, 7, 1), "李会计"), "requests[1]"),
        (service.PayRequest("zhengning", 9, "final", dt.date(2024, 7, 1), "李会计"), "requests[1]"),
        ("zhengning", "requests[1]"),
    ],
)
def test_bad_input_in_any_request_names_it_and_writes_nothing(
    tmp_path: Path, bad: object, path: str
) -> None:
    store = SqliteStorage(tmp_path / "bad.db")
    store.save(PROGRAMME)
    good = service.PayRequest("zhengning", 1, "contract_signed", dt.date(2024, 7, 1), "李会计")
    with pytest.raises(InvalidInput) as caught:
        service.pay_many(service.stored(store), [good, bad])  # type: ignore[list-item]
    assert path in str(caught.value)
    assert store.payments(PROGRAMME.id) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests, st.randoms(use_true_random=False))
def test_a_repeated_run_appends_no_entry_and_each_payment_has_one(
    asked: list[service.PayRequest], rnd: object
) -> None:
    """PAY-1 with AUD-1, on generated runs (any tranches, days, duplicates, refusals): after a
    run every payment has exactly one payment entry, and the same run again, or any reordering
    of it, records nothing and appends no entry of any kind; the chain stays whole."""
    import random

    assert isinstance(rnd, random.Random)
    asked = [r for r in asked if _known(r)]
    storage = MemoryStorage()
    storage.save(PROGRAMME)
    service.pay_many(service.stored(storage), asked)
    entries = list(storage.audit_entries())
    paid = storage.payments(PROGRAMME.id)
    shown = sorted(
        (e.station or "", e.year or 0, e.subject or "")
        for e in entries
        if e.action.value == "payment"
    )
    assert len(shown) == len(paid)
    assert {(s, y) for s, y, _ in shown} == {(p.station, p.year) for p in paid}
    shuffled = list(asked)
    rnd.shuffle(shuffled)
    for again in (asked, shuffled):
        results = service.pay_many(service.stored(storage), again)
        assert all(r.outcome is not PaymentOutcome.RECORDED for r in results)
        assert all(r.payment in paid for r in results if r.outcome is PaymentOutcome.ALREADY_PAID)
    assert list(storage.audit_entries()) == entries
    assert storage.payments(PROGRAMME.id) == paid
    assert storage.audit_verify().whole
