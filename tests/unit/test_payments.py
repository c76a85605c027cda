"""Recorded payments (PAY-1): deciding a request to pay, laying payments over the schedule,
the totals and the adjustment findings (``sgz_core.payments``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sgz_core import profiles
from sgz_core.disbursement import schedule
from sgz_core.enums import (
    EvaluationKind,
    FundingSource,
    Milestone,
    Outcome,
    PaymentOutcome,
    Severity,
    TrancheStatus,
)
from sgz_core.errors import InvalidInput, NotFound
from sgz_core.findings import Finding
from sgz_core.model import ContractYear, Evaluation, Funding, Programme
from sgz_core.payments import (
    Payment,
    adjustment_findings,
    apply_payments,
    decide,
    totals,
    unearned_findings,
    unearned_payments,
)
from sgz_core.programme_file import loads
from sgz_core.testing import strategies as s

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = loads((ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "chengguan.toml")
PROFILE = profiles.builtin()
SIGNED = dt.date(2024, 7, 1)  # zhengning year 1 in the example
MID = dt.date(2025, 1, 15)
CS, MT, FI = Milestone.CONTRACT_SIGNED, Milestone.MID_TERM, Milestone.FINAL


def with_year(programme: Programme, **changes: object) -> Programme:
    """The example with zhengning's year 1 changed."""
    station = programme.stations[0]
    year = attrs.evolve(station.years[0], **changes)
    years = (year, *station.years[1:])
    return attrs.evolve(
        programme, stations=(attrs.evolve(station, years=years), *programme.stations[1:])
    )


def ask(
    programme: Programme = EXAMPLE,
    milestone: Milestone = CS,
    on: dt.date = SIGNED,
    payments: tuple[Payment, ...] = (),
    by: str = "李会计",
):
    return decide(
        programme,
        PROFILE,
        station="zhengning",
        year=1,
        milestone=milestone,
        on=on,
        by=by,
        reference="V-1",
        payments=payments,
    )


# --- deciding ------------------------------------------------------------------------------------


def test_a_due_tranche_is_paid_at_its_amount_that_day() -> None:
    d = ask()
    assert d.outcome is PaymentOutcome.RECORDED
    assert d.payment == Payment("zhengning", 1, CS, Decimal("90000.00"), SIGNED, "李会计", "V-1")
    assert "90,000.00" in d.message.zh and "李会计" in d.message.en


def test_paying_on_the_milestone_day_is_allowed_and_one_day_before_is_refused() -> None:
    assert ask(on=SIGNED).outcome is PaymentOutcome.RECORDED
    before = ask(on=SIGNED - dt.timedelta(days=1))
    assert before.outcome is PaymentOutcome.REFUSED and before.reason is TrancheStatus.PENDING
    assert "合同尚未签订" in before.message.zh and "not signed" in before.message.en
    assert ask(milestone=MT, on=MID).outcome is PaymentOutcome.RECORDED
    early = ask(milestone=MT, on=MID - dt.timedelta(days=1))
    assert early.outcome is PaymentOutcome.REFUSED and early.reason is TrancheStatus.PENDING
    assert "mid-term" in early.message.en


def test_a_tranche_paid_before_is_already_paid_whatever_its_status_now() -> None:
    first = ask().payment
    assert first is not None
    again = ask(on=dt.date(2024, 8, 1), payments=(first,), by="王出纳")
    assert again.outcome is PaymentOutcome.ALREADY_PAID and again.payment == first
    assert "2024-07-01" in again.message.zh and "李会计" in again.message.zh
    assert "already paid on 2024-07-01 by 李会计" in again.message.en
    stopped = with_year(
        EXAMPLE, evaluations=(Evaluation(EvaluationKind.MID_TERM, MID, outcome="stop"),)
    )
    later = ask(stopped, on=dt.date(2025, 6, 1), payments=(first,))
    assert later.outcome is PaymentOutcome.ALREADY_PAID


def test_a_held_tranche_is_refused_naming_the_evaluation() -> None:
    held = with_year(
        EXAMPLE, evaluations=(Evaluation(EvaluationKind.MID_TERM, MID, outcome="suspend"),)
    )
    d = ask(held, milestone=FI, on=dt.date(2025, 3, 1))
    assert d.outcome is PaymentOutcome.REFUSED and d.reason is TrancheStatus.HELD
    assert d.evaluation is not None and d.evaluation.date == MID
    assert "2025-01-15中期评估" in d.message.zh and "暂缓" in d.message.zh
    assert "held by the mid-term evaluation of 2025-01-15 (suspend)" in d.message.en


