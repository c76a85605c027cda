"""decide_many (a payment run, PAY-1) is decide one request after another, each decision's
payment recorded before the next: checked whole, decision for decision, on generated runs of
the example (several days per station-year, tranches asked twice, payments recorded before the
run, the recording moment), and its refusals of an unknown station or year (issue 13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.enums import Milestone, PaymentOutcome
from sgz_core.errors import NotFound
from sgz_core.payments import PayDecision, Payment, PayRequest, decide, decide_many
from sgz_core.programme_file import loads

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = loads((ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml")
PROFILE = profiles.builtin("lanzhou-chengguan")
KEYS = [(s.id, y.year) for s in EXAMPLE.stations for y in s.years]
DAYS = [dt.date(2024, 6, 20) + dt.timedelta(days=d) for d in range(0, 1300, 23)]
AT = dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)

a_request = st.builds(
    PayRequest,
    st.sampled_from(KEYS).map(lambda k: k[0]),
    st.sampled_from(KEYS).map(lambda k: k[1]),
    st.sampled_from(list(Milestone)) | st.sampled_from([m.value for m in Milestone]),
    st.sampled_from(DAYS),
    st.sampled_from(["李会计", "王出纳"]),
    st.none() | st.sampled_from(["城财拨〔2025〕31号", "V-7"]),
).filter(lambda r: (r.station, r.year) in KEYS)


def one_after_another(
    asked: list[PayRequest], before: list[Payment], at: dt.datetime | None
) -> list[PayDecision]:
    paid = list(before)
    out = []
    for r in asked:
        decision = decide(
            EXAMPLE,
            PROFILE,
            station=r.station,
            year=r.year,
            milestone=r.tranche,
            on=r.on,
            by=r.by,
            reference=r.reference,
            payments=paid,
            recorded_at=at,
        )
        if decision.outcome is PaymentOutcome.RECORDED:
            assert decision.payment is not None
            paid.append(decision.payment)
        out.append(decision)
    return out


@settings(max_examples=150, deadline=None)
@given(
    asked=st.lists(a_request, max_size=14),
    earlier=st.lists(a_request, max_size=4),
    at=st.none() | st.just(AT),
)
def test_a_run_is_decide_one_request_after_another(
    asked: list[PayRequest], earlier: list[PayRequest], at: dt.datetime | None
) -> None:
    # payments recorded before the run: whatever a first run of ``earlier`` recorded
    before = [
        d.payment
        for d in decide_many(EXAMPLE, PROFILE, earlier)
        if d.outcome is PaymentOutcome.RECORDED and d.payment is not None
    ]
    got = decide_many(EXAMPLE, PROFILE, asked, payments=before, recorded_at=at)
    assert got == one_after_another(asked, before, at)


def test_the_same_tranche_twice_in_a_run_is_already_paid_the_second_time() -> None:
    station, year = KEYS[0]
    day = dt.date(2024, 7, 5)
    first, second = decide_many(
        EXAMPLE,
        PROFILE,
        [
            PayRequest(station, year, Milestone.CONTRACT_SIGNED, day, "李会计", "V-1"),
            PayRequest(station, year, "contract_signed", day, "王出纳"),
        ],
        recorded_at=AT,
    )
    assert first.outcome is PaymentOutcome.RECORDED and first.payment is not None
    assert (first.payment.by, first.payment.reference, first.payment.recorded_at) == (
        "李会计",
        "V-1",
        AT,
    )
    assert second.outcome is PaymentOutcome.ALREADY_PAID and second.payment == first.payment


def test_an_unknown_station_or_year_is_not_found_naming_the_known_ones() -> None:
    station, _ = KEYS[0]
    day = dt.date(2024, 7, 5)
    with pytest.raises(NotFound) as caught:
        decide_many(EXAMPLE, PROFILE, [PayRequest("nowhere", 1, "final", day, "李会计")])
    known = ", ".join(s.id for s in EXAMPLE.stations)
    assert str(caught.value) == f"no station 'nowhere'; known: {known}"
    with pytest.raises(NotFound):
        decide_many(EXAMPLE, PROFILE, [PayRequest(station, 9, "final", day, "李会计")])
