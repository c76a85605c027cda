"""``check --db`` station by station on PostgreSQL and MariaDB equals the whole check on
generated programmes with generated payments (issue 12, PAY-1): adjustments after a funding
change, payments of tranches the programme lost, and unearned payments (paid before the tranche
fell due, or of a tranche not due), at part sizes that split the stations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgz_adapters import service
from sgz_adapters.storage.memory import MemoryStorage
from sgz_adapters.storage.sql import ServerStorage
from sgz_core import profiles
from sgz_core.disbursement import schedule
from sgz_core.enums import Milestone
from sgz_core.payments import Payment
from sgz_core.storage import UnitOfWork
from sgz_core.testing import strategies as s

from .conftest import require, unique_prefix


@st.composite
def with_payments(draw: st.DrawFn) -> tuple[Any, dt.date, list[Payment]]:
    programme = draw(s.programmes(max_stations=4, start=dt.date(2024, 1, 1)))
    on = draw(st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)))
    tranches = schedule(programme, profiles.builtin(), on)
    paid: list[Payment] = []
    for t in draw(st.lists(st.sampled_from(tranches), unique=True)) if tranches else []:
        day = (
            t.date + dt.timedelta(days=draw(st.integers(-40, 5)))
            if t.date is not None
            else draw(st.dates(dt.date(2024, 1, 1), on))
        )
        extra = draw(st.sampled_from([Decimal("0.00"), Decimal("1.00"), Decimal("-0.01")]))
        amount = max(t.amount + extra, Decimal("0.01"))
        paid.append(Payment(t.station, t.year, t.milestone, str(amount), day, "会计"))
    if programme.stations and draw(st.booleans()):  # a tranche the programme lost
        first = programme.stations[0].id
        paid.append(Payment(first, 9, Milestone.FINAL, "3.00", dt.date(2024, 2, 1), "会计"))
    return programme, on, paid


@pytest.mark.db
@pytest.mark.parametrize("kind", ["postgresql", "mysql"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=with_payments(), size=st.integers(1, 3))
def test_pay_1_streamed_equals_whole_on_generated_programmes(
    kind: str, case: tuple[Any, dt.date, list[Payment]], size: int, monkeypatch: Any
) -> None:
    programme, on, paid = case
    url = require(kind)
    memory = MemoryStorage()
    memory.save(programme)
    for p in paid:
        memory.record_payment(programme.id, p)
    try:
        whole = list(service.check(service.stored(memory, programme.id), on=on).findings)
    except Exception as exc:
        whole_error: type[Exception] | None = type(exc)
    else:
        whole_error = None
    original = UnitOfWork.check_parts
    monkeypatch.setattr(
        UnitOfWork, "check_parts", lambda self, pid, size_=size: original(self, pid, size_)
    )
    store = ServerStorage(url, prefix=unique_prefix())
    try:
        store.save(programme)
        for p in paid:
            store.record_payment(programme.id, p)
        if whole_error is not None:
            with pytest.raises(whole_error):
                service.check(service.stored(store, programme.id), on=on, stream=True)
            return
        got = service.check(service.stored(store, programme.id), on=on, stream=True)
        assert list(got.findings) == whole
    finally:
        store.drop_all()