def test_a_tranche_signed_during_a_suspension_names_the_suspending_evaluation() -> None:
    suspended = with_year(
        EXAMPLE,
        signed=dt.date(2024, 9, 1),
        evaluations=(Evaluation(EvaluationKind.MID_TERM, dt.date(2024, 8, 1), outcome="suspend"),),
    )
    d = ask(suspended, milestone=CS, on=dt.date(2024, 10, 1))
    assert d.reason is TrancheStatus.HELD and d.tranche.date == dt.date(2024, 9, 1)
    assert d.evaluation is not None and d.evaluation.date == dt.date(2024, 8, 1)
    assert "mid-term evaluation of 2024-08-01 (suspend)" in d.message.en


def test_a_held_tranche_names_the_suspend_not_a_same_day_correct_of_another_kind() -> None:
    """PAY-1: a mid-term ``correct`` releases the 30% and holds nothing else, so when a final
    ``suspend`` of the same day holds the 10%, the refusal names the suspend (the file may list
    the mid-term first)."""
    both = with_year(
        EXAMPLE,
        evaluations=(
            Evaluation(EvaluationKind.MID_TERM, MID, outcome="correct"),
            Evaluation(EvaluationKind.FINAL, MID, outcome="suspend"),
        ),
        actions=(),
    )
    d = ask(both, milestone=FI, on=dt.date(2025, 3, 1))
    assert d.reason is TrancheStatus.HELD
    assert d.evaluation is not None and d.evaluation.kind is EvaluationKind.FINAL
    assert "held by the final evaluation of 2025-01-15 (suspend)" in d.message.en


def test_a_tranche_signed_during_a_suspension_is_not_said_held_by_a_later_correct() -> None:
    """PAY-1: a contract signed while a suspension is open is held by the suspension, not by a
    mid-term ``correct`` that came between the suspend and the signing."""
    suspended = with_year(
        EXAMPLE,
        signed=dt.date(2024, 9, 1),
        evaluations=(
            Evaluation(EvaluationKind.MID_TERM, dt.date(2024, 8, 1), outcome="suspend"),
            Evaluation(EvaluationKind.MID_TERM, dt.date(2024, 8, 15), outcome="correct"),
        ),
        actions=(),
    )
    d = ask(suspended, milestone=CS, on=dt.date(2024, 10, 1))
    assert d.reason is TrancheStatus.HELD
    assert d.evaluation is not None and d.evaluation.date == dt.date(2024, 8, 1)
    assert "mid-term evaluation of 2024-08-01 (suspend)" in d.message.en


_DAYS = st.sampled_from([dt.date(2024, 6, 1) + dt.timedelta(days=90 * i) for i in range(5)])
"""A few days, so that evaluations often share one (and a signing day)."""


@given(
    signed=st.none() | _DAYS,
    evaluations=st.lists(
        st.builds(
            Evaluation,
            st.sampled_from(EvaluationKind),
            _DAYS,
            outcome=st.sampled_from(["pass", "correct", "suspend", "stop"]),
        ),
        min_size=1,
        max_size=3,
    ),
    on=_DAYS,
)
def test_a_refusal_names_an_evaluation_that_holds_or_cancels_that_tranche(
    signed: dt.date | None, evaluations: list[Evaluation], on: dt.date
) -> None:
    """PAY-1 (decisions 2026-12-01 #1): whatever the year's evaluations, a held tranche is
    refused naming a ``suspend``, or a ``correct`` of the tranche's own kind (a mid-term
    ``correct`` never holds the final 10%, a final one never the 60%), on or before the day
    that held it; a cancelled one names a ``stop`` of the day that cancelled it."""
    year = with_year(EXAMPLE, signed=signed, evaluations=tuple(evaluations), actions=())
    own = {MT: EvaluationKind.MID_TERM, FI: EvaluationKind.FINAL}
    for milestone in (CS, MT, FI):
        d = ask(year, milestone=milestone, on=on)
        if d.reason is TrancheStatus.HELD:
            e = d.evaluation
            assert e is not None and d.tranche.date is not None and e.date <= d.tranche.date
            outcome = e.effective_outcome(Decimal(60))
            assert outcome is Outcome.SUSPEND or (
                outcome is Outcome.CORRECT and e.kind is own.get(milestone)
            ), (milestone, e, d.message.en)
        elif d.reason is TrancheStatus.CANCELLED:
            e = d.evaluation
            assert e is not None and e.date == d.tranche.date
            assert e.effective_outcome(Decimal(60)) is Outcome.STOP


def test_a_cancelled_tranche_is_refused_and_says_so() -> None:
    stopped = with_year(
        EXAMPLE, evaluations=(Evaluation(EvaluationKind.MID_TERM, MID, outcome="stop"),)
    )
    d = ask(stopped, milestone=MT, on=dt.date(2025, 3, 1))
    assert d.outcome is PaymentOutcome.REFUSED and d.reason is TrancheStatus.CANCELLED
    assert "停止执行" in d.message.zh and "cancelled" in d.message.en
    assert d.payment is None


def test_a_tranche_cancelled_on_a_day_of_two_evaluations_names_the_stop_not_the_other() -> None:
    """PAY-1: a mid-term that passed and a final that said ``stop`` on one day, the pass first
    in the file: the refusal of the cancelled 10% names the final's ``stop``, not the first
    evaluation of that day."""
    day = dt.date(2025, 6, 20)
    stopped = with_year(
        EXAMPLE,
        evaluations=(
            Evaluation(EvaluationKind.MID_TERM, day, score=90),
            Evaluation(EvaluationKind.FINAL, day, outcome="stop"),
        ),
    )
    d = ask(stopped, milestone=FI, on=dt.date(2025, 7, 1))
    assert d.reason is TrancheStatus.CANCELLED
    assert d.evaluation is not None and d.evaluation.kind is EvaluationKind.FINAL
    assert d.evaluation.effective_outcome(Decimal(60)) is Outcome.STOP


def test_unknown_station_or_year_is_not_found_and_bad_names_are_bad_input() -> None:
    with pytest.raises(NotFound):
        decide(EXAMPLE, PROFILE, station="nope", year=1, milestone=CS, on=SIGNED, by="x")
    with pytest.raises(NotFound):
        decide(EXAMPLE, PROFILE, station="zhengning", year=9, milestone=CS, on=SIGNED, by="x")
    with pytest.raises(InvalidInput, match="by"):
        ask(by="  ")
    with pytest.raises(InvalidInput, match="by"):
        ask(on=SIGNED - dt.timedelta(days=1), by="")  # refused tranches check the name too
    with pytest.raises(InvalidInput, match="milestone"):
        decide(EXAMPLE, PROFILE, station="zhengning", year=1, milestone="second", on=SIGNED, by="x")


def test_a_payment_refuses_floats_negative_amounts_and_local_times() -> None:
    with pytest.raises(InvalidInput):
        Payment("s", 1, CS, 90000.0, SIGNED, "x")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        Payment("s", 1, CS, Decimal("-1"), SIGNED, "x")
    with pytest.raises(InvalidInput, match="UTC"):
        Payment("s", 1, CS, Decimal("1"), SIGNED, "x", recorded_at=dt.datetime(2024, 7, 1, 8))
    with pytest.raises(InvalidInput, match="paid_on"):
        Payment("s", 1, CS, Decimal("1"), dt.datetime(2024, 7, 1, 8), "x")  # type: ignore[arg-type]


# --- the schedule with payments ------------------------------------------------------------------


def paid(
    milestone: Milestone = CS,
    amount: str = "90000.00",
    day: dt.date = SIGNED,
    station: str = "zhengning",
    year: int = 1,
) -> Payment:
    return Payment(station, year, milestone, Decimal(amount), day, "李会计")


def test_a_paid_tranche_is_paid_from_its_day_on_and_stays_paid_after_a_stop() -> None:
    on = dt.date(2025, 6, 1)
    stopped = with_year(
        EXAMPLE, evaluations=(Evaluation(EvaluationKind.MID_TERM, MID, outcome="stop"),)
    )
    applied = apply_payments(schedule(stopped, PROFILE, on), [paid()], on)
    first = applied.tranches[0]
    assert (first.status, first.amount, first.date) == (
        TrancheStatus.PAID,
        Decimal("90000.00"),
        SIGNED,
    )
    assert [t.status for t in applied.tranches[1:3]] == [TrancheStatus.CANCELLED] * 2
    before = apply_payments(
        schedule(stopped, PROFILE, SIGNED), [paid(day=dt.date(2024, 7, 2))], SIGNED
    )
    assert before.tranches[0].status is TrancheStatus.DUE  # paid the next day: not yet on this one
    assert applied.adjustments == ()


def test_a_later_funding_change_never_changes_a_recorded_payment() -> None:
    more = with_year(
        EXAMPLE,
        funding=(
            Funding(FundingSource.PROVINCE, Decimal("60000")),
            Funding(FundingSource.CITY, Decimal("50000")),
            Funding(FundingSource.DISTRICT, Decimal("50000")),
        ),
    )
    on = dt.date(2025, 3, 1)
    applied = apply_payments(schedule(more, PROFILE, on), [paid()], on)
    assert applied.tranches[0].amount == Decimal("90000.00")
    [a] = applied.adjustments
    assert (a.recorded, a.current, a.difference, a.overpaid) == (
        Decimal("90000.00"),
        Decimal("96000.00"),
        Decimal("6000.00"),
        False,
    )
    [f] = adjustment_findings(applied)
    assert (f.rule, f.severity, f.station, f.year) == ("PAY-1", Severity.WARNING, "zhengning", 1)
    assert "90,000.00" in f.message and "96,000.00" in f.message and "应补拨6,000.00元" in f.message
    assert "adjustment of 6,000.00 CNY is due" in f.message_en


def test_an_overpayment_is_an_error_to_recover() -> None:
    on = dt.date(2025, 3, 1)
    applied = apply_payments(schedule(EXAMPLE, PROFILE, on), [paid(amount="95000.00")], on)
    [f] = adjustment_findings(applied)
    assert f.severity is Severity.ERROR and "多付5,000.00元应予追回" in f.message
    assert "overpaid" in f.message_en and "95,000.00" in f.message_en


def test_a_payment_of_a_tranche_the_programme_lost_is_kept_and_reported() -> None:
    on = dt.date(2025, 3, 1)
    ghost = paid(station="gone", year=2)
    applied = apply_payments(schedule(EXAMPLE, PROFILE, on), [ghost], on)
    last = applied.tranches[-1]
    assert (last.station, last.status, last.amount, last.share) == (
        "gone",
        TrancheStatus.PAID,
        Decimal("90000.00"),
        0,
    )
    [f] = adjustment_findings(applied)
    assert f.severity is Severity.ERROR and f.station == "gone"
    programme = next(t for t in totals(applied) if t.station is None and t.year is None)
    assert programme.paid == Decimal("90000.00") and programme.adjustment == Decimal("-90000.00")


def test_no_adjustment_no_finding() -> None:
    on = dt.date(2025, 3, 1)
    applied = apply_payments(schedule(EXAMPLE, PROFILE, on), [paid()], on)
    assert adjustment_findings(applied) == []


# --- totals --------------------------------------------------------------------------------------


def test_totals_per_station_year_station_year_and_programme() -> None:
    on = dt.date(2025, 3, 1)
    applied = apply_payments(schedule(EXAMPLE, PROFILE, on), [paid()], on)
    found = {(t.station, t.year): t for t in totals(applied)}
    first = found[("zhengning", 1)]
    assert (first.contract_value, first.paid, first.due, first.pending, first.outstanding) == (
        Decimal("150000.00"),
        Decimal("90000.00"),
        Decimal("45000.00"),
        Decimal("15000.00"),
        Decimal("60000.00"),
    )
    assert found[("zhengning", None)].contract_value == Decimal("450000.00")
    assert found[(None, 1)].paid == Decimal("90000.00")
    whole = totals(applied)[-1]
    assert (whole.station, whole.year) == (None, None)
    assert whole.contract_value == Decimal("1350000.01")
    assert whole.outstanding == whole.contract_value - whole.paid


def test_totals_of_an_empty_programme_are_zero() -> None:
    empty = attrs.evolve(EXAMPLE, stations=())
    [whole] = totals(apply_payments([], [], SIGNED))
    assert whole.contract_value == 0 and whole.outstanding == 0
    assert empty.stations == ()


# --- properties ----------------------------------------------------------------------------------


def _run(programme: Programme, requests: list[s.PayRequest]) -> list[Payment]:
    """Apply the requests in order, recording what each decision says to record."""
    recorded: list[Payment] = []
    for r in requests:
        try:
            d = decide(
                programme,
                PROFILE,
                station=r.station,
                year=r.year,
                milestone=r.milestone,
                on=r.on,
                by=r.by,
                payments=recorded,
            )
        except InvalidInput:
            continue
        if d.outcome is PaymentOutcome.RECORDED:
            assert d.payment is not None
            recorded.append(d.payment)
    return recorded


@given(st.data())
def test_no_sequence_of_requests_pays_before_the_milestone_or_twice(data: st.DataObject) -> None:
    programme = data.draw(s.programmes())
    recorded = _run(programme, data.draw(s.pay_requests(programme)))
    keys = [p.key for p in recorded]
    assert len(keys) == len(set(keys))
    for p in recorded:
        station = programme.station(p.station)
        year = station.year(p.year)
        policy = PROFILE.at(programme.year_start(p.year))
        from sgz_core.disbursement import year_tranches

        [t] = [
            t for t in year_tranches(station, year, policy, p.paid_on) if t.milestone is p.milestone
        ]
        assert t.status is TrancheStatus.DUE  # due on the day paid: its milestone had happened
        assert p.amount == t.amount


@given(st.data())
def test_recorded_amounts_never_change_when_funding_is_edited(data: st.DataObject) -> None:
    programme = data.draw(s.programmes())
    recorded = _run(programme, data.draw(s.pay_requests(programme)))
    edited = attrs.evolve(
        programme,
        stations=tuple(
            attrs.evolve(
                st_,
                years=tuple(
                    attrs.evolve(y, funding=data.draw(st.lists(s.fundings(), max_size=4)))
                    for y in st_.years
                ),
            )
            for st_ in programme.stations
        ),
    )
    on = programme.start + dt.timedelta(days=5 * 366)
    applied = apply_payments(schedule(edited, PROFILE, on), recorded, on)
    shown = {(t.station, t.year, t.milestone): t for t in applied.tranches}
    for p in recorded:
        t = shown[p.key]
        assert (t.status, t.amount, t.date) == (TrancheStatus.PAID, p.amount, p.paid_on)
    differ = {a.payment.key for a in applied.adjustments}
    assert differ == {p.key for p in recorded if p.amount != _computed(edited, p, on)}


def _computed(programme: Programme, p: Payment, on: dt.date) -> Decimal:
    return next(
        t.amount
        for t in schedule(programme, PROFILE, on)
        if (t.station, t.year, t.milestone) == p.key
    )


@given(st.data())
def test_totals_add_up_exactly(data: st.DataObject) -> None:
    programme = data.draw(s.programmes())
    recorded = _run(programme, data.draw(s.pay_requests(programme)))
    on = data.draw(st.dates(programme.start, programme.start + dt.timedelta(days=4 * 366)))
    applied = apply_payments(schedule(programme, PROFILE, on), recorded, on)
    for t in totals(applied):
        parts = t.paid + t.due + t.held + t.cancelled + t.pending
        assert parts + t.adjustment == t.contract_value
        assert t.adjustment == 0  # nothing edited since: paid at today's amounts
        assert t.outstanding == t.contract_value - t.paid
    for station in programme.stations:
        for year in station.years:
            [t] = [t for t in totals(applied) if (t.station, t.year) == (station.id, year.year)]
            policy = PROFILE.at(programme.year_start(year.year))
            assert t.contract_value == year.contract_value(policy.cofunding_levels)
    whole = totals(applied)[-1]
    assert whole.paid == sum((p.amount for p in recorded if p.paid_on <= on), Decimal(0))


@given(s.payments())
def test_generated_payments_are_valid_and_keyed(payment: Payment) -> None:
    assert payment.key == (payment.station, payment.year, payment.milestone)
    assert payment.same_payment(attrs.evolve(payment, recorded_at=None))


def test_contract_year_helper_keeps_other_years() -> None:
    changed = with_year(EXAMPLE, signed=None)
    assert changed.stations[0].years[0].signed is None
    assert changed.stations[0].years[1:] == EXAMPLE.stations[0].years[1:]
    assert isinstance(changed.stations[0].years[0], ContractYear)
    assert Outcome.PASS.value == "pass"


def test_a_run_decides_each_request_as_decide_does_on_its_own_day() -> None:
    """decide_many answers a due tranche from the station-year's schedule at the run's latest
    day: the same decision as decide on the request's own day, whatever the evaluations did
    between the two days (a year suspended then lifted, a year stopped)."""
    from sgz_core.model import CorrectiveAction
    from sgz_core.payments import PayRequest, decide_many

    example = loads((ROOT / "examples" / "chengguan.toml").read_text("utf-8"), "c.toml")
    first = example.stations[0]
    one, two = first.years[0], first.years[1]
    suspended = attrs.evolve(  # held from the mid-term, lifted by the final after the action
        one,
        evaluations=(
            Evaluation("mid_term", dt.date(2025, 1, 15), outcome="suspend"),
            Evaluation("final", dt.date(2025, 6, 20), score=90),
        ),
        actions=(
            CorrectiveAction(
                "a",
                dt.date(2025, 1, 15),
                "补齐档案",
                dt.date(2025, 3, 31),
                closed=dt.date(2025, 3, 1),
            ),
        ),
    )
    stopped = attrs.evolve(
        two, evaluations=(Evaluation("mid_term", dt.date(2026, 1, 12), outcome="stop"),)
    )
    station = attrs.evolve(first, years=(suspended, stopped, *first.years[2:]))
    programme = attrs.evolve(example, stations=(station, *example.stations[1:]))
    profile = profiles.builtin("lanzhou-chengguan")
    keys = [(st_.id, y.year) for st_ in programme.stations for y in st_.years]
    last = dt.date(2028, 12, 31)
    seen = set()
    for day in (dt.date(2024, 6, 1) + dt.timedelta(days=d) for d in range(0, 1300, 9)):
        asked = [PayRequest(k[0], k[1], m, day, "李会计") for k in keys for m in Milestone]
        later = [PayRequest(k[0], k[1], Milestone.FINAL, last, "王出纳") for k in keys]
        run = decide_many(programme, profile, asked + later)[: len(asked)]
        for r, got in zip(asked, run, strict=True):
            alone = decide(
                programme,
                profile,
                station=r.station,
                year=r.year,
                milestone=r.tranche,
                on=r.on,
                by=r.by,
            )
            assert (got.outcome, got.tranche, got.reason, got.evaluation, got.message) == (
                alone.outcome,
                alone.tranche,
                alone.reason,
                alone.evaluation,
                alone.message,
            ), r
            assert got.payment == alone.payment
            seen.add(got.tranche.status)
    assert set(TrancheStatus) - {TrancheStatus.PAID} <= seen


# --- payments of tranches that were not due (PAY-1, found reviewing issue 11) --------------------


def _paid(station: str, year: int, milestone: Milestone, on: dt.date, amount: str) -> Payment:
    return Payment(
        station=station,
        year=year,
        milestone=milestone,
        amount=Decimal(amount),
        paid_on=on,
        by="李会计",
    )


def test_a_payment_recorded_before_its_tranche_fell_due_is_an_error() -> None:
    """PAY-1: a file or a database edited outside sgz may record a payment that ``sgz pay``
    would have refused that day; the check says so (an error, naming the day it fell due)."""
    early = _paid("zhengning", 1, MT, MID - dt.timedelta(days=1), "45000.00")
    on = dt.date(2026, 11, 28)
    applied = apply_payments(schedule(EXAMPLE, PROFILE, on), [early], on)
    [finding] = unearned_findings(applied)
    assert finding.rule == "PAY-1" and finding.severity is Severity.ERROR
    assert (finding.station, finding.year) == ("zhengning", 1)
    assert "2025-01-14" in finding.message_en and "2025-01-15" in finding.message_en
    on_time = attrs.evolve(early, paid_on=MID)
    assert unearned_findings(apply_payments(schedule(EXAMPLE, PROFILE, on), [on_time], on)) == []


def test_a_payment_of_a_tranche_never_due_is_an_error() -> None:
    """PAY-1: the final 10% of zhengning's year 3 (no final evaluation in the example) recorded
    as paid: by the evaluations on file it is not due at all."""
    on = dt.date(2026, 11, 28)
    paid = _paid("zhengning", 3, FI, dt.date(2026, 6, 1), "15000.00")
    [finding] = unearned_findings(apply_payments(schedule(EXAMPLE, PROFILE, on), [paid], on))
    assert finding.severity is Severity.ERROR and finding.year == 3
    assert "pending" in finding.message_en


@given(st.data())
def test_a_payment_is_unearned_exactly_when_pay_would_have_refused_it_that_day(
    data: st.DataObject,
) -> None:
    """PAY-1, against an independent oracle: a recorded payment gives an unearned finding
    exactly when ``decide`` on its own day (what ``sgz pay`` does) would not have recorded it."""
    programme = data.draw(s.programmes())
    keys = [(st_.id, y.year) for st_ in programme.stations for y in st_.years]
    if not keys:
        return
    start = programme.start
    payments = []
    for key, milestone in data.draw(
        st.lists(
            st.tuples(st.sampled_from(keys), st.sampled_from(list(Milestone))),
            max_size=6,
            unique=True,
        )
    ):
        day = data.draw(st.dates(start - dt.timedelta(days=30), start + dt.timedelta(days=4 * 366)))
        payments.append(_paid(key[0], key[1], milestone, day, "1.00"))
    on = data.draw(st.dates(start, start + dt.timedelta(days=5 * 366)))
    applied = apply_payments(schedule(programme, PROFILE, on), payments, on)
    flagged = {u.payment.key for u in unearned_payments(applied)}
    assert len(unearned_findings(applied)) == len(flagged)
    for p in payments:
        if p.paid_on > on:
            continue  # not counted on that day
        would = decide(
            programme,
            PROFILE,
            station=p.station,
            year=p.year,
            milestone=p.milestone,
            on=p.paid_on,
            by="x",
        )
        try:
            tranche_exists = any(
                t.milestone is p.milestone
                for t in schedule(programme, PROFILE, on)
                if (t.station, t.year) == (p.station, p.year)
            )
        except InvalidInput:
            tranche_exists = False
        if not tranche_exists:
            continue  # a tranche the programme does not have: an adjustment, not this finding
        earned = would.outcome is PaymentOutcome.RECORDED
        assert (p.key in flagged) is not earned, (p, would)


def test_unearned_findings_say_every_word_and_skip_only_what_they_should() -> None:
    """PAY-1, whole findings (both languages): a payment of a tranche the programme lost is an
    adjustment, not this finding; an earned payment is skipped; a held tranche (it has a day)
    says it is held; an early one names both days."""
    on = dt.date(2026, 11, 28)
    mid_term, _ = EXAMPLE.stations[0].years[0].evaluations
    correct = Evaluation(
        EvaluationKind.FINAL, dt.date(2025, 6, 20), score=Decimal("70"), outcome=Outcome.CORRECT
    )
    programme = with_year(EXAMPLE, evaluations=(mid_term, correct))  # the final 10% held
    lost = _paid("aaa-gone", 1, CS, SIGNED, "1.00")  # no such station
    earned = _paid("zhengning", 1, CS, SIGNED, "90000.00")
    early = _paid("zhengning", 1, MT, MID - dt.timedelta(days=1), "45000.00")
    held = _paid("zhengning", 1, FI, dt.date(2025, 7, 1), "15000.00")
    tranches = schedule(programme, PROFILE, on)
    [final] = [t for t in tranches if (t.station, t.year, t.milestone) == ("zhengning", 1, FI)]
    assert final.status is TrancheStatus.HELD and final.date is not None
    applied = apply_payments(tranches, [held, early, earned, lost], on)
    assert [u.payment for u in unearned_payments(applied)] == [early, held]
    assert unearned_findings(applied) == [
        Finding(
            "PAY-1",
            Severity.ERROR,
            "zhengning",
            1,
            "站点 zhengning 第1年“中期评估”节点于2025-01-14记录拨付45,000.00元，"
            "早于其到期日2025-01-15：节点尚未达成不应拨付。",
            "The 'mid-term evaluation' tranche of station zhengning, year 1 was recorded as paid "
            "45,000.00 CNY on 2025-01-14, before it fell due on 2025-01-15: a tranche is paid "
            "only once its milestone has happened.",
        ),
        Finding(
            "PAY-1",
            Severity.ERROR,
            "zhengning",
            1,
            "站点 zhengning 第1年“末期评估通过”节点于2025-07-01记录拨付15,000.00元，"
            "但按现有的合同与评估，该期为“暂缓拨付”：节点尚未达成不应拨付。",
            "The 'final evaluation passed' tranche of station zhengning, year 1 was recorded as paid "
            "15,000.00 CNY on 2025-07-01, but by the contract and evaluations on file it is "
            "held: a tranche is paid only once its milestone has happened.",
        ),
    ]
